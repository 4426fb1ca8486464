//! Which running processes hold a file open (Linux: `/proc/<pid>/fd` and `/proc/<pid>/maps`).
//!
//! A Java program keeps its jars open (and mapped) while it runs; replacing a jar under a
//! running JVM can crash it when it loads the next class. Unlike the scan's lookup, which
//! only looks at names ending in an archive extension, this one compares device and inode,
//! so that script-prefixed executables (no extension) are found too. Processes we may not
//! inspect (other users' without root) are not seen.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use praxcheck_model::ProcessRef;

#[cfg(unix)]
const MAX_PROCESSES: usize = 50_000;
#[cfg(unix)]
const MAX_FDS_PER_PROCESS: usize = 100_000;

/// Maps each of the given (device, inode) pairs that some process holds to the processes.
#[must_use]
pub fn holders(
    proc_root: &Path,
    wanted: &HashSet<(u64, u64)>,
) -> HashMap<(u64, u64), Vec<ProcessRef>> {
    #[cfg_attr(not(unix), allow(unused_mut))] // only the unix walk fills it
    let mut out: HashMap<(u64, u64), Vec<ProcessRef>> = HashMap::new();
    if wanted.is_empty() {
        return out;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let me = std::process::id();
        let inodes: HashSet<u64> = wanted.iter().map(|&(_, ino)| ino).collect();
        for proc in praxcheck_sys::procfs::processes(proc_root, MAX_PROCESSES) {
            let pid = proc.pid;
            if pid == me {
                continue;
            }
            let mut hit: HashSet<(u64, u64)> = HashSet::new();
            for fd in proc.fd_links(MAX_FDS_PER_PROCESS) {
                if let Ok(md) = std::fs::metadata(fd) {
                    let id = (md.dev(), md.ino());
                    if wanted.contains(&id) {
                        hit.insert(id);
                    }
                }
            }
            for m in proc.mapped_files() {
                if !m.inode.is_some_and(|i| inodes.contains(&i)) {
                    continue;
                }
                if let Ok(md) = std::fs::metadata(&m.path) {
                    let id = (md.dev(), md.ino());
                    if wanted.contains(&id) {
                        hit.insert(id);
                    }
                }
            }
            if hit.is_empty() {
                continue;
            }
            let name = proc.name();
            for id in hit {
                out.entry(id).or_default().push(ProcessRef {
                    pid,
                    name: name.clone(),
                });
            }
        }
        for v in out.values_mut() {
            v.sort();
        }
    }
    #[cfg(not(unix))]
    {
        let _ = proc_root;
    }
    out
}
