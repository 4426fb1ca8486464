//! Reading an input file with a size cap before anything is allocated, and only when it is
//! a regular file: a FIFO or a device given as a document, an advisory set or a signature
//! ends with a clear error instead of hanging or filling memory (issue 11).

use std::io::Read as _;
use std::path::{Path, PathBuf};

/// Largest document read (`report --from`, uploads): far above what a capped scan writes
/// (the collectors cap their lists per file), far below what would exhaust memory.
pub const MAX_DOCUMENT_BYTES: u64 = 128 << 20;
/// Longest host name accepted in a document (DNS allows 253 characters).
pub const MAX_HOSTNAME_CHARS: usize = 255;

/// Why an input file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Opening or reading failed.
    #[error("{path}: {error}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error (in the message, not a `source`: printed once).
        error: std::io::Error,
    },
    /// Not a regular file (a FIFO, a device, a folder, a socket).
    #[error("{path}: not a regular file ({kind}); give a file")]
    NotRegular {
        /// The file.
        path: PathBuf,
        /// What it is.
        kind: FileKind,
    },
    /// Larger than the cap.
    #[error("{path}: larger than {cap} bytes; not read")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The cap.
        cap: u64,
    },
}

/// What a path that is not a regular file is. The report words it in the user's language
/// (`report::words::read_error`); the English `Display` is for logs and machine formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A FIFO.
    Pipe,
    /// A character or block device.
    Device,
    /// A Unix domain socket.
    Socket,
    /// A folder.
    Folder,
    /// Anything else that is not a regular file.
    Other,
}

impl std::fmt::Display for FileKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Pipe => "a named pipe",
            Self::Device => "a device",
            Self::Socket => "a socket",
            Self::Folder => "a folder",
            Self::Other => "not a file",
        })
    }
}

fn kind_of(ft: std::fs::FileType) -> FileKind {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if ft.is_fifo() {
            return FileKind::Pipe;
        }
        if ft.is_char_device() || ft.is_block_device() {
            return FileKind::Device;
        }
        if ft.is_socket() {
            return FileKind::Socket;
        }
    }
    if ft.is_dir() {
        FileKind::Folder
    } else {
        FileKind::Other
    }
}

/// Reads a regular file of at most `cap` bytes. Follows symbolic links (the user named the
/// file); refuses anything that is not a regular file before opening it, and opens without
/// blocking so that a file swapped for a FIFO in between cannot hang the read either.
///
/// # Errors
/// [`ReadError`] naming the file and the reason.
pub fn read_regular_capped(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let io = |error| ReadError::Io {
        path: path.to_path_buf(),
        error,
    };
    let md = std::fs::metadata(path).map_err(io)?;
    if !md.is_file() {
        return Err(ReadError::NotRegular {
            path: path.to_path_buf(),
            kind: kind_of(md.file_type()),
        });
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = opts.open(path).map_err(io)?;
    let md = file.metadata().map_err(io)?;
    if !md.is_file() {
        return Err(ReadError::NotRegular {
            path: path.to_path_buf(),
            kind: kind_of(md.file_type()),
        });
    }
    if md.len() > cap {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            cap,
        });
    }
    let mut v = Vec::with_capacity(usize::try_from(md.len()).unwrap_or(0));
    file.take(cap + 1).read_to_end(&mut v).map_err(io)?;
    // The file grew while it was read.
    if v.len() as u64 > cap {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            cap,
        });
    }
    Ok(v)
}
