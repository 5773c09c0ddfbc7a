//! The inverted index behind fuzzy lookup and concordance.
//!
//! For every term ([`fuzzy::term_id`]: a word token on one language side) the
//! index lists the units that contain it, each with the unit's length in
//! tokens, so lookup can find candidates from a query's rarest terms and drop
//! those whose length rules out the minimum score before rescoring.
//!
//! Postings are gathered in memory during an import and written as one row
//! per term and flush (`posting(term, units, entries)`), entries being
//! varint-encoded unit-id deltas followed by a length byte. Removing
//! units leaves their entries behind; lookup drops entries whose unit is
//! gone (`Memory::reindex` rebuilds a clean index).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rusqlite::{Connection, params};

use super::fuzzy;
use crate::lang::Lang;

/// Term ids are already hashes: hash maps keyed by them use them as is.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct TermIdHasher(u64);

impl Hasher for TermIdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_i64(&mut self, value: i64) {
        // One multiply spreads sequential unit ids over the high bits the
        // map also uses; term ids stay as random as they were.
        self.0 = (value as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A map keyed by term ids or unit ids, hashed with one multiply.
pub(crate) type TermMap<V> = HashMap<i64, V, BuildHasherDefault<TermIdHasher>>;

/// Postings of the units inserted since the last flush.
#[derive(Debug, Default)]
pub(crate) struct PostingBuffer {
    lists: TermMap<PostingList>,
    bytes: usize,
}

#[derive(Debug, Default)]
struct PostingList {
    last_unit: i64,
    units: u32,
    entries: Vec<u8>,
}

/// Flush once the buffered entries pass this size: bounds import memory.
const FLUSH_BYTES: usize = 24 << 20;

/// Lengths are stored in a byte; longer units count as this long, which only
/// weakens (never wrongly tightens) the length filter.
pub(crate) const LENGTH_CAP: usize = u8::MAX as usize;

/// The index terms of one side of a unit: its length in tokens and its
/// distinct term ids. Computed apart from the postings so that an import can
/// do it on the thread that parses.
#[derive(Debug, Clone, Default)]
pub(crate) struct SideTerms {
    length: u8,
    terms: Vec<i64>,
}

impl SideTerms {
    /// The terms of a match key on the `lang` side.
    pub(crate) fn of_key(lang: Lang, key: &str) -> SideTerms {
        let mut terms = Vec::with_capacity(key.len() / 4);
        fuzzy::for_each_token(key, |start, end| terms.push(fuzzy::term_id(lang, &key[start..end])));
        let length = terms.len().min(LENGTH_CAP) as u8;
        terms.sort_unstable();
        terms.dedup();
        SideTerms { length, terms }
    }
}

impl PostingBuffer {
    /// Records that `unit` (ids ascend across calls) has `side`.
    pub(crate) fn add(&mut self, unit: i64, side: &SideTerms) {
        for &term in &side.terms {
            let list = self.lists.entry(term).or_default();
            let before = list.entries.len();
            write_varint(&mut list.entries, (unit - list.last_unit) as u64);
            list.entries.push(side.length);
            list.last_unit = unit;
            list.units += 1;
            self.bytes += list.entries.len() - before;
        }
    }

    pub(crate) fn is_full(&self) -> bool {
        self.bytes + self.lists.len() * 48 >= FLUSH_BYTES
    }

    /// Writes the buffered postings and empties the buffer.
    pub(crate) fn flush(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        if self.lists.is_empty() {
            return Ok(());
        }
        let mut lists: Vec<(i64, PostingList)> = std::mem::take(&mut self.lists).into_iter().collect();
        // Inserting in key order keeps B-tree page writes sequential.
        lists.sort_unstable_by_key(|(term, _)| *term);
        let mut insert =
            conn.prepare_cached("INSERT INTO posting (term, units, entries) VALUES (?1, ?2, ?3)")?;
        for (term, list) in lists {
            insert.execute(params![term, list.units, list.entries])?;
        }
        self.bytes = 0;
        Ok(())
    }
}

/// How many units contain `term` (counting removed units not yet reindexed).
pub(crate) fn document_frequency(conn: &Connection, term: i64) -> rusqlite::Result<u64> {
    let mut statement = conn.prepare_cached("SELECT coalesce(sum(units), 0) FROM posting WHERE term = ?1")?;
    statement.query_row([term], |row| row.get::<_, i64>(0)).map(|n| n.max(0) as u64)
}

/// Calls `visit(unit, length)` for every entry of `term`.
pub(crate) fn for_each_posting(
    conn: &Connection,
    term: i64,
    mut visit: impl FnMut(i64, usize),
) -> rusqlite::Result<()> {
    let mut statement = conn.prepare_cached("SELECT entries FROM posting WHERE term = ?1")?;
    let mut rows = statement.query([term])?;
    while let Some(row) = rows.next()? {
        let entries = row.get_ref(0)?.as_blob()?;
        decode(entries, &mut visit);
    }
    Ok(())
}

fn decode(mut entries: &[u8], visit: &mut impl FnMut(i64, usize)) {
    let mut unit = 0i64;
    while let Some((delta, rest)) = read_varint(entries) {
        let Some((&length, rest)) = rest.split_first() else { return };
        unit += delta as i64;
        visit(unit, usize::from(length));
        entries = rest;
    }
}

fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn read_varint(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let mut value = 0u64;
    for (i, &byte) in bytes.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((value, &bytes[i + 1..]));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        for value in [0u64, 1, 127, 128, 300, 1 << 35, u64::MAX] {
            let mut out = Vec::new();
            write_varint(&mut out, value);
            assert_eq!(read_varint(&out), Some((value, &[][..])));
        }
        assert_eq!(read_varint(&[0x80, 0x80]), None);
    }

    #[test]
    fn buffered_postings_decode_to_units_and_lengths() {
        let mut buffer = PostingBuffer::default();
        buffer.add(3, &SideTerms::of_key(Lang::Ar, "في الرقه، في"));
        buffer.add(400, &SideTerms::of_key(Lang::Ar, "الرقه"));
        let term = fuzzy::term_id(Lang::Ar, "الرقه");
        let list = &buffer.lists[&term];
        assert_eq!(list.units, 2);
        let mut seen = Vec::new();
        decode(&list.entries, &mut |unit, length| seen.push((unit, length)));
        assert_eq!(seen, [(3, 3), (400, 1)]);
        assert_eq!(buffer.lists[&fuzzy::term_id(Lang::Ar, "في")].units, 1, "one entry per unit");
    }
}
