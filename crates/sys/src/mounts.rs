//! The mount table (`/proc/self/mountinfo`), parsed once for every crate (issue 10 step 4;
//! javascan and hostscan each had a parser and an octal unescape).

/// One line of `/proc/self/mountinfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountInfo {
    /// `major:minor` of the device (field 3).
    pub dev: String,
    /// The folder of the filesystem mounted here (field 4; not `/` for a bind mount).
    pub root: String,
    /// Mount point (field 5), unescaped.
    pub mount_point: String,
    /// Filesystem type (first field after ` - `).
    pub fs_type: String,
    /// Mount source (`/dev/sda1`, `server:/export`, …), unescaped; empty when missing.
    pub source: String,
}

/// Parses `/proc/self/mountinfo` text. Lines without the ` - ` separator, a mount point or
/// a filesystem type are left out.
#[must_use]
pub fn parse_mountinfo(text: &str) -> Vec<MountInfo> {
    text.lines()
        .filter_map(|l| {
            let (left, right) = l.split_once(" - ")?;
            let f: Vec<&str> = left.split_whitespace().collect();
            let r: Vec<&str> = right.split_whitespace().collect();
            Some(MountInfo {
                dev: (*f.get(2)?).to_owned(),
                root: (*f.get(3)?).to_owned(),
                mount_point: unescape_mount(f.get(4)?),
                fs_type: (*r.first()?).to_owned(),
                source: unescape_mount(r.get(1).copied().unwrap_or("")),
            })
        })
        .collect()
}

/// The mounts of this process (empty where there is no `/proc/self/mountinfo`).
#[must_use]
pub fn current_mountinfo() -> Vec<MountInfo> {
    std::fs::read_to_string("/proc/self/mountinfo")
        .map(|t| parse_mountinfo(&t))
        .unwrap_or_default()
}

/// Undoes the octal escapes of `/proc/self/mountinfo` and `/etc/fstab` (`\040` = space),
/// also at the very end of the text.
#[must_use]
pub fn unescape_mount(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && b.get(i + 1..i + 4)
                .is_some_and(|d| d.iter().all(|c| (b'0'..=b'7').contains(c)))
        {
            let v = (b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0');
            out.push(v);
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mountinfo_with_escapes() {
        let m = parse_mountinfo(
            "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n\
             40 22 8:17 /sub /media/Backup\\040Platte rw,nosuid - vfat /dev/sdb1 rw\n\
             no separator here\n\
             41 22 0:5 / - \n",
        );
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].fs_type, "ext4");
        assert_eq!(m[0].root, "/");
        assert_eq!(m[1].mount_point, "/media/Backup Platte");
        assert_eq!(m[1].dev, "8:17");
        assert_eq!(m[1].root, "/sub");
        assert_eq!(m[1].source, "/dev/sdb1");
    }

    #[test]
    fn unescape_handles_the_end_and_bad_escapes() {
        assert_eq!(unescape_mount("a\\040b"), "a b");
        assert_eq!(unescape_mount("end\\040"), "end ");
        assert_eq!(unescape_mount("x\\04"), "x\\04");
        assert_eq!(unescape_mount("x\\09z"), "x\\09z");
    }
}
