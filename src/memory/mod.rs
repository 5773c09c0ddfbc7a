//! The translation memory: an SQLite store of translation units.
//!
//! Owns: the schema and its migrations ([`schema`]), atomic import and
//! export of TMX, documents added from aligned article pairs, the word index
//! ([`index`]) with fuzzy lookup ([`lookup`]) and concordance
//! ([`concordance`]). The only module that knows SQL.
//!
//! Every unit is stored whole (its [`TranslationUnit`] in the compact
//! encoding of [`codec`], so export reproduces it; memories written before
//! schema version 2 hold JSON bodies, which are still read) with, beside it, the match key
//! ([`crate::normalize::match_key`]) of its Arabic and English text. Units
//! are never merged: identical ones are collapsed only when shown.

mod codec;
pub mod concordance;
pub mod document;
pub mod exchange;
pub mod fuzzy;
mod index;
pub mod lookup;
mod schema;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use crate::lang::Lang;
use crate::normalize::match_key;
use crate::tmx::TranslationUnit;
use index::{PostingBuffer, SideTerms};

pub use concordance::{ConcordanceHit, ConcordanceOptions};
pub use document::{SkippedBead, units_from_pair};
pub use exchange::{FileImport, ImportOptions, ImportReport, TmxSource};
pub use lookup::{FuzzyMatch, LookupOptions};

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
    #[error("{path}: {source}")]
    Sqlite {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("{path}: cannot create the memory's directory: {source}")]
    CreateDir {
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
    #[error("nothing to search for: the term has no words (only punctuation or spaces)")]
    EmptyTerm,
    #[error(transparent)]
    Tmx(#[from] crate::tmx::TmxError),
    #[error("{0}")]
    Write(#[source] std::io::Error),
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
    fn tag_for(&self, lang: Lang) -> Option<&str> {
        [&self.source, &self.target].into_iter().find(|t| Lang::from_tag(t) == Some(lang)).map(|t| t.as_str())
    }
}

/// An open translation memory.
#[derive(Debug)]
pub struct Memory {
    conn: Connection,
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

/// A unit that lacks the Arabic or the English variant: stored (nothing is
/// dropped) but it cannot be matched, so imports report it.
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

impl Memory {
    /// Opens an existing memory; a missing file is [`MemoryError::Missing`].
    pub fn open(path: &Path) -> Result<Memory, MemoryError> {
        if !path.exists() {
            return Err(MemoryError::Missing { path: path.display().to_string() });
        }
        Memory::open_with(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
    }

    /// Opens a memory, creating it (and its directory) when missing.
    pub fn open_or_create(path: &Path) -> Result<Memory, MemoryError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
            std::fs::create_dir_all(dir)
                .map_err(|source| MemoryError::CreateDir { path: path.display().to_string(), source })?;
        }
        Memory::open_with(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE)
    }

    fn open_with(path: &Path, flags: OpenFlags) -> Result<Memory, MemoryError> {
        let name = path.display().to_string();
        let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|source| MemoryError::Sqlite { path: name.clone(), source })?;
        let memory = Memory { conn, path: path.to_path_buf() };
        schema::prepare(&memory.conn, &name)?;
        Ok(memory)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn name(&self) -> String {
        self.path.display().to_string()
    }

    fn sql_error(&self) -> impl Fn(rusqlite::Error) -> MemoryError + '_ {
        move |source| MemoryError::Sqlite { path: self.name(), source }
    }

    /// Replaces every unit of document `name` by `units`, in one transaction:
    /// re-adding a corrected alignment never leaves stale pairs behind, and
    /// re-adding the same alignment leaves the memory as it was (units
    /// identical but for their dates keep their ids and dates).
    pub fn replace_document(
        &mut self,
        name: &str,
        units: &[TranslationUnit],
    ) -> Result<Replaced, MemoryError> {
        let mut previous: Vec<(i64, TranslationUnit)> = Vec::new();
        {
            let mut statement = self
                .conn
                .prepare("SELECT id FROM unit WHERE doc = ?1 ORDER BY id")
                .map_err(self.sql_error())?;
            let ids = statement
                .query_map([name], |row| row.get::<_, i64>(0))
                .map_err(self.sql_error())?
                .collect::<Result<Vec<i64>, _>>()
                .map_err(self.sql_error())?;
            for id in ids {
                if let Some(unit) = self.unit(id)? {
                    previous.push((id, unit));
                }
            }
        }
        let mut kept_ids = std::collections::HashSet::new();
        let mut to_store: Vec<&TranslationUnit> = Vec::new();
        for unit in units {
            let same = previous
                .iter()
                .find(|(id, old)| !kept_ids.contains(id) && same_but_dates(old, unit))
                .map(|(id, _)| *id);
            match same {
                Some(id) => {
                    kept_ids.insert(id);
                }
                None => to_store.push(unit),
            }
        }

        let path = self.name();
        let err = |source| MemoryError::Sqlite { path: path.clone(), source };
        let tx =
            self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(err)?;
        let mut removed = 0;
        for (id, _) in previous.iter().filter(|(id, _)| !kept_ids.contains(id)) {
            removed += tx.execute("DELETE FROM unit WHERE id = ?1", [id]).map_err(err)?;
        }
        let mut writer = UnitWriter::new(&tx, true).map_err(err)?;
        let languages = LanguagePair::default();
        let prepared: Vec<PreparedUnit> =
            to_store.iter().map(|unit| PreparedUnit::new(unit, Some(name), &languages)).collect();
        writer.insert_all(&prepared).map_err(err)?;
        writer.finish().map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(Replaced { removed, added: to_store.len(), unchanged: kept_ids.len() })
    }

    /// Removes the units of document `name`; returns how many there were.
    pub fn remove_document(&mut self, name: &str) -> Result<usize, MemoryError> {
        let path = self.name();
        let err = |source| MemoryError::Sqlite { path: path.clone(), source };
        let tx =
            self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(err)?;
        let removed = tx.execute("DELETE FROM unit WHERE doc = ?1", [name]).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(removed)
    }

    /// The names of the documents in the memory with their unit counts.
    pub fn documents(&self) -> Result<Vec<DocumentStats>, MemoryError> {
        let mut statement = self
            .conn
            .prepare("SELECT doc, count(*) FROM unit WHERE doc IS NOT NULL GROUP BY doc ORDER BY doc")
            .map_err(self.sql_error())?;
        let rows = statement
            .query_map([], |row| Ok(DocumentStats { name: row.get(0)?, units: row.get::<_, i64>(1)? as u64 }))
            .map_err(self.sql_error())?;
        rows.collect::<Result<_, _>>().map_err(self.sql_error())
    }

    /// How many units the memory holds.
    pub fn unit_count(&self) -> Result<u64, MemoryError> {
        self.conn
            .query_row("SELECT count(*) FROM unit", [], |row| row.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(self.sql_error())
    }

    pub fn stats(&self) -> Result<Stats, MemoryError> {
        let err = self.sql_error();
        let units = self.unit_count()?;
        let mut languages = BTreeMap::new();
        let mut unmatchable = 0;
        {
            let mut statement = self
                .conn
                .prepare(
                    "SELECT langs, count(*), ar_key IS NULL OR en_key IS NULL FROM unit GROUP BY langs, 3",
                )
                .map_err(&err)?;
            let mut rows = statement.query([]).map_err(&err)?;
            while let Some(row) = rows.next().map_err(&err)? {
                let langs: String = row.get(0).map_err(&err)?;
                let count = row.get::<_, i64>(1).map_err(&err)? as u64;
                let mut tags: Vec<&str> = langs.split(' ').filter(|t| !t.is_empty()).collect();
                tags.sort_unstable();
                tags.dedup();
                for tag in tags {
                    *languages.entry(tag.to_string()).or_insert(0) += count;
                }
                if row.get::<_, bool>(2).map_err(&err)? {
                    unmatchable += count;
                }
            }
        }
        let (first_date, last_date) = self
            .conn
            .query_row("SELECT min(created), max(coalesce(changed, created)) FROM unit", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .map_err(&err)?;
        let index_bytes = self
            .conn
            .query_row(
                "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN ('posting', 'posting_by_term')",
                [],
                |row| row.get::<_, i64>(0),
            )
            .map_err(&err)? as u64;
        let file_size = |suffix: &str| {
            let mut name = self.path.as_os_str().to_owned();
            name.push(suffix);
            std::fs::metadata(PathBuf::from(name)).map(|m| m.len()).unwrap_or(0)
        };
        Ok(Stats {
            path: self.name(),
            units,
            languages,
            unmatchable,
            documents: self.documents()?,
            first_date,
            last_date,
            size_bytes: file_size("") + file_size("-wal"),
            index_bytes,
        })
    }

    /// Rebuilds the word index from the stored match keys: after an import
    /// without the index, and to drop the entries of removed units.
    pub fn reindex(&mut self) -> Result<(), MemoryError> {
        let path = self.name();
        let err = |source| MemoryError::Sqlite { path: path.clone(), source };
        let tx =
            self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(err)?;
        tx.execute("DELETE FROM posting", []).map_err(err)?;
        let mut postings = PostingBuffer::default();
        {
            let mut statement = tx.prepare("SELECT id, ar_key, en_key FROM unit ORDER BY id").map_err(err)?;
            let mut rows = statement.query([]).map_err(err)?;
            while let Some(row) = rows.next().map_err(err)? {
                let id: i64 = row.get(0).map_err(err)?;
                for (lang, column) in [(Lang::Ar, 1), (Lang::En, 2)] {
                    if let Some(key) =
                        row.get_ref(column).map_err(err)?.as_str_or_null().map_err(|e| err(e.into()))?
                    {
                        postings.add(id, &SideTerms::of_key(lang, key));
                    }
                }
                if postings.is_full() {
                    postings.flush(&tx).map_err(err)?;
                }
            }
        }
        postings.flush(&tx).map_err(err)?;
        tx.execute("UPDATE meta SET value = 0 WHERE key = 'index_stale'", []).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(())
    }

    /// Lookups need a complete index: refuse rather than miss units.
    pub(crate) fn check_index(&self) -> Result<(), MemoryError> {
        let stale: bool = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'index_stale'", [], |row| row.get(0))
            .map_err(self.sql_error())?;
        if stale { Err(MemoryError::IndexStale { path: self.name() }) } else { Ok(()) }
    }

    /// Reads one stored unit.
    pub fn unit(&self, id: i64) -> Result<Option<TranslationUnit>, MemoryError> {
        let mut statement =
            self.conn.prepare_cached("SELECT body FROM unit WHERE id = ?1").map_err(self.sql_error())?;
        let mut rows = statement.query([id]).map_err(self.sql_error())?;
        match rows.next().map_err(self.sql_error())? {
            Some(row) => self.decode_unit(id, row.get_ref(0).map_err(self.sql_error())?).map(Some),
            None => Ok(None),
        }
    }

    /// A stored body: the compact encoding (a BLOB), or JSON (TEXT) in units
    /// stored before schema version 2.
    fn decode_unit(&self, id: i64, body: ValueRef<'_>) -> Result<TranslationUnit, MemoryError> {
        let decoded = match body {
            ValueRef::Blob(bytes) => codec::decode(bytes),
            ValueRef::Text(json) => serde_json::from_slice(json).map_err(|e| e.to_string()),
            _ => Err("the body is neither a blob nor text".to_string()),
        };
        decoded.map_err(|reason| MemoryError::CorruptUnit { path: self.name(), unit: id, reason })
    }
}

/// Two units that differ at most in their dates (`creationdate`,
/// `changedate`, `lastusagedate`).
fn same_but_dates(a: &TranslationUnit, b: &TranslationUnit) -> bool {
    let undated = |unit: &TranslationUnit| -> Vec<(String, String)> {
        unit.attributes.iter().filter(|(key, _)| !key.ends_with("date")).cloned().collect()
    };
    a.tuid == b.tuid
        && a.props == b.props
        && a.notes == b.notes
        && a.variants == b.variants
        && undated(a) == undated(b)
}

/// A unit ready to store: its body encoded and everything the `unit` row
/// needs, computed from the unit alone. Import prepares units on the thread
/// that parses and stores them (and indexes their match keys) on another
/// ([`exchange`]); `tm add` and tests do both in turn.
pub(crate) struct PreparedUnit {
    tuid: Option<String>,
    doc: Option<String>,
    created: Option<String>,
    changed: Option<String>,
    langs: String,
    /// The Arabic and the English side: the variant's position and its
    /// match key.
    sides: [Option<Side>; 2],
    body: Vec<u8>,
}

struct Side {
    variant: usize,
    key: String,
}

impl PreparedUnit {
    /// Prepares `unit`; `doc` overrides the document named by its
    /// `x-document` prop.
    pub(crate) fn new(unit: &TranslationUnit, doc: Option<&str>, languages: &LanguagePair) -> PreparedUnit {
        let mut body = Vec::with_capacity(64 + unit.variants.iter().map(|v| v.seg.xml.len()).sum::<usize>());
        codec::encode(unit, &mut body);
        let doc =
            doc.or_else(|| unit.props.iter().find(|p| p.kind == "x-document").map(|p| p.value.as_str()));
        let attribute = |name: &str| {
            unit.attributes.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
        };
        let created = attribute("creationdate");
        let changed = attribute("changedate");
        let mut langs = String::with_capacity(3 * unit.variants.len());
        for (i, variant) in unit.variants.iter().enumerate() {
            if i > 0 {
                langs.push(' ');
            }
            langs.push_str(&variant.lang);
        }
        let sides = [Lang::Ar, Lang::En].map(|lang| {
            let preferred = languages.tag_for(lang).unwrap_or(lang.code());
            let variant = pick_variant(unit, lang, preferred)?;
            Some(Side { variant, key: match_key(&unit.variants[variant].seg.text()) })
        });
        PreparedUnit {
            tuid: unit.tuid.clone(),
            doc: doc.map(str::to_string),
            created,
            changed,
            langs,
            sides,
            body,
        }
    }
}

/// The languages `unit` lacks (so it cannot be matched from them): the
/// sides [`PreparedUnit::new`] leaves empty.
pub(crate) fn missing_languages(unit: &TranslationUnit) -> Vec<Lang> {
    [Lang::Ar, Lang::En]
        .into_iter()
        .filter(|&lang| !unit.variants.iter().any(|v| Lang::from_tag(&v.lang) == Some(lang)))
        .collect()
}

/// Stores prepared units with their postings; shared by import, `tm add`
/// and reindexing so every unit is indexed the same way.
///
/// Units are inserted [`ROWS_PER_STATEMENT`] at a time with multi-row
/// statements held for the whole transaction: most of SQLite's cost per
/// `INSERT` is per statement, not per row. The writer numbers the units
/// itself, continuing after the largest id the memory has ever used (what
/// `AUTOINCREMENT` would do), so it knows every id without asking.
pub(crate) struct UnitWriter<'c> {
    conn: &'c Connection,
    next_id: i64,
    /// One row, and [`ROWS_PER_STATEMENT`] rows, per statement.
    insert_unit: [rusqlite::Statement<'c>; 2],
    /// `None` when the word index is not built (a bulk import to reindex).
    postings: Option<PostingBuffer>,
}

/// Rows per multi-row `INSERT` (11 parameters each: 2,816, far below
/// SQLite's limit of 32,766). As many as an import batch holds: SQLite
/// copies the pages a multi-row statement changes into a statement journal
/// first, once per statement, so fewer statements copy fewer pages.
const ROWS_PER_STATEMENT: usize = 256;

impl<'c> UnitWriter<'c> {
    pub(crate) fn new(conn: &'c Connection, index: bool) -> rusqlite::Result<UnitWriter<'c>> {
        let rows = |count: usize, row: &str| vec![row; count].join(", ");
        let unit_sql = |count| {
            format!(
                "INSERT INTO unit
                 (id, tuid, doc, created, changed, langs, ar_variant, en_variant, ar_key, en_key, body)
                 VALUES {}",
                rows(count, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            )
        };
        let next_id = conn.query_row(
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'unit'), 0),
                        coalesce((SELECT max(id) FROM unit), 0)) + 1",
            [],
            |row| row.get(0),
        )?;
        Ok(UnitWriter {
            conn,
            next_id,
            insert_unit: [conn.prepare(&unit_sql(1))?, conn.prepare(&unit_sql(ROWS_PER_STATEMENT))?],
            postings: index.then(PostingBuffer::default),
        })
    }

    /// Stores `units` (and indexes them, if this writer builds the index).
    pub(crate) fn insert_all(&mut self, units: &[PreparedUnit]) -> rusqlite::Result<()> {
        let mut chunks = units.chunks_exact(ROWS_PER_STATEMENT);
        for chunk in &mut chunks {
            self.insert_rows(1, chunk)?;
        }
        for unit in chunks.remainder() {
            self.insert_rows(0, std::slice::from_ref(unit))?;
        }
        Ok(())
    }

    /// Inserts `units` with the statements `which` (0: one row, 1: many).
    fn insert_rows(&mut self, which: usize, units: &[PreparedUnit]) -> rusqlite::Result<()> {
        let first_id = self.next_id;
        let insert_unit = &mut self.insert_unit[which];
        for (i, unit) in units.iter().enumerate() {
            let id = first_id + i as i64;
            let [ar, en] = &unit.sides;
            let at = 11 * i;
            insert_unit.raw_bind_parameter(at + 1, id)?;
            insert_unit.raw_bind_parameter(at + 2, &unit.tuid)?;
            insert_unit.raw_bind_parameter(at + 3, &unit.doc)?;
            insert_unit.raw_bind_parameter(at + 4, &unit.created)?;
            // NULL for a unit never changed: readers take its creation
            // date (`coalesce(changed, created)`), and the row is shorter.
            insert_unit.raw_bind_parameter(at + 5, &unit.changed)?;
            insert_unit.raw_bind_parameter(at + 6, &unit.langs)?;
            insert_unit.raw_bind_parameter(at + 7, ar.as_ref().map(|s| s.variant as i64))?;
            insert_unit.raw_bind_parameter(at + 8, en.as_ref().map(|s| s.variant as i64))?;
            insert_unit.raw_bind_parameter(at + 9, ar.as_ref().map(|s| &s.key))?;
            insert_unit.raw_bind_parameter(at + 10, en.as_ref().map(|s| &s.key))?;
            insert_unit.raw_bind_parameter(at + 11, &unit.body)?;
        }
        insert_unit.raw_execute()?;
        self.next_id += units.len() as i64;
        if let Some(postings) = &mut self.postings {
            for (i, unit) in units.iter().enumerate() {
                for (lang, side) in [Lang::Ar, Lang::En].into_iter().zip(&unit.sides) {
                    if let Some(side) = side {
                        postings.add(first_id + i as i64, &SideTerms::of_key(lang, &side.key));
                    }
                }
            }
            if postings.is_full() {
                postings.flush(self.conn)?;
            }
        }
        Ok(())
    }

    pub(crate) fn finish(self) -> rusqlite::Result<()> {
        match self.postings {
            Some(mut postings) => postings.flush(self.conn),
            None => self.conn.execute("UPDATE meta SET value = 1 WHERE key = 'index_stale'", []).map(|_| ()),
        }
    }
}

/// The variant of `unit` in `lang`, preferring (as OmegaT does) the exact
/// tag the user named, then the bare language, then any region; the first
/// in document order among equals.
fn pick_variant(unit: &TranslationUnit, lang: Lang, preferred: &str) -> Option<usize> {
    unit.variants
        .iter()
        .enumerate()
        .filter(|(_, v)| Lang::from_tag(&v.lang) == Some(lang))
        .min_by_key(|(i, v)| {
            let rank = if v.lang.eq_ignore_ascii_case(preferred) {
                0
            } else if !v.lang.bytes().any(|b| b == b'-' || b == b'_') {
                1
            } else {
                2
            };
            (rank, *i)
        })
        .map(|(i, _)| i)
}

/// Describes what keeps a unit from being matched, for import reports.
pub(crate) fn language_issue(
    unit: &TranslationUnit,
    missing: &[Lang],
    position: usize,
) -> Option<LanguageIssue> {
    if missing.is_empty() {
        return None;
    }
    let names: Vec<&str> = missing
        .iter()
        .map(|l| match l {
            Lang::Ar => "Arabic",
            Lang::En => "English",
        })
        .collect();
    let tags: Vec<String> = unit.variants.iter().map(|v| format!("`{}`", v.lang)).collect();
    let mut message = format!(
        "no {} variant (languages: {}); kept, but it cannot be matched",
        names.join(" or "),
        if tags.is_empty() { "none".to_string() } else { tags.join(", ") }
    );
    let unknown: Vec<&str> =
        unit.variants.iter().filter(|v| Lang::from_tag(&v.lang).is_none()).map(|v| v.lang.as_str()).collect();
    if unknown.iter().any(|t| t.eq_ignore_ascii_case("ara") || t.eq_ignore_ascii_case("eng")) {
        message.push_str(" — three-letter codes such as `ara` are not language tags here; use `ar` / `en`");
    }
    Some(LanguageIssue { position, tuid: unit.tuid.clone(), message })
}

#[cfg(test)]
mod tests;
