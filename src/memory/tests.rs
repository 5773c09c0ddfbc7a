//! Store tests: documents, schema checks, lookup and concordance basics.

use super::*;
use rusqlite::params;

use crate::tmx::Variant;

fn unit(tuid: &str, ar: &str, en: &str) -> TranslationUnit {
    TranslationUnit {
        tuid: Some(tuid.to_string()),
        attributes: vec![("creationdate".to_string(), "20170601T120000Z".to_string())],
        props: Vec::new(),
        notes: Vec::new(),
        variants: vec![Variant::from_text("ar", ar), Variant::from_text("en", en)],
    }
}

fn temp_memory() -> (tempfile::TempDir, Memory) {
    let dir = tempfile::tempdir().unwrap();
    let memory = Memory::open_or_create(&dir.path().join("tm").join("memory.sqlite")).unwrap();
    (dir, memory)
}

#[test]
fn replacing_a_document_is_idempotent_and_removable() {
    let (_dir, mut memory) = temp_memory();
    let units = vec![
        unit("d:1", "قتل ثلاثة مدنيين في الرقة.", "Three civilians were killed in Raqqa."),
        unit("d:2", "وقالت الأمم المتحدة إن مئتين فروا.", "The UN said 200 fled."),
    ];
    assert_eq!(
        memory.replace_document("d", &units).unwrap(),
        Replaced { removed: 0, added: 2, unchanged: 0 }
    );
    assert_eq!(
        memory.replace_document("d", &units[..1]).unwrap(),
        Replaced { removed: 1, added: 0, unchanged: 1 }
    );
    memory.replace_document("other", &units).unwrap();
    assert_eq!(memory.unit_count().unwrap(), 3);
    let docs: Vec<(String, u64)> =
        memory.documents().unwrap().into_iter().map(|d| (d.name, d.units)).collect();
    assert_eq!(docs, [("d".to_string(), 1), ("other".to_string(), 2)]);
    assert_eq!(memory.remove_document("other").unwrap(), 2);
    assert_eq!(memory.remove_document("nothing").unwrap(), 0);
    assert_eq!(memory.unit_count().unwrap(), 1);
    // The removed units' postings are stale but never produce a match.
    let found = memory.lookup("وقالت الأمم المتحدة إن مئتين فروا.", &LookupOptions::default()).unwrap();
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn missing_and_foreign_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.sqlite");
    let error = Memory::open(&missing).unwrap_err();
    assert!(matches!(error, MemoryError::Missing { .. }));
    assert!(!missing.exists());

    let text = dir.path().join("notes.sqlite");
    std::fs::write(&text, "this is not a database, just some notes that are long enough to have a header")
        .unwrap();
    let error = Memory::open(&text).unwrap_err();
    assert!(error.to_string().contains("not a dragoman translation memory"), "{error}");
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
fn lookup_scores_exact_normalized_and_fuzzy_matches() {
    let (_dir, mut memory) = temp_memory();
    let original = "قُتل ثلاثة مدنيين في الرقة أمس";
    memory
        .replace_document(
            "d",
            &[
                unit("d:1", original, "Three civilians were killed in Raqqa yesterday"),
                unit("d:2", original, "Three civilians were killed in Raqqa yesterday"),
                unit("d:3", "سقط مطر غزير في حلب", "Heavy rain fell in Aleppo"),
            ],
        )
        .unwrap();
    let options = LookupOptions::default();
    let exact = memory.lookup(original, &options).unwrap();
    assert_eq!(exact.len(), 1);
    assert_eq!((exact[0].score, exact[0].exact, exact[0].count), (100, true, 2));
    assert_eq!(exact[0].target, "Three civilians were killed in Raqqa yesterday");

    let normalized = memory.lookup("قتل ثلاثة مدنيين في الرقة أمس", &options).unwrap();
    assert_eq!((normalized[0].score, normalized[0].exact), (99, false));

    // One of six words changed: 100 × 5 / 6 = 83.
    let fuzzy = memory.lookup("قتل أربعة مدنيين في الرقة أمس", &options).unwrap();
    assert_eq!(fuzzy[0].score, 83);
    assert!(
        memory
            .lookup("قتل أربعة مدنيين في الرقة أمس", &LookupOptions { min: 85, ..options.clone() })
            .unwrap()
            .is_empty()
    );

    // English queries match the English side.
    let english = memory.lookup("Heavy rain fell in Aleppo", &options).unwrap();
    assert_eq!((english[0].score, english[0].target.as_str()), (100, "سقط مطر غزير في حلب"));

    assert!(matches!(memory.lookup(" ؟!… ", &options), Err(MemoryError::NoWords)));
}

#[test]
fn units_lacking_a_language_are_kept_and_reported() {
    let mut lone = unit("x", "نص", "text");
    lone.variants[1].lang = "fr".to_string();
    lone.variants[0].lang = "ara".to_string();
    let issue = language_issue(&lone, &[Lang::Ar, Lang::En], 7).unwrap();
    assert_eq!(issue.position, 7);
    assert!(issue.message.contains("no Arabic or English variant"), "{}", issue.message);
    assert!(issue.message.contains("`ara`"), "{}", issue.message);
}

#[test]
fn variants_are_picked_by_tag_preference() {
    let mut u = unit("x", "أ", "a");
    u.variants.insert(0, Variant { lang: "ar-SA".to_string(), ..u.variants[0].clone() });
    assert_eq!(pick_variant(&u, Lang::Ar, "ar"), Some(1));
    assert_eq!(pick_variant(&u, Lang::Ar, "AR-sa"), Some(0));
    assert_eq!(pick_variant(&u, Lang::En, "en-GB"), Some(2));
}

#[test]
fn an_import_without_index_needs_a_reindex_before_lookups() {
    let (_dir, mut memory) = temp_memory();
    let tmx = r#"<tmx version="1.4"><header srclang="ar"/><body>
      <tu tuid="1"><tuv xml:lang="ar"><seg>قتل ثلاثة مدنيين في الرقة</seg></tuv><tuv xml:lang="en"><seg>Three civilians were killed in Raqqa</seg></tuv></tu>
    </body></tmx>"#;
    let source = || TmxSource { name: "t.tmx".into(), input: Box::new(tmx.as_bytes()) };
    let options = ImportOptions { no_index: true, ..ImportOptions::default() };
    memory.import(vec![source()], &options).unwrap();
    let query = "قتل ثلاثة مدنيين في الرقة";
    let error = memory.lookup(query, &LookupOptions::default()).unwrap_err();
    assert!(error.to_string().contains("tm reindex"), "{error}");
    memory.reindex().unwrap();
    assert_eq!(memory.lookup(query, &LookupOptions::default()).unwrap()[0].score, 100);

    // Reindexing also drops the entries of removed units.
    memory.replace_document("d", &[unit("d:1", query, "x")]).unwrap();
    memory.remove_document("d").unwrap();
    let postings =
        |m: &Memory| -> i64 { m.conn.query_row("SELECT sum(units) FROM posting", [], |r| r.get(0)).unwrap() };
    let before = postings(&memory);
    memory.reindex().unwrap();
    assert!(postings(&memory) < before);
    assert_eq!(memory.lookup(query, &LookupOptions::default()).unwrap()[0].count, 1);
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
    let version: i64 = memory.conn.query_row("PRAGMA user_version", [], |row| row.get(0)).unwrap();
    assert_eq!(version, schema::CURRENT_VERSION);
    assert_eq!(memory.unit(1).unwrap(), Some(old.clone()));
    // New units are stored compactly beside the old JSON one.
    let new = unit("new:1", "وقالت الأمم المتحدة إن مئتين فروا.", "The UN said 200 fled.");
    memory.replace_document("new", std::slice::from_ref(&new)).unwrap();
    let kinds: Vec<String> = memory
        .conn
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
    memory.conn.execute("UPDATE unit SET body = x'01ffff'", []).unwrap();
    let error = memory.unit(1).unwrap_err();
    assert!(matches!(error, MemoryError::CorruptUnit { unit: 1, .. }), "{error}");
}

#[test]
fn ids_are_never_reused_and_batches_store_every_unit() {
    let (_dir, mut memory) = temp_memory();
    // More than one multi-row statement, plus single rows after them.
    let units: Vec<TranslationUnit> = (0..70)
        .map(|i| {
            unit(&format!("d:{i}"), &format!("قتل {i} مدنيين في الرقة."), &format!("{i} civilians died."))
        })
        .collect();
    memory.replace_document("d", &units).unwrap();
    let ids = |memory: &Memory| -> Vec<i64> {
        let mut statement = memory.conn.prepare("SELECT id FROM unit ORDER BY id").unwrap();
        statement.query_map([], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    assert_eq!(ids(&memory), (1..=70).collect::<Vec<_>>());
    for (i, original) in units.iter().enumerate() {
        assert_eq!(memory.unit(i as i64 + 1).unwrap().as_ref(), Some(original));
    }
    // Re-adding identical units keeps them as they were, ids included.
    memory.replace_document("d", &units[..2]).unwrap();
    assert_eq!(ids(&memory), [1, 2]);
    // Replacing with changed units removes ids 1–2; the new units continue
    // after the largest id ever used (stale postings of removed units must
    // never point at new ones).
    let changed: Vec<TranslationUnit> = (0..2)
        .map(|i| {
            unit(
                &format!("d:{i}"),
                &format!("قتل {i} مدنيين في الرقة."),
                &format!("{i} civilians were killed."),
            )
        })
        .collect();
    memory.replace_document("d", &changed).unwrap();
    assert_eq!(ids(&memory), [71, 72]);
    let found = memory.lookup("قتل 1 مدنيين في الرقة.", &LookupOptions::default()).unwrap();
    assert_eq!(found[0].tuid.as_deref(), Some("d:1"));
    assert_eq!(found[0].score, 100);
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
        memory.conn.query_row("SELECT changed FROM unit WHERE tuid = 'new'", [], |row| row.get(0)).unwrap();
    assert_eq!(stored, None, "no change date is stored for a unit never changed");
    let found = memory.lookup("قتل ثلاثة مدنيين في الرقة أمس", &LookupOptions::default()).unwrap();
    let order: Vec<_> =
        found.iter().map(|m| (m.tuid.as_deref().unwrap(), m.changed.as_deref().unwrap())).collect();
    assert_eq!(order, [("new", "20170101T000000Z"), ("old", "20160101T000000Z")]);
}
