//! The running processes as Linux shows them under `/proc` (or a test's copy): each
//! process's folder, name, open file descriptors and mapped files — one walk for the scan
//! (which archives are in use) and the fix (who holds the file it would replace); issue 10
//! step 4. Callers bound the counts; what we may not read (other users' processes without
//! root) is simply not seen. Elsewhere `proc_root` does not exist and the lists are empty.

use std::path::{Path, PathBuf};

/// One process folder (`<proc_root>/<pid>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    /// Process id.
    pub pid: u32,
    /// Its folder.
    pub dir: PathBuf,
}

/// A file in a process's memory map (`maps`: the inode field and the path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedFile {
    /// The inode column, when it is a number.
    pub inode: Option<u64>,
    /// The path column (its first word).
    pub path: String,
}

/// The processes among the first `max_entries` entries of `proc_root` (folders named by a
/// number).
#[must_use]
pub fn processes(proc_root: &Path, max_entries: usize) -> Vec<Process> {
    let Ok(dir) = std::fs::read_dir(proc_root) else {
        return Vec::new();
    };
    dir.filter_map(Result::ok)
        .take(max_entries)
        .filter_map(|e| {
            let pid = e.file_name().to_str()?.parse::<u32>().ok()?;
            Some(Process { pid, dir: e.path() })
        })
        .collect()
}

impl Process {
    /// The program name (`comm`), empty when unreadable.
    #[must_use]
    pub fn name(&self) -> String {
        std::fs::read_to_string(self.dir.join("comm"))
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    }

    /// The links in `fd/` (at most `max`): stat one to reach the open file, read it for
    /// the path.
    #[must_use]
    pub fn fd_links(&self, max: usize) -> Vec<PathBuf> {
        std::fs::read_dir(self.dir.join("fd"))
            .map(|fds| {
                fds.filter_map(Result::ok)
                    .take(max)
                    .map(|fd| fd.path())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The files in `maps` (lines with a path column).
    #[must_use]
    pub fn mapped_files(&self) -> Vec<MappedFile> {
        let Ok(maps) = std::fs::read_to_string(self.dir.join("maps")) else {
            return Vec::new();
        };
        maps.lines()
            .filter_map(|line| {
                // address perms offset dev inode path
                let f: Vec<&str> = line.split_whitespace().take(6).collect();
                let path = (*f.get(5)?).to_owned();
                Some(MappedFile {
                    inode: f.get(4).and_then(|i| i.parse().ok()),
                    path,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fake_proc_tree_is_read() {
        let root = tempfile::tempdir().unwrap();
        let p = root.path().join("42");
        std::fs::create_dir_all(p.join("fd")).unwrap();
        std::fs::create_dir(root.path().join("self-not-a-pid")).unwrap();
        std::fs::write(p.join("comm"), "java\n").unwrap();
        std::fs::write(p.join("fd").join("3"), "").unwrap();
        std::fs::write(
            p.join("maps"),
            "7f00-7f10 r--p 00000000 08:01 1234 /opt/app/lib.jar\n\
             7f10-7f20 rw-p 00000000 00:00 0 \n\
             7f20-7f30 r--p 00000000 08:01 x /odd path\n",
        )
        .unwrap();
        let ps = processes(root.path(), 100);
        assert_eq!(ps.len(), 1);
        assert_eq!(ps[0].pid, 42);
        assert_eq!(ps[0].name(), "java");
        assert_eq!(ps[0].fd_links(10), vec![p.join("fd").join("3")]);
        assert!(ps[0].fd_links(0).is_empty());
        let m = ps[0].mapped_files();
        assert_eq!(m.len(), 2);
        assert_eq!(
            (m[0].inode, m[0].path.as_str()),
            (Some(1234), "/opt/app/lib.jar")
        );
        assert_eq!((m[1].inode, m[1].path.as_str()), (None, "/odd"));
        assert!(processes(&root.path().join("missing"), 100).is_empty());
    }
}
