//! Byte-level rewriting of zip archives: drop named entries, replace nested archives, copy
//! everything else byte for byte.
//!
//! **Why this is written by hand.** The `zip` crate can copy an entry's compressed data
//! without recompressing it (`raw_copy_file`), but it writes a *new* local header and
//! central directory record from its parsed view of the entry: extra fields, flags, version
//! fields and data-descriptor layout may come out different, and bytes before the first
//! entry (the script of a self-executable jar) are not kept. A fix must change nothing but
//! the named entries, so the copy is done here at the byte level: each kept entry's local
//! header, data and data descriptor are copied as one byte range, and its central directory
//! record is copied with only the local-header offset changed. The archive's end records
//! and central directory are read by the scan's own reader (`praxcheck_javascan::zipdir`,
//! the one zip directory reader of the project), so the fix changes exactly the archive the
//! scan judged; this module adds only what a rewrite needs on top (where each value sits,
//! each entry's byte range). The `zip` crate is still used to cross-check the structure
//! ([`cross_check`]) and to re-read every entry of the result (`verify.rs`).
//!
//! Only single-disk archives whose entries do not overlap and whose local headers agree
//! with the central directory are rewritten; anything else is refused with a reason and the
//! file is left alone.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Read as _, Write};

use praxcheck_javascan::Limits;
use praxcheck_javascan::source::{Source, Spool};
use praxcheck_javascan::zipdir::{self, Zip64End};

const LOCAL_SIG: u32 = 0x0403_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const DESCRIPTOR_SIG: u32 = 0x0807_4b50;
const ZIP64_EXTRA: u16 = 0x0001;
const U32_MAX: u64 = 0xFFFF_FFFF;

/// Compression methods a replaced nested archive can be written with.
const STORED: u16 = 0;
const DEFLATED: u16 = 8;

/// Why an archive cannot be rewritten.
#[derive(Debug, thiserror::Error)]
pub enum RawError {
    /// Reading or writing failed.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The archive's structure is not one this module rewrites safely.
    #[error("{0}")]
    Structure(String),
    /// An entry the plan names is not in the archive (it changed since the scan).
    #[error("entry {0} is not in the archive (did the file change since the scan?)")]
    NotFound(String),
}

fn bad(msg: impl Into<String>) -> RawError {
    RawError::Structure(msg.into())
}

fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}
fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
fn le64(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}
fn put16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}
fn put32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}
fn put64(b: &mut [u8], at: usize, v: u64) {
    b[at..at + 8].copy_from_slice(&v.to_le_bytes());
}

fn to_usize(v: u64) -> Result<usize, RawError> {
    usize::try_from(v).map_err(|_| bad("a record is too large for this platform"))
}

/// Reads exactly `len` bytes at `offset`.
pub(crate) fn read_at(src: &Source, offset: u64, len: u64) -> Result<Vec<u8>, RawError> {
    let mut buf = vec![0u8; to_usize(len)?];
    let mut got = 0usize;
    while got < buf.len() {
        let n = src.read_at(&mut buf[got..], offset + got as u64)?;
        if n == 0 {
            return Err(bad(format!(
                "the archive ends early (wanted {len} bytes at offset {offset})"
            )));
        }
        got += n;
    }
    Ok(buf)
}

/// Where the ZIP64 values of a record sit (byte offsets from the record start).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Zip64At {
    pub(crate) usize_at: Option<usize>,
    pub(crate) csize_at: Option<usize>,
    pub(crate) offset_at: Option<usize>,
}

/// Finds the ZIP64 extra field in `extra` (which starts at `base` within its record) and
/// the positions of the values whose fixed fields hold the sentinel.
fn zip64_positions(
    extra: &[u8],
    base: usize,
    want_usize: bool,
    want_csize: bool,
    want_offset: bool,
    want_disk: bool,
) -> Result<(Zip64At, Option<u32>), RawError> {
    let mut at = Zip64At::default();
    if !(want_usize || want_csize || want_offset || want_disk) {
        return Ok((at, None));
    }
    let mut p = 0usize;
    while p + 4 <= extra.len() {
        let id = le16(extra, p);
        let size = usize::from(le16(extra, p + 2));
        let data = p + 4;
        if data + size > extra.len() {
            break;
        }
        if id == ZIP64_EXTRA {
            let mut q = data;
            let mut take8 = |want: bool| -> Result<Option<usize>, RawError> {
                if !want {
                    return Ok(None);
                }
                if q + 8 > data + size {
                    return Err(bad("ZIP64 extra field is too short"));
                }
                let r = base + q;
                q += 8;
                Ok(Some(r))
            };
            at.usize_at = take8(want_usize)?;
            at.csize_at = take8(want_csize)?;
            at.offset_at = take8(want_offset)?;
            let disk = if want_disk {
                if q + 4 > data + size {
                    return Err(bad("ZIP64 extra field is too short"));
                }
                Some(le32(extra, q))
            } else {
                None
            };
            return Ok((at, disk));
        }
        p = data + size;
    }
    Err(bad(
        "a ZIP64 value is announced but the ZIP64 extra field is missing",
    ))
}

/// One entry, as found in the central directory and its local header.
#[derive(Debug, Clone)]
pub(crate) struct RawEntry {
    /// Raw name bytes.
    pub name: Vec<u8>,
    pub(crate) cd_pos: u64,
    pub(crate) cd_len: u64,
    pub(crate) cd_zip64: Zip64At,
    /// General purpose flags (central directory).
    pub flags: u16,
    /// Compression method.
    pub method: u16,
    /// CRC-32 of the uncompressed data.
    pub crc: u32,
    /// Compressed size.
    pub csize: u64,
    /// Uncompressed size.
    pub usize_: u64,
    /// Absolute position of the local header.
    pub local: u64,
    /// Absolute position of the data.
    pub data_start: u64,
    pub(crate) local_zip64: Zip64At,
    pub(crate) local_has_zip64: bool,
    /// End of this entry's byte range (next local header or the central directory).
    pub(crate) region_end: u64,
}

/// The byte layout of one archive.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub(crate) len: u64,
    /// Stated offsets + `delta` = positions (the length of a prepended script, usually).
    pub delta: u64,
    /// Entries in central directory order.
    pub entries: Vec<RawEntry>,
    pub(crate) local_order: Vec<usize>,
    /// Where the first entry starts (everything before it is kept as a prefix).
    pub first_local: u64,
    pub(crate) cd_start: u64,
    pub(crate) cd_end: u64,
    pub(crate) zip64: Option<Zip64End>,
    pub(crate) eocd: u64,
}

impl Layout {
    /// Indexes of the entries with this name (exact bytes, else the same lossy UTF-8 text:
    /// the scan records class paths as text).
    pub fn find(&self, name: &[u8]) -> Vec<usize> {
        let exact: Vec<usize> = (0..self.entries.len())
            .filter(|&i| self.entries[i].name == name)
            .collect();
        if !exact.is_empty() {
            return exact;
        }
        let want = String::from_utf8_lossy(name);
        (0..self.entries.len())
            .filter(|&i| String::from_utf8_lossy(&self.entries[i].name) == want)
            .collect()
    }
}

/// Parses the structure of an archive: the end records and the central directory through
/// the scan's own reader ([`zipdir`], so that the fix rewrites exactly the archive the scan
/// saw), then what a byte-exact rewrite needs on top of it — where each ZIP64 value sits,
/// each entry's local header and byte range — refusing anything ambiguous.
pub(crate) fn parse(src: &Source, limits: &Limits) -> Result<Layout, RawError> {
    let len = src.len();
    let dir = zipdir::read_directory(src, limits.max_central_directory)
        .map_err(|(_, detail)| bad(detail))?;
    let end = dir.end;
    if end.disks != (0, 0) {
        return Err(bad("multi-disk archives are not supported"));
    }
    let (delta, cd_start) = (end.prefix, end.cd_start);
    let cd = dir.bytes();
    let mut entries = Vec::new();
    let mut p = 0usize;
    for index in 0..end.entries {
        if p + 46 > cd.len() || le32(cd, p) != CENTRAL_SIG {
            return Err(bad(
                "central directory record is missing or damaged (entry count does not match)",
            ));
        }
        let index = usize::try_from(index).unwrap_or(usize::MAX);
        let (entry, next) = zipdir::record(cd, p, index, delta).map_err(|(_, d)| bad(d))?;
        let rec = &cd[p..next];
        let n = entry.name.len();
        let e = usize::from(le16(rec, 30));
        let (cs, us, off) = (le32(rec, 20), le32(rec, 24), le32(rec, 42));
        let edisk = le16(rec, 34);
        let (z, zdisk) = zip64_positions(
            &rec[46 + n..46 + n + e],
            46 + n,
            u64::from(us) == U32_MAX,
            u64::from(cs) == U32_MAX,
            u64::from(off) == U32_MAX,
            edisk == 0xFFFF,
        )?;
        // The values the reader resolved must be the ones at the positions the rewrite
        // changes: anything else (a second ZIP64 field, a short one) is ambiguous.
        let stated = z.offset_at.map_or(u64::from(off), |a| le64(rec, a));
        let local = stated
            .checked_add(delta)
            .ok_or_else(|| bad("local header offset overflows"))?;
        if z.usize_at.map_or(u64::from(us), |a| le64(rec, a)) != entry.size
            || z.csize_at.map_or(u64::from(cs), |a| le64(rec, a)) != entry.compressed
            || local != entry.local_offset
        {
            return Err(bad(format!(
                "the ZIP64 fields of {} are ambiguous",
                String::from_utf8_lossy(entry.name)
            )));
        }
        if zdisk.unwrap_or(u32::from(edisk)) != 0 {
            return Err(bad("multi-disk archives are not supported"));
        }
        entries.push(RawEntry {
            name: entry.name.to_vec(),
            cd_pos: cd_start + p as u64,
            cd_len: (next - p) as u64,
            cd_zip64: z,
            flags: entry.flags,
            method: entry.method,
            crc: entry.crc,
            csize: entry.compressed,
            usize_: entry.size,
            local,
            data_start: 0,
            local_zip64: Zip64At::default(),
            local_has_zip64: false,
            region_end: 0,
        });
        p = next;
    }
    if p != cd.len() {
        return Err(bad(
            "central directory size does not match its records (entry count is wrong)",
        ));
    }
    for e in &mut entries {
        if e.local.saturating_add(30) > cd_start {
            return Err(bad("a local header lies inside the central directory"));
        }
        let head = read_at(src, e.local, 30)?;
        if le32(&head, 0) != LOCAL_SIG {
            return Err(bad(format!(
                "no local header where the central directory says ({})",
                String::from_utf8_lossy(&e.name)
            )));
        }
        let n = u64::from(le16(&head, 26));
        let x = u64::from(le16(&head, 28));
        let rest = read_at(src, e.local + 30, n + x)?;
        let n_us = to_usize(n)?;
        if rest[..n_us] != e.name[..] {
            return Err(bad(format!(
                "local header name differs from the central directory ({})",
                String::from_utf8_lossy(&e.name)
            )));
        }
        let lcs = u64::from(le32(&head, 18));
        let lus = u64::from(le32(&head, 22));
        let lextra = &rest[n_us..];
        e.local_has_zip64 = has_field(lextra, ZIP64_EXTRA);
        if lcs == U32_MAX || lus == U32_MAX {
            e.local_zip64 = zip64_positions(
                lextra,
                30 + n_us,
                lus == U32_MAX,
                lcs == U32_MAX,
                false,
                false,
            )?
            .0;
        }
        e.data_start = e.local + 30 + n + x;
        let data_end = e
            .data_start
            .checked_add(e.csize)
            .ok_or_else(|| bad("entry size overflows"))?;
        if data_end > cd_start {
            return Err(bad(format!(
                "entry data runs into the central directory ({})",
                String::from_utf8_lossy(&e.name)
            )));
        }
    }
    let mut local_order: Vec<usize> = (0..entries.len()).collect();
    local_order.sort_by_key(|&i| entries[i].local);
    for w in local_order.windows(2) {
        let (a, b) = (&entries[w[0]], &entries[w[1]]);
        if a.data_start + a.csize > b.local {
            return Err(bad(format!(
                "entries overlap ({} and {}); such archives are not rewritten",
                String::from_utf8_lossy(&a.name),
                String::from_utf8_lossy(&b.name)
            )));
        }
    }
    for (k, &i) in local_order.iter().enumerate() {
        entries[i].region_end = local_order
            .get(k + 1)
            .map_or(cd_start, |&j| entries[j].local);
    }
    let first_local = local_order.first().map_or(cd_start, |&i| entries[i].local);
    Ok(Layout {
        len,
        delta,
        entries,
        local_order,
        first_local,
        cd_start,
        cd_end: end.cd_end(),
        zip64: end.zip64,
        eocd: end.eocd,
    })
}

fn has_field(extra: &[u8], want: u16) -> bool {
    let mut p = 0usize;
    while p + 4 <= extra.len() {
        let id = le16(extra, p);
        let size = usize::from(le16(extra, p + 2));
        if id == want {
            return true;
        }
        p += 4 + size;
    }
    false
}

/// Checks that another reader, the `zip` crate, sees the same archive (same entry count,
/// prefix length and central directory position). Disagreement means the archive is
/// ambiguous: it is refused rather than rewritten.
pub(crate) fn cross_check(src: &Source, lay: &Layout) -> Result<(), RawError> {
    let reader = io::BufReader::with_capacity(64 * 1024, src.reader());
    let ar = zip::ZipArchive::new(reader)
        .map_err(|e| bad(format!("the zip reader refuses the archive: {e}")))?;
    let same_count = ar.has_duplicate_names() || ar.len() == lay.entries.len();
    if !same_count || ar.offset() != lay.delta || ar.central_directory_start() != lay.cd_start {
        return Err(bad(
            "the archive's structure is ambiguous (two readers disagree about it)",
        ));
    }
    Ok(())
}

/// A writer that knows how many bytes went through it.
pub(crate) struct Counting<W: Write> {
    inner: W,
    pos: u64,
}

impl<W: Write> Counting<W> {
    pub fn new(inner: W) -> Self {
        Self { inner, pos: 0 }
    }
    pub fn pos(&self) -> u64 {
        self.pos
    }
    pub fn into_inner(self) -> W {
        self.inner
    }
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Copies `len` bytes at `offset` of `src` to `out`.
fn copy_range<W: Write>(
    src: &Source,
    offset: u64,
    len: u64,
    out: &mut Counting<W>,
) -> Result<(), RawError> {
    if len == 0 {
        return Ok(());
    }
    let mut r = src.slice(offset, len).reader();
    let n = io::copy(&mut r, out)?;
    if n != len {
        return Err(bad("the archive ends early"));
    }
    Ok(())
}

/// New content for an entry: compressed bytes in the entry's own method.
pub(crate) struct Replacement {
    data: Source,
    crc: u32,
    usize_: u64,
}

/// What happens to each entry (central directory order).
pub(crate) enum Action {
    Keep,
    Remove,
    Replace(Replacement),
}

fn stated(pos: u64, delta: u64) -> Result<u64, RawError> {
    pos.checked_sub(delta)
        .ok_or_else(|| bad("new offset would precede the archive start"))
}

fn set_sized(
    rec: &mut [u8],
    fixed_at: usize,
    zip64_at: Option<usize>,
    v: u64,
) -> Result<(), RawError> {
    match zip64_at {
        Some(a) => put64(rec, a, v),
        None => {
            let v32 = u32::try_from(v)
                .ok()
                .filter(|&x| u64::from(x) != U32_MAX)
                .ok_or_else(|| bad("the new archive would need ZIP64 fields it does not have"))?;
            put32(rec, fixed_at, v32);
        }
    }
    Ok(())
}

/// Writes the archive with the given actions applied. Everything not named by an action is
/// copied byte for byte, including a prefix before the first entry and the archive comment.
pub(crate) fn write<W: Write>(
    src: &Source,
    lay: &Layout,
    actions: &[Action],
    out: &mut Counting<W>,
) -> Result<(), RawError> {
    let delta = lay.delta;
    let base = out.pos();
    // Positions in `out` are relative to where this archive starts in it.
    let here = |out: &Counting<W>| out.pos() - base;
    copy_range(src, 0, lay.first_local, out)?;
    let mut new_local: Vec<Option<u64>> = vec![None; lay.entries.len()];
    for &i in &lay.local_order {
        let e = &lay.entries[i];
        match &actions[i] {
            Action::Remove => {}
            Action::Keep => {
                new_local[i] = Some(here(out));
                copy_range(src, e.local, e.region_end - e.local, out)?;
            }
            Action::Replace(r) => {
                new_local[i] = Some(here(out));
                write_replaced(src, e, r, out)?;
            }
        }
    }
    let new_cd_start = here(out);
    let mut kept: u64 = 0;
    for (i, e) in lay.entries.iter().enumerate() {
        let Some(pos) = new_local[i] else {
            continue;
        };
        kept += 1;
        let mut rec = read_at(src, e.cd_pos, e.cd_len)?;
        set_sized(&mut rec, 42, e.cd_zip64.offset_at, stated(pos, delta)?)?;
        if let Action::Replace(r) = &actions[i] {
            put32(&mut rec, 16, r.crc);
            set_sized(&mut rec, 20, e.cd_zip64.csize_at, r.data.len())?;
            set_sized(&mut rec, 24, e.cd_zip64.usize_at, r.usize_)?;
        }
        out.write_all(&rec)?;
    }
    let new_cd_size = here(out) - new_cd_start;
    let next = lay.zip64.map_or(lay.eocd, |z| z.record);
    copy_range(src, lay.cd_end, next - lay.cd_end, out)?;
    if let Some(Zip64End { record, locator }) = lay.zip64 {
        let new_p = here(out);
        // The record reaches up to the locator (the reader found it so); its extensible
        // data is copied as it is.
        let mut rec = read_at(src, record, locator - record)?;
        put64(&mut rec, 24, kept);
        put64(&mut rec, 32, kept);
        put64(&mut rec, 40, new_cd_size);
        put64(&mut rec, 48, stated(new_cd_start, delta)?);
        out.write_all(&rec)?;
        let mut lrec = read_at(src, locator, 20)?;
        put64(&mut lrec, 8, stated(new_p, delta)?);
        out.write_all(&lrec)?;
        copy_range(src, locator + 20, lay.eocd - (locator + 20), out)?;
    }
    let mut rec = read_at(src, lay.eocd, lay.len - lay.eocd)?;
    let kept16 = u16::try_from(kept).unwrap_or(0xFFFF);
    for at in [8, 10] {
        if le16(&rec, at) != 0xFFFF {
            put16(&mut rec, at, kept16);
        }
    }
    if u64::from(le32(&rec, 12)) != U32_MAX {
        set_sized(&mut rec, 12, None, new_cd_size)?;
    } else if lay.zip64.is_none() {
        return Err(bad("ZIP64 sentinel without a ZIP64 end record"));
    }
    if u64::from(le32(&rec, 16)) != U32_MAX {
        set_sized(&mut rec, 16, None, stated(new_cd_start, delta)?)?;
    } else if lay.zip64.is_none() {
        return Err(bad("ZIP64 sentinel without a ZIP64 end record"));
    }
    out.write_all(&rec)?;
    Ok(())
}

/// Writes a replaced entry: the original local header with CRC and sizes updated, the new
/// data, a data descriptor of the original shape if there was one, and whatever followed
/// the old record inside its byte range.
fn write_replaced<W: Write>(
    src: &Source,
    e: &RawEntry,
    r: &Replacement,
    out: &mut Counting<W>,
) -> Result<(), RawError> {
    let mut hdr = read_at(src, e.local, e.data_start - e.local)?;
    let lflags = le16(&hdr, 6);
    let descriptor = lflags & 0x08 != 0;
    let csize = r.data.len();
    // Without a data descriptor the header carries the values; with one, the header keeps
    // what it had unless a writer put real values there too.
    if !descriptor || le32(&hdr, 14) != 0 {
        put32(&mut hdr, 14, r.crc);
    }
    if !descriptor || le32(&hdr, 18) != 0 {
        set_sized(&mut hdr, 18, e.local_zip64.csize_at, csize)?;
    }
    if !descriptor || le32(&hdr, 22) != 0 {
        set_sized(&mut hdr, 22, e.local_zip64.usize_at, r.usize_)?;
    }
    out.write_all(&hdr)?;
    let mut data = r.data.reader();
    io::copy(&mut data, out)?;
    let mut after = e.data_start + e.csize;
    if descriptor {
        let wide = e.local_has_zip64;
        let dlen: u64 = if wide { 20 } else { 12 };
        let probe = read_at(src, after, (dlen + 4).min(e.region_end - after))?;
        let with_sig =
            probe.len() >= 8 && le32(&probe, 0) == DESCRIPTOR_SIG && le32(&probe, 4) == e.crc;
        let without_sig = probe.len() >= 4 && le32(&probe, 0) == e.crc;
        let mut d = Vec::with_capacity(24);
        if with_sig {
            d.extend_from_slice(&DESCRIPTOR_SIG.to_le_bytes());
            after += 4;
        } else if !without_sig {
            return Err(bad(format!(
                "data descriptor of {} does not match its entry",
                String::from_utf8_lossy(&e.name)
            )));
        }
        d.extend_from_slice(&r.crc.to_le_bytes());
        if wide {
            d.extend_from_slice(&csize.to_le_bytes());
            d.extend_from_slice(&r.usize_.to_le_bytes());
        } else {
            let c32 =
                u32::try_from(csize).map_err(|_| bad("entry too large for its data descriptor"))?;
            let u32_ = u32::try_from(r.usize_)
                .map_err(|_| bad("entry too large for its data descriptor"))?;
            d.extend_from_slice(&c32.to_le_bytes());
            d.extend_from_slice(&u32_.to_le_bytes());
        }
        out.write_all(&d)?;
        after += dlen;
    }
    if after > e.region_end {
        return Err(bad("data descriptor runs past its entry"));
    }
    copy_range(src, after, e.region_end - after, out)
}

/// What to change inside one archive: entries to remove and nested archives to rewrite.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Node {
    /// Entry names to remove at this level.
    pub remove: BTreeSet<Vec<u8>>,
    /// Nested archives (entry name) with changes inside them.
    pub children: BTreeMap<Vec<u8>, Node>,
}

impl Node {
    /// Adds a removal at the given nested chain (entry names below this archive).
    pub fn add(&mut self, chain: &[Vec<u8>], entry: Vec<u8>) {
        match chain.split_first() {
            None => {
                self.remove.insert(entry);
            }
            Some((first, rest)) => self
                .children
                .entry(first.clone())
                .or_default()
                .add(rest, entry),
        }
    }
}

/// A signed archive level (it holds `META-INF/*.SF`).
#[derive(Debug, Clone)]
pub struct SignedLevel {
    /// Nested entry names leading to it (empty for the outer file).
    pub chain: Vec<Vec<u8>>,
    /// Its signature files.
    pub signature_files: Vec<String>,
    /// The rewritten archive (for checking it with `jarsigner`), when this is a nested level.
    pub(crate) content: Option<Source>,
}

/// What a rewrite did.
#[derive(Debug, Default)]
pub struct RewriteReport {
    /// Removed entries: nested chain and entry name.
    pub removed: Vec<(Vec<Vec<u8>>, Vec<u8>)>,
    /// Signed levels that were changed.
    pub signed: Vec<SignedLevel>,
    /// Archive levels rewritten.
    pub levels: usize,
}

/// Bounds for one rewrite.
pub(crate) struct Budget<'a> {
    pub limits: &'a Limits,
    pub inflate_left: u64,
}

fn signature_files(lay: &Layout) -> Vec<String> {
    lay.entries
        .iter()
        .filter_map(|e| {
            let n = String::from_utf8_lossy(&e.name);
            let rest = n.strip_prefix("META-INF/")?;
            (!rest.contains('/') && rest.to_ascii_uppercase().ends_with(".SF"))
                .then(|| n.into_owned())
        })
        .collect()
}

/// The uncompressed bytes of a nested archive entry, CRC-checked.
pub(crate) fn open_child(
    src: &Source,
    e: &RawEntry,
    budget: &mut Budget<'_>,
) -> Result<Source, RawError> {
    let what = String::from_utf8_lossy(&e.name).into_owned();
    if e.flags & 0x01 != 0 {
        return Err(bad(format!("nested archive {what} is encrypted")));
    }
    if e.usize_ > budget.limits.max_nested_size {
        return Err(bad(format!(
            "nested archive {what} of {} bytes exceeds the limit of {} bytes",
            e.usize_, budget.limits.max_nested_size
        )));
    }
    let raw = src.slice(e.data_start, e.csize);
    let (child, crc) = match e.method {
        STORED => {
            let mut h = crc32fast::Hasher::new();
            let mut r = raw.reader();
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = r.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                h.update(&buf[..n]);
            }
            (raw, h.finalize())
        }
        DEFLATED => {
            let max = budget.limits.max_nested_size.min(budget.inflate_left);
            let mut spool = Spool::new(budget.limits.spool_memory, max);
            let mut dec = flate2::read::DeflateDecoder::new(raw.reader());
            let mut h = crc32fast::Hasher::new();
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = dec.read(&mut buf).map_err(|err| {
                    bad(format!("nested archive {what} cannot be inflated: {err}"))
                })?;
                if n == 0 {
                    break;
                }
                h.update(&buf[..n]);
                spool.write_all(&buf[..n]).map_err(|_| {
                    bad(format!(
                        "nested archive {what} inflates beyond the size limit"
                    ))
                })?;
            }
            budget.inflate_left = budget.inflate_left.saturating_sub(spool.len());
            (spool.into_source()?, h.finalize())
        }
        m => {
            return Err(bad(format!(
                "nested archive {what} uses compression method {m}, which cannot be rewritten"
            )));
        }
    };
    if crc != e.crc || child.len() != e.usize_ {
        return Err(bad(format!(
            "nested archive {what} is damaged (CRC or size mismatch)"
        )));
    }
    Ok(child)
}

/// Compresses new nested content with the entry's own method.
fn replacement(content: Source, method: u16, limits: &Limits) -> Result<Replacement, RawError> {
    let mut h = crc32fast::Hasher::new();
    let mut r = content.reader();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = r.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    let crc = h.finalize();
    let usize_ = content.len();
    let data = match method {
        STORED => content,
        DEFLATED => {
            let spool = Spool::new(limits.spool_memory, u64::MAX);
            let mut enc = flate2::write::DeflateEncoder::new(spool, flate2::Compression::default());
            io::copy(&mut content.reader(), &mut enc)?;
            enc.finish()?.into_source()?
        }
        m => return Err(bad(format!("compression method {m} cannot be written"))),
    };
    Ok(Replacement { data, crc, usize_ })
}

/// Rewrites `src` into `out` as `node` says, at any nesting depth.
pub(crate) fn rewrite<W: Write>(
    src: &Source,
    node: &Node,
    out: &mut Counting<W>,
    budget: &mut Budget<'_>,
    chain: &mut Vec<Vec<u8>>,
    report: &mut RewriteReport,
) -> Result<(), RawError> {
    if chain.len() > budget.limits.max_depth {
        return Err(bad("nested too deep"));
    }
    let lay = parse(src, budget.limits)?;
    cross_check(src, &lay)?;
    report.levels += 1;
    let mut actions: Vec<Action> = (0..lay.entries.len()).map(|_| Action::Keep).collect();
    for name in &node.remove {
        let found = lay.find(name);
        if found.is_empty() {
            return Err(RawError::NotFound(display_chain(chain, name)));
        }
        for i in found {
            actions[i] = Action::Remove;
            report
                .removed
                .push((chain.clone(), lay.entries[i].name.clone()));
        }
    }
    for (name, child_node) in &node.children {
        let found = lay.find(name);
        let i = match found.as_slice() {
            [] => return Err(RawError::NotFound(display_chain(chain, name))),
            [i] => *i,
            _ => {
                return Err(bad(format!(
                    "{} occurs more than once in its archive; it is not changed",
                    display_chain(chain, name)
                )));
            }
        };
        if matches!(actions[i], Action::Remove) {
            continue;
        }
        let e = &lay.entries[i];
        let child = open_child(src, e, budget)?;
        let spool = Spool::new(budget.limits.spool_memory, u64::MAX);
        let mut cout = Counting::new(spool);
        chain.push(e.name.clone());
        let r = rewrite(&child, child_node, &mut cout, budget, chain, report);
        let child_chain = chain.clone();
        chain.pop();
        r?;
        let content = cout.into_inner().into_source()?;
        if let Some(level) = report.signed.iter_mut().find(|s| s.chain == child_chain) {
            level.content = Some(content.clone());
        }
        actions[i] = Action::Replace(replacement(content, e.method, budget.limits)?);
    }
    let sigs = signature_files(&lay);
    if !sigs.is_empty() {
        report.signed.push(SignedLevel {
            chain: chain.clone(),
            signature_files: sigs,
            content: None,
        });
    }
    write(src, &lay, &actions, out)
}

/// `a.jar!/b/C.class` style display of an entry below a chain.
pub(crate) fn display_chain(chain: &[Vec<u8>], name: &[u8]) -> String {
    let mut parts: Vec<String> = chain
        .iter()
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    parts.push(String::from_utf8_lossy(name).into_owned());
    parts.join(praxcheck_model::NESTING_SEPARATOR)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;
    use zip::write::SimpleFileOptions;

    fn build(entries: &[(&str, &[u8], zip::CompressionMethod)], comment: &[u8]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data, m) in entries {
            w.start_file(*name, SimpleFileOptions::default().compression_method(*m))
                .unwrap();
            w.write_all(data).unwrap();
        }
        w.set_raw_comment(comment.to_vec().into_boxed_slice())
            .unwrap();
        w.finish().unwrap().into_inner()
    }

    fn rewrite_bytes(input: &[u8], node: &Node) -> Vec<u8> {
        let src = Source::memory(input.to_vec());
        let limits = Limits::default();
        let mut budget = Budget {
            limits: &limits,
            inflate_left: limits.max_inflate_per_file,
        };
        let mut out = Counting::new(Vec::new());
        let mut report = RewriteReport::default();
        rewrite(
            &src,
            node,
            &mut out,
            &mut budget,
            &mut Vec::new(),
            &mut report,
        )
        .unwrap();
        out.into_inner()
    }

    #[test]
    fn nothing_to_do_copies_every_byte() {
        let a = build(
            &[
                (
                    "a.txt",
                    b"hello hello hello",
                    zip::CompressionMethod::Deflated,
                ),
                ("b/", b"", zip::CompressionMethod::Stored),
                ("b/c.bin", b"\x00\x01\x02", zip::CompressionMethod::Stored),
            ],
            b"the comment",
        );
        assert_eq!(rewrite_bytes(&a, &Node::default()), a);
        let mut prefixed = b"#!/bin/sh\nexec java -jar \"$0\"\n".to_vec();
        prefixed.extend_from_slice(&a);
        assert_eq!(rewrite_bytes(&prefixed, &Node::default()), prefixed);
    }

    #[test]
    fn removing_an_entry_leaves_the_others_byte_identical() {
        let a = build(
            &[
                ("x/A.class", b"AAAA", zip::CompressionMethod::Deflated),
                (
                    "x/lookup/JndiLookup.class",
                    b"JJJJ",
                    zip::CompressionMethod::Deflated,
                ),
                ("x/B.class", b"BBBB", zip::CompressionMethod::Stored),
            ],
            b"comment",
        );
        let mut node = Node::default();
        node.add(&[], b"x/lookup/JndiLookup.class".to_vec());
        let b = rewrite_bytes(&a, &node);
        let mut ar = zip::ZipArchive::new(Cursor::new(&b)).unwrap();
        assert_eq!(ar.len(), 2);
        let mut s = String::new();
        ar.by_name("x/B.class")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, "BBBB");
        let (sa, sb) = (Source::memory(a.clone()), Source::memory(b.clone()));
        crate::verify::identical_except(&sa, &sb, &node, &Limits::default()).unwrap();
        // The result is exactly the input with the entry's two records cut out.
        let la = parse(&sa, &Limits::default()).unwrap();
        let j = &la.entries[1];
        let removed = (j.region_end - j.local) + j.cd_len;
        assert_eq!(a.len() as u64 - removed, b.len() as u64);
    }

    #[test]
    fn refuses_overlapping_entries() {
        let a = build(
            &[
                ("a", b"1111", zip::CompressionMethod::Stored),
                ("b", b"2222", zip::CompressionMethod::Stored),
            ],
            b"",
        );
        let mut bad_zip = a.clone();
        // Point the second central record at the first local header.
        let la = parse(&Source::memory(a), &Limits::default()).unwrap();
        let p = usize::try_from(la.entries[1].cd_pos).unwrap();
        bad_zip[p + 42..p + 46].copy_from_slice(&0u32.to_le_bytes());
        assert!(parse(&Source::memory(bad_zip), &Limits::default()).is_err());
    }
}
