//! The SQLite write path: the one write transaction, the unit rows of
//! prepared units and the rows of posting lists.

use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use super::{decode_body, store_error};
use crate::lang::Lang;
use crate::memory::index::PostingBuffer;
use crate::memory::prepared::PreparedUnit;
use crate::memory::store::{LockWait, WriteTransaction};
use crate::memory::{DocumentInfo, MemoryError};
use crate::tmx::TranslationUnit;

/// An `IMMEDIATE` transaction (it takes the write lock at once, so a second
/// writer waits at the start instead of failing halfway), with the unit
/// writer made on the first [`WriteTransaction::store`]: removing a document
/// prepares no insert statements.
pub(super) struct SqliteWrite<'c> {
    // Declared before `tx`, so its statements are finalized before the
    // transaction ends.
    writer: Option<UnitWriter<'c>>,
    tx: Transaction<'c>,
    conn: &'c Connection,
    index: bool,
    name: &'c str,
    /// The largest unit id when the transaction began (read on first
    /// need): units at or below it were stored before.
    stored_before: Option<i64>,
    /// The digest index was dropped for this transaction (it stores into
    /// an empty memory) and is rebuilt on commit.
    rebuild_digest_index: bool,
}

impl<'c> SqliteWrite<'c> {
    pub(super) fn begin(
        conn: &'c Connection,
        name: &'c str,
        index: bool,
        wait: &LockWait,
    ) -> Result<Self, MemoryError> {
        let tx = begin_immediate(conn, name, wait)?;
        Ok(SqliteWrite {
            writer: None,
            tx,
            conn,
            index,
            name,
            stored_before: None,
            rebuild_digest_index: false,
        })
    }

    fn error(&self) -> impl Fn(rusqlite::Error) -> MemoryError + '_ {
        move |source| store_error(self.name, source)
    }
}

impl WriteTransaction for SqliteWrite<'_> {
    fn store(&mut self, units: &[PreparedUnit]) -> Result<(), MemoryError> {
        let name = self.name;
        let writer = match self.writer.take() {
            Some(writer) => writer,
            None => {
                let writer = UnitWriter::new(self.conn, self.index).map_err(|e| store_error(name, e))?;
                // Into an empty memory (a first bulk import), the digest
                // index is built once at the end, sorted, instead of row by
                // row at random places: that costs an import more than
                // twice the time.
                let empty: bool = self
                    .tx
                    .query_row("SELECT NOT EXISTS (SELECT 1 FROM unit)", [], |row| row.get(0))
                    .map_err(|e| store_error(name, e))?;
                if empty && units.len() > 1 {
                    self.tx.execute_batch("DROP INDEX unit_by_digest").map_err(|e| store_error(name, e))?;
                    self.rebuild_digest_index = true;
                }
                writer
            }
        };
        self.writer.insert(writer).insert_all(units).map_err(|e| store_error(name, e))
    }

    fn remove_units(&mut self, ids: &[i64]) -> Result<usize, MemoryError> {
        let err = self.error();
        let mut delete = self.tx.prepare_cached("DELETE FROM unit WHERE id = ?1").map_err(&err)?;
        let mut removed = 0;
        for id in ids {
            removed += delete.execute([id]).map_err(&err)?;
        }
        Ok(removed)
    }

    fn remove_document(&mut self, name: &str) -> Result<usize, MemoryError> {
        self.tx.execute("DELETE FROM document WHERE name = ?1", [name]).map_err(self.error())?;
        self.tx.execute("DELETE FROM unit WHERE doc = ?1", [name]).map_err(self.error())
    }

    fn document_record(&mut self, name: &str) -> Result<Option<(DocumentInfo, String)>, MemoryError> {
        self.tx
            .query_row(
                "SELECT source_file, title, date, ingested FROM document WHERE name = ?1",
                [name],
                |row| {
                    Ok((
                        DocumentInfo { source_file: row.get(0)?, title: row.get(1)?, date: row.get(2)? },
                        row.get(3)?,
                    ))
                },
            )
            .optional()
            .map_err(self.error())
    }

    fn set_document_record(
        &mut self,
        name: &str,
        info: &DocumentInfo,
        ingested: &str,
    ) -> Result<(), MemoryError> {
        self.tx
            .execute(
                "INSERT OR REPLACE INTO document (name, source_file, title, date, ingested)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![name, info.source_file, info.title, info.date, ingested],
            )
            .map_err(self.error())?;
        Ok(())
    }

    fn document_units(&mut self, name: &str) -> Result<Vec<(i64, TranslationUnit)>, MemoryError> {
        let err = self.error();
        let mut statement =
            self.tx.prepare("SELECT id, body FROM unit WHERE doc = ?1 ORDER BY id").map_err(&err)?;
        let mut rows = statement.query([name]).map_err(&err)?;
        let mut units = Vec::new();
        while let Some(row) = rows.next().map_err(&err)? {
            let id: i64 = row.get(0).map_err(&err)?;
            units.push((id, decode_body(self.name, id, row.get_ref(1).map_err(&err)?)?));
        }
        Ok(units)
    }

    fn units_with_digests(&mut self, digests: &[i64]) -> Result<Vec<TranslationUnit>, MemoryError> {
        let err = |source| store_error(self.name, source);
        let stored_before = match self.stored_before {
            Some(id) => id,
            None => {
                let id = self
                    .tx
                    .query_row("SELECT coalesce(max(id), 0) FROM unit", [], |row| row.get(0))
                    .map_err(err)?;
                *self.stored_before.insert(id)
            }
        };
        let mut units = Vec::new();
        // A memory empty before the import (a first bulk load) holds no
        // unit to compare with.
        if stored_before == 0 {
            return Ok(units);
        }
        let mut select = self
            .tx
            .prepare_cached("SELECT id, body FROM unit WHERE digest = ?1 AND id <= ?2")
            .map_err(err)?;
        for digest in digests {
            let mut rows = select.query(params![digest, stored_before]).map_err(err)?;
            while let Some(row) = rows.next().map_err(err)? {
                let id: i64 = row.get(0).map_err(err)?;
                units.push(decode_body(self.name, id, row.get_ref(1).map_err(err)?)?);
            }
        }
        Ok(units)
    }

    fn commit(self: Box<Self>) -> Result<(), MemoryError> {
        let SqliteWrite { writer, tx, conn, index, name, rebuild_digest_index, .. } = *self;
        let err = |source| store_error(name, source);
        if let Some(writer) = writer {
            writer.finish().map_err(err)?;
        }
        if rebuild_digest_index {
            conn.execute_batch("CREATE INDEX unit_by_digest ON unit (digest)").map_err(err)?;
        }
        if !index {
            conn.execute("UPDATE meta SET value = 1 WHERE key = 'index_stale'", []).map_err(err)?;
        }
        tx.commit().map_err(err)
    }
}

/// `BEGIN IMMEDIATE` on `conn`, waiting for the write lock as `wait` says:
/// first without waiting, so that a write that must wait can say so once
/// (`on_wait`), then as long as `wait.limit` allows. A lock still held then
/// is [`MemoryError::Locked`].
pub(super) fn begin_immediate<'c>(
    conn: &'c Connection,
    name: &str,
    wait: &LockWait,
) -> Result<Transaction<'c>, MemoryError> {
    let err = |source| store_error(name, source);
    let busy = |error: &rusqlite::Error| error.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy);
    conn.busy_timeout(Duration::ZERO).map_err(err)?;
    // `new_unchecked` borrows the connection shared, so the writer's
    // statements can borrow it too for as long as the transaction.
    let first = Transaction::new_unchecked(conn, TransactionBehavior::Immediate);
    let result = match first {
        Err(error) if busy(&error) => {
            if let Some(on_wait) = &wait.on_wait {
                on_wait(name);
            }
            conn.busy_timeout(wait.limit.unwrap_or(super::WAIT_WITHOUT_LIMIT)).map_err(err)?;
            match Transaction::new_unchecked(conn, TransactionBehavior::Immediate) {
                Err(error) if busy(&error) => {
                    Err(MemoryError::Locked { path: name.to_string(), waited: wait.limit, holder: None })
                }
                other => other.map_err(err),
            }
        }
        other => other.map_err(err),
    };
    // Reads and the schema check wait as before.
    conn.busy_timeout(super::WAIT_WITHOUT_LIMIT).map_err(err)?;
    result
}

/// Stores prepared units with their postings; shared by import, `tm add`
/// and `ingest` so every unit is stored and indexed the same way.
///
/// Units are inserted [`ROWS_PER_STATEMENT`] at a time with multi-row
/// statements held for the whole transaction: most of SQLite's cost per
/// `INSERT` is per statement, not per row. The writer numbers the units
/// itself, continuing after the largest id the memory has ever used (what
/// `AUTOINCREMENT` would do), so it knows every id without asking.
struct UnitWriter<'c> {
    conn: &'c Connection,
    next_id: i64,
    /// One row, and [`ROWS_PER_STATEMENT`] rows, per statement.
    insert_unit: [rusqlite::Statement<'c>; 2],
    /// `None` when the word index is not built (a bulk import to reindex).
    postings: Option<PostingBuffer>,
}

/// Rows per multi-row `INSERT` (12 parameters each: 3,072, far below
/// SQLite's limit of 32,766). As many as an import batch holds: SQLite
/// copies the pages a multi-row statement changes into a statement journal
/// first, once per statement, so fewer statements copy fewer pages.
const ROWS_PER_STATEMENT: usize = 256;

impl<'c> UnitWriter<'c> {
    fn new(conn: &'c Connection, index: bool) -> rusqlite::Result<UnitWriter<'c>> {
        let rows = |count: usize, row: &str| vec![row; count].join(", ");
        let unit_sql = |count| {
            format!(
                "INSERT OR ROLLBACK INTO unit
                 (id, tuid, doc, created, changed, langs, ar_variant, en_variant, ar_key, en_key, body, digest)
                 VALUES {}",
                rows(count, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
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
    fn insert_all(&mut self, units: &[PreparedUnit]) -> rusqlite::Result<()> {
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
            let at = 12 * i;
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
            insert_unit.raw_bind_parameter(at + 12, unit.digest)?;
        }
        insert_unit.raw_execute()?;
        self.next_id += units.len() as i64;
        if let Some(postings) = &mut self.postings {
            for (i, unit) in units.iter().enumerate() {
                for (lang, side) in [Lang::Ar, Lang::En].into_iter().zip(&unit.sides) {
                    if let Some(side) = side {
                        postings.add(first_id + i as i64, &side.index_terms(lang));
                    }
                }
            }
            if postings.is_full() {
                write_postings(self.conn, postings)?;
            }
        }
        Ok(())
    }

    /// Writes the postings still buffered.
    fn finish(self) -> rusqlite::Result<()> {
        match self.postings {
            Some(mut postings) => write_postings(self.conn, &mut postings),
            None => Ok(()),
        }
    }
}

/// Writes the buffered posting lists as rows of `posting` and empties the
/// buffer.
pub(super) fn write_postings(conn: &Connection, postings: &mut PostingBuffer) -> rusqlite::Result<()> {
    let lists = postings.take_lists();
    if lists.is_empty() {
        return Ok(());
    }
    // Many rows per statement: SQLite's cost is mostly per statement.
    const ROWS: usize = 32;
    let mut insert_many = conn.prepare_cached(&format!(
        "INSERT INTO posting (term, units, entries) VALUES {}",
        vec!["(?, ?, ?)"; ROWS].join(", ")
    ))?;
    let mut chunks = lists.chunks_exact(ROWS);
    for chunk in &mut chunks {
        for (i, (term, list)) in chunk.iter().enumerate() {
            insert_many.raw_bind_parameter(3 * i + 1, term)?;
            insert_many.raw_bind_parameter(3 * i + 2, list.units)?;
            insert_many.raw_bind_parameter(3 * i + 3, &list.entries)?;
        }
        insert_many.raw_execute()?;
    }
    let mut insert = conn.prepare_cached("INSERT INTO posting (term, units, entries) VALUES (?1, ?2, ?3)")?;
    for (term, list) in chunks.remainder() {
        insert.execute(params![term, list.units, list.entries])?;
    }
    Ok(())
}
