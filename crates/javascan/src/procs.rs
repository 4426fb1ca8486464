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
        for proc in praxcheck_sys::procfs::processes(proc_root, MAX_PROCESSES) {
            let pid = proc.pid;
            let name = proc.name();
            let mut paths: Vec<std::path::PathBuf> = Vec::new();
            for fd in proc.fd_links(MAX_FDS_PER_PROCESS) {
                if let Ok(target) = std::fs::read_link(&fd) {
                    let b = target.as_os_str().as_encoded_bytes();
                    if is_archive_name(b) {
                        paths.push(fd);
                    }
                }
            }
            for m in proc.mapped_files() {
                if is_archive_name(m.path.as_bytes()) {
                    paths.push(std::path::PathBuf::from(m.path));
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
