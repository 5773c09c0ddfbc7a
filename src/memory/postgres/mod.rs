//! The PostgreSQL backend: a memory shared by a team, in its own schema
//! (default `dragoman`) of a database the team already runs. Every line of
//! SQL it runs is in this folder.
//!
//! The tables mirror SQLite's (`schema`): one row per unit (metadata, match
//! keys, the encoded body) and one per posting list, so lookup and
//! concordance, which are backend-neutral, give the same results on both.
//! Writes (`writer`) go through `COPY … (FORMAT binary)` in one transaction;
//! writers take the row lock of `meta.next_id` first, so they run one after
//! another while readers, which never wait, see only committed imports.
//! A client killed mid-import leaves an open transaction the server rolls
//! back: nothing of it stays.
//!
//! Failures become one line naming the server and database (never the
//! password): [`PgFailure`].

mod schema;
mod url;
mod writer;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

use ::postgres::error::SqlState;
use ::postgres::fallible_iterator::FallibleIterator;
use ::postgres::{Client, NoTls, Statement};

use super::index::{PostingBuffer, SideTerms};
use super::store::{LockWait, Store, StoredUnit, UnitKeys, WriteTransaction};
use super::{DocumentRecord, MemoryError, Stats, codec};
use crate::lang::Lang;
use crate::tmx::TranslationUnit;

pub use url::{DEFAULT_SCHEMA, PostgresUrl, UrlError};

/// A PostgreSQL failure as one line for the user: what went wrong, without
/// the server's detail lines and never with the password.
#[derive(Debug)]
pub struct PgFailure(String);

impl fmt::Display for PgFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PgFailure {}

/// A failure of the memory shown as `name` (its URL without password).
pub(crate) fn pg_error(name: &str, error: ::postgres::Error) -> MemoryError {
    MemoryError::Store { path: name.to_string(), source: Box::new(PgFailure(describe(&error))) }
}

fn failure(name: &str, message: String) -> MemoryError {
    MemoryError::Store { path: name.to_string(), source: Box::new(PgFailure(message)) }
}

/// One line for `error`: the server's message for a database error (its
/// first line), the cause for a connection failure.
fn describe(error: &::postgres::Error) -> String {
    if let Some(db) = error.as_db_error() {
        let code = db.code();
        let message = db.message().lines().next().unwrap_or_default();
        return if *code == SqlState::INVALID_PASSWORD {
            format!(
                "authentication failed ({message}); check the password in the URL, PGPASSWORD or ~/.pgpass"
            )
        } else if *code == SqlState::INVALID_CATALOG_NAME {
            format!("{message} (create it first, e.g. `createdb`)")
        } else if *code == SqlState::INSUFFICIENT_PRIVILEGE && !message.starts_with("permission denied") {
            format!("permission denied: {message}")
        } else {
            message.to_string()
        };
    }
    let text = error.to_string();
    let mut cause: &dyn std::error::Error = error;
    let mut deepest = None;
    while let Some(next) = cause.source() {
        deepest = Some(next.to_string());
        cause = next;
    }
    let line = match deepest {
        Some(deepest) if !text.contains(&deepest) => format!("{text}: {deepest}"),
        _ => text,
    };
    let line = line.lines().next().unwrap_or_default().to_string();
    if line.contains("password missing") {
        "the server asks for a password: give it in the URL, PGPASSWORD or ~/.pgpass".to_string()
    } else if error.is_closed()
        || line.contains("connecting")
        || line.contains("timeout")
        || line.contains("timed out")
    {
        format!("cannot reach the server: {line}")
    } else {
        line
    }
}

/// `name` as an SQL identifier.
pub(crate) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// An open PostgreSQL memory. The driver's client needs `&mut` for every
/// query while [`Store`]'s reads take `&self`: it sits in a `RefCell`
/// (a `Store` belongs to one thread at a time).
pub(crate) struct PgStore {
    client: RefCell<Client>,
    statements: Statements,
    /// The URL as messages show it.
    name: String,
    /// The schema as an SQL identifier.
    schema: String,
    /// This client created the schema (so [`Store::discard`] may drop it).
    created: bool,
    /// How a writer waits for another client's writer lock.
    lock_wait: LockWait,
}

impl fmt::Debug for PgStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgStore").field("name", &self.name).finish_non_exhaustive()
    }
}

/// The statements lookup and concordance run per candidate or term,
/// prepared once per connection.
struct Statements {
    unit: Statement,
    shown_unit: Statement,
    keys: [Statement; 2],
    /// The keys of many units in one round trip (`id = ANY($1)`).
    keys_of: [Statement; 2],
    term_frequency: Statement,
    posting_lists: Statement,
}

impl PgStore {
    /// Connects to `url` and checks (with `create`: makes) the memory in
    /// its schema.
    pub(crate) fn open(url: &PostgresUrl, create: bool) -> Result<PgStore, MemoryError> {
        let name = url.to_string();
        let mut client = url.connect_config().connect(NoTls).map_err(|e| pg_error(&name, e))?;
        let schema = quote_ident(url.schema());
        let prepared = schema::prepare(&mut client, &name, url.schema(), &schema, create)?;
        let statements = Statements::prepare(&mut client, &schema).map_err(|e| pg_error(&name, e))?;
        Ok(PgStore {
            client: RefCell::new(client),
            statements,
            name,
            schema,
            created: matches!(prepared, schema::Prepared::Created),
            lock_wait: LockWait::default(),
        })
    }

    fn error(&self) -> impl Fn(::postgres::Error) -> MemoryError + '_ {
        move |e| pg_error(&self.name, e)
    }

    /// The client, for one call; a read started inside another read's
    /// visitor is refused rather than a panic.
    fn client(&self) -> Result<std::cell::RefMut<'_, Client>, MemoryError> {
        self.client.try_borrow_mut().map_err(|_| {
            failure(&self.name, "a read was started while another was still running".to_string())
        })
    }

    fn decode_body(&self, id: i64, body: &[u8]) -> Result<TranslationUnit, MemoryError> {
        codec::decode_stored(&self.name, id, body)
    }

    fn sql(&self, template: &str) -> String {
        template.replace("{s}", &self.schema)
    }
}

impl Statements {
    fn prepare(client: &mut Client, schema: &str) -> Result<Statements, ::postgres::Error> {
        let sql = |template: &str| template.replace("{s}", schema);
        let keys = |side: &str, other: &str| {
            sql(&format!("SELECT {side}, {other}, coalesce(changed, created) FROM {{s}}.unit WHERE id = $1"))
        };
        let keys_of = |side: &str, other: &str| {
            sql(&format!(
                "SELECT id, {side}, {other}, coalesce(changed, created) FROM {{s}}.unit WHERE id = ANY($1)"
            ))
        };
        Ok(Statements {
            unit: client.prepare(&sql("SELECT body FROM {s}.unit WHERE id = $1"))?,
            shown_unit: client.prepare(&sql(
                "SELECT body, ar_variant, en_variant, tuid, doc FROM {s}.unit WHERE id = $1",
            ))?,
            keys: [client.prepare(&keys("ar_key", "en_key"))?, client.prepare(&keys("en_key", "ar_key"))?],
            keys_of: [
                client.prepare(&keys_of("ar_key", "en_key"))?,
                client.prepare(&keys_of("en_key", "ar_key"))?,
            ],
            term_frequency: client
                .prepare(&sql("SELECT coalesce(sum(units), 0)::bigint FROM {s}.posting WHERE term = $1"))?,
            posting_lists: client.prepare(&sql("SELECT entries FROM {s}.posting WHERE term = $1"))?,
        })
    }
}

fn side_index(source: Lang) -> usize {
    match source {
        Lang::Ar => 0,
        Lang::En => 1,
    }
}

impl Store for PgStore {
    fn unit_count(&self) -> Result<u64, MemoryError> {
        let row = self
            .client()?
            .query_one(&self.sql("SELECT count(*) FROM {s}.unit"), &[])
            .map_err(self.error())?;
        Ok(row.get::<_, i64>(0) as u64)
    }

    fn unit(&self, id: i64) -> Result<Option<TranslationUnit>, MemoryError> {
        let row = self.client()?.query_opt(&self.statements.unit, &[&id]).map_err(self.error())?;
        row.map(|row| self.decode_body(id, row.get(0))).transpose()
    }

    fn shown_unit(&self, id: i64) -> Result<Option<StoredUnit>, MemoryError> {
        let row = self.client()?.query_opt(&self.statements.shown_unit, &[&id]).map_err(self.error())?;
        let Some(row) = row else { return Ok(None) };
        let variant = |column| row.get::<_, Option<i32>>(column).and_then(|i| usize::try_from(i).ok());
        Ok(Some(StoredUnit {
            unit: self.decode_body(id, row.get(0))?,
            ar_variant: variant(1),
            en_variant: variant(2),
            tuid: row.get(3),
            doc: row.get(4),
        }))
    }

    fn for_each_unit(
        &self,
        visit: &mut dyn FnMut(TranslationUnit) -> Result<(), MemoryError>,
    ) -> Result<u64, MemoryError> {
        let err = self.error();
        let mut client = self.client()?;
        // Rows stream in as they are read: constant memory.
        let mut rows = client
            .query_raw(&self.sql("SELECT id, body FROM {s}.unit ORDER BY id"), std::iter::empty::<i64>())
            .map_err(&err)?;
        let mut count = 0;
        while let Some(row) = rows.next().map_err(&err)? {
            visit(self.decode_body(row.get(0), row.get(1))?)?;
            count += 1;
        }
        Ok(count)
    }

    fn documents(&self) -> Result<Vec<DocumentRecord>, MemoryError> {
        let rows = self
            .client()?
            .query(
                &self.sql(
                    "SELECT name, sum(units)::bigint, max(source_file), max(title), max(date), max(ingested) FROM (
                         SELECT doc AS name, count(*) AS units, NULL::text AS source_file, NULL::text AS title,
                                NULL::text AS date, NULL::text AS ingested
                         FROM {s}.unit WHERE doc IS NOT NULL GROUP BY doc
                         UNION ALL
                         SELECT name, 0, source_file, title, date, ingested FROM {s}.document
                     ) AS documents GROUP BY name ORDER BY name",
                ),
                &[],
            )
            .map_err(self.error())?;
        Ok(rows
            .iter()
            .map(|row| DocumentRecord {
                name: row.get(0),
                units: row.get::<_, i64>(1) as u64,
                source_file: row.get(2),
                title: row.get(3),
                date: row.get(4),
                ingested: row.get(5),
            })
            .collect())
    }

    fn for_each_document_unit(
        &self,
        name: &str,
        visit: &mut dyn FnMut(TranslationUnit) -> Result<(), MemoryError>,
    ) -> Result<u64, MemoryError> {
        let err = self.error();
        let mut client = self.client()?;
        let mut rows = client
            .query_raw(&self.sql("SELECT id, body FROM {s}.unit WHERE doc = $1 ORDER BY id"), [name])
            .map_err(&err)?;
        let mut count = 0;
        while let Some(row) = rows.next().map_err(&err)? {
            visit(self.decode_body(row.get(0), row.get(1))?)?;
            count += 1;
        }
        Ok(count)
    }

    fn stats(&self) -> Result<Stats, MemoryError> {
        let err = self.error();
        let units = self.unit_count()?;
        let mut languages = BTreeMap::new();
        let mut unmatchable = 0;
        let mut client = self.client()?;
        let rows = client
            .query(
                &self.sql(
                    "SELECT langs, count(*), ar_key IS NULL OR en_key IS NULL FROM {s}.unit GROUP BY 1, 3",
                ),
                &[],
            )
            .map_err(&err)?;
        for row in rows {
            let langs: String = row.get(0);
            let count = row.get::<_, i64>(1) as u64;
            let mut tags: Vec<&str> = langs.split(' ').filter(|t| !t.is_empty()).collect();
            tags.sort_unstable();
            tags.dedup();
            for tag in tags {
                *languages.entry(tag.to_string()).or_insert(0) += count;
            }
            if row.get::<_, bool>(2) {
                unmatchable += count;
            }
        }
        let dates = client
            .query_one(&self.sql("SELECT min(created), max(coalesce(changed, created)) FROM {s}.unit"), &[])
            .map_err(&err)?;
        let sizes = client
            .query_one(
                &self.sql(
                    "SELECT pg_total_relation_size('{s}.unit') + pg_total_relation_size('{s}.posting')
                          + pg_total_relation_size('{s}.meta'),
                            pg_total_relation_size('{s}.posting')",
                ),
                &[],
            )
            .map_err(&err)?;
        drop(client);
        Ok(Stats {
            path: self.name.clone(),
            units,
            languages,
            unmatchable,
            // Filled in by `Memory::stats`, the same for every backend.
            documents: Vec::new(),
            first_date: dates.get(0),
            last_date: dates.get(1),
            size_bytes: sizes.get::<_, i64>(0) as u64,
            index_bytes: sizes.get::<_, i64>(1) as u64,
        })
    }

    fn check_integrity(&self) -> Result<(), MemoryError> {
        // The server keeps its own pages consistent; what can go wrong is
        // ours: a unit at or past the next id would be overwritten.
        let row = self
            .client()?
            .query_one(
                &self.sql(
                    "SELECT (SELECT count(*) FROM {s}.unit WHERE id >= (SELECT value FROM {s}.meta WHERE key = 'next_id')),
                            (SELECT count(*) FROM {s}.meta WHERE key IN ('next_id', 'index_stale', 'schema_version'))",
                ),
                &[],
            )
            .map_err(self.error())?;
        let (past_next, meta_rows): (i64, i64) = (row.get(0), row.get(1));
        let mut problems = Vec::new();
        if past_next > 0 {
            problems.push(format!("{past_next} units have ids at or past the next id"));
        }
        if meta_rows != 3 {
            problems.push("the meta table lacks rows".to_string());
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(MemoryError::Damaged { path: self.name.clone(), report: problems.join("; ") })
        }
    }

    fn keys(&self, id: i64, source: Lang) -> Result<Option<UnitKeys>, MemoryError> {
        let statement = &self.statements.keys[side_index(source)];
        let row = self.client()?.query_opt(statement, &[&id]).map_err(self.error())?;
        Ok(row.map(|row| UnitKeys { source: row.get(0), target: row.get(1), changed: row.get(2) }))
    }

    fn keys_of(&self, ids: &[i64], source: Lang) -> Result<Vec<(i64, UnitKeys)>, MemoryError> {
        /// Ids per round trip: one query, a bounded parameter.
        const BATCH: usize = 2_000;
        let statement = &self.statements.keys_of[side_index(source)];
        let mut by_id: HashMap<i64, UnitKeys> = HashMap::with_capacity(ids.len());
        let mut client = self.client()?;
        for batch in ids.chunks(BATCH) {
            for row in client.query(statement, &[&batch]).map_err(self.error())? {
                by_id.insert(
                    row.get(0),
                    UnitKeys { source: row.get(1), target: row.get(2), changed: row.get(3) },
                );
            }
        }
        // In `ids`' order, as the one-by-one default gives them.
        Ok(ids.iter().filter_map(|id| by_id.remove(id).map(|keys| (*id, keys))).collect())
    }

    fn for_each_keys(&self, source: Lang, visit: &mut dyn FnMut(i64, UnitKeys)) -> Result<(), MemoryError> {
        let (side, other) = match source {
            Lang::Ar => ("ar_key", "en_key"),
            Lang::En => ("en_key", "ar_key"),
        };
        let err = self.error();
        let mut client = self.client()?;
        let sql = self.sql(&format!(
            "SELECT id, {side}, {other}, coalesce(changed, created) FROM {{s}}.unit WHERE {side} IS NOT NULL"
        ));
        let mut rows = client.query_raw(&sql, std::iter::empty::<i64>()).map_err(&err)?;
        while let Some(row) = rows.next().map_err(&err)? {
            visit(row.get(0), UnitKeys { source: row.get(1), target: row.get(2), changed: row.get(3) });
        }
        Ok(())
    }

    fn index_is_stale(&self) -> Result<bool, MemoryError> {
        let row = self
            .client()?
            .query_one(&self.sql("SELECT value FROM {s}.meta WHERE key = 'index_stale'"), &[])
            .map_err(self.error())?;
        Ok(row.get::<_, i64>(0) != 0)
    }

    fn term_frequency(&self, term: i64) -> Result<u64, MemoryError> {
        let row =
            self.client()?.query_one(&self.statements.term_frequency, &[&term]).map_err(self.error())?;
        Ok(row.get::<_, i64>(0).max(0) as u64)
    }

    fn for_each_posting_list(&self, term: i64, visit: &mut dyn FnMut(&[u8])) -> Result<(), MemoryError> {
        let rows = self.client()?.query(&self.statements.posting_lists, &[&term]).map_err(self.error())?;
        for row in &rows {
            visit(row.get(0));
        }
        Ok(())
    }

    fn reindex(&mut self) -> Result<(), MemoryError> {
        let name = self.name.clone();
        let schema = self.schema.clone();
        let sql = |template: &str| template.replace("{s}", &schema);
        let err = |e| pg_error(&name, e);
        let mut tx = self.client.get_mut().transaction().map_err(err)?;
        writer::lock_writers(&mut tx, &name, &schema, &self.lock_wait)?;
        tx.batch_execute(&sql("TRUNCATE {s}.posting")).map_err(err)?;
        let mut postings = PostingBuffer::default();
        // A portal reads the units in slices, so postings can be written
        // between them on the same connection.
        let portal =
            tx.bind(&sql("SELECT id, ar_key, en_key FROM {s}.unit ORDER BY id"), &[]).map_err(err)?;
        loop {
            let rows = tx.query_portal(&portal, 10_000).map_err(err)?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let id: i64 = row.get(0);
                for (lang, column) in [(Lang::Ar, 1), (Lang::En, 2)] {
                    if let Some(key) = row.get::<_, Option<&str>>(column) {
                        postings.add(id, &SideTerms::of_key(lang, key));
                    }
                }
            }
            if postings.is_full() {
                writer::write_postings(&mut tx, &schema, &mut postings)
                    .map_err(|e| writer::copy_error(&name, e))?;
            }
        }
        writer::write_postings(&mut tx, &schema, &mut postings).map_err(|e| writer::copy_error(&name, e))?;
        tx.execute(&sql("UPDATE {s}.meta SET value = 0 WHERE key = 'index_stale'"), &[]).map_err(err)?;
        tx.commit().map_err(err)
    }

    fn begin_write(&mut self, index: bool) -> Result<Box<dyn WriteTransaction + '_>, MemoryError> {
        let client = self.client.get_mut();
        Ok(Box::new(writer::PgWrite::begin(client, &self.name, &self.schema, index, &self.lock_wait)?))
    }

    fn set_lock_wait(&mut self, wait: LockWait) {
        self.lock_wait = wait;
    }

    fn discard(self: Box<Self>) -> Result<(), MemoryError> {
        let PgStore { client, name, schema, created, .. } = *self;
        if created {
            // Made moments ago by this client and its first import failed:
            // the schema holds nothing of anyone's.
            let mut client = client.into_inner();
            client.batch_execute(&format!("DROP SCHEMA {schema} CASCADE")).map_err(|e| pg_error(&name, e))?;
        }
        Ok(())
    }
}
