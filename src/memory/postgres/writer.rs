//! The PostgreSQL write path: the one write transaction, units and posting
//! lists sent with `COPY … FROM STDIN (FORMAT binary)`.
//!
//! `COPY` is PostgreSQL's bulk path: rows stream to the server without a
//! statement, a parse or a round trip each. The binary format is written
//! here directly (a header, then per row a field count and each field as a
//! length and its bytes, big-endian), so no value is formatted as text and
//! parsed back. Rows are buffered and sent once the buffer passes
//! [`COPY_BYTES`], so a `COPY` carries many import batches.

use std::io::Write;

use ::postgres::{Client, Transaction};

use super::{failure, pg_error};
use crate::lang::Lang;
use crate::memory::codec;
use crate::memory::index::PostingBuffer;
use crate::memory::prepared::PreparedUnit;
use crate::memory::store::{LockWait, WriteTransaction};
use crate::memory::{DocumentInfo, MemoryError};
use crate::tmx::TranslationUnit;

/// Send buffered rows once they pass this size: few `COPY`s, bounded
/// memory, and small enough that the server starts on the rows soon. The
/// storing thread waits while the server takes in a `COPY`; the import's
/// queues let parsing and preparing go on meanwhile, so client and server
/// overlap.
const COPY_BYTES: usize = 1 << 20;

/// The indexes of a memory, built by the first write into an empty one
/// (see `schema::V3`), once its rows are in: sorted, far cheaper than row
/// by row. `CREATE INDEX` takes a lock that excludes writers (which this
/// transaction already does) and lets readers read. `ANALYZE` then gives
/// the planner the tables' statistics at once: without them, lookups right
/// after a first import plan scans instead of the indexes (3 ms a query
/// became 9 ms until autovacuum came by); a small sample (3,000 rows) is
/// enough to choose an index over a scan and keeps the import fast.
const INDEXES: &str = "
CREATE UNIQUE INDEX IF NOT EXISTS unit_by_id ON {s}.unit (id);
CREATE INDEX IF NOT EXISTS unit_by_doc ON {s}.unit (doc) WHERE doc IS NOT NULL;
CREATE INDEX IF NOT EXISTS unit_by_digest ON {s}.unit (digest);
CREATE INDEX IF NOT EXISTS posting_by_term ON {s}.posting (term);
SET LOCAL default_statistics_target = 10;
ANALYZE {s}.unit;
ANALYZE {s}.posting;
";

/// Takes the writers' lock: the row lock of `meta.next_id`, held until the
/// transaction ends. Writers run one after another, each seeing what the
/// previous one committed; readers never wait. Returns the next unit id.
///
/// When another client holds the lock, `wait.on_wait` is told once and the
/// wait is bounded by `wait.limit` (PostgreSQL's `lock_timeout`); past it
/// the error names the holder, as far as `pg_stat_activity` shows it.
pub(super) fn lock_writers(
    tx: &mut Transaction<'_>,
    name: &str,
    schema: &str,
    wait: &LockWait,
) -> Result<i64, MemoryError> {
    let err = |e| pg_error(name, e);
    let select = format!("SELECT value FROM {schema}.meta WHERE key = 'next_id' FOR UPDATE");
    // Try without waiting first, in a savepoint: a refused lock aborts
    // only the savepoint, not the transaction.
    let mut attempt = tx.transaction().map_err(err)?;
    match attempt.query_one(&format!("{select} NOWAIT"), &[]) {
        Ok(row) => {
            attempt.commit().map_err(err)?;
            return Ok(row.get(0));
        }
        Err(e) if is_lock_not_available(&e) => attempt.rollback().map_err(err)?,
        Err(e) => return Err(err(e)),
    }
    if let Some(on_wait) = &wait.on_wait {
        on_wait(name);
    }
    if let Some(limit) = wait.limit {
        tx.batch_execute(&format!("SET LOCAL lock_timeout = {}", limit.as_millis().max(1))).map_err(err)?;
    }
    let mut attempt = tx.transaction().map_err(err)?;
    match attempt.query_one(&select, &[]) {
        Ok(row) => {
            attempt.commit().map_err(err)?;
            if wait.limit.is_some() {
                tx.batch_execute("SET LOCAL lock_timeout = 0").map_err(err)?;
            }
            Ok(row.get(0))
        }
        Err(e) if is_lock_not_available(&e) => {
            attempt.rollback().map_err(err)?;
            let holder = lock_holder(tx);
            Err(MemoryError::Locked { path: name.to_string(), waited: wait.limit, holder })
        }
        Err(e) => Err(err(e)),
    }
}

fn is_lock_not_available(error: &::postgres::Error) -> bool {
    error.code() == Some(&::postgres::error::SqlState::LOCK_NOT_AVAILABLE)
}

/// The other dragoman clients of this database inside a transaction (one
/// of them holds the writers' lock), as "dragoman (pid N) from ADDRESS,
/// in a transaction since HH:MM:SS UTC"; `None` when none is visible.
fn lock_holder(tx: &mut Transaction<'_>) -> Option<String> {
    let rows = tx
        .query(
            "SELECT application_name || coalesce(' from ' || host(client_addr), '') \
                    || ', in a transaction since ' \
                    || to_char(xact_start AT TIME ZONE 'UTC', 'HH24:MI:SS') || ' UTC' \
             FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid() \
               AND application_name LIKE 'dragoman%' AND xact_start IS NOT NULL \
             ORDER BY xact_start",
            &[],
        )
        .ok()?;
    let holders: Vec<String> = rows.iter().filter_map(|row| row.get::<_, Option<String>>(0)).collect();
    (!holders.is_empty()).then(|| holders.join("; or "))
}

/// A failure while sending a `COPY`: the driver's error, or the writing
/// itself (which the driver reports as an I/O error).
pub(super) enum CopyError {
    Postgres(::postgres::Error),
    Io(std::io::Error),
}

impl From<::postgres::Error> for CopyError {
    fn from(e: ::postgres::Error) -> Self {
        CopyError::Postgres(e)
    }
}

pub(super) fn copy_error(name: &str, error: CopyError) -> MemoryError {
    match error {
        CopyError::Postgres(e) => pg_error(name, e),
        CopyError::Io(e) => failure(name, format!("sending rows to the server failed: {e}")),
    }
}

/// Rows in PostgreSQL's binary `COPY` format.
#[derive(Default)]
struct CopyRows {
    bytes: Vec<u8>,
}

impl CopyRows {
    fn row(&mut self, fields: i16) {
        self.bytes.extend_from_slice(&fields.to_be_bytes());
    }
    fn null(&mut self) {
        self.bytes.extend_from_slice(&(-1i32).to_be_bytes());
    }
    fn bytes(&mut self, value: &[u8]) {
        // Fields are far below 2 GiB: a unit's body, a posting list
        // flushed at 24 MiB.
        self.bytes.extend_from_slice(&(value.len() as i32).to_be_bytes());
        self.bytes.extend_from_slice(value);
    }
    fn text(&mut self, value: Option<&str>) {
        match value {
            Some(text) => self.bytes(text.as_bytes()),
            None => self.null(),
        }
    }
    fn bigint(&mut self, value: i64) {
        self.bytes(&value.to_be_bytes());
    }
    fn integer(&mut self, value: Option<i32>) {
        match value {
            Some(value) => self.bytes(&value.to_be_bytes()),
            None => self.null(),
        }
    }

    /// Sends the rows with `copy` (a `COPY … FROM STDIN (FORMAT binary)`)
    /// and empties the buffer.
    fn send(&mut self, tx: &mut Transaction<'_>, copy: &str) -> Result<(), CopyError> {
        if self.bytes.is_empty() {
            return Ok(());
        }
        let mut writer = tx.copy_in(copy)?;
        let header: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";
        writer.write_all(header).map_err(CopyError::Io)?;
        writer.write_all(&self.bytes).map_err(CopyError::Io)?;
        writer.write_all(&(-1i16).to_be_bytes()).map_err(CopyError::Io)?;
        writer.finish()?;
        self.bytes.clear();
        Ok(())
    }
}

/// Sends the buffered posting lists as rows of `posting` and empties the
/// buffer.
pub(super) fn write_postings(
    tx: &mut Transaction<'_>,
    schema: &str,
    postings: &mut PostingBuffer,
) -> Result<(), CopyError> {
    let mut rows = CopyRows::default();
    for (term, list) in postings.take_lists() {
        rows.row(3);
        rows.bigint(term);
        rows.integer(Some(list.units as i32));
        rows.bytes(&list.entries);
    }
    rows.send(tx, &format!("COPY {schema}.posting (term, units, entries) FROM STDIN (FORMAT binary)"))
}

/// The one write transaction of a PostgreSQL memory.
pub(super) struct PgWrite<'c> {
    tx: Transaction<'c>,
    name: &'c str,
    schema: &'c str,
    /// The id the next stored unit gets (ids are numbered here, so the
    /// postings know them before the rows reach the server).
    next_id: i64,
    units: CopyRows,
    /// `None` when the word index is not built (a bulk import to reindex).
    postings: Option<PostingBuffer>,
    index: bool,
    /// The first id this transaction gives: units below it were stored before it began.
    first_id: i64,
    /// The memory held units when this transaction began (else no import
    /// needs to look for units it already holds).
    held_units: bool,
    /// The memory has no indexes yet (schema version 3: an empty memory):
    /// this transaction builds them before it commits.
    build_indexes: bool,
}

impl<'c> PgWrite<'c> {
    pub(super) fn begin(
        client: &'c mut Client,
        name: &'c str,
        schema: &'c str,
        index: bool,
        wait: &LockWait,
    ) -> Result<PgWrite<'c>, MemoryError> {
        let err = |e| pg_error(name, e);
        let mut tx = client.transaction().map_err(err)?;
        let next_id = lock_writers(&mut tx, name, schema, wait)?;
        // Under the writers' lock: what the previous writer committed.
        let state = tx
            .query_one(
                &format!(
                    "SELECT EXISTS (SELECT 1 FROM {schema}.unit),
                            EXISTS (SELECT 1 FROM pg_index WHERE indrelid = to_regclass($1))"
                ),
                &[&format!("{schema}.unit")],
            )
            .map_err(err)?;
        Ok(PgWrite {
            tx,
            name,
            schema,
            next_id,
            units: CopyRows::default(),
            postings: index.then(PostingBuffer::default),
            index,
            first_id: next_id,
            held_units: state.get(0),
            build_indexes: !state.get::<_, bool>(1),
        })
    }

    fn send_units(&mut self) -> Result<(), MemoryError> {
        let copy = format!(
            "COPY {}.unit (id, tuid, doc, created, changed, langs, ar_variant, en_variant, ar_key, en_key, body, digest)
             FROM STDIN (FORMAT binary)",
            self.schema
        );
        self.units.send(&mut self.tx, &copy).map_err(|e| copy_error(self.name, e))
    }

    fn send_postings(&mut self) -> Result<(), MemoryError> {
        match &mut self.postings {
            Some(postings) => {
                write_postings(&mut self.tx, self.schema, postings).map_err(|e| copy_error(self.name, e))
            }
            None => Ok(()),
        }
    }
}

impl WriteTransaction for PgWrite<'_> {
    fn store(&mut self, units: &[PreparedUnit]) -> Result<(), MemoryError> {
        for unit in units {
            let id = self.next_id;
            self.next_id += 1;
            let [ar, en] = &unit.sides;
            let rows = &mut self.units;
            rows.row(12);
            rows.bigint(id);
            rows.text(unit.tuid.as_deref());
            rows.text(unit.doc.as_deref());
            rows.text(unit.created.as_deref());
            // NULL for a unit never changed: readers take its creation date.
            rows.text(unit.changed.as_deref());
            rows.text(Some(&unit.langs));
            rows.integer(ar.as_ref().map(|s| s.variant as i32));
            rows.integer(en.as_ref().map(|s| s.variant as i32));
            rows.text(ar.as_ref().map(|s| s.key.as_str()));
            rows.text(en.as_ref().map(|s| s.key.as_str()));
            rows.bytes(&unit.body);
            rows.bigint(unit.digest);
            if let Some(postings) = &mut self.postings {
                for (lang, side) in [Lang::Ar, Lang::En].into_iter().zip(&unit.sides) {
                    if let Some(side) = side {
                        postings.add(id, &side.index_terms(lang));
                    }
                }
            }
        }
        if self.units.bytes.len() >= COPY_BYTES {
            self.send_units()?;
        }
        if self.postings.as_ref().is_some_and(PostingBuffer::is_full) {
            self.send_postings()?;
        }
        Ok(())
    }

    fn remove_units(&mut self, ids: &[i64]) -> Result<usize, MemoryError> {
        if ids.is_empty() {
            return Ok(0);
        }
        self.send_units()?;
        let removed = self
            .tx
            .execute(&format!("DELETE FROM {}.unit WHERE id = ANY($1)", self.schema), &[&ids])
            .map_err(|e| pg_error(self.name, e))?;
        Ok(removed as usize)
    }

    fn remove_document(&mut self, name: &str) -> Result<usize, MemoryError> {
        self.send_units()?;
        self.tx
            .execute(&format!("DELETE FROM {}.document WHERE name = $1", self.schema), &[&name])
            .map_err(|e| pg_error(self.name, e))?;
        let removed = self
            .tx
            .execute(&format!("DELETE FROM {}.unit WHERE doc = $1", self.schema), &[&name])
            .map_err(|e| pg_error(self.name, e))?;
        Ok(removed as usize)
    }

    fn document_record(&mut self, name: &str) -> Result<Option<(DocumentInfo, String)>, MemoryError> {
        let row = self
            .tx
            .query_opt(
                &format!(
                    "SELECT source_file, title, date, ingested FROM {}.document WHERE name = $1",
                    self.schema
                ),
                &[&name],
            )
            .map_err(|e| pg_error(self.name, e))?;
        Ok(row.map(|row| {
            (DocumentInfo { source_file: row.get(0), title: row.get(1), date: row.get(2) }, row.get(3))
        }))
    }

    fn set_document_record(
        &mut self,
        name: &str,
        info: &DocumentInfo,
        ingested: &str,
    ) -> Result<(), MemoryError> {
        self.tx
            .execute(
                &format!(
                    "INSERT INTO {}.document (name, source_file, title, date, ingested) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (name) DO UPDATE SET source_file = excluded.source_file,
                         title = excluded.title, date = excluded.date, ingested = excluded.ingested",
                    self.schema
                ),
                &[&name, &info.source_file, &info.title, &info.date, &ingested],
            )
            .map_err(|e| pg_error(self.name, e))?;
        Ok(())
    }

    fn document_units(&mut self, name: &str) -> Result<Vec<(i64, TranslationUnit)>, MemoryError> {
        // Under this transaction's writer lock: what the replacement
        // compares against is what it replaces.
        self.send_units()?;
        let rows = self
            .tx
            .query(&format!("SELECT id, body FROM {}.unit WHERE doc = $1 ORDER BY id", self.schema), &[&name])
            .map_err(|e| pg_error(self.name, e))?;
        rows.iter()
            .map(|row| {
                let id: i64 = row.get(0);
                Ok((id, codec::decode_stored(self.name, id, row.get(1))?))
            })
            .collect()
    }

    fn units_with_digests(&mut self, digests: &[i64]) -> Result<Vec<TranslationUnit>, MemoryError> {
        if digests.is_empty() || !self.held_units {
            return Ok(Vec::new());
        }
        // Ids below `first_id` were stored before this transaction began.
        let rows = self
            .tx
            .query(
                &format!("SELECT id, body FROM {}.unit WHERE digest = ANY($1) AND id < $2", self.schema),
                &[&digests, &self.first_id],
            )
            .map_err(|e| pg_error(self.name, e))?;
        rows.iter().map(|row| codec::decode_stored(self.name, row.get(0), row.get(1))).collect()
    }

    fn commit(mut self: Box<Self>) -> Result<(), MemoryError> {
        self.send_units()?;
        self.send_postings()?;
        let name = self.name;
        let err = |e| pg_error(name, e);
        let PgWrite { mut tx, schema, next_id, index, build_indexes, .. } = *self;
        if build_indexes {
            tx.batch_execute(&INDEXES.replace("{s}", schema)).map_err(err)?;
        }
        tx.execute(&format!("UPDATE {schema}.meta SET value = $1 WHERE key = 'next_id'"), &[&next_id])
            .map_err(err)?;
        if !index {
            tx.execute(&format!("UPDATE {schema}.meta SET value = 1 WHERE key = 'index_stale'"), &[])
                .map_err(err)?;
        }
        tx.commit().map_err(err)
    }
}
