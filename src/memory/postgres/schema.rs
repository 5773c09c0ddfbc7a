//! The memory's tables in their own PostgreSQL schema, and its versions.
//!
//! The version is the `schema_version` row of `meta`; `MIGRATIONS[i]` takes
//! a memory from version `i` to `i + 1`. A memory written by a newer version
//! is refused before anything is written. Creating and migrating hold a
//! transaction-scoped advisory lock on the schema's name, so two clients
//! opening a new memory at once do not both create it.

use ::postgres::Client;

use super::pg_error;
use crate::memory::MemoryError;

/// Version 1: units (metadata, match keys, the encoded body: one row per
/// unit, as in SQLite's version 3), posting lists, and `meta`
/// (`schema_version`, `index_stale`, `next_id`: the id the next stored unit
/// gets, so ids are never reused; its row is also the writers' lock).
/// Text that is sorted or grouped is compared bytewise (`C`), as SQLite
/// does, so both backends list documents in the same order.
const V1: &str = r#"
CREATE TABLE {s}.meta (key text COLLATE "C" PRIMARY KEY, value bigint NOT NULL);
INSERT INTO {s}.meta VALUES ('index_stale', 0), ('next_id', 1);
CREATE TABLE {s}.unit (
    id bigint PRIMARY KEY,
    tuid text COLLATE "C",
    doc text COLLATE "C",
    created text COLLATE "C",
    changed text COLLATE "C",
    langs text COLLATE "C" NOT NULL,
    ar_variant integer,
    en_variant integer,
    ar_key text COLLATE "C",
    en_key text COLLATE "C",
    body bytea NOT NULL,
    digest bigint NOT NULL
);
CREATE INDEX unit_by_doc ON {s}.unit (doc) WHERE doc IS NOT NULL;
CREATE INDEX unit_by_digest ON {s}.unit (digest);
CREATE TABLE {s}.posting (term bigint NOT NULL, units integer NOT NULL, entries bytea NOT NULL);
CREATE INDEX posting_by_term ON {s}.posting (term);
"#;

/// Version 2: what the memory records about each document stored by
/// `tm add` or `ingest` (SQLite's version 5); documents stored before have
/// no row, their source is not known.
const V2: &str = r#"
CREATE TABLE {s}.document (
    name text COLLATE "C" PRIMARY KEY,
    source_file text,
    title text,
    date text,
    ingested text NOT NULL
);
"#;

/// Version 3: an empty memory has no index on `unit` or `posting` (a new
/// memory is created empty, so this is every new memory): the first write
/// builds them once, sorted, after its `COPY`s (`writer::build_indexes`),
/// instead of inserting each row's entries at random places of the B-trees,
/// which costs a first bulk import into PostgreSQL more than the rows
/// themselves. Building an index takes a lock that lets readers read, so
/// nothing waits for it. A memory that holds units keeps its indexes.
/// Posting lists are stored uncompressed (`EXTERNAL`): varint deltas gain
/// little from `pglz`, which cost a tenth of the server's time importing.
const V3: &str = r#"
ALTER TABLE {s}.posting ALTER COLUMN entries SET STORAGE EXTERNAL;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM {s}.unit) THEN
        ALTER TABLE {s}.unit DROP CONSTRAINT IF EXISTS unit_pkey;
        DROP INDEX IF EXISTS {s}.unit_by_doc, {s}.unit_by_digest, {s}.posting_by_term;
    END IF;
END
$$;
"#;

const MIGRATIONS: &[&str] = &[V1, V2, V3];

/// The schema version this build writes.
pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;

/// What [`prepare`] found.
pub(super) enum Prepared {
    /// The memory is there, at the current version.
    Ready,
    /// The schema was created now (by this client).
    Created,
}

/// Checks that schema `schema` holds a dragoman memory this version can use
/// and migrates it; with `create`, makes a missing one. `quoted` is the
/// schema as an SQL identifier.
pub(super) fn prepare(
    client: &mut Client,
    name: &str,
    schema: &str,
    quoted: &str,
    create: bool,
) -> Result<Prepared, MemoryError> {
    let err = |e| pg_error(name, e);
    // Read-only first: a newer or foreign schema is refused untouched.
    let version = read_version(client, name, schema)?;
    match version {
        Some(v) if v > CURRENT_VERSION => {
            return Err(MemoryError::NewerSchema {
                path: name.to_string(),
                found: v,
                supported: CURRENT_VERSION,
            });
        }
        Some(v) if v == CURRENT_VERSION => return Ok(Prepared::Ready),
        None if !create => return Err(MemoryError::Missing { path: name.to_string() }),
        _ => {}
    }
    let mut tx = client.transaction().map_err(err)?;
    tx.execute("SELECT pg_advisory_xact_lock(hashtext('dragoman memory ' || $1))", &[&schema])
        .map_err(err)?;
    tx.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {quoted}")).map_err(err)?;
    // Again under the lock: another client may have done it meanwhile.
    let version = read_version_in(&mut tx, name, schema)?;
    let created = version.is_none();
    let from = match version {
        Some(v) if v > CURRENT_VERSION => {
            return Err(MemoryError::NewerSchema {
                path: name.to_string(),
                found: v,
                supported: CURRENT_VERSION,
            });
        }
        Some(v) => v,
        None => 0,
    };
    for migration in &MIGRATIONS[from as usize..] {
        tx.batch_execute(&migration.replace("{s}", quoted)).map_err(err)?;
    }
    tx.execute(
        &format!(
            "INSERT INTO {quoted}.meta VALUES ('schema_version', $1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        ),
        &[&CURRENT_VERSION],
    )
    .map_err(err)?;
    tx.commit().map_err(err)?;
    Ok(if created { Prepared::Created } else { Prepared::Ready })
}

fn read_version(client: &mut Client, name: &str, schema: &str) -> Result<Option<i64>, MemoryError> {
    let mut tx = client.transaction().map_err(|e| pg_error(name, e))?;
    let version = read_version_in(&mut tx, name, schema)?;
    tx.rollback().map_err(|e| pg_error(name, e))?;
    Ok(version)
}

/// The memory's version; `None` when the schema holds no memory yet (it is
/// missing or empty). A schema holding other tables is not a memory.
fn read_version_in(
    tx: &mut ::postgres::Transaction<'_>,
    name: &str,
    schema: &str,
) -> Result<Option<i64>, MemoryError> {
    let err = |e| pg_error(name, e);
    let tables: Vec<String> = tx
        .query(
            "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')",
            &[&schema],
        )
        .map_err(err)?
        .iter()
        .map(|row| row.get(0))
        .collect();
    if tables.is_empty() {
        return Ok(None);
    }
    let not_ours = |reason: String| MemoryError::NotAMemory { path: name.to_string(), reason };
    if !tables.iter().any(|t| t == "meta") {
        return Err(not_ours(format!("schema `{schema}` holds other tables")));
    }
    let quoted = super::quote_ident(schema);
    let version = tx
        .query_opt(&format!("SELECT value FROM {quoted}.meta WHERE key = 'schema_version'"), &[])
        .map_err(|e| match e.as_db_error() {
            Some(_) => not_ours(format!("schema `{schema}` has a `meta` table that is not dragoman's")),
            None => pg_error(name, e),
        })?;
    match version {
        Some(row) => Ok(Some(row.get(0))),
        None => Err(not_ours(format!("schema `{schema}` has no memory version"))),
    }
}
