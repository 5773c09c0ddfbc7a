//! The memory's SQLite schema and its migrations.
//!
//! The schema version is `PRAGMA user_version`; `MIGRATIONS[i]` takes a
//! memory from version `i` to `i + 1`. A memory written by a newer version is
//! refused before anything is written to it (not even the journal mode).

use rusqlite::Connection;

use super::store_error;
use crate::memory::MemoryError;
use crate::memory::prepared::undated_digest;

/// `PRAGMA application_id` of a dragoman memory ("DRGM").
const APPLICATION_ID: i64 = 0x4452_474D;

/// Version 1: units (metadata, match keys) and their bodies (the whole
/// [`crate::tmx::TranslationUnit`] as JSON, in `unit_body` until version 3),
/// and the word index.
pub(crate) const V1: &str = "
CREATE TABLE unit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tuid TEXT,
    -- the document a unit was added from (`tm add`, or its x-document prop)
    doc TEXT,
    -- TMX dates as written (YYYYMMDDThhmmssZ sorts as text)
    created TEXT,
    changed TEXT,
    -- the variants' language tags as written, space-separated
    langs TEXT NOT NULL,
    -- which variant is the Arabic / English one (NULL when the unit lacks it)
    ar_variant INTEGER,
    en_variant INTEGER,
    -- normalize::match_key of those variants' plain text
    ar_key TEXT,
    en_key TEXT
);
CREATE INDEX unit_by_doc ON unit (doc) WHERE doc IS NOT NULL;
CREATE TABLE unit_body (
    unit INTEGER PRIMARY KEY REFERENCES unit (id) ON DELETE CASCADE,
    body TEXT NOT NULL
);
CREATE TABLE posting (
    term INTEGER NOT NULL,
    units INTEGER NOT NULL,
    entries BLOB NOT NULL
);
CREATE INDEX posting_by_term ON posting (term, units);
-- `index_stale` = 1 after an import without the index, until a reindex.
CREATE TABLE meta (key TEXT PRIMARY KEY, value NOT NULL) WITHOUT ROWID;
INSERT INTO meta VALUES ('index_stale', 0);
";

/// Version 2: unit bodies are written in the compact binary encoding of
/// [`crate::memory::codec`] (BLOBs); version-1 JSON bodies (TEXT) stay readable, so
/// nothing is rewritten. The version changes so that an older dragoman
/// refuses the memory with a clear message instead of failing on a BLOB.
const V2: &str = "-- no table changes";

/// Version 3: the body moves into the unit row. An import then inserts one
/// row per unit into one B-tree instead of two (with a foreign-key check
/// between them), about a fifth of the storing thread's work.
const V3: &str = "
ALTER TABLE unit ADD COLUMN body;
UPDATE unit SET body = (SELECT body FROM unit_body WHERE unit_body.unit = unit.id);
DROP TABLE unit_body;
";

/// Version 4: every unit's [`crate::memory::prepared::undated_digest`],
/// indexed, so an import finds the units the memory already holds without
/// reading them all. The digests of stored units are computed in Rust
/// ([`fill_digests`]) in the same transaction.
const V4: &str = "
ALTER TABLE unit ADD COLUMN digest INTEGER;
CREATE INDEX unit_by_digest ON unit (digest);
";

/// Version 5: what the memory records about each document stored by
/// `tm add` or `ingest` (where it was read from, its title and date, when it
/// was last stored), written in the transaction that stores its units. The
/// documents of older memories have no row: their source is not known.
const V5: &str = "
CREATE TABLE document (
    name TEXT PRIMARY KEY,
    -- an absolute path, or `-` for standard input
    source_file TEXT,
    title TEXT,
    date TEXT,
    -- ISO 8601, UTC
    ingested TEXT NOT NULL
) WITHOUT ROWID;
";

const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5];

/// The schema version this build writes.
pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;

/// Checks that `conn` is a dragoman memory this version can use, then sets
/// the connection up (WAL, foreign keys) and migrates it to the current
/// schema. A new, empty database becomes an empty memory.
///
/// Opened for reading only (`writable` false), nothing is written: the
/// memory must be at least version 3 (the body in the unit row, which
/// every read uses).
pub(crate) fn prepare(conn: &Connection, name: &str, writable: bool) -> Result<(), MemoryError> {
    let err = |source| store_error(name, source);
    let not_ours =
        |reason: &str| MemoryError::NotAMemory { path: name.to_string(), reason: reason.to_string() };
    // Opening waits for a migrating or creating process as long as it
    // takes (writes are bounded by `LockWait` instead).
    conn.busy_timeout(super::WAIT_WITHOUT_LIMIT).map_err(err)?;
    let mut version: i64 = match conn.query_row("PRAGMA user_version", [], |row| row.get(0)) {
        Ok(v) => v,
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::NotADatabase => {
            return Err(not_ours("not an SQLite database"));
        }
        Err(e) => return Err(err(e)),
    };
    let application_id: i64 = conn.query_row("PRAGMA application_id", [], |row| row.get(0)).map_err(err)?;
    if application_id != 0 && application_id != APPLICATION_ID {
        return Err(not_ours("an SQLite database written by another application"));
    }
    if version > CURRENT_VERSION {
        return Err(MemoryError::NewerSchema {
            path: name.to_string(),
            found: version,
            supported: CURRENT_VERSION,
        });
    }
    if version == 0 {
        let tables: i64 =
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0)).map_err(err)?;
        if tables > 0 {
            // Another process may have created the memory between the two
            // reads: its version tells ours from someone else's tables.
            version = conn.query_row("PRAGMA user_version", [], |row| row.get(0)).map_err(err)?;
            if version == 0 {
                return Err(not_ours("an SQLite database with other tables"));
            }
        }
    }
    if !writable {
        if version < 3 {
            return Err(MemoryError::ReadOnly {
                path: name.to_string(),
                reason: format!(
                    "it was written by an older dragoman (schema version {version}) and must be upgraded where it can be written"
                ),
            });
        }
        return Ok(());
    }
    if version == 0 {
        // Before the first page is written: larger pages mean fewer B-tree
        // splits and write-ahead-log frames per imported unit.
        conn.pragma_update(None, "page_size", 16_384).map_err(err)?;
    }
    // Switching a new file to WAL needs it to itself, and SQLite answers
    // "database is locked" at once, without its busy handler, while another
    // process is creating or opening the same new memory: retry for a while.
    let started = std::time::Instant::now();
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Ok(()) => break,
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && started.elapsed() < std::time::Duration::from_secs(60) =>
            {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            Err(e) => return Err(err(e)),
        }
    }
    // WAL with NORMAL sync: a crash loses at most the last commit, never
    // consistency.
    conn.pragma_update(None, "synchronous", "NORMAL").map_err(err)?;
    conn.pragma_update(None, "foreign_keys", true).map_err(err)?;
    conn.pragma_update(None, "cache_size", -32_000).map_err(err)?;
    conn.pragma_update(None, "temp_store", "MEMORY").map_err(err)?;
    if version < CURRENT_VERSION {
        // The write lock first, then the version again: another process
        // may have created or migrated the memory since it was read above
        // (two imports into a project without a memory yet).
        let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)
            .map_err(err)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0)).map_err(err)?;
        if version > CURRENT_VERSION {
            return Err(MemoryError::NewerSchema {
                path: name.to_string(),
                found: version,
                supported: CURRENT_VERSION,
            });
        }
        for migration in &MIGRATIONS[version as usize..] {
            tx.execute_batch(migration).map_err(err)?;
        }
        if (1..4).contains(&version) {
            fill_digests(&tx, name)?;
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID).map_err(err)?;
        tx.pragma_update(None, "user_version", CURRENT_VERSION).map_err(err)?;
        tx.commit().map_err(err)?;
    }
    Ok(())
}

/// Computes the digest of every unit stored before schema version 4.
fn fill_digests(conn: &Connection, name: &str) -> Result<(), MemoryError> {
    let err = |source| store_error(name, source);
    let mut select = conn.prepare("SELECT id, body FROM unit WHERE digest IS NULL").map_err(err)?;
    let mut update = conn.prepare("UPDATE unit SET digest = ?1 WHERE id = ?2").map_err(err)?;
    let mut rows = select.query([]).map_err(err)?;
    while let Some(row) = rows.next().map_err(err)? {
        let id: i64 = row.get(0).map_err(err)?;
        let unit = super::decode_body(name, id, row.get_ref(1).map_err(err)?)?;
        update.execute([undated_digest(&unit), id]).map_err(err)?;
    }
    Ok(())
}
