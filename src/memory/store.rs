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
use super::{DocumentInfo, DocumentRecord, MemoryError, Stats};
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

    /// Every document, by name: those with units and those the `document`
    /// table records (a document whose every bead was below the confidence
    /// threshold has a record and no unit), with what that table says.
    fn documents(&self) -> Result<Vec<DocumentRecord>, MemoryError>;

    /// Calls `visit` with document `name`'s units in id order, one at a
    /// time; returns how many it visited.
    fn for_each_document_unit(
        &self,
        name: &str,
        visit: &mut dyn FnMut(TranslationUnit) -> Result<(), MemoryError>,
    ) -> Result<u64, MemoryError>;

    /// The memory's statistics but `documents` (which `Memory::stats`
    /// derives from [`Store::documents`] for every backend).
    fn stats(&self) -> Result<Stats, MemoryError>;

    /// The backend's own consistency check; a failure is
    /// [`MemoryError::Damaged`].
    fn check_integrity(&self) -> Result<(), MemoryError>;

    /// Unit `id`'s match keys with `source` as the source side.
    fn keys(&self, id: i64, source: Lang) -> Result<Option<UnitKeys>, MemoryError>;

    /// The match keys of the units `ids` that exist, in `ids`' order: what
    /// a lookup rescores. A backend with a round trip per query fetches
    /// them in a few (the default asks [`Store::keys`] one by one).
    fn keys_of(&self, ids: &[i64], source: Lang) -> Result<Vec<(i64, UnitKeys)>, MemoryError> {
        let mut found = Vec::with_capacity(ids.len());
        for &id in ids {
            if let Some(keys) = self.keys(id, source)? {
                found.push((id, keys));
            }
        }
        Ok(found)
    }

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

    /// How [`Store::begin_write`] waits while another process holds the
    /// write lock. A backend without such a lock may ignore it (the
    /// default).
    fn set_lock_wait(&mut self, wait: LockWait) {
        let _ = wait;
    }
}

/// A write transaction of a [`Store`]. Dropping it without
/// [`WriteTransaction::commit`] rolls everything back.
pub(crate) trait WriteTransaction {
    /// Stores `units` with new ids (and their postings, if the transaction
    /// indexes). Called once per batch, not per unit.
    fn store(&mut self, units: &[PreparedUnit]) -> Result<(), MemoryError>;

    /// Removes the units `ids`; returns how many existed.
    fn remove_units(&mut self, ids: &[i64]) -> Result<usize, MemoryError>;

    /// Removes the units of document `name` and its record; returns how
    /// many units there were.
    fn remove_document(&mut self, name: &str) -> Result<usize, MemoryError>;

    /// What the memory records about document `name` (its row of the
    /// `document` table) and when it was last stored, read inside this
    /// transaction; `None` when nothing is recorded.
    fn document_record(&mut self, name: &str) -> Result<Option<(DocumentInfo, String)>, MemoryError>;

    /// Records `info` about document `name`, stored at `ingested` (ISO
    /// 8601, UTC), replacing what was recorded.
    fn set_document_record(
        &mut self,
        name: &str,
        info: &DocumentInfo,
        ingested: &str,
    ) -> Result<(), MemoryError>;

    /// Document `name`'s units with their ids, ascending, read inside this
    /// transaction: what a replacement compares against is what it
    /// replaces, whatever another process wrote before the lock was taken.
    fn document_units(&mut self, name: &str) -> Result<Vec<(i64, TranslationUnit)>, MemoryError>;

    /// The units stored before this transaction began whose
    /// [`PreparedUnit::digest`] is one of `digests` (any order; never units
    /// this transaction stored): the candidates an import compares with to
    /// skip units the memory already holds.
    fn units_with_digests(&mut self, digests: &[i64]) -> Result<Vec<TranslationUnit>, MemoryError>;

    /// Makes everything durable at once.
    fn commit(self: Box<Self>) -> Result<(), MemoryError>;
}

/// What [`LockWait::on_wait`] calls.
pub type OnWait = std::sync::Arc<dyn Fn(&str) + Send + Sync>;

/// How long a writer waits for the write lock another process holds.
#[derive(Clone, Default)]
pub struct LockWait {
    /// The longest wait; `None` waits as long as the other writer holds the
    /// lock.
    pub limit: Option<std::time::Duration>,
    /// Called once, with the memory's name, when a write has to wait (a
    /// terminal says "waiting for another dragoman process writing …").
    pub on_wait: Option<OnWait>,
}

impl fmt::Debug for LockWait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LockWait")
            .field("limit", &self.limit)
            .field("on_wait", &self.on_wait.as_ref().map(|_| "Fn"))
            .finish()
    }
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
