//! SQL-level tests: the schema's version checks and migrations, and what
//! the stored rows hold. They read and write the file through a second
//! connection, as another process would.

use rusqlite::{Connection, params};

use super::schema;
use crate::memory::tests::{temp_memory, unit};
use crate::memory::{LanguagePair, LookupOptions, Memory, MemoryError, TranslationUnit};
use crate::normalize::match_key;

/// A second connection to the memory's file.
fn sql(memory: &Memory) -> Connection {
    Connection::open(memory.path()).unwrap()
}

#[test]
fn a_newer_schema_is_refused_without_touching_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("memory.sqlite");
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", schema::CURRENT_VERSION + 1).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let error = Memory::open(&path).unwrap_err();
    assert!(matches!(error, MemoryError::NewerSchema { .. }), "{error}");
    assert!(error.to_string().contains("newer dragoman"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn version_1_memories_with_json_bodies_are_migrated_and_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("memory.sqlite");
    let old = unit("old:1", "قتل ثلاثة مدنيين في الرقة.", "Three civilians were killed in Raqqa.");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(schema::V1).unwrap();
        conn.pragma_update(None, "application_id", 0x4452_474D).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO unit (tuid, langs, ar_variant, en_variant, ar_key, en_key)
             VALUES ('old:1', 'ar en', 0, 1, ?1, ?2)",
            params![
                match_key(&old.variants[0].seg.plain_text()),
                match_key(&old.variants[1].seg.plain_text())
            ],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO unit_body (unit, body) VALUES (1, ?1)",
            [serde_json::to_string(&old).unwrap()],
        )
        .unwrap();
    }
    let mut memory = Memory::open(&path).unwrap();
    let version: i64 = sql(&memory).query_row("PRAGMA user_version", [], |row| row.get(0)).unwrap();
    assert_eq!(version, schema::CURRENT_VERSION);
    assert_eq!(memory.unit(1).unwrap(), Some(old.clone()));
    // Units stored before version 4 get their digest, so imports see them.
    let digest: Option<i64> =
        sql(&memory).query_row("SELECT digest FROM unit WHERE id = 1", [], |row| row.get(0)).unwrap();
    assert_eq!(digest, Some(crate::memory::prepared::undated_digest(&old)));
    // New units are stored compactly beside the old JSON one.
    let new = unit("new:1", "وقالت الأمم المتحدة إن مئتين فروا.", "The UN said 200 fled.");
    memory.replace_document("new", std::slice::from_ref(&new)).unwrap();
    let kinds: Vec<String> = sql(&memory)
        .prepare("SELECT typeof(body) FROM unit ORDER BY id")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(kinds, ["text", "blob"]);
    assert_eq!(memory.unit(2).unwrap(), Some(new));
    let mut exported = Vec::new();
    assert_eq!(memory.export(&mut exported, &LanguagePair::default()).unwrap(), 2);
    let exported = String::from_utf8(exported).unwrap();
    assert!(exported.contains("tuid=\"old:1\"") && exported.contains("tuid=\"new:1\""), "{exported}");
}

#[test]
fn a_corrupt_body_is_reported_not_a_panic() {
    let (_dir, mut memory) = temp_memory();
    memory.replace_document("d", &[unit("d:1", "في الرقة.", "In Raqqa.")]).unwrap();
    sql(&memory).execute("UPDATE unit SET body = x'01ffff'", []).unwrap();
    let error = memory.unit(1).unwrap_err();
    assert!(matches!(error, MemoryError::CorruptUnit { unit: 1, .. }), "{error}");
}

#[test]
fn a_unit_never_changed_counts_as_changed_when_it_was_created() {
    let (_dir, mut memory) = temp_memory();
    let dated = |tuid: &str, en: &str, dates: &[(&str, &str)]| TranslationUnit {
        attributes: dates.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..unit(tuid, "قتل ثلاثة مدنيين في الرقة أمس", en)
    };
    memory
        .replace_document(
            "d",
            &[
                dated(
                    "old",
                    "Three civilians killed",
                    &[("creationdate", "20150101T000000Z"), ("changedate", "20160101T000000Z")],
                ),
                dated("new", "Three civilians were killed", &[("creationdate", "20170101T000000Z")]),
            ],
        )
        .unwrap();
    let stored: Option<String> =
        sql(&memory).query_row("SELECT changed FROM unit WHERE tuid = 'new'", [], |row| row.get(0)).unwrap();
    assert_eq!(stored, None, "no change date is stored for a unit never changed");
    let found = memory.lookup("قتل ثلاثة مدنيين في الرقة أمس", &LookupOptions::default()).unwrap();
    let order: Vec<_> =
        found.iter().map(|m| (m.tuid.as_deref().unwrap(), m.changed.as_deref().unwrap())).collect();
    assert_eq!(order, [("new", "20170101T000000Z"), ("old", "20160101T000000Z")]);
}
