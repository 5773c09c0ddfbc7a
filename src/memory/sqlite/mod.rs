//! The SQLite backend: every line of SQL the memory runs.
//!
//! A memory is one SQLite file (WAL journal beside it while open: `-wal`,
//! `-shm`). `schema` creates and migrates it (`user_version`; a newer schema
//! is refused untouched), `writer` holds the write path (the one
//! `IMMEDIATE` transaction, multi-row inserts of unit rows, posting rows);
//! this file the reads. One row per unit (`unit`: metadata, match keys and
//! the encoded body) and one per posting list (`posting`), appended by
//! every flush of an import's [`PostingBuffer`].

mod schema;
mod writer;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::index::{PostingBuffer, SideTerms};
use super::store::{LockWait, Store, StoredUnit, UnitKeys, WriteTransaction};
use super::{DocumentRecord, MemoryError, Stats, codec};
use crate::lang::Lang;
use crate::tmx::TranslationUnit;

/// An open SQLite memory.
#[derive(Debug)]
pub(crate) struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    /// The path as messages show it.
    name: String,
    /// How a write waits for another process's write lock.
    wait: LockWait,
    /// Opened without writing anything (see [`SqliteStore::open`]).
    read_only: bool,
}

/// The wait for a lock with no limit given: as long as the other process
/// holds it (SQLite counts milliseconds in an `int`: 24 days).
const WAIT_WITHOUT_LIMIT: std::time::Duration = std::time::Duration::from_millis(i32::MAX as u64);

/// A backend failure of the memory called `name`. A full disk is said as
/// such, naming the file that could not grow (SQLite says "database or
/// disk is full", or "disk I/O error" when its shared-memory index cannot
/// grow).
fn store_error(name: &str, source: rusqlite::Error) -> MemoryError {
    if let rusqlite::Error::SqliteFailure(code, _) = &source {
        if code.code == rusqlite::ErrorCode::DiskFull {
            return MemoryError::DiskFull { path: name.to_string() };
        }
        if code.extended_code == rusqlite::ffi::SQLITE_IOERR_SHMSIZE {
            return MemoryError::DiskFull { path: format!("{name}-shm") };
        }
        if code.code == rusqlite::ErrorCode::ReadOnly {
            return MemoryError::ReadOnly { path: name.to_string(), reason: READ_ONLY_PLACE.to_string() };
        }
    }
    MemoryError::Store { path: name.to_string(), source: Box::new(source) }
}

/// Why a memory opened for reading only cannot be written.
const READ_ONLY_PLACE: &str = "its file, its directory or the disk is read-only here";

impl SqliteStore {
    /// Opens the memory at `path` (creating the file when `create`), checks
    /// that it is one this version can use, and migrates it.
    ///
    /// A memory this process cannot write (a read-only file, directory or
    /// mount, or a full disk where the shared-memory index cannot grow) is
    /// opened for reading only, leaving no file behind: reads work, writes
    /// fail with [`MemoryError::ReadOnly`].
    pub(crate) fn open(path: &Path, create: bool) -> Result<SqliteStore, MemoryError> {
        let name = path.display().to_string();
        if !create && !writable(path) {
            return SqliteStore::open_read_only(path);
        }
        let [_, wal, shm, _] = files(path);
        let (had_wal, had_shm) = (wal.exists(), shm.exists());
        match SqliteStore::open_read_write(path, create) {
            Ok(store) => Ok(store),
            Err((error, cause)) if cannot_write(cause) => {
                // What the failed open created (an empty log, an index it
                // could not grow) goes; then, to read, open without
                // writing anything.
                if !had_wal && std::fs::metadata(&wal).is_ok_and(|m| m.len() == 0) {
                    let _ = std::fs::remove_file(&wal);
                }
                if !had_shm {
                    let _ = std::fs::remove_file(&shm);
                }
                if create { Err(error) } else { SqliteStore::open_read_only(path).map_err(|_| error) }
            }
            Err((error, _)) => Err(error),
        }
        .map_err(|error| match error {
            MemoryError::Store { .. } if !path.exists() => MemoryError::Missing { path: name.clone() },
            other => other,
        })
    }

    /// Opens for reading and writing; on failure also SQLite's code.
    fn open_read_write(
        path: &Path,
        create: bool,
    ) -> Result<SqliteStore, (MemoryError, Option<rusqlite::ffi::Error>)> {
        let name = path.display().to_string();
        let sqlite_code = |error: &rusqlite::Error| match error {
            rusqlite::Error::SqliteFailure(code, _) => Some(*code),
            _ => None,
        };
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| (sqlite_code(&e), store_error(&name, e)))
            .map_err(|(code, error)| (error, code))?;
        schema::prepare(&conn, &name, true).map_err(|error| {
            let code = match &error {
                MemoryError::Store { source, .. } => {
                    source.downcast_ref::<rusqlite::Error>().and_then(sqlite_code)
                }
                MemoryError::DiskFull { .. } => Some(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL)),
                MemoryError::ReadOnly { .. } => {
                    Some(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY))
                }
                _ => None,
            };
            (error, code)
        })?;
        Ok(SqliteStore { conn, path: path.to_path_buf(), name, wait: LockWait::default(), read_only: false })
    }

    /// Opens without writing anything: read-only when another process has
    /// the write-ahead log open (its shared-memory index is there to read),
    /// otherwise `immutable`, which creates no `-wal` or `-shm`.
    fn open_read_only(path: &Path) -> Result<SqliteStore, MemoryError> {
        let name = path.display().to_string();
        let [_, wal, shm, _] = files(path);
        let in_use = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) && shm.exists();
        let flags =
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let conn = if in_use {
            Connection::open_with_flags(path, flags)
        } else {
            Connection::open_with_flags(format!("{}?immutable=1", file_uri(path)), flags)
        }
        .map_err(|e| store_error(&name, e))?;
        schema::prepare(&conn, &name, false)?;
        Ok(SqliteStore { conn, path: path.to_path_buf(), name, wait: LockWait::default(), read_only: true })
    }

    /// Creates a new, empty memory at `path`, or `None` when a file is
    /// already there. The file is claimed with an exclusive create, so a
    /// memory another process creates at the same moment is never taken for
    /// one made here (nor deleted by [`Store::discard`]).
    pub(crate) fn create_new(path: &Path) -> Result<Option<SqliteStore>, MemoryError> {
        match std::fs::OpenOptions::new().write(true).create_new(true).open(path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(None),
            Err(source) => return Err(MemoryError::CreateFile { path: path.display().to_string(), source }),
        }
        // An empty file is an empty SQLite database: opening makes it a
        // memory.
        match SqliteStore::open(path, false) {
            Ok(store) => Ok(Some(store)),
            Err(error) => {
                // It was ours and holds nothing: leave nothing behind.
                let _ = remove_files(path);
                Err(error)
            }
        }
    }

    fn check_writable(&self) -> Result<(), MemoryError> {
        if self.read_only {
            return Err(MemoryError::ReadOnly {
                path: self.name.clone(),
                reason: READ_ONLY_PLACE.to_string(),
            });
        }
        Ok(())
    }

    fn error(&self) -> impl Fn(rusqlite::Error) -> MemoryError + '_ {
        move |source| store_error(&self.name, source)
    }

    /// A stored body: see [`decode_body`].
    fn decode_body(&self, id: i64, body: ValueRef<'_>) -> Result<TranslationUnit, MemoryError> {
        decode_body(&self.name, id, body)
    }
}

/// A stored body: the compact encoding (a BLOB), or JSON (TEXT) in units
/// stored before schema version 2.
fn decode_body(name: &str, id: i64, body: ValueRef<'_>) -> Result<TranslationUnit, MemoryError> {
    let decoded = match body {
        ValueRef::Blob(bytes) => return codec::decode_stored(name, id, bytes),
        ValueRef::Text(json) => serde_json::from_slice(json).map_err(|e| e.to_string()),
        _ => Err("the body is neither a blob nor text".to_string()),
    };
    decoded.map_err(|reason| MemoryError::CorruptUnit { path: name.to_string(), unit: id, reason })
}

/// Whether this process can write the memory's file and create files
/// beside it (the journal files). Opening the file for writing changes
/// nothing; the directory is tried with a file created and removed at once.
fn writable(path: &Path) -> bool {
    let denied = |e: &std::io::Error| {
        matches!(e.kind(), std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem)
    };
    if let Err(e) = std::fs::OpenOptions::new().write(true).open(path)
        && denied(&e)
    {
        return false;
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    match tempfile::Builder::new().prefix(".dragoman-probe").tempfile_in(dir) {
        Ok(_) => true,
        Err(e) => !denied(&e),
    }
}

/// Whether an open failed because nothing could be written (read-only
/// file or directory, full disk): reading without writing may still work.
fn cannot_write(code: Option<rusqlite::ffi::Error>) -> bool {
    code.is_some_and(|code| {
        matches!(
            code.code,
            rusqlite::ErrorCode::ReadOnly
                | rusqlite::ErrorCode::CannotOpen
                | rusqlite::ErrorCode::DiskFull
                | rusqlite::ErrorCode::SystemIoFailure
        )
    })
}

/// `path` as an SQLite `file:` URI, every byte but unreserved ASCII
/// percent-encoded (a path holding `?` or `#` is not read as a query).
fn file_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for &byte in absolute.as_os_str().as_encoded_bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~".contains(&byte) {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// The files of the memory at `path`: the database, its write-ahead log and
/// its shared-memory index (and a rollback journal, which WAL mode never
/// leaves, listed for completeness).
fn files(path: &Path) -> [PathBuf; 4] {
    ["", "-wal", "-shm", "-journal"].map(|suffix| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    })
}

/// Deletes the files of the memory at `path` (closed), those that exist.
fn remove_files(path: &Path) -> Result<(), MemoryError> {
    for file in files(path) {
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(MemoryError::Discard { path: file.display().to_string(), source }),
        }
    }
    Ok(())
}

/// The match-key columns of the `source` side and of the other side.
fn key_columns(source: Lang) -> (&'static str, &'static str) {
    match source {
        Lang::Ar => ("ar_key", "en_key"),
        Lang::En => ("en_key", "ar_key"),
    }
}

impl Store for SqliteStore {
    fn unit_count(&self) -> Result<u64, MemoryError> {
        self.conn
            .query_row("SELECT count(*) FROM unit", [], |row| row.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(self.error())
    }

    fn unit(&self, id: i64) -> Result<Option<TranslationUnit>, MemoryError> {
        let err = self.error();
        let mut statement = self.conn.prepare_cached("SELECT body FROM unit WHERE id = ?1").map_err(&err)?;
        let mut rows = statement.query([id]).map_err(&err)?;
        match rows.next().map_err(&err)? {
            Some(row) => self.decode_body(id, row.get_ref(0).map_err(&err)?).map(Some),
            None => Ok(None),
        }
    }

    fn shown_unit(&self, id: i64) -> Result<Option<StoredUnit>, MemoryError> {
        let err = self.error();
        let mut statement = self
            .conn
            .prepare_cached("SELECT body, ar_variant, en_variant, tuid, doc FROM unit WHERE id = ?1")
            .map_err(&err)?;
        let mut rows = statement.query([id]).map_err(&err)?;
        let Some(row) = rows.next().map_err(&err)? else { return Ok(None) };
        let unit = self.decode_body(id, row.get_ref(0).map_err(&err)?)?;
        let variant = |column| -> rusqlite::Result<Option<usize>> {
            // A negative or oversized position names no variant.
            Ok(row.get::<_, Option<i64>>(column)?.and_then(|i| usize::try_from(i).ok()))
        };
        Ok(Some(StoredUnit {
            ar_variant: variant(1).map_err(&err)?,
            en_variant: variant(2).map_err(&err)?,
            tuid: row.get(3).map_err(&err)?,
            doc: row.get(4).map_err(&err)?,
            unit,
        }))
    }

    fn for_each_unit(
        &self,
        visit: &mut dyn FnMut(TranslationUnit) -> Result<(), MemoryError>,
    ) -> Result<u64, MemoryError> {
        let err = self.error();
        let mut statement = self.conn.prepare("SELECT id, body FROM unit ORDER BY id").map_err(&err)?;
        let mut rows = statement.query([]).map_err(&err)?;
        let mut count = 0;
        while let Some(row) = rows.next().map_err(&err)? {
            let id: i64 = row.get(0).map_err(&err)?;
            visit(self.decode_body(id, row.get_ref(1).map_err(&err)?)?)?;
            count += 1;
        }
        Ok(count)
    }

    fn documents(&self) -> Result<Vec<DocumentRecord>, MemoryError> {
        let err = self.error();
        // A memory of schema version 4 opened for reading only has no
        // `document` table: nothing is recorded about its documents.
        let recorded: bool = self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'document')", [], |row| {
                row.get(0)
            })
            .map_err(&err)?;
        let records = if recorded {
            "SELECT name, 0, source_file, title, date, ingested FROM document"
        } else {
            "SELECT NULL, 0, NULL, NULL, NULL, NULL WHERE 0"
        };
        let mut statement = self
            .conn
            .prepare(&format!(
                "SELECT name, sum(units), max(source_file), max(title), max(date), max(ingested) FROM (
                     SELECT doc AS name, count(*) AS units, NULL AS source_file, NULL AS title,
                            NULL AS date, NULL AS ingested
                     FROM unit WHERE doc IS NOT NULL GROUP BY doc
                     UNION ALL {records}
                 ) GROUP BY name ORDER BY name"
            ))
            .map_err(&err)?;
        let rows = statement
            .query_map([], |row| {
                Ok(DocumentRecord {
                    name: row.get(0)?,
                    units: row.get::<_, i64>(1)? as u64,
                    source_file: row.get(2)?,
                    title: row.get(3)?,
                    date: row.get(4)?,
                    ingested: row.get(5)?,
                })
            })
            .map_err(&err)?;
        rows.collect::<Result<_, _>>().map_err(&err)
    }

    fn for_each_document_unit(
        &self,
        name: &str,
        visit: &mut dyn FnMut(TranslationUnit) -> Result<(), MemoryError>,
    ) -> Result<u64, MemoryError> {
        let err = self.error();
        let mut statement =
            self.conn.prepare("SELECT id, body FROM unit WHERE doc = ?1 ORDER BY id").map_err(&err)?;
        let mut rows = statement.query([name]).map_err(&err)?;
        let mut count = 0;
        while let Some(row) = rows.next().map_err(&err)? {
            let id: i64 = row.get(0).map_err(&err)?;
            visit(self.decode_body(id, row.get_ref(1).map_err(&err)?)?)?;
            count += 1;
        }
        Ok(count)
    }

    fn stats(&self) -> Result<Stats, MemoryError> {
        let err = self.error();
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
        let [database, wal, ..] = files(&self.path);
        let file_size = |path: &Path| std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        Ok(Stats {
            path: self.name.clone(),
            units,
            languages,
            unmatchable,
            // Filled in by `Memory::stats`, the same for every backend.
            documents: Vec::new(),
            first_date,
            last_date,
            size_bytes: file_size(&database) + file_size(&wal),
            index_bytes,
        })
    }

    fn check_integrity(&self) -> Result<(), MemoryError> {
        let err = self.error();
        let mut statement = self.conn.prepare("PRAGMA integrity_check").map_err(&err)?;
        let problems = statement
            .query_map([], |row| row.get::<_, String>(0))
            .map_err(&err)?
            .collect::<Result<Vec<String>, _>>()
            .map_err(&err)?;
        if problems.iter().all(|p| p == "ok") {
            return Ok(());
        }
        Err(MemoryError::Damaged { path: self.name.clone(), report: problems.join("; ") })
    }

    fn keys(&self, id: i64, source: Lang) -> Result<Option<UnitKeys>, MemoryError> {
        let (side, other) = key_columns(source);
        let err = self.error();
        let mut statement = self
            .conn
            .prepare_cached(&format!(
                "SELECT {side}, {other}, coalesce(changed, created) FROM unit WHERE id = ?1"
            ))
            .map_err(&err)?;
        statement
            .query_row([id], |row| {
                Ok(UnitKeys { source: row.get(0)?, target: row.get(1)?, changed: row.get(2)? })
            })
            .optional()
            .map_err(&err)
    }

    fn for_each_keys(&self, source: Lang, visit: &mut dyn FnMut(i64, UnitKeys)) -> Result<(), MemoryError> {
        let (side, other) = key_columns(source);
        let err = self.error();
        let mut statement = self
            .conn
            .prepare(&format!(
                "SELECT id, {side}, {other}, coalesce(changed, created) FROM unit WHERE {side} IS NOT NULL"
            ))
            .map_err(&err)?;
        let mut rows = statement.query([]).map_err(&err)?;
        while let Some(row) = rows.next().map_err(&err)? {
            let keys = UnitKeys {
                source: row.get(1).map_err(&err)?,
                target: row.get(2).map_err(&err)?,
                changed: row.get(3).map_err(&err)?,
            };
            visit(row.get(0).map_err(&err)?, keys);
        }
        Ok(())
    }

    fn index_is_stale(&self) -> Result<bool, MemoryError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = 'index_stale'", [], |row| row.get(0))
            .map_err(self.error())
    }

    fn term_frequency(&self, term: i64) -> Result<u64, MemoryError> {
        let err = self.error();
        let mut statement = self
            .conn
            .prepare_cached("SELECT coalesce(sum(units), 0) FROM posting WHERE term = ?1")
            .map_err(&err)?;
        statement.query_row([term], |row| row.get::<_, i64>(0)).map(|n| n.max(0) as u64).map_err(&err)
    }

    fn for_each_posting_list(&self, term: i64, visit: &mut dyn FnMut(&[u8])) -> Result<(), MemoryError> {
        let err = self.error();
        let mut statement =
            self.conn.prepare_cached("SELECT entries FROM posting WHERE term = ?1").map_err(&err)?;
        let mut rows = statement.query([term]).map_err(&err)?;
        while let Some(row) = rows.next().map_err(&err)? {
            visit(row.get_ref(0).map_err(&err)?.as_blob().map_err(|e| err(e.into()))?);
        }
        Ok(())
    }

    fn reindex(&mut self) -> Result<(), MemoryError> {
        self.check_writable()?;
        let name = self.name.as_str();
        let err = |source| store_error(name, source);
        let tx = writer::begin_immediate(&self.conn, name, &self.wait)?;
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
                    writer::write_postings(&tx, &mut postings).map_err(err)?;
                }
            }
        }
        writer::write_postings(&tx, &mut postings).map_err(err)?;
        tx.execute("UPDATE meta SET value = 0 WHERE key = 'index_stale'", []).map_err(err)?;
        tx.commit().map_err(err)
    }

    fn begin_write(&mut self, index: bool) -> Result<Box<dyn WriteTransaction + '_>, MemoryError> {
        self.check_writable()?;
        Ok(Box::new(writer::SqliteWrite::begin(&self.conn, &self.name, index, &self.wait)?))
    }

    fn discard(self: Box<Self>) -> Result<(), MemoryError> {
        let SqliteStore { conn, path, name, .. } = *self;
        // Closing checkpoints and may delete the log itself; the rest goes
        // after it.
        conn.close().map_err(|(_, e)| store_error(&name, e))?;
        remove_files(&path)
    }

    fn set_lock_wait(&mut self, wait: LockWait) {
        self.wait = wait;
    }
}
