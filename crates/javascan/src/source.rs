//! Byte sources for archives: a file on disk, a byte range inside another source (a STORED
//! nested archive, read in place without copying), or a spool (an inflated nested archive,
//! in memory when small, in an anonymous temporary file when large).
//!
//! Reads are positional (`pread`), so any number of readers can share one source without
//! fighting over a file cursor.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::sync::Arc;

#[derive(Debug)]
enum Backing {
    File(File),
    Mem(Vec<u8>),
}

impl Backing {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        match self {
            Backing::File(f) => read_at(f, buf, offset),
            Backing::Mem(v) => {
                let Ok(off) = usize::try_from(offset) else {
                    return Ok(0);
                };
                let Some(rest) = v.get(off..) else {
                    return Ok(0);
                };
                let n = rest.len().min(buf.len());
                buf[..n].copy_from_slice(&rest[..n]);
                Ok(n)
            }
        }
    }
}

#[cfg(unix)]
fn read_at(f: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(f, buf, offset)
}

#[cfg(windows)]
fn read_at(f: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(f, buf, offset)
}

/// A window onto shared bytes.
#[derive(Debug, Clone)]
pub struct Source {
    backing: Arc<Backing>,
    start: u64,
    len: u64,
}

impl Source {
    /// A whole file.
    ///
    /// # Errors
    /// When the file's length cannot be read.
    pub fn file(f: File) -> io::Result<Self> {
        let len = f.metadata()?.len();
        Ok(Self {
            backing: Arc::new(Backing::File(f)),
            start: 0,
            len,
        })
    }

    /// Bytes in memory.
    #[must_use]
    pub fn memory(v: Vec<u8>) -> Self {
        let len = v.len() as u64;
        Self {
            backing: Arc::new(Backing::Mem(v)),
            start: 0,
            len,
        }
    }

    /// A sub-range `[offset, offset+len)` of this source, clamped to its end.
    #[must_use]
    pub fn slice(&self, offset: u64, len: u64) -> Self {
        let offset = offset.min(self.len);
        let len = len.min(self.len - offset);
        Self {
            backing: Arc::clone(&self.backing),
            start: self.start + offset,
            len,
        }
    }

    /// Length in bytes.
    #[must_use]
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the source is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// A reader positioned at the start.
    #[must_use]
    pub fn reader(&self) -> SourceReader {
        SourceReader {
            src: self.clone(),
            pos: 0,
        }
    }

    /// Reads up to `buf.len()` bytes at `offset` within this source.
    ///
    /// # Errors
    /// On I/O errors of the backing file.
    pub fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        if offset >= self.len {
            return Ok(0);
        }
        let max = usize::try_from(self.len - offset)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        self.backing.read_at(&mut buf[..max], self.start + offset)
    }
}

/// A `Read + Seek` cursor over a [`Source`].
#[derive(Debug)]
pub struct SourceReader {
    src: Source,
    pos: u64,
}

impl Read for SourceReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.src.read_at(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for SourceReader {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let new = match pos {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.src.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        match new {
            Some(p) => {
                self.pos = p;
                Ok(p)
            }
            None => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the source",
            )),
        }
    }
}

/// Collects inflated bytes: in memory up to `mem_limit`, then in an anonymous temporary
/// file (no name on disk on Linux, deleted when dropped everywhere). Refuses to grow past
/// `max_len`.
pub struct Spool {
    mem: Vec<u8>,
    file: Option<std::io::BufWriter<File>>,
    len: u64,
    mem_limit: usize,
    max_len: u64,
}

impl Spool {
    /// A new spool.
    #[must_use]
    pub fn new(mem_limit: usize, max_len: u64) -> Self {
        Self {
            mem: Vec::new(),
            file: None,
            len: 0,
            mem_limit,
            max_len,
        }
    }

    /// Bytes written so far.
    #[must_use]
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether nothing was written.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The spooled bytes as a source.
    ///
    /// # Errors
    /// When the temporary file cannot be flushed.
    pub fn into_source(self) -> io::Result<Source> {
        match self.file {
            None => Ok(Source::memory(self.mem)),
            Some(w) => {
                let f = w
                    .into_inner()
                    .map_err(std::io::IntoInnerError::into_error)?;
                let len = self.len;
                Ok(Source {
                    backing: Arc::new(Backing::File(f)),
                    start: 0,
                    len,
                })
            }
        }
    }
}

/// The spool would grow past its maximum.
#[derive(Debug)]
pub struct SpoolFull;

impl std::fmt::Display for SpoolFull {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("size limit reached")
    }
}
impl std::error::Error for SpoolFull {}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.len + buf.len() as u64 > self.max_len {
            return Err(io::Error::other(SpoolFull));
        }
        if self.file.is_none() && self.mem.len() + buf.len() > self.mem_limit {
            // Large writes: inflating a big nested archive must not cost a syscall per 8 KiB.
            let mut f = std::io::BufWriter::with_capacity(256 * 1024, tempfile::tempfile()?);
            f.write_all(&self.mem)?;
            self.mem = Vec::new();
            self.file = Some(f);
        }
        match &mut self.file {
            Some(f) => f.write_all(buf)?,
            None => self.mem.extend_from_slice(buf),
        }
        self.len += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_read_their_window() {
        let s = Source::memory((0u8..100).collect());
        let sub = s.slice(10, 20);
        let mut r = sub.reader();
        let mut v = Vec::new();
        r.read_to_end(&mut v).unwrap();
        assert_eq!(v, (10u8..30).collect::<Vec<_>>());
        r.seek(SeekFrom::End(-5)).unwrap();
        let mut b = [0u8; 10];
        assert_eq!(r.read(&mut b).unwrap(), 5);
        assert_eq!(&b[..5], &[25, 26, 27, 28, 29]);
        assert!(r.seek(SeekFrom::Current(-100)).is_err());
        assert_eq!(s.slice(90, 50).len(), 10);
    }

    #[test]
    fn spool_moves_to_a_file_and_respects_its_limit() {
        let mut sp = Spool::new(8, 20);
        sp.write_all(b"0123456789").unwrap();
        assert!(sp.file.is_some());
        assert!(sp.write_all(b"0123456789a").is_err());
        let src = sp.into_source().unwrap();
        let mut v = Vec::new();
        src.reader().read_to_end(&mut v).unwrap();
        assert_eq!(v, b"0123456789");
    }
}
