//! Writing output files.

use std::io::Write as _;
use std::path::Path;

/// Writes a file through a temporary file in the same folder and a rename, so a reader
/// never sees half a report. Only a regular file (or a new one) is replaced that way: a
/// device, pipe or other special file (`/dev/null`, a FIFO) is written to, never replaced,
/// and a symbolic link is followed, so the file it points to is replaced, not the link.
///
/// # Errors
/// When the temporary file cannot be written or renamed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return std::fs::write(path, bytes);
    }
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.praxcheck-tmp-{}", std::process::id()));
    let res = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &target)
    })();
    if res.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    res
}
