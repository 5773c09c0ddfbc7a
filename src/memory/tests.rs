//! Memory tests through the backend-neutral API: documents, lookup
//! basics, the index's staleness, ids, streaming every unit, and
//! `import_into` leaving nothing behind. SQL-level tests (schema, migrations,
//! stored columns) are in `sqlite/tests.rs`.

use super::*;
use crate::memory::fuzzy::term_id;

use crate::tmx::Variant;

pub(super) fn unit(tuid: &str, ar: &str, en: &str) -> TranslationUnit {
    TranslationUnit {
        tuid: Some(tuid.to_string()),
        attributes: vec![("creationdate".to_string(), "20170601T120000Z".to_string())],
        props: Vec::new(),
        notes: Vec::new(),
        variants: vec![Variant::from_text("ar", ar), Variant::from_text("en", en)],
    }
}

pub(super) fn temp_memory() -> (tempfile::TempDir, Memory) {
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
    // Units listed under a word of the query: the imported one and the
    // removed one, until the reindex drops the latter.
    let postings = |m: &Memory| m.store.term_frequency(term_id(Lang::Ar, "الرقه")).unwrap();
    assert_eq!(postings(&memory), 2);
    memory.reindex().unwrap();
    assert_eq!(postings(&memory), 1);
    assert_eq!(memory.lookup(query, &LookupOptions::default()).unwrap()[0].count, 1);
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
        (1..=100).filter(|&id| memory.unit(id).unwrap().is_some()).collect()
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
fn every_unit_is_visited_in_id_order() {
    let (_dir, mut memory) = temp_memory();
    let first = [
        unit("d:1", "قتل ثلاثة مدنيين في الرقة.", "Three civilians were killed in Raqqa."),
        unit("d:2", "وقالت الأمم المتحدة إن مئتين فروا.", "The UN said 200 fled."),
    ];
    memory.replace_document("d", &first).unwrap();
    memory.replace_document("e", &[unit("e:1", "سقط مطر غزير في حلب", "Heavy rain fell in Aleppo")]).unwrap();
    // d:1 stays (id 1), d:2 is replaced by a unit stored after e:1.
    let changed = unit("d:2", "وقالت الأمم المتحدة إن مئتين فروا.", "The UN said two hundred fled.");
    memory.replace_document("d", &[first[0].clone(), changed.clone()]).unwrap();

    let mut seen = Vec::new();
    let visited = memory.for_each_unit(&mut |unit| seen.push(unit)).unwrap();
    assert_eq!(visited, 3);
    assert_eq!(visited, memory.unit_count().unwrap());
    let tuids: Vec<&str> = seen.iter().map(|u| u.tuid.as_deref().unwrap()).collect();
    assert_eq!(tuids, ["d:1", "e:1", "d:2"]);
    assert_eq!(seen[0], first[0]);
    assert_eq!(seen[2], changed);
    assert_eq!(seen[2].variants[1].seg.plain_text(), "The UN said two hundred fled.");

    let (_dir, empty) = temp_memory();
    assert_eq!(empty.for_each_unit(&mut |_| panic!("an empty memory has no unit")).unwrap(), 0);
}

/// A TMX of `good` valid units, then (with `bad`) a unit without a segment,
/// which fails the import after several batches were stored.
fn tmx_with(good: usize, bad: bool) -> String {
    let mut tmx = String::from(r#"<tmx version="1.4"><header srclang="ar"/><body>"#);
    for i in 0..good {
        tmx.push_str(&format!(
            r#"<tu tuid="g:{i}"><tuv xml:lang="ar"><seg>قتل {i} مدنيين في الرقة</seg></tuv><tuv xml:lang="en"><seg>{i} civilians were killed in Raqqa</seg></tuv></tu>"#
        ));
    }
    if bad {
        tmx.push_str(r#"<tu tuid="bad"><tuv xml:lang="ar"><seg>قال</seg></tuv><tuv xml:lang="en"><note>no segment</note></tuv></tu>"#);
    }
    tmx.push_str("</body></tmx>");
    tmx
}

fn source(tmx: &str) -> Vec<TmxSource<'_>> {
    vec![TmxSource { name: "t.tmx".into(), input: Box::new(tmx.as_bytes()) }]
}

/// The memory's file and its journal files, where they exist.
fn memory_files(path: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm", "-journal"]
        .iter()
        .map(|suffix| PathBuf::from(format!("{}{suffix}", path.display())))
        .filter(|file| file.exists())
        .collect()
}

#[test]
fn a_failed_first_import_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tm").join("team").join("memory.sqlite");
    let tmx = tmx_with(1_000, true);
    let error = import_into(&path, source(&tmx), &ImportOptions::default()).unwrap_err();
    assert!(error.to_string().contains("has no <seg>"), "{error}");
    assert_eq!(memory_files(&path), Vec::<PathBuf>::new());
    assert!(!dir.path().join("tm").exists(), "the directories it made are gone too");

    // With the bad unit skipped, the same import creates the memory.
    let options = ImportOptions { skip_bad: true, ..ImportOptions::default() };
    let outcome = import_into(&path, source(&tmx), &options).unwrap();
    assert_eq!((outcome.report.imported(), outcome.units), (1_000, 1_000));
    assert_eq!(outcome.report.files[0].skipped.len(), 1);
}

#[test]
fn a_failed_import_into_an_existing_memory_leaves_its_bytes_identical() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("memory.sqlite");
    let outcome = import_into(&path, source(&tmx_with(300, false)), &ImportOptions::default()).unwrap();
    assert_eq!(outcome.units, 300);
    let before = std::fs::read(&path).unwrap();
    assert_eq!(memory_files(&path), std::slice::from_ref(&path), "closed cleanly: no journal left");

    for options in [ImportOptions::default(), ImportOptions { no_index: true, ..ImportOptions::default() }] {
        let error = import_into(&path, source(&tmx_with(1_000, true)), &options).unwrap_err();
        assert!(error.to_string().contains("has no <seg>"), "{error}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "the memory file changed");
        assert_eq!(memory_files(&path), std::slice::from_ref(&path));
    }
    let memory = Memory::open(&path).unwrap();
    assert_eq!(memory.unit_count().unwrap(), 300);
    let found = memory.lookup("قتل 7 مدنيين في الرقة", &LookupOptions::default()).unwrap();
    assert_eq!((found[0].score, found[0].target.as_str()), (100, "7 civilians were killed in Raqqa"));
    memory.check_integrity().unwrap();
}

#[test]
fn a_second_import_adds_to_the_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("memory.sqlite");
    import_into(&path, source(&tmx_with(2, false)), &ImportOptions::default()).unwrap();
    // The first two units are the ones already there.
    let outcome = import_into(&path, source(&tmx_with(3, false)), &ImportOptions::default()).unwrap();
    assert_eq!((outcome.report.imported(), outcome.report.already_present(), outcome.units), (1, 2, 3));
}

fn import_tmx(path: &Path, tmx: &str, extras: &ImportExtras) -> ImportOutcome {
    import_into_with(path, source(tmx), &ImportOptions::default(), extras).unwrap()
}

fn tmx_of(units: &[TranslationUnit]) -> String {
    let mut out = Vec::new();
    let mut writer = crate::tmx::TmxWriter::new(&mut out, &crate::tmx::WriterOptions::default()).unwrap();
    for unit in units {
        writer.write_unit(unit).unwrap();
    }
    writer.finish().unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn an_import_never_adds_a_unit_the_memory_already_holds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("memory.sqlite");
    let none = ImportExtras::default();
    let first = import_tmx(&path, &tmx_with(300, false), &none);
    assert_eq!((first.report.imported(), first.report.already_present(), first.units), (300, 0, 300));

    // The same file again, and the memory's own export: nothing added.
    let again = import_tmx(&path, &tmx_with(300, false), &none);
    assert_eq!((again.report.imported(), again.report.already_present(), again.units), (0, 300, 300));
    let mut exported = Vec::new();
    Memory::open(&path).unwrap().export(&mut exported, &LanguagePair::default()).unwrap();
    let round_trip = import_tmx(&path, std::str::from_utf8(&exported).unwrap(), &none);
    assert_eq!((round_trip.report.already_present(), round_trip.units), (300, 300));

    // Dates aside: a later export of the same unit is the same unit.
    let held = unit("raqqa:1", "قتل ثلاثة مدنيين في الرقة.", "Three civilians were killed in Raqqa.");
    import_tmx(&path, &tmx_of(std::slice::from_ref(&held)), &none);
    let redated = TranslationUnit {
        attributes: vec![
            ("creationdate".to_string(), "20240101T000000Z".to_string()),
            ("changedate".to_string(), "20240202T000000Z".to_string()),
        ],
        ..held.clone()
    };
    // Differing only in tuid, or without one, or in a note: other units.
    let other_tuid = TranslationUnit { tuid: Some("raqqa:2".to_string()), ..held.clone() };
    let no_tuid = TranslationUnit { tuid: None, ..held.clone() };
    let noted = TranslationUnit {
        notes: vec![crate::tmx::Note { lang: None, text: "checked".to_string() }],
        ..held.clone()
    };
    let outcome = import_tmx(&path, &tmx_of(&[redated, other_tuid, no_tuid, noted]), &none);
    assert_eq!((outcome.report.imported(), outcome.report.already_present()), (3, 1));
    assert_eq!(outcome.units, 304);

    // With `keep_duplicates`, everything a file holds is added.
    let kept = import_tmx(&path, &tmx_with(300, false), &ImportExtras { keep_duplicates: true, ..none });
    assert_eq!((kept.report.imported(), kept.report.already_present(), kept.units), (300, 0, 604));
}

#[test]
fn units_of_one_file_that_repeat_each_other_are_all_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("memory.sqlite");
    let twice = unit("homs:1", "نزح آلاف من حمص.", "Thousands fled Homs.");
    let tmx = tmx_of(&[twice.clone(), twice.clone(), twice]);
    let outcome = import_tmx(&path, &tmx, &ImportExtras::default());
    assert_eq!((outcome.report.imported(), outcome.units), (3, 3));
    // Two files of one import are compared with the memory before it, not
    // with each other.
    let sources = vec![
        TmxSource { name: "a.tmx".into(), input: Box::new(tmx.as_bytes()) },
        TmxSource { name: "b.tmx".into(), input: Box::new(tmx.as_bytes()) },
    ];
    let outcome = import_into(&path, sources, &ImportOptions::default()).unwrap();
    let per_file: Vec<_> = outcome.report.files.iter().map(|f| (f.imported, f.already_present)).collect();
    assert_eq!((per_file, outcome.units), (vec![(0, 3), (0, 3)], 3));
}

#[test]
fn skipped_bad_units_keep_the_first_errors_and_count_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("memory.sqlite");
    let mut tmx = String::from(r#"<tmx version="1.4"><header srclang="ar"/><body>"#);
    for i in 0..(KEPT_ERRORS + 250) {
        tmx.push_str(&format!(r#"<tu tuid="bad:{i}"><tuv xml:lang="ar"><seg>قال</seg></tuv><tuv xml:lang="en"><note>x</note></tuv></tu>"#));
        tmx.push_str(&format!(r#"<tu tuid="good:{i}"><tuv xml:lang="ar"><seg>قال {i}</seg></tuv><tuv xml:lang="en"><seg>said {i}</seg></tuv></tu>"#));
    }
    tmx.push_str("</body></tmx>");
    let options = ImportOptions { skip_bad: true, ..ImportOptions::default() };
    let outcome = import_into(&path, source(&tmx), &options).unwrap();
    let file = &outcome.report.files[0];
    assert_eq!((file.skipped.len(), file.skipped_total), (KEPT_ERRORS, KEPT_ERRORS + 250));
    assert_eq!(outcome.units as usize, KEPT_ERRORS + 250);
    assert!(file.skipped[0].to_string().contains("has no <seg>"), "{}", file.skipped[0]);
}

#[test]
fn a_writer_waits_for_the_lock_or_says_once_who_holds_it() {
    let (_dir, mut holder) = temp_memory();
    let mut waiter = Memory::open(holder.path()).unwrap();
    let waits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = waits.clone();
    waiter.set_lock_wait(LockWait {
        limit: Some(std::time::Duration::from_millis(300)),
        on_wait: Some(std::sync::Arc::new(move |_name: &str| {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        })),
    });
    let unit = unit("aleppo:1", "قصفت حلب ليلاً.", "Aleppo was shelled overnight.");
    {
        let _held = holder.store.begin_write(true).unwrap();
        let error = waiter.replace_document("aleppo", std::slice::from_ref(&unit)).unwrap_err();
        assert!(matches!(error, MemoryError::Locked { .. }), "{error}");
        let message = error.to_string();
        assert!(message.contains("another process is writing this memory"), "{message}");
        assert!(message.contains("run the command again"), "{message}");
        assert!(std::error::Error::source(&error).is_none(), "said once, with no repeating cause");
        assert_eq!(waits.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
    // Without a limit, the write waits until the lock is released.
    waiter.set_lock_wait(LockWait::default());
    let held = holder.store.begin_write(true).unwrap();
    std::thread::scope(|scope| {
        let waiting = scope.spawn(|| waiter.replace_document("aleppo", std::slice::from_ref(&unit)));
        // Longer than the limit above, which no longer applies.
        std::thread::sleep(std::time::Duration::from_millis(600));
        assert!(!waiting.is_finished(), "the writer gave up while the lock was held");
        drop(held);
        assert_eq!(waiting.join().unwrap().unwrap().added, 1);
    });
}

#[test]
fn re_adding_a_large_document_matches_units_by_digest() {
    let (_dir, mut memory) = temp_memory();
    // Units without tuids, many alike: every one still keeps its own id.
    let units: Vec<TranslationUnit> = (0..2_000)
        .map(|i| TranslationUnit {
            tuid: None,
            ..unit(
                "",
                &format!("قتل {} مدنيين في الرقة.", i % 50),
                &format!("{} civilians were killed.", i % 50),
            )
        })
        .collect();
    assert_eq!(memory.replace_document("raqqa", &units).unwrap().added, 2_000);
    let again = memory.replace_document("raqqa", &units).unwrap();
    assert_eq!((again.removed, again.added, again.unchanged), (0, 0, 2_000));
    let fewer = memory.replace_document("raqqa", &units[..1_500]).unwrap();
    assert_eq!((fewer.removed, fewer.added, fewer.unchanged), (500, 0, 1_500));
    assert_eq!(memory.unit_count().unwrap(), 1_500);
}

#[test]
fn a_query_of_a_whole_article_is_refused_at_once() {
    let (_dir, mut memory) = temp_memory();
    memory.replace_document("d", &[unit("d:1", "قتل ثلاثة مدنيين في الرقة.", "Three were killed.")]).unwrap();
    let long = "قتل ثلاثة مدنيين في الرقة ".repeat(lookup::MAX_QUERY_WORDS / 5 + 1);
    let error = memory.lookup(&long, &LookupOptions { min: 1, ..LookupOptions::default() }).unwrap_err();
    assert!(matches!(error, MemoryError::QueryTooLong { .. }), "{error}");
    assert!(error.to_string().contains("split the text into sentences"), "{error}");
    let short = "قتل ثلاثة مدنيين في الرقة ".repeat(lookup::MAX_QUERY_WORDS / 5);
    assert!(memory.lookup(&short, &LookupOptions { min: 1, ..LookupOptions::default() }).is_ok());
}

#[test]
fn a_unit_with_a_segment_over_a_mebibyte_is_kept_whole_but_never_matched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("memory.sqlite");
    let sentence = "قتل ثلاثة مدنيين في غارة على الرقة. ";
    let at_limit = sentence.repeat(MAX_MATCHED_SEGMENT_BYTES / sentence.len());
    let over = format!("{at_limit}{sentence}");
    assert!(at_limit.len() <= MAX_MATCHED_SEGMENT_BYTES && over.len() > MAX_MATCHED_SEGMENT_BYTES);
    let units = [
        unit("fits", &at_limit, "Three civilians were killed."),
        unit("book", &over, "Three civilians were killed."),
        unit(
            "short",
            "قتل ثلاثة مدنيين في غارة على الرقة.",
            "Three civilians were killed in a raid on Raqqa.",
        ),
    ];
    let tmx = tmx_of(&units);
    let outcome = import_tmx(&path, &tmx, &ImportExtras::default());
    assert_eq!(outcome.units, 3);
    let issues = &outcome.report.files[0].language_issues;
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!((issues[0].position, issues[0].tuid.as_deref()), (2, Some("book")));
    assert!(issues[0].message.contains(&format!("{} bytes", over.len())), "{}", issues[0].message);
    let memory = Memory::open(&path).unwrap();
    assert_eq!(memory.stats().unwrap().unmatchable, 1);
    // Stored whole: the export holds it as it came.
    let mut exported = Vec::new();
    memory.export(&mut exported, &LanguagePair::default()).unwrap();
    let exported = String::from_utf8(exported).unwrap();
    assert!(exported.contains(&over));
    // Lookup and concordance find the others, never it.
    let options = LookupOptions { min: 1, limit: 10, ..LookupOptions::default() };
    let found = memory.lookup("قتل ثلاثة مدنيين في غارة على الرقة.", &options).unwrap();
    let tuids: Vec<_> = found.iter().map(|m| m.tuid.as_deref()).collect();
    assert!(tuids.contains(&Some("short")) && !tuids.contains(&Some("book")), "{tuids:?}");
    let hits = memory.concordance("الرقة", &ConcordanceOptions { limit: 10, ..Default::default() }).unwrap();
    assert_eq!(hits.len(), 2, "the short unit and the one at the limit");
}
