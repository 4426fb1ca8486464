//! Which running processes have an archive open (Linux: `/proc/<pid>/fd` and `maps`).
//! A component loaded by a running Java process matters more than one in an installer.
//! Processes we may not inspect (other users' without root) are simply not seen.

use std::collections::HashMap;
use std::path::Path;

use praxcheck_model::ProcessRef;

#[cfg(unix)]
use crate::archive::is_archive_name;

/// Upper bounds, so a machine with very many processes cannot stall the scan.
#[cfg(unix)]
const MAX_PROCESSES: usize = 20_000;
#[cfg(unix)]
const MAX_FDS_PER_PROCESS: usize = 50_000;

/// Maps (device, inode) of open archives to the processes holding them, reading the given
/// proc root (normally `/proc`).
#[must_use]
pub fn open_archives(proc_root: &Path) -> HashMap<(u64, u64), Vec<ProcessRef>> {
    #[cfg_attr(not(unix), allow(unused_mut))] // only the unix walk fills it
    let mut out: HashMap<(u64, u64), Vec<ProcessRef>> = HashMap::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let Ok(dir) = std::fs::read_dir(proc_root) else {
            return out;
        };
        for entry in dir.filter_map(Result::ok).take(MAX_PROCESSES) {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            let base = entry.path();
            let name = std::fs::read_to_string(base.join("comm"))
                .map(|s| s.trim().to_owned())
                .unwrap_or_default();
            let mut paths: Vec<std::path::PathBuf> = Vec::new();
            if let Ok(fds) = std::fs::read_dir(base.join("fd")) {
                for fd in fds.filter_map(Result::ok).take(MAX_FDS_PER_PROCESS) {
                    if let Ok(target) = std::fs::read_link(fd.path()) {
                        let b = target.as_os_str().as_encoded_bytes();
                        if is_archive_name(b) {
                            paths.push(fd.path());
                        }
                    }
                }
            }
            if let Ok(maps) = std::fs::read_to_string(base.join("maps")) {
                for line in maps.lines() {
                    if let Some(p) = line.split_whitespace().nth(5)
                        && is_archive_name(p.as_bytes())
                    {
                        paths.push(std::path::PathBuf::from(p));
                    }
                }
            }
            for p in paths {
                if let Ok(md) = std::fs::metadata(&p) {
                    let v = out.entry((md.dev(), md.ino())).or_default();
                    if !v.iter().any(|r| r.pid == pid) {
                        v.push(ProcessRef {
                            pid,
                            name: name.clone(),
                        });
                    }
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = proc_root;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn sees_an_archive_this_process_holds_open() {
        use std::os::unix::fs::MetadataExt as _;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("held.jar");
        std::fs::write(&p, b"PK\x05\x06").unwrap();
        let f = std::fs::File::open(&p).unwrap();
        let md = f.metadata().unwrap();
        let map = open_archives(Path::new("/proc"));
        let holders = map
            .get(&(md.dev(), md.ino()))
            .expect("our own open jar is seen");
        assert!(holders.iter().any(|r| r.pid == std::process::id()));
        drop(f);
    }
}
