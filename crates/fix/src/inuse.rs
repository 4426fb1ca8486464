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
            if pid == me {
                continue;
            }
            let base = entry.path();
            let mut hit: HashSet<(u64, u64)> = HashSet::new();
            if let Ok(fds) = std::fs::read_dir(base.join("fd")) {
                for fd in fds.filter_map(Result::ok).take(MAX_FDS_PER_PROCESS) {
                    if let Ok(md) = std::fs::metadata(fd.path()) {
                        let id = (md.dev(), md.ino());
                        if wanted.contains(&id) {
                            hit.insert(id);
                        }
                    }
                }
            }
            if let Ok(maps) = std::fs::read_to_string(base.join("maps")) {
                for line in maps.lines() {
                    // address perms offset dev inode path
                    let mut f = line.split_whitespace();
                    let (Some(_), Some(_), Some(_), Some(_), Some(ino), Some(path)) =
                        (f.next(), f.next(), f.next(), f.next(), f.next(), f.next())
                    else {
                        continue;
                    };
                    if !ino.parse::<u64>().is_ok_and(|i| inodes.contains(&i)) {
                        continue;
                    }
                    if let Ok(md) = std::fs::metadata(path) {
                        let id = (md.dev(), md.ino());
                        if wanted.contains(&id) {
                            hit.insert(id);
                        }
                    }
                }
            }
            if hit.is_empty() {
                continue;
            }
            let name = std::fs::read_to_string(base.join("comm"))
                .map(|s| s.trim().to_owned())
                .unwrap_or_default();
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
