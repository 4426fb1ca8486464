//! A minimal, read-only zip central-directory reader.
//!
//! Written by hand on purpose: the scan lists millions of entries and needs only the few
//! that matter. The `zip` crate materialises every central-directory record (allocating the
//! name, building a hashed index), which took about a quarter of a whole scan's time on a
//! corpus of real jars, and it cannot bound the memory a hostile directory claims. This
//! reader walks the directory bytes once, hands each record to a callback without
//! allocating, and reads an entry's data through a [`Source`] window (in place for STORED
//! data, through `flate2` for DEFLATED data). Formats: PKWARE APPNOTE 6.3 (end records,
//! ZIP64 end records and the ZIP64 extended-information extra field), archives with
//! a prefix (self-executable jars, jmod files).

use std::io::Read;

use praxcheck_model::UnreadableReason;

use crate::source::Source;

/// Signature of the end of central directory record.
pub const EOCD_SIG: &[u8; 4] = b"PK\x05\x06";
/// Signature of the ZIP64 end of central directory locator.
pub const ZIP64_LOCATOR_SIG: &[u8; 4] = b"PK\x06\x07";
/// Signature of the ZIP64 end of central directory record.
pub const ZIP64_EOCD_SIG: &[u8; 4] = b"PK\x06\x06";
/// Signature of a central directory record.
pub const CDH_SIG: &[u8; 4] = b"PK\x01\x02";
/// Signature of a local file header.
pub const LFH_SIG: &[u8; 4] = b"PK\x03\x04";
/// Signature of a data descriptor (optional in front of it).
pub const DD_SIG: &[u8; 4] = b"PK\x07\x08";

/// A problem with the archive, as a reason code and a detail.
pub type ZipProblem = (UnreadableReason, String);

pub(crate) fn le16(b: &[u8], at: usize) -> u16 {
    b.get(at..at + 2)
        .map_or(0, |s| u16::from_le_bytes([s[0], s[1]]))
}
pub(crate) fn le32(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}
pub(crate) fn le64(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8).map_or(0, |s| {
        u64::from_le_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]])
    })
}

fn read_exact_at(src: &Source, buf: &mut [u8], offset: u64) -> Result<(), ZipProblem> {
    let mut got = 0usize;
    while got < buf.len() {
        match src.read_at(&mut buf[got..], offset.saturating_add(got as u64)) {
            Ok(0) => {
                return Err((
                    UnreadableReason::Truncated,
                    format!(
                        "the archive ends at byte {}, inside a zip structure",
                        offset.saturating_add(got as u64)
                    ),
                ));
            }
            Ok(n) => got += n,
            Err(e) => return Err((crate::walk::io_reason(&e), e.to_string())),
        }
    }
    Ok(())
}

/// One central-directory record.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// The name as stored.
    pub name: &'a [u8],
    /// Compression method (0 stored, 8 deflated, …).
    pub method: u16,
    /// General purpose flags (bit 0: encrypted).
    pub flags: u16,
    /// CRC-32 of the data.
    pub crc: u32,
    /// Compressed size.
    pub compressed: u64,
    /// Uncompressed size.
    pub size: u64,
    /// Offset of the local header, from the start of the source (prefix included).
    pub local_offset: u64,
}

impl Entry<'_> {
    /// Whether the entry is a folder.
    #[must_use]
    pub fn is_dir(&self) -> bool {
        self.name.last() == Some(&b'/')
    }
}

/// An owned copy of what is needed to read an entry later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRef {
    /// The name as stored.
    pub name: Vec<u8>,
    /// Compression method.
    pub method: u16,
    /// Flags.
    pub flags: u16,
    /// CRC-32.
    pub crc: u32,
    /// Compressed size.
    pub compressed: u64,
    /// Uncompressed size.
    pub size: u64,
    /// Offset of the local header.
    pub local_offset: u64,
}

impl From<&Entry<'_>> for EntryRef {
    fn from(e: &Entry<'_>) -> Self {
        Self {
            name: e.name.to_vec(),
            method: e.method,
            flags: e.flags,
            crc: e.crc,
            compressed: e.compressed,
            size: e.size,
            local_offset: e.local_offset,
        }
    }
}

/// Where the end records of an archive sit and what they say: the one reading of an
/// archive's end, shared by the scan ([`read_directory`]) and the fix's byte-exact rewrite
/// (`praxcheck-fix`), so that both always see the same archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct End {
    /// Offset of the end of central directory record.
    pub eocd: u64,
    /// The ZIP64 end record and its locator, when the archive has them.
    pub zip64: Option<Zip64End>,
    /// Number of this disk and of the disk holding the central directory (0 in a
    /// single-disk archive), from the ZIP64 records when present.
    pub disks: (u32, u32),
    /// Number of records the end record announces.
    pub entries: u64,
    /// Offset of the central directory in the source.
    pub cd_start: u64,
    /// Its size in bytes.
    pub cd_size: u64,
    /// Bytes before the archive proper (script prefix, jmod header): stated offsets plus
    /// this are positions in the source.
    pub prefix: u64,
}

/// The ZIP64 end of central directory record and its locator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zip64End {
    /// Offset of the ZIP64 end record; it reaches up to the locator.
    pub record: u64,
    /// Offset of the locator (20 bytes, right before the end record).
    pub locator: u64,
}

impl End {
    /// Where the central directory ends: at the ZIP64 end record, else at the end record.
    #[must_use]
    pub fn cd_end(&self) -> u64 {
        self.cd_start + self.cd_size
    }
}

/// Finds the end records. The end record is the last signature in the final 64 KiB + 22
/// bytes whose comment does not run past the end of the file (bytes after the comment
/// are tolerated, as the JVM tolerates them); a ZIP64 locator right before it leads to the
/// ZIP64 end record (see `find_zip64_record`).
///
/// # Errors
/// When there is no end record (not an archive) or the directory claims more bytes than
/// precede it.
pub fn find_end(src: &Source) -> Result<End, ZipProblem> {
    let len = src.len();
    if len < 22 {
        return Err((
            UnreadableReason::NotAnArchive,
            format!("only {len} bytes, too short for a zip archive"),
        ));
    }
    // The end record is within the last 64 KiB + 22 bytes (its comment is at most 65535).
    let tail_len = len.min(65_557);
    let tail_start = len - tail_len;
    let mut tail = vec![0u8; usize::try_from(tail_len).unwrap_or(0)];
    read_exact_at(src, &mut tail, tail_start)?;
    let at = memchr::memmem::rfind_iter(&tail, EOCD_SIG)
        .find(|&p| {
            // A real end record's comment length reaches exactly to the end of the file,
            // or at least does not run past it.
            let comment = usize::from(le16(&tail, p + 20));
            p + 22 + comment <= tail.len()
        })
        .ok_or_else(|| {
            (
                UnreadableReason::NotAnArchive,
                "no end of central directory record: not a zip archive, or truncated".to_owned(),
            )
        })?;
    let eocd = tail_start + at as u64;
    let rec = &tail[at..at + 22];
    let mut end = End {
        eocd,
        zip64: None,
        disks: (u32::from(le16(rec, 4)), u32::from(le16(rec, 6))),
        entries: u64::from(le16(rec, 10)),
        cd_start: 0,
        cd_size: u64::from(le32(rec, 12)),
        prefix: 0,
    };
    let mut cd_offset = u64::from(le32(rec, 16));
    let mut cd_end = eocd;
    // ZIP64: a locator just before the end record points at the ZIP64 end record.
    if eocd >= 20 {
        let mut loc = [0u8; 20];
        read_exact_at(src, &mut loc, eocd - 20)?;
        // Without a ZIP64 end record to go with it, a locator signature is just bytes (the
        // end of the last directory record): the end record's own values stand, as the JVM
        // reads them.
        let locator = eocd - 20;
        let record = (&loc[0..4] == ZIP64_LOCATOR_SIG)
            .then(|| find_zip64_record(src, le64(&loc, 8), locator))
            .flatten();
        if let Some(record) = record {
            let mut z = [0u8; 56];
            read_exact_at(src, &mut z, record)?;
            end.disks = (le32(&z, 16), le32(&z, 20));
            end.entries = le64(&z, 32);
            end.cd_size = le64(&z, 40);
            cd_offset = le64(&z, 48);
            if le32(&loc, 4) != 0 || le32(&loc, 16) > 1 {
                // The locator's own disk fields: another disk holds the ZIP64 record.
                end.disks.1 = end.disks.1.max(1);
            }
            end.zip64 = Some(Zip64End { record, locator });
            cd_end = record;
        }
    }
    // A size beyond the file is a broken archive, whatever the limit.
    end.cd_start = cd_end.checked_sub(end.cd_size).ok_or_else(|| {
        (
            UnreadableReason::Corrupt,
            format!(
                "the central directory claims {} bytes, more than the archive holds before it",
                end.cd_size
            ),
        )
    })?;
    // Whatever precedes the archive proper (a launcher script) shifts every offset.
    end.prefix = end.cd_start.checked_sub(cd_offset).ok_or_else(|| {
        (
            UnreadableReason::Corrupt,
            "central directory offset points past its position".to_owned(),
        )
    })?;
    Ok(end)
}

/// The ZIP64 end record before the locator at `locator`: one whose length field ends it
/// exactly at the locator, at its stated offset or else (with a prefix the stated offset
/// is relative to the archive's start) the nearest one back from the locator, at most
/// 64 KiB of extensible data away; failing that, a record signature at the stated offset
/// or right before the locator, whatever its length field says (as the JVM reads it).
/// `None` when there is none.
fn find_zip64_record(src: &Source, stated: u64, locator: u64) -> Option<u64> {
    // (has the signature, ends exactly at the locator); `pos` may come from the file:
    // checked, so a hostile value cannot overflow.
    let probe = |pos: u64| -> (bool, bool) {
        if pos.checked_add(56).is_none_or(|e| e > locator) {
            return (false, false);
        }
        let mut h = [0u8; 12];
        if read_exact_at(src, &mut h, pos).is_err() || &h[0..4] != ZIP64_EOCD_SIG {
            return (false, false);
        }
        let exact = le64(&h, 4).checked_add(12).and_then(|l| pos.checked_add(l)) == Some(locator);
        (true, exact)
    };
    if probe(stated).1 {
        return Some(stated);
    }
    let lowest = locator.saturating_sub(56 + 65_536);
    let mut window = vec![0u8; usize::try_from(locator - lowest).unwrap_or(0)];
    read_exact_at(src, &mut window, lowest).ok()?;
    let exact = memchr::memmem::rfind_iter(&window, ZIP64_EOCD_SIG)
        .map(|i| lowest + i as u64)
        .find(|&pos| probe(pos).1);
    exact.or_else(|| {
        [stated, locator.saturating_sub(56)]
            .into_iter()
            .find(|&pos| probe(pos).0)
    })
}

/// The located central directory of an archive.
#[derive(Debug, Clone)]
pub struct Directory {
    /// The directory bytes.
    bytes: Vec<u8>,
    /// Number of records the end record announces.
    pub entries: u64,
    /// Bytes before the archive proper (script prefix, jmod header).
    pub prefix: u64,
    /// The end records it was found by.
    pub end: End,
}

/// Finds and reads the central directory. `max_size` bounds the memory it may take.
///
/// # Errors
/// When there is no end record (not an archive), it is cut off, or the directory is
/// larger than `max_size`.
pub fn read_directory(src: &Source, max_size: u64) -> Result<Directory, ZipProblem> {
    let end = find_end(src)?;
    // Checked after the size against the file (in `find_end`), so that a broken archive
    // is not reported as a limit (a limit says a real archive was not read).
    if end.cd_size > max_size {
        return Err((
            UnreadableReason::SizeLimit,
            format!(
                "central directory of {} bytes exceeds the limit of {max_size} bytes; \
                 the archive's entries were not read",
                end.cd_size
            ),
        ));
    }
    let mut bytes = vec![0u8; usize::try_from(end.cd_size).unwrap_or(0)];
    read_exact_at(src, &mut bytes, end.cd_start)?;
    Ok(Directory {
        bytes,
        entries: end.entries,
        prefix: end.prefix,
        end,
    })
}

impl Directory {
    /// The directory's bytes, as stored.
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Calls `f` for every record, in directory order. Stops at the first malformed
    /// record and reports it; records before it have been delivered.
    ///
    /// # Errors
    /// When a record is malformed or cut off.
    pub fn for_each(&self, mut f: impl FnMut(&Entry<'_>)) -> Result<usize, ZipProblem> {
        let b = &self.bytes;
        let mut pos = 0usize;
        let mut index = 0usize;
        while pos + 46 <= b.len() {
            if &b[pos..pos + 4] != CDH_SIG {
                if index == 0 {
                    return Err((
                        UnreadableReason::Corrupt,
                        "central directory has no records".to_owned(),
                    ));
                }
                // Trailing bytes (digital signature record, padding): the listing is done.
                break;
            }
            let (entry, end) = record(b, pos, index, self.prefix)?;
            f(&entry);
            index += 1;
            pos = end;
        }
        Ok(index)
    }
}

/// The length of the central-directory record whose fixed 46 bytes start at `b[pos]`: the
/// fixed part plus its name, extra field and comment.
#[must_use]
pub fn record_len(b: &[u8], pos: usize) -> usize {
    46 + usize::from(le16(b, pos + 28))
        + usize::from(le16(b, pos + 30))
        + usize::from(le16(b, pos + 32))
}

/// Parses the central-directory record at `b[pos]` (signature already checked), resolving
/// ZIP64 fields; returns the entry and where the next record starts.
///
/// # Errors
/// When the record runs past the end of `b`.
pub fn record(
    b: &[u8],
    pos: usize,
    index: usize,
    prefix: u64,
) -> Result<(Entry<'_>, usize), ZipProblem> {
    let flags = le16(b, pos + 8);
    let method = le16(b, pos + 10);
    let crc = le32(b, pos + 16);
    let mut compressed = u64::from(le32(b, pos + 20));
    let mut size = u64::from(le32(b, pos + 24));
    let name_len = usize::from(le16(b, pos + 28));
    let extra_len = usize::from(le16(b, pos + 30));
    let comment_len = usize::from(le16(b, pos + 32));
    let mut local = u64::from(le32(b, pos + 42));
    let name_start = pos + 46;
    let extra_start = name_start + name_len;
    let end = extra_start + extra_len + comment_len;
    if end > b.len() {
        return Err((
            UnreadableReason::Corrupt,
            format!("central directory record {index} runs past the directory"),
        ));
    }
    // ZIP64 extended information: the fields set to 0xFFFFFFFF follow in order.
    let mut x = extra_start;
    while x + 4 <= extra_start + extra_len {
        let id = le16(b, x);
        let n = usize::from(le16(b, x + 2));
        if id == 1 {
            let mut p = x + 4;
            let lim = (x + 4 + n).min(extra_start + extra_len);
            for field in [&mut size, &mut compressed, &mut local] {
                if *field == u64::from(u32::MAX) && p + 8 <= lim {
                    *field = le64(b, p);
                    p += 8;
                }
            }
        }
        x += 4 + n;
    }
    let entry = Entry {
        name: &b[name_start..extra_start],
        method,
        flags,
        crc,
        compressed,
        size,
        local_offset: local.saturating_add(prefix),
    };
    Ok((entry, end))
}

/// Where an entry's data starts (after its local header).
///
/// # Errors
/// When the local header is missing or cut off.
pub fn data_start(src: &Source, e: &EntryRef) -> Result<u64, ZipProblem> {
    let mut h = [0u8; 30];
    read_exact_at(src, &mut h, e.local_offset)?;
    if &h[0..4] != LFH_SIG {
        return Err((
            UnreadableReason::Corrupt,
            format!("no local header at byte {}", e.local_offset),
        ));
    }
    // Every value here comes from the file (ZIP64 fields reach `u64::MAX`): checked sums.
    let start = e
        .local_offset
        .checked_add(30 + u64::from(le16(&h, 26)) + u64::from(le16(&h, 28)));
    let Some(start) = start.filter(|s| {
        s.checked_add(e.compressed)
            .is_some_and(|end| end <= src.len())
    }) else {
        return Err((
            UnreadableReason::Truncated,
            format!(
                "the entry's data runs past the end of the archive ({} bytes)",
                src.len()
            ),
        ));
    };
    Ok(start)
}

/// A reader of an entry's uncompressed data.
///
/// # Errors
/// When the entry is encrypted, uses a method other than STORED or DEFLATED, or its local
/// header is broken.
pub fn open(src: &Source, e: &EntryRef) -> Result<Box<dyn Read>, ZipProblem> {
    if e.flags & 1 != 0 {
        return Err((
            UnreadableReason::Encrypted,
            "the entry is encrypted".to_owned(),
        ));
    }
    let start = data_start(src, e)?;
    decoder(src.slice(start, e.compressed).reader(), e)
}

/// A reader of an entry's uncompressed data over its raw (compressed) bytes.
///
/// # Errors
/// When the entry is encrypted or uses a method other than STORED or DEFLATED.
pub fn decoder<'a, R: Read + 'a>(raw: R, e: &EntryRef) -> Result<Box<dyn Read + 'a>, ZipProblem> {
    if e.flags & 1 != 0 {
        return Err((
            UnreadableReason::Encrypted,
            "the entry is encrypted".to_owned(),
        ));
    }
    match e.method {
        0 => Ok(Box::new(raw)),
        // The input buffer is sized to the compressed bytes (at most 64 KiB): most entries
        // read (manifests, pom files, single classes) are a few hundred bytes, and zeroing
        // 64 KiB for each of them cost more than inflating them.
        8 => Ok(Box::new(flate2::read::DeflateDecoder::new_with_buf(
            raw,
            vec![0u8; usize::try_from(e.compressed.clamp(512, 64 * 1024)).unwrap_or(64 * 1024)],
        ))),
        m => Err((
            UnreadableReason::UnsupportedCompression,
            format!("compression method {m} is not supported"),
        )),
    }
}

/// Reads a whole small entry, at most `limit` bytes, checking its CRC-32.
///
/// # Errors
/// As [`open`]; also when the data is corrupt or larger than `limit`.
pub fn read_small(src: &Source, e: &EntryRef, limit: u64) -> Result<Vec<u8>, ZipProblem> {
    check_declared(e, limit)?;
    read_small_from(open(src, e)?, e, limit)
}

/// Refuses an entry whose declared size is above `limit`, before anything is read.
///
/// # Errors
/// When `e.size > limit`.
pub fn check_declared(e: &EntryRef, limit: u64) -> Result<(), ZipProblem> {
    if e.size > limit {
        return Err((
            UnreadableReason::SizeLimit,
            format!(
                "entry of {} bytes exceeds the limit of {limit} bytes",
                e.size
            ),
        ));
    }
    Ok(())
}

/// Reads at most `limit` uncompressed bytes from `r` and checks them against the entry's
/// CRC-32 and size.
///
/// # Errors
/// When the data is corrupt, cut off or larger than `limit`.
pub fn read_small_from(r: impl Read, e: &EntryRef, limit: u64) -> Result<Vec<u8>, ZipProblem> {
    let mut v = Vec::with_capacity(usize::try_from(e.size.min(limit)).unwrap_or(0));
    r.take(limit + 1)
        .read_to_end(&mut v)
        .map_err(|err| io_problem(&err))?;
    if v.len() as u64 > limit {
        return Err((
            UnreadableReason::SizeLimit,
            format!("entry inflates beyond the limit of {limit} bytes"),
        ));
    }
    let mut crc = flate2::Crc::new();
    crc.update(&v);
    if crc.sum() != e.crc || v.len() as u64 != e.size {
        return Err((
            UnreadableReason::Corrupt,
            "the entry's data does not match its checksum or size".to_owned(),
        ));
    }
    Ok(v)
}

/// The reason for an I/O error while reading entry data.
#[must_use]
pub fn io_problem(e: &std::io::Error) -> ZipProblem {
    let msg = e.to_string();
    match e.kind() {
        std::io::ErrorKind::UnexpectedEof => (UnreadableReason::Truncated, msg),
        std::io::ErrorKind::InvalidData | std::io::ErrorKind::InvalidInput => (
            UnreadableReason::Corrupt,
            format!("corrupt compressed data: {msg}"),
        ),
        _ => (crate::walk::io_reason(e), msg),
    }
}
