//! Which file a path or an open handle is, independent of its name: device and inode on
//! Unix, volume serial number and file index on Windows. Two names with the same identity
//! are the same file (hard links, a folder reached again through a link); a copy has its
//! own. The repeat-scan and duplicate checks of the collectors and the fix's "still the
//! file we saved" check compare these.
//!
//! `(0, 0)` means "not known" (the file could not be opened on Windows, or another
//! platform): callers must not treat two unknown identities as the same file.

use std::fs::{File, Metadata};
use std::path::Path;

/// The identity of the file at `path`, whose metadata (following links, as
/// `std::fs::metadata` does) the caller has read already. On Unix it comes from `md` and
/// costs nothing more; on Windows the file is opened (read access, every sharing mode, so
/// a file another program holds open is no problem) and asked with
/// `GetFileInformationByHandle`. `(0, 0)` when that fails.
#[must_use]
pub fn file_identity(path: &Path, md: &Metadata) -> (u64, u64) {
    #[cfg(unix)]
    {
        let _ = path;
        unix_identity(md)
    }
    #[cfg(windows)]
    {
        let _ = md;
        // winapi-util (BurntSushi's safe wrappers over windows-sys, the crate walkdir and
        // same-file use) opens folders too (FILE_FLAG_BACKUP_SEMANTICS).
        winapi_util::Handle::from_path_any(path)
            .and_then(|h| winapi_util::file::information(&h))
            .map_or((0, 0), |i| (i.volume_serial_number(), i.file_index()))
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = (path, md);
        (0, 0)
    }
}

/// The identity of an open file (its metadata `md` read from the same handle). Unlike
/// [`file_identity`] it does not depend on what the file's name points to now.
#[must_use]
pub fn open_file_identity(file: &File, md: &Metadata) -> (u64, u64) {
    #[cfg(unix)]
    {
        let _ = file;
        unix_identity(md)
    }
    #[cfg(windows)]
    {
        let _ = md;
        winapi_util::file::information(file)
            .map_or((0, 0), |i| (i.volume_serial_number(), i.file_index()))
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = (file, md);
        (0, 0)
    }
}

#[cfg(unix)]
fn unix_identity(md: &Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt as _;
    (md.dev(), md.ino())
}
