//! Checks of a rewritten archive before it may replace the original:
//!
//! * [`reread_all`]: the `zip` crate (an independent reader) opens the result and reads
//!   every entry to its end, which checks every CRC, at every rewritten nesting level;
//! * [`identical_except`]: compared with the original, nothing changed but what the plan
//!   names — same prefix, same entries in the same order, every kept entry's local record
//!   byte-identical, every central record identical except the offset (and CRC and sizes of
//!   a rewritten nested archive), same archive comment.
//!
//! **Skipping the checks is a compile error** (issue 10 step 8, rustls's type-state
//! style): the only way to put a temporary file in place of a user's file is
//! [`Verified::rename_over`], and a [`Verified`] token can only be built in this module —
//! its field is private — by [`rewritten`] (all archive checks above plus a rescan) or
//! [`restored_copy`] (the undo copy's SHA-256 equals the recorded original). The token is
//! consumed by the rename, so one verification allows one rename of that very file. The
//! test `fix_renames_only_through_the_verified_token` (`tests/it/verified.rs`) fails when a
//! `rename` call appears anywhere else in the fix sources (the backup store's own
//! manifest and object files excepted).

use std::collections::BTreeSet;
use std::io::{self, Read as _};
use std::path::{Path, PathBuf};

use praxcheck_javascan::Limits;
use praxcheck_javascan::source::{Source, Spool};
use praxcheck_model::PathSegment;

use crate::plan::FilePlan;

use crate::zipraw::{Budget, Layout, Node, RawEntry, RawError, open_child, parse, read_at};

/// Proof that the temporary file `temp` passed verification; required by the rename
/// over the original. Built only by [`rewritten`] and [`restored_copy`].
#[must_use = "a verified file is put in place only by Verified::rename_over"]
#[derive(Debug)]
pub(crate) struct Verified {
    /// The checked temporary file (private: no code outside this module can forge a token).
    temp: PathBuf,
}

impl Verified {
    /// Renames the verified temporary file over `path`, consuming the token.
    ///
    /// # Errors
    /// When the rename fails.
    pub(crate) fn rename_over(self, path: &Path) -> io::Result<()> {
        std::fs::rename(&self.temp, path)
    }
}

/// Verifies the rewritten archive at `temp` (read as `new`) against the original `orig`:
/// an independent reader reads every entry back ([`reread_all`]), nothing but the plan's
/// entries changed ([`identical_except`]), and the scan no longer finds a removed class.
///
/// # Errors
/// The reason the result must not replace the original.
pub(crate) fn rewritten(
    orig: &Source,
    new: &Source,
    temp: &Path,
    fp: &FilePlan,
    limits: &Limits,
) -> Result<Verified, String> {
    let node = fp.node();
    reread_all(new, &node, limits).map_err(|e| e.to_string())?;
    identical_except(orig, new, &node, limits).map_err(|e| e.to_string())?;
    rescan_check(temp, fp, limits)?;
    Ok(Verified {
        temp: temp.to_path_buf(),
    })
}

/// Verifies the undo copy at `temp`: its SHA-256 `sha` must be the recorded original's.
pub(crate) fn restored_copy(temp: &Path, sha: &str, expected: &str) -> Option<Verified> {
    (sha == expected).then(|| Verified {
        temp: temp.to_path_buf(),
    })
}

/// Scans the rewritten file and makes sure none of the removed classes is found again.
fn rescan_check(temp: &Path, fp: &FilePlan, limits: &Limits) -> Result<(), String> {
    let opts = praxcheck_javascan::Options {
        walk: praxcheck_javascan::WalkOptions {
            roots: vec![temp.to_path_buf()],
            ..Default::default()
        },
        limits: limits.clone(),
        processes: false,
    };
    let out = praxcheck_javascan::scan(&opts, &|_| {});
    for c in &out.components {
        let chain: Vec<Vec<u8>> = c
            .location
            .chain
            .iter()
            .skip(1)
            .map(PathSegment::bytes)
            .collect();
        let Some(java) = &c.java else {
            continue;
        };
        for r in &fp.removals {
            if r.chain == chain
                && java
                    .classes
                    .iter()
                    .any(|f| f.path.as_bytes() == r.entry.as_slice())
            {
                return Err(format!("the scan still finds {}", r.display));
            }
        }
    }
    Ok(())
}

fn bad(msg: impl Into<String>) -> RawError {
    RawError::Structure(msg.into())
}

/// Reads every entry of `src` with the `zip` crate (checking CRCs) and descends into the
/// nested archives the plan rewrote. Returns how many entries were read.
fn reread_all(src: &Source, node: &Node, limits: &Limits) -> Result<u64, RawError> {
    let reader = io::BufReader::with_capacity(64 * 1024, src.reader());
    let mut ar = zip::ZipArchive::new(reader)
        .map_err(|e| bad(format!("the result cannot be opened again: {e}")))?;
    let mut count = 0u64;
    for i in 0..ar.len() {
        // Entries compressed with a method no reader here supports (a hostile or exotic
        // archive) cannot be decompressed, neither before nor after; their bytes are
        // compared with the original's in `identical_except`.
        let method = ar
            .by_index_raw(i)
            .map_err(|e| bad(format!("entry {i} of the result cannot be read: {e}")))?
            .compression();
        if !matches!(
            method,
            zip::CompressionMethod::Stored | zip::CompressionMethod::Deflated
        ) {
            continue;
        }
        let mut f = ar
            .by_index(i)
            .map_err(|e| bad(format!("entry {i} of the result cannot be read: {e}")))?;
        let name = String::from_utf8_lossy(f.name_raw()).into_owned();
        io::copy(&mut f, &mut io::sink()).map_err(|e| {
            bad(format!(
                "entry {name} of the result cannot be read back: {e}"
            ))
        })?;
        count += 1;
    }
    for name in &node.remove {
        if ar.index_for_name_raw(name).is_some() {
            return Err(bad(format!(
                "{} is still in the result",
                String::from_utf8_lossy(name)
            )));
        }
    }
    for (name, child) in &node.children {
        let Some(i) = ar.index_for_name_raw(name) else {
            if node.remove.contains(name) {
                continue;
            }
            return Err(bad(format!(
                "nested archive {} is missing from the result",
                String::from_utf8_lossy(name)
            )));
        };
        let f = ar
            .by_index(i)
            .map_err(|e| bad(format!("nested archive cannot be read back: {e}")))?;
        let mut spool = Spool::new(limits.spool_memory, limits.max_nested_size);
        io::copy(&mut f.take(limits.max_nested_size + 1), &mut spool)?;
        count += reread_all(&spool.into_source()?, child, limits)?;
    }
    Ok(count)
}

/// Compares two byte ranges.
fn same_bytes(a: &Source, a_off: u64, b: &Source, b_off: u64, len: u64) -> Result<bool, RawError> {
    const CHUNK: u64 = 256 * 1024;
    let mut done = 0u64;
    while done < len {
        let n = CHUNK.min(len - done);
        if read_at(a, a_off + done, n)? != read_at(b, b_off + done, n)? {
            return Ok(false);
        }
        done += n;
    }
    Ok(true)
}

fn removed_set(lay: &Layout, node: &Node) -> BTreeSet<usize> {
    node.remove.iter().flat_map(|n| lay.find(n)).collect()
}

fn child_node<'a>(node: &'a Node, e: &RawEntry) -> Option<&'a Node> {
    node.children.get(&e.name).or_else(|| {
        let lossy = String::from_utf8_lossy(&e.name);
        node.children
            .iter()
            .find(|(k, _)| String::from_utf8_lossy(k) == lossy)
            .map(|(_, v)| v)
    })
}

/// Masks the given byte positions (fields that are allowed to differ).
fn masked(mut rec: Vec<u8>, ranges: &[(usize, usize)]) -> Vec<u8> {
    for &(at, len) in ranges {
        if let Some(s) = rec.get_mut(at..at + len) {
            s.fill(0);
        }
    }
    rec
}

/// Checks that `new` is `orig` with exactly the changes `node` names.
pub(crate) fn identical_except(
    orig: &Source,
    new: &Source,
    node: &Node,
    limits: &Limits,
) -> Result<(), RawError> {
    let lo = parse(orig, limits)?;
    let ln = parse(new, limits)?;
    let gone = removed_set(&lo, node);
    if lo.first_local != ln.first_local || !same_bytes(orig, 0, new, 0, lo.first_local)? {
        return Err(bad("the bytes before the first entry changed"));
    }
    let kept: Vec<usize> = (0..lo.entries.len())
        .filter(|i| !gone.contains(i))
        .collect();
    if kept.len() != ln.entries.len() {
        return Err(bad(
            "the result does not hold the expected number of entries",
        ));
    }
    let kept_local: Vec<usize> = lo
        .local_order
        .iter()
        .copied()
        .filter(|i| !gone.contains(i))
        .collect();
    for (k, (&oi, &ni)) in kept_local.iter().zip(&ln.local_order).enumerate() {
        if lo.entries[oi].name != ln.entries[ni].name {
            return Err(bad(format!(
                "the order of the entries changed at position {k}"
            )));
        }
    }
    let mut budget_o = Budget {
        limits,
        inflate_left: limits.max_inflate_per_file,
    };
    let mut budget_n = Budget {
        limits,
        inflate_left: limits.max_inflate_per_file,
    };
    for (&oi, ne) in kept.iter().zip(&ln.entries) {
        let oe = &lo.entries[oi];
        let what = String::from_utf8_lossy(&oe.name).into_owned();
        if oe.name != ne.name {
            return Err(bad(format!("central directory order changed at {what}")));
        }
        let o_rec = read_at(orig, oe.cd_pos, oe.cd_len)?;
        let n_rec = read_at(new, ne.cd_pos, ne.cd_len)?;
        let mut cd_mask = vec![(42usize, 4usize)];
        if let Some(a) = oe.cd_zip64.offset_at {
            cd_mask.push((a, 8));
        }
        match child_node(node, oe) {
            None => {
                let len = oe.region_end - oe.local;
                if ne.region_end - ne.local != len
                    || !same_bytes(orig, oe.local, new, ne.local, len)?
                {
                    return Err(bad(format!("entry {what} changed")));
                }
            }
            Some(child) => {
                if oe.method != ne.method || oe.flags != ne.flags {
                    return Err(bad(format!(
                        "nested archive {what} changed its compression method or flags"
                    )));
                }
                cd_mask.extend([(16, 4), (20, 4), (24, 4)]);
                for a in [oe.cd_zip64.csize_at, oe.cd_zip64.usize_at]
                    .into_iter()
                    .flatten()
                {
                    cd_mask.push((a, 8));
                }
                let mut lmask = vec![(14usize, 4usize), (18, 4), (22, 4)];
                for a in [oe.local_zip64.csize_at, oe.local_zip64.usize_at]
                    .into_iter()
                    .flatten()
                {
                    lmask.push((a, 8));
                }
                let oh = masked(read_at(orig, oe.local, oe.data_start - oe.local)?, &lmask);
                let nh = masked(read_at(new, ne.local, ne.data_start - ne.local)?, &lmask);
                if oh != nh {
                    return Err(bad(format!("local header of {what} changed")));
                }
                let oc = open_child(orig, oe, &mut budget_o)?;
                let nc = open_child(new, ne, &mut budget_n)?;
                identical_except(&oc, &nc, child, limits)?;
            }
        }
        if masked(o_rec, &cd_mask) != masked(n_rec, &cd_mask) {
            return Err(bad(format!("central directory record of {what} changed")));
        }
    }
    // The end record's fixed part (apart from counts, size and offset) and the comment.
    let o_end = read_at(orig, lo.eocd, lo.len - lo.eocd)?;
    let n_end = read_at(new, ln.eocd, ln.len - ln.eocd)?;
    let mask = [(8usize, 2usize), (10, 2), (12, 4), (16, 4)];
    if masked(o_end, &mask) != masked(n_end, &mask) {
        return Err(bad("the end record or the archive comment changed"));
    }
    Ok(())
}
