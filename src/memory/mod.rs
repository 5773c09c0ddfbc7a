//! The translation memory: translation units with the match keys of their
//! Arabic and English text, a word index, fuzzy lookup and concordance,
//! behind one handle, [`Memory`], over a storage backend: an SQLite file, or
//! a schema of a PostgreSQL database for a team's shared memory
//! ([`MemoryLocation`]).
//!
//! Every unit is stored whole (its [`TranslationUnit`] in the compact
//! encoding of `codec`, so export reproduces it) with, beside it, the match
//! key ([`crate::normalize::match_key`]) of its Arabic and English text.
//! Units are never merged: identical ones are collapsed only when shown.
//!
//! What owns what. Backend-neutral, in this folder: the stored encoding of a
//! unit and the one varint of every stored format (`codec`); preparing a
//! unit for storage: body, match keys, which variant is which language,
//! language issues (`prepared`); word tokens and OmegaT's score ([`fuzzy`]);
//! index terms and the posting-list format (`index`); the import's
//! parse → prepare → store pipeline, its report, [`import_into`] and export
//! ([`exchange`]); lookup's candidate search and exact rescoring
//! ([`lookup`]); concordance ([`concordance`]); units from aligned pairs
//! ([`document`]); which units of a re-added document stay
//! ([`Memory::replace_document`]). A backend keeps units, keys and posting
//! lists and runs transactions: `sqlite/` holds every line of SQL (schema and
//! migrations, the storing stage's inserts, the candidate, concordance, stats
//! and document queries, removing units, reindexing); nothing outside it
//! names `rusqlite`, and no rusqlite type is in the public API.
//!
//! The seam is a trait (`store::Store`, with `store::WriteTransaction`), not
//! an enum of backends: the trait is the written contract of what a backend
//! provides, checked by the compiler, and a backend added is an `impl`, not
//! a new arm in every method of [`Memory`]. Its price, one indirect call per
//! operation, is paid per import batch (256 units), per posting list and per
//! lookup candidate, never per stored unit or posting entry.
//!
//! `postgres/` is the second backend (a team's shared memory: `COPY` writes,
//! writers serialized on a row lock, schema versions in its own PostgreSQL
//! schema); [`Memory::open_location`] picks the backend from a
//! [`MemoryLocation`]. A backend is new files here plus an arm there; no
//! caller outside `memory` changes. It implements `Store`: read a unit by id, all
//! units in id order, a document's unit ids, the documents, stats and an
//! integrity check; a unit's match keys from either side, and every unit's;
//! the stored posting lists of a term and how many units they list; reindex;
//! discard (delete a memory whose first import failed); and `begin_write`,
//! a transaction that stores batches of `PreparedUnit`s under new ids that
//! are never reused (with their postings when indexing), removes units, and
//! commits all or nothing.

mod codec;
pub mod concordance;
pub mod document;
pub mod exchange;
pub mod fuzzy;
mod index;
pub mod lookup;
mod postgres;
mod prepared;
mod sqlite;
mod store;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use self::postgres::PgStore;
use crate::lang::Lang;
use crate::tmx::TranslationUnit;
use prepared::{PreparedUnit, same_but_dates, undated_digest};
#[cfg(test)]
use prepared::{language_issue, pick_variant};
use sqlite::SqliteStore;
use store::Store;

pub use self::postgres::{DEFAULT_SCHEMA as DEFAULT_POSTGRES_SCHEMA, PgFailure, PostgresUrl, UrlError};
pub use concordance::{ConcordanceHit, ConcordanceOptions};
pub use document::{SkippedBead, units_from_pair};
pub use exchange::{
    FileImport, ImportExtras, ImportOptions, ImportOutcome, ImportReport, KEPT_ERRORS, TmxSource,
    import_into, import_into_with,
};
pub use lookup::{FuzzyMatch, LookupOptions};
pub use prepared::MAX_MATCHED_SEGMENT_BYTES;
pub use store::{LockWait, OnWait};

/// Why the memory could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum MemoryError {
    #[error(
        "{path}: no translation memory here (create one with `dragoman tm import FILE.tmx` or `dragoman tm add SRC TGT`, or pass --tm PATH)"
    )]
    Missing { path: String },
    #[error(
        "{path}: written by a newer dragoman (memory schema version {found}; this version reads up to {supported}); the file was not changed — upgrade dragoman"
    )]
    NewerSchema { path: String, found: i64, supported: i64 },
    #[error("{path}: not a dragoman translation memory ({reason})")]
    NotAMemory { path: String, reason: String },
    /// The storage backend failed (SQLite or PostgreSQL); `source` is its own
    /// error, kept whole for the error chain.
    #[error("{path}: {source}")]
    Store {
        path: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// Another process held the memory's write lock for longer than the
    /// wait allowed; nothing was changed.
    #[error(
        "{path}: another process is writing this memory (a dragoman import, `tm add` or `ingest` holds its write lock{}{}); nothing was changed — run the command again when it has finished",
        waited.map(|w| format!(" for over {} s", w.as_secs_f64())).unwrap_or_default(),
        holder.as_ref().map(|h| format!("; holder: {h}")).unwrap_or_default()
    )]
    Locked {
        path: String,
        waited: Option<std::time::Duration>,
        /// Who holds the lock, where the backend can tell (PostgreSQL:
        /// the client's program, process id, address and since when).
        holder: Option<String>,
    },
    /// The disk (or a file-size limit) left no room; nothing was changed.
    #[error("no space left on device ({path}); nothing was changed")]
    DiskFull { path: String },
    /// The memory was opened for reading only; writing was refused.
    #[error("{path}: the memory can be read but not changed: {reason}; nothing was changed")]
    ReadOnly { path: String, reason: String },
    #[error("{path}: the memory is damaged: {report}")]
    Damaged { path: String, report: String },
    #[error("{path}: cannot create the memory's directory: {source}")]
    CreateDir {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: cannot create the memory: {source}")]
    CreateFile {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: cannot remove the memory's file: {source}")]
    Discard {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: the import stopped before storing every unit; nothing was imported")]
    StoreStopped { path: String },
    #[error("{path}: stored unit {unit} is unreadable: {reason}")]
    CorruptUnit { path: String, unit: i64, reason: String },
    #[error(
        "{path}: the word index is incomplete (units were imported with --no-index); run `dragoman tm reindex` first"
    )]
    IndexStale { path: String },
    #[error("nothing to look up: the query has no words (only punctuation or spaces)")]
    NoWords,
    #[error(
        "the query has {words} words; lookup matches sentences of up to {limit} words (split the text into sentences)"
    )]
    QueryTooLong { words: usize, limit: usize },
    #[error("nothing to search for: the term has no words (only punctuation or spaces)")]
    EmptyTerm,
    #[error(transparent)]
    Tmx(#[from] crate::tmx::TmxError),
    #[error("{0}")]
    Write(#[source] std::io::Error),
    #[error(transparent)]
    Url(#[from] self::postgres::UrlError),
    #[error(
        "{path}: the memory already holds {units} units; copy into an empty memory, or pass --append to add to it"
    )]
    TargetNotEmpty { path: String, units: u64 },
    /// A document of the same name came from another source file: storing
    /// this one would silently replace another article.
    #[error(
        "{path}: document `{}` was stored from {} on {}; {} is another file: pass --replace to replace it, or --name to store this article under another name; nothing was changed",
        conflict.name, conflict.previous, shown_time(&conflict.ingested), conflict.new
    )]
    OtherSource { path: String, conflict: Box<SourceConflict> },
    #[error("{path}: no document `{name}` in the memory{}", known_names(known))]
    NoSuchDocument { path: String, name: String, known: Vec<String> },
}

/// What [`MemoryError::OtherSource`] names (boxed: the error stays small).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceConflict {
    /// The document's name.
    pub name: String,
    /// The source file the memory's document was stored from, as shown.
    pub previous: String,
    /// The source file of the article refused, as shown.
    pub new: String,
    /// When the memory's document was stored (ISO 8601, UTC).
    pub ingested: String,
}

/// `2026-12-03T16:07:52Z` as a person reads it: `2026-12-03 16:07 UTC`.
pub fn shown_time(iso: &str) -> String {
    match (iso.get(..10), iso.get(11..16)) {
        (Some(day), Some(time)) if iso.ends_with('Z') => format!("{day} {time} UTC"),
        _ => iso.to_string(),
    }
}

/// A source file as messages show it (`-` is standard input).
pub fn shown_source(source: &str) -> String {
    if source == STANDARD_INPUT { "standard input".to_string() } else { source.to_string() }
}

fn known_names(known: &[String]) -> String {
    if known.is_empty() {
        " (it holds none)".to_string()
    } else {
        format!(" (documents: {})", known.join(", "))
    }
}

/// [`DocumentInfo::source_file`] of an article read from standard input.
pub const STANDARD_INPUT: &str = "-";

/// Where a memory lives: an SQLite file, or a schema of a PostgreSQL
/// database (`postgres://…` or `postgresql://…`, optionally with
/// `?schema=NAME`; default schema `dragoman`). `Display` never shows a
/// password.
#[derive(Debug, Clone)]
pub enum MemoryLocation {
    Path(PathBuf),
    Postgres(PostgresUrl),
}

impl MemoryLocation {
    /// A PostgreSQL URL, or else a path.
    pub fn parse(text: &str) -> Result<MemoryLocation, MemoryError> {
        if PostgresUrl::is_postgres_url(text) {
            Ok(MemoryLocation::Postgres(text.parse()?))
        } else {
            Ok(MemoryLocation::Path(PathBuf::from(text)))
        }
    }
}

impl std::str::FromStr for MemoryLocation {
    type Err = MemoryError;

    fn from_str(text: &str) -> Result<MemoryLocation, MemoryError> {
        MemoryLocation::parse(text)
    }
}

impl From<PathBuf> for MemoryLocation {
    fn from(path: PathBuf) -> MemoryLocation {
        MemoryLocation::Path(path)
    }
}

impl fmt::Display for MemoryLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MemoryLocation::Path(path) => write!(f, "{}", path.display()),
            MemoryLocation::Postgres(url) => write!(f, "{url}"),
        }
    }
}

/// The two languages of the memory as the user named them (`ar`, `ar-SA`,
/// `en-GB`): which variant of a unit is the source and which the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguagePair {
    pub source: String,
    pub target: String,
}

impl Default for LanguagePair {
    fn default() -> Self {
        LanguagePair { source: "ar".to_string(), target: "en".to_string() }
    }
}

impl LanguagePair {
    /// The tag the user gave for `lang`, if it is one of the pair.
    pub(crate) fn tag_for(&self, lang: Lang) -> Option<&str> {
        [&self.source, &self.target].into_iter().find(|t| Lang::from_tag(t) == Some(lang)).map(|t| t.as_str())
    }
}

/// An open translation memory: the one handle every caller uses, whatever
/// the backend behind it.
#[derive(Debug)]
pub struct Memory {
    store: Box<dyn Store>,
    path: PathBuf,
}

/// What [`Memory::replace_document`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replaced {
    /// Units of the document's previous version that are gone.
    pub removed: usize,
    /// Units stored now.
    pub added: usize,
    /// Units identical to the previous version (dates aside): left as they
    /// were, with their ids and creation dates.
    pub unchanged: usize,
}

/// A unit that lacks the Arabic or the English variant, or has a segment over
/// [`MAX_MATCHED_SEGMENT_BYTES`]: stored (nothing is dropped) but it cannot be
/// matched, so imports report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageIssue {
    /// 1-based position of the unit in its file.
    pub position: usize,
    pub tuid: Option<String>,
    pub message: String,
}

/// Memory statistics (`tm stats`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Stats {
    pub path: String,
    pub units: u64,
    /// Units per variant language tag, as written in the units.
    pub languages: BTreeMap<String, u64>,
    /// Units that lack an Arabic or an English variant (kept, not matchable).
    pub unmatchable: u64,
    pub documents: Vec<DocumentStats>,
    /// Earliest `creationdate` and latest `changedate`/`creationdate`
    /// (`YYYYMMDDThhmmssZ`).
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// The memory file and its write-ahead log, in bytes.
    pub size_bytes: u64,
    /// The share of that taken by the word index.
    pub index_bytes: u64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct DocumentStats {
    pub name: String,
    pub units: u64,
}

impl From<DocumentRecord> for DocumentStats {
    fn from(record: DocumentRecord) -> DocumentStats {
        DocumentStats { name: record.name, units: record.units }
    }
}

/// What the memory records about a document besides its units, written in
/// the transaction that stores them (`tm add`, `ingest`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentInfo {
    /// The Arabic original it was read from: an absolute path (two
    /// `article.ar.txt` in different folders are different articles),
    /// [`STANDARD_INPUT`], or the file an XLIFF names; `None` when unknown.
    pub source_file: Option<String>,
    /// The edition's title, when one was given or found.
    pub title: Option<String>,
    /// The publication date, as written.
    pub date: Option<String>,
}

/// A document of the memory as `tm documents` lists it. JSON (a contract):
/// `name`, `units`, then `source_file`, `title`, `date` and `ingested`,
/// each `null` when unknown (documents stored before the memory recorded
/// them, or imported from TMX).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DocumentRecord {
    pub name: String,
    /// Units stored from it now.
    pub units: u64,
    /// An absolute path, or `-` for standard input.
    pub source_file: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
    /// When it was last stored by `tm add` or `ingest` (ISO 8601, UTC:
    /// `2026-12-03T16:07:52Z`).
    pub ingested: Option<String>,
}

/// Whether storing a document may replace one of the same name read from
/// another source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SameName {
    /// Refuse ([`MemoryError::OtherSource`]); the same source file, or a
    /// document whose source is not known, is replaced.
    #[default]
    RefuseOtherSource,
    /// Replace it (`--replace`).
    Replace,
}

impl Memory {
    /// Opens an existing memory; a missing file is [`MemoryError::Missing`],
    /// an empty one [`MemoryError::NotAMemory`] (commands that write make a
    /// memory of it: [`Memory::open_or_create`], [`import_into`]). A memory
    /// in a read-only place (file, directory, mount) or on a full disk is
    /// opened for reading only, leaving no file behind: writes then fail
    /// with [`MemoryError::ReadOnly`].
    pub fn open(path: &Path) -> Result<Memory, MemoryError> {
        if !path.exists() {
            return Err(MemoryError::Missing { path: path.display().to_string() });
        }
        if is_empty_file(path) {
            return Err(MemoryError::NotAMemory {
                path: path.display().to_string(),
                reason: "an empty file; `tm import` or `tm add` makes a memory of it".to_string(),
            });
        }
        Memory::open_existing(path)
    }

    /// Opens an existing memory, empty files included (a command that
    /// writes makes a memory of one).
    fn open_existing(path: &Path) -> Result<Memory, MemoryError> {
        Ok(Memory::with_store(path, Box::new(SqliteStore::open(path, false)?)))
    }

    /// Opens a memory, creating it (and its directory) when missing.
    pub fn open_or_create(path: &Path) -> Result<Memory, MemoryError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
            std::fs::create_dir_all(dir)
                .map_err(|source| MemoryError::CreateDir { path: path.display().to_string(), source })?;
        }
        Ok(Memory::with_store(path, Box::new(SqliteStore::open(path, true)?)))
    }

    /// Creates a new memory at `path` (its directory exists), or `None`
    /// when a file is already there: see [`SqliteStore::create_new`].
    fn create_new(path: &Path) -> Result<Option<Memory>, MemoryError> {
        Ok(SqliteStore::create_new(path)?.map(|store| Memory::with_store(path, Box::new(store))))
    }

    /// Opens an existing memory at `location`: a missing file, or a
    /// PostgreSQL schema without a memory, is [`MemoryError::Missing`].
    pub fn open_location(location: &MemoryLocation) -> Result<Memory, MemoryError> {
        match location {
            MemoryLocation::Path(path) => Memory::open(path),
            MemoryLocation::Postgres(url) => Memory::open_postgres(url, false),
        }
    }

    /// Opens the memory at `location`, creating it when missing (for
    /// PostgreSQL: its schema and tables; the database must exist).
    pub fn open_or_create_location(location: &MemoryLocation) -> Result<Memory, MemoryError> {
        match location {
            MemoryLocation::Path(path) => Memory::open_or_create(path),
            MemoryLocation::Postgres(url) => Memory::open_postgres(url, true),
        }
    }

    fn open_postgres(url: &PostgresUrl, create: bool) -> Result<Memory, MemoryError> {
        let store = PgStore::open(url, create)?;
        // `path` is what messages and `tm stats` show: the URL without its
        // password.
        Ok(Memory::with_store(Path::new(&url.to_string()), Box::new(store)))
    }

    fn with_store(path: &Path, store: Box<dyn Store>) -> Memory {
        Memory { store, path: path.to_path_buf() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How this memory's writes wait while another process writes it (by
    /// default as long as that process holds the lock, silently).
    pub fn set_lock_wait(&mut self, wait: LockWait) {
        self.store.set_lock_wait(wait);
    }

    fn name(&self) -> String {
        self.path.display().to_string()
    }

    /// Replaces every unit of document `name` by `units`, in one transaction:
    /// re-adding a corrected alignment never leaves stale pairs behind, and
    /// re-adding the same alignment leaves the memory as it was (units
    /// identical but for their dates keep their ids and dates). What the
    /// memory records about the document is left as it is.
    pub fn replace_document(
        &mut self,
        name: &str,
        units: &[TranslationUnit],
    ) -> Result<Replaced, MemoryError> {
        self.replace(name, units, None)
    }

    /// [`Memory::replace_document`], recording `info` about the document in
    /// the same transaction. A document of the same name stored from
    /// another source file is replaced only with [`SameName::Replace`];
    /// otherwise nothing changes and the error names both files.
    pub fn store_document(
        &mut self,
        name: &str,
        units: &[TranslationUnit],
        info: &DocumentInfo,
        same_name: SameName,
    ) -> Result<Replaced, MemoryError> {
        self.replace(name, units, Some((info, same_name)))
    }

    fn replace(
        &mut self,
        name: &str,
        units: &[TranslationUnit],
        record: Option<(&DocumentInfo, SameName)>,
    ) -> Result<Replaced, MemoryError> {
        let path = self.name();
        // Read and replace under the one write lock: two processes adding
        // the same document at once end as one of them, complete.
        let mut transaction = self.store.begin_write(true)?;
        if let Some((info, SameName::RefuseOtherSource)) = record
            && let Some((recorded, ingested)) = transaction.document_record(name)?
            && let (Some(previous), Some(new)) = (recorded.source_file, &info.source_file)
            && previous != *new
        {
            let conflict = SourceConflict {
                name: name.to_string(),
                previous: shown_source(&previous),
                new: shown_source(new),
                ingested,
            };
            return Err(MemoryError::OtherSource { path, conflict: Box::new(conflict) });
        }
        let previous = transaction.document_units(name)?;
        // Previous units by digest, so matching is linear in the units,
        // however large the document.
        let mut by_digest: HashMap<i64, Vec<usize>> = HashMap::with_capacity(previous.len());
        for (i, (_, unit)) in previous.iter().enumerate().rev() {
            by_digest.entry(undated_digest(unit)).or_default().push(i);
        }
        let mut kept = vec![false; previous.len()];
        let mut to_store: Vec<&TranslationUnit> = Vec::new();
        for unit in units {
            let candidates = by_digest.get_mut(&undated_digest(unit));
            // Candidates are popped in id order; each previous unit is
            // kept for at most one new unit.
            let same = candidates.and_then(|candidates| {
                let at = candidates.iter().rposition(|&i| same_but_dates(&previous[i].1, unit))?;
                Some(candidates.remove(at))
            });
            match same {
                Some(i) => kept[i] = true,
                None => to_store.push(unit),
            }
        }
        let stale: Vec<i64> =
            previous.iter().zip(&kept).filter(|(_, kept)| !**kept).map(|((id, _), _)| *id).collect();
        let languages = LanguagePair::default();
        let prepared: Vec<PreparedUnit> =
            to_store.iter().map(|unit| PreparedUnit::new(unit, Some(name), &languages)).collect();
        let removed = transaction.remove_units(&stale)?;
        transaction.store(&prepared)?;
        if let Some((info, _)) = record {
            transaction.set_document_record(name, info, &now_iso())?;
        }
        transaction.commit()?;
        Ok(Replaced { removed, added: to_store.len(), unchanged: kept.iter().filter(|k| **k).count() })
    }

    /// Removes the units of document `name`; returns how many there were.
    pub fn remove_document(&mut self, name: &str) -> Result<usize, MemoryError> {
        let mut transaction = self.store.begin_write(true)?;
        let removed = transaction.remove_document(name)?;
        transaction.commit()?;
        Ok(removed)
    }

    /// Every document of the memory, by name, with its unit count and
    /// what the memory records about it.
    pub fn documents(&self) -> Result<Vec<DocumentRecord>, MemoryError> {
        self.store.documents()
    }

    /// How many units the memory holds.
    pub fn unit_count(&self) -> Result<u64, MemoryError> {
        self.store.unit_count()
    }

    pub fn stats(&self) -> Result<Stats, MemoryError> {
        let mut stats = self.store.stats()?;
        stats.documents =
            self.store.documents()?.into_iter().filter(|d| d.units > 0).map(DocumentStats::from).collect();
        Ok(stats)
    }

    /// Runs the backend's own consistency check (SQLite's
    /// `PRAGMA integrity_check`): [`MemoryError::Damaged`] lists what it
    /// found.
    pub fn check_integrity(&self) -> Result<(), MemoryError> {
        self.store.check_integrity()
    }

    /// Rebuilds the word index from the stored match keys: after an import
    /// without the index, and to drop the entries of removed units.
    pub fn reindex(&mut self) -> Result<(), MemoryError> {
        self.store.reindex()
    }

    /// Lookups need a complete index: refuse rather than miss units.
    pub(crate) fn check_index(&self) -> Result<(), MemoryError> {
        if self.store.index_is_stale()? { Err(MemoryError::IndexStale { path: self.name() }) } else { Ok(()) }
    }

    /// Reads one stored unit.
    pub fn unit(&self, id: i64) -> Result<Option<TranslationUnit>, MemoryError> {
        self.store.unit(id)
    }

    /// Calls `visit` with every unit, as stored, in id order (the order they
    /// were stored); returns how many it visited. Units are read one at a
    /// time, so memory stays constant however large the memory is.
    pub fn for_each_unit(&self, visit: &mut dyn FnMut(TranslationUnit)) -> Result<u64, MemoryError> {
        self.store.for_each_unit(&mut |unit| {
            visit(unit);
            Ok(())
        })
    }
}

/// [`import_into`] for any location: for a file, exactly that; for
/// PostgreSQL, the import is one transaction (all or nothing, also when the
/// client is killed), and a memory this call created is dropped again when
/// its first import fails, so nothing is left behind.
pub fn import_into_location(
    location: &MemoryLocation,
    sources: Vec<TmxSource<'_>>,
    options: &ImportOptions,
    extras: &ImportExtras,
) -> Result<ImportOutcome, MemoryError> {
    let url = match location {
        MemoryLocation::Path(path) => return import_into_with(path, sources, options, extras),
        MemoryLocation::Postgres(url) => url,
    };
    let mut memory = Memory::open_postgres(url, true)?;
    let result = memory
        .import_with(sources, options, extras)
        .and_then(|report| Ok(ImportOutcome { report, units: memory.unit_count()? }));
    if result.is_err() {
        // The import's error is the one to report; `discard` drops the
        // schema only if this client created it.
        let _ = memory.store.discard();
    }
    result
}

/// Copies every unit of the memory at `from` into the memory at `to`
/// (created when missing), in id order, in one transaction: between any two
/// backends, losslessly (units are copied whole, so a TMX export of the copy
/// equals the original's). A target that already holds units is refused
/// unless `append`. Returns how many units were copied.
///
/// Each unit's document and language sides are derived again from the unit
/// (its `x-document` prop, its language tags), as an import derives them.
pub fn copy(from: &MemoryLocation, to: &MemoryLocation, append: bool) -> Result<u64, MemoryError> {
    let source = Memory::open_location(from)?;
    let mut target = Memory::open_or_create_location(to)?;
    let held = target.unit_count()?;
    if held > 0 && !append {
        return Err(MemoryError::TargetNotEmpty { path: to.to_string(), units: held });
    }
    let languages = LanguagePair::default();
    let mut transaction = target.store.begin_write(true)?;
    let mut batch = Vec::with_capacity(COPY_BATCH);
    let copied = source.store.for_each_unit(&mut |unit| {
        batch.push(PreparedUnit::new(&unit, None, &languages));
        if batch.len() == COPY_BATCH {
            transaction.store(&batch)?;
            batch.clear();
        }
        Ok(())
    })?;
    transaction.store(&batch)?;
    // What the source records about its documents travels with them.
    for document in source.documents()? {
        if let Some(ingested) = &document.ingested {
            let info = DocumentInfo {
                source_file: document.source_file,
                title: document.title,
                date: document.date,
            };
            transaction.set_document_record(&document.name, &info, ingested)?;
        }
    }
    transaction.commit()?;
    Ok(copied)
}

/// Now as ISO 8601 UTC (`2026-12-03T16:07:52Z`), from the TMX date.
fn now_iso() -> String {
    let tmx = crate::tmx::now();
    match (tmx.get(..4), tmx.get(4..6), tmx.get(6..8), tmx.get(9..11), tmx.get(11..13), tmx.get(13..15)) {
        (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) => format!("{y}-{mo}-{d}T{h}:{mi}:{s}Z"),
        _ => tmx,
    }
}

/// Units per call into the target's write transaction while copying: the
/// import's batch size.
const COPY_BATCH: usize = 256;

/// A file of zero bytes with no write-ahead log beside it holding its
/// content (a memory being created by another process is empty until its
/// log is checkpointed).
fn is_empty_file(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0)
        && std::fs::metadata(PathBuf::from(wal)).map_or(true, |m| m.len() == 0)
}

#[cfg(test)]
mod tests;
