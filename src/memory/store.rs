//! The storage seam: what a backend of the memory implements.
//!
//! [`super::Memory`] holds one `Box<dyn Store>` and does every
//! backend-neutral step itself (preparing units, the import's parsing and
//! preparing threads, lookup's candidate search and rescoring, concordance,
//! deciding which units of a re-added document stay). A backend only keeps
//! units, their match keys and the word index's posting lists, and runs
//! transactions.
//!
//! Calls through the trait are per operation, never per stored unit: an
//! import hands a [`WriteTransaction`] a batch of units at a time, posting
//! lists come back whole (decoded by `index`, monomorphic), so dynamic
//! dispatch costs nothing measurable.

use std::fmt;

use super::prepared::PreparedUnit;
use super::{DocumentStats, MemoryError, Stats};
use crate::lang::Lang;
use crate::tmx::TranslationUnit;

/// The storage of one memory. Every method reports its failures as
/// [`MemoryError`] (backend errors as [`MemoryError::Store`], with the
/// memory's name), so nothing of the backend's own types leaks out.
///
/// Invariants a backend keeps:
/// - unit ids are positive, ascend in storing order and are never reused,
///   not even after the unit with the largest id is removed (stale postings
///   of removed units must never point at new units);
/// - a [`WriteTransaction`] is all or nothing: dropped without
///   [`WriteTransaction::commit`], it leaves the memory exactly as it was;
/// - posting lists are stored as handed over ([`super::index::PostingBuffer`]
///   rows, appended, never merged) and read back unchanged.
pub(crate) trait Store: Send + fmt::Debug {
    /// How many units the memory holds.
    fn unit_count(&self) -> Result<u64, MemoryError>;

    /// The stored unit `id`, as it was stored.
    fn unit(&self, id: i64) -> Result<Option<TranslationUnit>, MemoryError>;

    /// Unit `id` with what lookup shows beside it.
    fn shown_unit(&self, id: i64) -> Result<Option<StoredUnit>, MemoryError>;

    /// Calls `visit` with every unit in id order, reading them one at a time
    /// (constant memory); stops at the first error `visit` returns. Returns
    /// how many units were visited.
    fn for_each_unit(
        &self,
        visit: &mut dyn FnMut(TranslationUnit) -> Result<(), MemoryError>,
    ) -> Result<u64, MemoryError>;

    /// The ids of document `name`'s units, ascending.
    fn document_unit_ids(&self, name: &str) -> Result<Vec<i64>, MemoryError>;

    /// The documents with their unit counts, by name.
    fn documents(&self) -> Result<Vec<DocumentStats>, MemoryError>;

    fn stats(&self) -> Result<Stats, MemoryError>;

    /// The backend's own consistency check; a failure is
    /// [`MemoryError::Damaged`].
    fn check_integrity(&self) -> Result<(), MemoryError>;

    /// Unit `id`'s match keys with `source` as the source side.
    fn keys(&self, id: i64, source: Lang) -> Result<Option<UnitKeys>, MemoryError>;

    /// Calls `visit` with the keys of every unit that has a `source` side.
    fn for_each_keys(&self, source: Lang, visit: &mut dyn FnMut(i64, UnitKeys)) -> Result<(), MemoryError>;

    /// Whether units were stored without their postings since the last
    /// [`Store::reindex`].
    fn index_is_stale(&self) -> Result<bool, MemoryError>;

    /// How many units the posting lists of `term` list (removed units not
    /// yet reindexed included).
    fn term_frequency(&self, term: i64) -> Result<u64, MemoryError>;

    /// Calls `visit` with every stored posting list of `term` (the `entries`
    /// of [`super::index::PostingList`]).
    fn for_each_posting_list(&self, term: i64, visit: &mut dyn FnMut(&[u8])) -> Result<(), MemoryError>;

    /// Rebuilds every posting list from the stored match keys, in one
    /// transaction, and marks the index complete.
    fn reindex(&mut self) -> Result<(), MemoryError>;

    /// Starts the one write transaction (a writer excludes other writers
    /// until it ends). With `index`, stored units get their postings;
    /// without, committing marks the index stale.
    fn begin_write(&mut self, index: bool) -> Result<Box<dyn WriteTransaction + '_>, MemoryError>;

    /// Closes and deletes the memory: for a memory this process created
    /// moments ago and whose first import failed.
    fn discard(self: Box<Self>) -> Result<(), MemoryError>;
}

/// A write transaction of a [`Store`]. Dropping it without
/// [`WriteTransaction::commit`] rolls everything back.
pub(crate) trait WriteTransaction {
    /// Stores `units` with new ids (and their postings, if the transaction
    /// indexes). Called once per batch, not per unit.
    fn store(&mut self, units: &[PreparedUnit]) -> Result<(), MemoryError>;

    /// Removes the units `ids`; returns how many existed.
    fn remove_units(&mut self, ids: &[i64]) -> Result<usize, MemoryError>;

    /// Removes the units of document `name`; returns how many there were.
    fn remove_document(&mut self, name: &str) -> Result<usize, MemoryError>;

    /// The ids of document `name`'s units as this transaction sees them,
    /// ascending; `None` when the backend cannot read inside its write
    /// transaction. A backend whose writers exclude each other from
    /// [`Store::begin_write`] on answers, so [`super::Memory::replace_document`]
    /// can check that what it read before is still the document (another
    /// client may have replaced it meanwhile) and start over if not.
    fn document_unit_ids(&mut self, _name: &str) -> Result<Option<Vec<i64>>, MemoryError> {
        Ok(None)
    }

    /// Makes everything durable at once.
    fn commit(self: Box<Self>) -> Result<(), MemoryError>;
}

/// A stored unit with the columns lookup and concordance show.
#[derive(Debug, Clone)]
pub(crate) struct StoredUnit {
    pub unit: TranslationUnit,
    /// Which variant is the Arabic / the English one (chosen when the unit
    /// was stored, by the language tags then given).
    pub ar_variant: Option<usize>,
    pub en_variant: Option<usize>,
    pub tuid: Option<String>,
    pub doc: Option<String>,
}

/// A unit's match keys, seen from one language side.
#[derive(Debug, Clone)]
pub(crate) struct UnitKeys {
    pub source: Option<String>,
    pub target: Option<String>,
    /// `changedate`, or `creationdate` for a unit never changed.
    pub changed: Option<String>,
}
