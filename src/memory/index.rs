//! The inverted index behind fuzzy lookup and concordance.
//!
//! For every term ([`fuzzy::term_id`]: a word token on one language side) the
//! index lists the units that contain it, each with the unit's length in
//! tokens, so lookup can find candidates from a query's rarest terms and drop
//! those whose length rules out the minimum score before rescoring.
//!
//! Postings are gathered in memory during an import ([`PostingBuffer`]) and
//! handed to the backend as one posting list per term and flush (a count and
//! `entries`: varint-encoded unit-id deltas, each followed by a length
//! byte), which it stores as they are and returns as they are. Removing
//! units leaves their entries behind; lookup drops entries whose unit is
//! gone (`Memory::reindex` rebuilds a clean index). This file knows the
//! entries' format; backends only keep the bytes.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::MemoryError;
use super::codec::{read_varint, write_varint};
use super::fuzzy;
use super::store::Store;
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

/// The entries of one term since the last flush.
#[derive(Debug, Default)]
pub(crate) struct PostingList {
    last_unit: i64,
    /// How many units the entries list.
    pub units: u32,
    /// Per unit: the varint ([`super::codec::write_varint`]) of its id minus
    /// the previous entry's (the first: minus 0), then its length byte.
    pub entries: Vec<u8>,
}

/// Flush once the buffered entries pass this size: bounds import memory.
const FLUSH_BYTES: usize = 24 << 20;

/// Lengths are stored in a byte; longer units count as this long, which only
/// weakens (never wrongly tightens) the length filter.
pub(crate) const LENGTH_CAP: usize = u8::MAX as usize;

/// The index terms of one side of a unit: its length in tokens and its
/// distinct term ids.
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

    /// Hands over the buffered posting lists, by term (inserting in key
    /// order keeps a B-tree's page writes sequential), and empties the
    /// buffer. A backend stores each as one row, appended to the term's
    /// earlier rows.
    pub(crate) fn take_lists(&mut self) -> Vec<(i64, PostingList)> {
        let mut lists: Vec<(i64, PostingList)> = std::mem::take(&mut self.lists).into_iter().collect();
        lists.sort_unstable_by_key(|(term, _)| *term);
        self.bytes = 0;
        lists
    }
}

/// Calls `visit(unit, length)` for every entry of every stored posting list
/// of `term`.
pub(crate) fn for_each_posting(
    store: &dyn Store,
    term: i64,
    mut visit: impl FnMut(i64, usize),
) -> Result<(), MemoryError> {
    store.for_each_posting_list(term, &mut |entries| decode(entries, &mut visit))
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

#[cfg(test)]
mod tests {
    use super::*;

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
