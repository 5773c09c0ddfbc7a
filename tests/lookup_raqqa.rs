//! Lookup and concordance acceptance on real text: edited sentences of the
//! bundled `examples/raqqa-2017` article find their original with the score
//! a translator expects; concordance of `الرقة` finds its clitic forms and
//! nothing else; bad input gets a clear message.

mod support;

use std::io::{Seek, SeekFrom, Write};

use serde_json::Value;
use support::{TempProject, repo_path};

/// A project whose memory holds the raqqa-2017 sentences.
fn raqqa_project() -> TempProject {
    let project = TempProject::new();
    project
        .dragoman()
        .args(["tm", "add", "--presegmented"])
        .arg(repo_path("examples/raqqa-2017/ar.sents"))
        .arg(repo_path("examples/raqqa-2017/en.sents"))
        .assert()
        .success();
    project
}

fn sentence(n: usize) -> String {
    let text = support::read_repo("examples/raqqa-2017/ar.sents");
    text.lines().filter(|l| !l.trim().is_empty()).nth(n).unwrap().to_string()
}

/// `tm lookup QUERY --format json` → (exit code, parsed output).
fn lookup(project: &TempProject, query: &str, extra: &[&str]) -> (i32, Value) {
    let output =
        project.dragoman().args(["tm", "lookup", query, "--format", "json"]).args(extra).output().unwrap();
    let code = output.status.code().unwrap();
    let json = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
    (code, json)
}

fn best(json: &Value) -> (u64, bool, String) {
    let first = &json["matches"][0];
    (
        first["score"].as_u64().unwrap(),
        first["exact"].as_bool().unwrap(),
        first["source"].as_str().unwrap().into(),
    )
}

/// `tm lookup --presegmented --format json --file FILE`.
fn lookup_file(project: &TempProject, file: &std::path::Path) -> std::process::Output {
    project
        .dragoman()
        .args(["tm", "lookup", "--presegmented", "--format", "json", "--file"])
        .arg(file)
        .output()
        .unwrap()
}

#[test]
fn edited_sentences_find_their_original() {
    let project = raqqa_project();

    // Unchanged: exact.
    let original = sentence(2);
    let (code, json) = lookup(&project, &original, &[]);
    assert_eq!(code, 0);
    assert_eq!(best(&json), (100, true, original.clone()));
    assert_eq!(json["query"], original.as_str());
    let first = &json["matches"][0];
    assert_eq!(first["doc"], "raqqa-2017");
    assert_eq!(first["tuid"], "raqqa-2017:3");
    assert_eq!(first["count"], 1);

    // A changed number: 35 of 36 words kept, 100 × 35 / 36 = 97.
    let edited = original.replace("70", "80");
    assert_ne!(edited, original);
    assert_eq!(best(&lookup(&project, &edited, &[]).1), (97, false, original.clone()));
    // Arabic-Indic digits are the same number: equal after normalization.
    let indic = original.replace("70", "٧٠");
    assert_eq!(best(&lookup(&project, &indic, &[]).1), (99, false, original.clone()));

    // A dropped clause: 34 of 44 words, 100 × 34 / 44 = 77.
    let long = sentence(3);
    let cut = long.find(" شريطة").unwrap();
    let shortened = format!("{}.", &long[..cut]);
    assert_eq!(best(&lookup(&project, &shortened, &[]).1), (77, false, long.clone()));
    // ...which --min 80 rules out.
    let (code, json) = lookup(&project, &shortened, &["--min", "80"]);
    assert_eq!(code, 1, "no match exits 1");
    assert!(json["matches"].as_array().unwrap().is_empty());

    // A spelling variant normalization folds (hamza on alef): 99.
    let variant = long.replace("انترفاكس", "إنترفاكس");
    assert_ne!(variant, long);
    assert_eq!(best(&lookup(&project, &variant, &[]).1), (99, false, long.clone()));
    // سوريا for سورية is a different word: 35 of 36, 97.
    let syria = sentence(5);
    let respelled = syria.replace("سورية", "سوريا");
    assert_ne!(respelled, syria);
    assert_eq!(best(&lookup(&project, &respelled, &[]).1), (97, false, syria.clone()));

    // Diacritics added: equal after normalization, 99, not exact.
    assert_eq!(best(&lookup(&project, "الرَّقَّةُ تُذْبَحُ بِصَمْتٍ", &[]).1), (99, false, sentence(1)));
}

#[test]
fn text_output_marks_the_differing_words() {
    let project = raqqa_project();
    let edited = sentence(2).replace("70", "80");
    let output = project.dragoman().args(["tm", "lookup", &edited]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("97%"), "{text}");
    assert!(text.contains("⟦70⟧"), "the changed number is marked as check marks spans: {text}");
    assert!(!text.contains("\x1b["), "no colour when stdout is not a terminal");
}

#[test]
fn file_lookup_previews_every_sentence_with_a_summary() {
    let project = raqqa_project();
    let draft = format!(
        "{}\n{}\nسقط مطر غزير على مدينة بعيدة جداً اليوم\n؟؟\n",
        sentence(1),
        sentence(2).replace("70", "80")
    );
    let file = project.write("draft.ar.txt", draft);
    let output = lookup_file(&project, &file);
    assert_eq!(output.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let results = json["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    assert_eq!(results[0]["matches"][0]["exact"], true);
    assert_eq!(results[1]["matches"][0]["score"], 97);
    assert!(results[2]["matches"].as_array().unwrap().is_empty());
    assert_eq!(json["summary"]["exact"], 1);
    assert_eq!(json["summary"]["at_least_85"], 1);
    assert_eq!(json["summary"]["no_match"], 2);

    let text =
        project.dragoman().args(["tm", "lookup", "--presegmented", "--file"]).arg(&file).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("4 sentences: 1 exact, 1 ≥ 85%, 0 ≥ 70%, 2 no match"), "{text}");
}

#[test]
fn concordance_finds_clitic_forms_and_nothing_else() {
    let project = TempProject::new();
    let arabic = [
        "قصف جوي على الرقة اليوم",
        "وصل النازحون بالرقة أمس",
        "والرقة مدينة على الفرات",
        "قدمت المساعدات للرقة وريفها",
        "وبالرقة يعيش الآلاف",
        "خرجت قوافل لـ\"الرقة\" ليلا",
        "اتسعت الرقعة الزراعية هذا العام",
        "كانت رقة صوته واضحة",
    ];
    let english = [
        "Air strike on Raqqa today",
        "The displaced arrived in Raqqa yesterday",
        "And Raqqa is a city on the Euphrates",
        "Aid was sent to Raqqa and its countryside",
        "And in Raqqa thousands live",
        "Convoys left for Raqqa at night",
        "The farmed area grew this year",
        "The softness of his voice was clear",
    ];
    let ar = project.write("c.ar.txt", arabic.join("\n\n"));
    let en = project.write("c.en.txt", english.join("\n\n"));
    project.dragoman().args(["tm", "add", "--presegmented"]).arg(&ar).arg(&en).assert().success();

    let output =
        project.dragoman().args(["tm", "concordance", "الرقة", "--format", "json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["term"], "الرقة");
    let mut found: Vec<(String, String)> = json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| {
            let source = hit["source"].as_str().unwrap().to_string();
            let span = &hit["spans"][0];
            let (s, e) = (span[0].as_u64().unwrap() as usize, span[1].as_u64().unwrap() as usize);
            assert!(hit["id"].as_i64().unwrap() > 0);
            (source[s..e].to_string(), source)
        })
        .collect();
    found.sort();
    let mut expected: Vec<(String, String)> =
        [("الرقة", 0), ("بالرقة", 1), ("والرقة", 2), ("للرقة", 3), ("وبالرقة", 4), ("الرقة", 5)]
            .into_iter()
            .map(|(word, i)| (word.to_string(), arabic[i].to_string()))
            .collect();
    expected.sort();
    assert_eq!(found, expected);

    // English, case-insensitive, with the other side as target.
    let output = project
        .dragoman()
        .args(["tm", "concordance", "raqqa", "--lang", "en", "--format", "json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["hits"].as_array().unwrap().len(), 6);
    assert!(json["hits"][0]["target"].as_str().unwrap().contains("الرقة"));

    let missing = project.dragoman().args(["tm", "concordance", "دمشق"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(1));
}

#[test]
fn bad_queries_get_clear_messages() {
    let project = raqqa_project();
    for query in ["", "  ", "؟!… «»"] {
        let output = project.dragoman().args(["tm", "lookup", query]).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{query:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with("dragoman: error: nothing to look up"), "{stderr}");
    }
    // A 100,000-character query (200 kB: more than one argument may hold,
    // so it comes as a one-line file) is not a sentence: refused at once,
    // saying why, instead of rescoring for minutes (issue #20).
    let huge: String = sentence(3).chars().cycle().take(100_000).collect();
    let file = project.write("huge.txt", &huge);
    let output = lookup_file(&project, &file);
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("lookup matches sentences of up to 1000 words"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // The same through the library, at the lowest minimum; a long query
    // under the limit still runs.
    let memory = dragoman::memory::Memory::open(&project.join("tm/memory.sqlite")).unwrap();
    let options = dragoman::memory::LookupOptions { min: 1, ..Default::default() };
    let error = memory.lookup(&huge, &options).unwrap_err();
    assert!(matches!(error, dragoman::memory::MemoryError::QueryTooLong { .. }), "{error}");
    let longest: Vec<&str> =
        huge.split_whitespace().take(dragoman::memory::lookup::MAX_QUERY_WORDS / 2).collect();
    let found = memory.lookup(&longest.join(" "), &options).unwrap();
    assert!(found.iter().all(|m| m.score < 20), "{:?}", found.first().map(|m| m.score));
}

#[test]
fn missing_or_newer_memories_are_refused_untouched() {
    let project = TempProject::new();
    let output = project.dragoman().args(["tm", "lookup", "الرقة"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no translation memory here"), "{stderr}");
    assert!(!project.join("tm/memory.sqlite").exists(), "lookup must not create a memory");

    let project = raqqa_project();
    let path = project.join("tm/memory.sqlite");
    {
        // What a newer dragoman leaves: schema version 99. SQLite keeps
        // `PRAGMA user_version` in the file header, a 4-byte big-endian
        // integer at offset 60 (sqlite.org/fileformat.html); the memory was
        // closed, so its log was checkpointed into the file and removed.
        assert!(!project.join("tm/memory.sqlite-wal").exists());
        let mut file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        file.seek(SeekFrom::Start(60)).unwrap();
        file.write_all(&99u32.to_be_bytes()).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    for args in [&["tm", "lookup", "الرقة"][..], &["tm", "stats"], &["tm", "import", "-"]] {
        let output = project.dragoman().args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("newer dragoman (memory schema version 99"), "{stderr}");
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
}
