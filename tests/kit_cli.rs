//! The translator's kit through the command line, on the bundled Arabic
//! example: `prepare` against an empty memory, a memory holding the
//! example, and an edited article; `ingest --xliff` of a hand-translated
//! work file (counts stored, untranslated units reported) and the edition
//! it gives equal to the one from the plain-text pair; bad work files
//! refused with nothing stored.

mod support;

use std::path::{Path, PathBuf};

use dragoman::xliff::{self, XliffDocument};
use support::{TempProject, read_repo, repo_path};

const AR: &str = "examples/raqqa-2017/ar.txt";
const EN: &str = "examples/raqqa-2017/en.txt";

fn stdout_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

/// `prepare ARTICLE --format json` in `project`; returns the summary and the work file.
fn prepare(project: &TempProject, article: &Path, extra: &[&str]) -> (serde_json::Value, XliffDocument) {
    let assert =
        project.dragoman().arg("prepare").arg(article).args(["--format", "json"]).args(extra).assert();
    let stdout = stdout_of(&assert);
    assert.success();
    let summary: serde_json::Value = serde_json::from_str(&stdout).expect("json summary");
    let name = summary["name"].as_str().unwrap().to_string();
    let document =
        xliff::read_xliff_file(&project.join(&format!("out/{name}.xlf"))).expect("our XLIFF reads back");
    (summary, document)
}

fn add_example_to_memory(project: &TempProject) {
    project.dragoman().args(["tm", "add"]).arg(repo_path(AR)).arg(repo_path(EN)).assert().success();
}

fn english_paragraphs() -> Vec<String> {
    read_repo(EN).split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect()
}

#[test]
fn with_an_empty_memory_every_sentence_is_new_and_its_target_a_copy_of_the_source() {
    let project = TempProject::with_bundled_glossaries();
    let (summary, document) =
        prepare(&project, &repo_path(AR), &["--title", "Raqqa", "--date", "2017-06-27"]);
    assert_eq!(summary["sentences"], 10);
    assert_eq!(summary["matches"]["new"], 10, "{summary}");
    assert_eq!(summary["matches"]["exact"], 0);
    assert!(summary["names"].as_u64().unwrap() > 5, "the house glossary's names are found: {summary}");
    assert_eq!(document.source_language, "ar");
    assert_eq!(document.target_language, "en");
    assert_eq!(document.title.as_deref(), Some("Raqqa"));
    assert_eq!(document.date.as_deref(), Some("2017-06-27"));
    assert_eq!(document.paragraphs.len(), 10, "one group per paragraph");
    let units: Vec<_> = document.units().collect();
    assert_eq!(units.len(), 10);
    assert_eq!(units[0].id, "s1-1");
    for unit in &units {
        let target = unit.target.as_ref().expect("every unit has a target (OmegaT needs one)");
        assert_eq!(target.text, unit.source);
        assert_eq!(target.state.as_deref(), Some("new"));
        assert!(unit.translation().is_none());
        assert!(unit.alternatives.is_empty());
    }
    // The glossary's names as notes: the approved rendering and the forbidden ones.
    let raqqa = units[0].notes.iter().find(|n| n.text.starts_with("الرقة →")).expect("a note for الرقة");
    assert_eq!(raqqa.from.as_deref(), Some("glossary"));
    assert!(raqqa.text.contains("→ Raqqa") && raqqa.text.contains("never: ") && raqqa.text.contains("Rakka"));
    assert!(units[2].notes.iter().any(|n| n.from.as_deref() == Some("numbers") && n.text == "70"));
    let brief = std::fs::read_to_string(project.join("out/raqqa-2017.brief.html")).unwrap();
    assert!(brief.contains("10 sentences · 0 exact (100 %) · 0 95–99 % · 0 fuzzy (70–94 %) · 10 new"));
    assert!(brief.contains("Numbers to carry over"));
    // Deterministic: the same article prepared again gives the same file.
    let first = std::fs::read(project.join("out/raqqa-2017.xlf")).unwrap();
    prepare(&project, &repo_path(AR), &["--title", "Raqqa", "--date", "2017-06-27"]);
    assert_eq!(first, std::fs::read(project.join("out/raqqa-2017.xlf")).unwrap());
}

#[test]
fn a_memory_holding_the_article_prefills_every_target_for_review() {
    let project = TempProject::with_bundled_glossaries();
    add_example_to_memory(&project);
    let (summary, document) = prepare(&project, &repo_path(AR), &[]);
    assert_eq!(summary["matches"]["exact"], 10, "{summary}");
    let english = english_paragraphs();
    for (unit, paragraph) in document.units().zip(&english) {
        let target = unit.target.as_ref().unwrap();
        assert_eq!(target.state.as_deref(), Some("needs-review-translation"));
        // The stored unit joins a bead's sentences by a space, as the paragraph does.
        assert_eq!(&target.text, paragraph);
        assert_eq!(unit.translation(), Some(paragraph.as_str()));
    }
}

#[test]
fn an_edited_sentence_gets_its_old_translation_as_a_fuzzy_alternative() {
    let project = TempProject::with_bundled_glossaries();
    add_example_to_memory(&project);
    let edited =
        read_repo(AR).replace("\u{a0}70\u{a0}", "\u{a0}80\u{a0}").replace("وجرح أخرون", "وأصيب العشرات");
    assert_ne!(edited, read_repo(AR));
    let article = project.write("raqqa-update.ar.txt", &edited);
    let (summary, document) = prepare(&project, &article, &[]);
    assert_eq!(summary["name"], "raqqa-update");
    assert_eq!(summary["matches"]["exact"], 9, "{summary}");
    assert_eq!(summary["matches"]["fuzzy"], 1, "{summary}");
    let unit = document.units().nth(2).unwrap();
    assert_eq!(unit.target.as_ref().unwrap().state.as_deref(), Some("new"));
    assert_eq!(unit.target.as_ref().unwrap().text, unit.source);
    let alternative = unit.alternatives.first().expect("the old sentence as alt-trans");
    let quality: u8 = alternative.match_quality.parse().unwrap();
    assert!((70..100).contains(&quality), "{quality}");
    assert_eq!(alternative.origin, "raqqa-2017");
    assert!(alternative.source.contains("\u{a0}70\u{a0}"));
    assert!(alternative.target.starts_with("Over the past two days, more than 70 civilians"));
    let brief = std::fs::read_to_string(project.join("out/raqqa-update.brief.html")).unwrap();
    assert!(brief.contains("<mark class=\"diff\">70</mark>"), "the differing words are marked");
}

/// The prepared work file with each unit's target replaced by the English
/// paragraph of the same number, as a translator in a text editor would
/// (units listed in `leave` keep their source copy).
fn hand_translate(xlf: &Path, leave: &[&str]) -> String {
    let mut text = std::fs::read_to_string(xlf).unwrap();
    let document = xliff::read_xliff_file(xlf).unwrap();
    for (unit, english) in document.units().zip(english_paragraphs()) {
        if leave.contains(&unit.id.as_str()) {
            continue;
        }
        let mut escaped = String::new();
        dragoman::tmx::push_xml_text(&mut escaped, &english);
        let mut source_escaped = String::new();
        dragoman::tmx::push_xml_text(&mut source_escaped, &unit.source);
        let old = format!("<target xml:lang=\"en\" state=\"new\">{source_escaped}</target>");
        let new = format!("<target xml:lang=\"en\" state=\"translated\">{escaped}</target>");
        assert!(text.contains(&old), "target of {} found", unit.id);
        text = text.replacen(&old, &new, 1);
    }
    text
}

fn units_in_memory(project: &TempProject) -> u64 {
    let assert = project.dragoman().args(["tm", "stats", "--format", "json"]).assert().success();
    let stats: serde_json::Value = serde_json::from_str(&stdout_of(&assert)).unwrap();
    stats["units"].as_u64().unwrap()
}

#[test]
fn ingest_xliff_stores_the_translated_units_and_reports_the_untranslated() {
    let project = TempProject::with_bundled_glossaries();
    prepare(&project, &repo_path(AR), &[]);
    let translated =
        project.write("done.xlf", hand_translate(&project.join("out/raqqa-2017.xlf"), &["s4-1"]));
    let assert = project.dragoman().args(["ingest", "--format", "json", "--xliff"]).arg(&translated).assert();
    let (stdout, stderr) = (stdout_of(&assert), stderr_of(&assert));
    assert.success();
    let summary: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(summary["name"], "raqqa-2017", "named from <file original>, as ingest names ar.txt");
    assert_eq!(summary["source_sentences"], 10);
    assert_eq!(summary["target_sentences"], 17, "18 English sentences less the untranslated one");
    assert_eq!(summary["beads"], 10);
    assert_eq!(summary["memory"]["added"], 9, "{summary}");
    assert_eq!(summary["memory"]["not_stored"].as_array().unwrap().len(), 1);
    assert!(stderr.contains("1 untranslated unit not stored: s4-1"), "{stderr}");
    assert_eq!(units_in_memory(&project), 9);
}

#[test]
fn ingest_xliff_gives_the_edition_of_the_plain_text_pair_and_replaces_its_units() {
    let project = TempProject::with_bundled_glossaries();
    prepare(&project, &repo_path(AR), &[]);
    let translated = project.write("done.xlf", hand_translate(&project.join("out/raqqa-2017.xlf"), &[]));
    project
        .dragoman()
        .arg("ingest")
        .arg(repo_path(AR))
        .arg(repo_path(EN))
        .args(["--out", "plain"])
        .assert()
        .success();
    assert_eq!(units_in_memory(&project), 10);
    let assert = project.dragoman().args(["ingest", "--out", "kit", "--xliff"]).arg(&translated).assert();
    let stdout = stdout_of(&assert);
    assert.success();
    assert!(stdout.contains("10 source and 18 target sentences in 10 beads"), "{stdout}");
    assert_eq!(units_in_memory(&project), 10, "the XLIFF replaced the plain-text ingest's units: {stdout}");
    for file in ["raqqa-2017.en.html", "raqqa-2017.en.md", "raqqa-2017.en.txt"] {
        let read = |dir: &str| std::fs::read_to_string(project.join(&format!("{dir}/{file}"))).unwrap();
        assert_eq!(read("plain"), read("kit"), "{file}");
    }
    // The bilingual page has the same rows; only the confidences differ
    // (the translator's own alignment is certain).
    let without_confidence = |dir: &str| {
        let page =
            std::fs::read_to_string(project.join(&format!("{dir}/raqqa-2017.bilingual.html"))).unwrap();
        regex_lite_strip(&page)
    };
    assert_eq!(without_confidence("plain"), without_confidence("kit"));
}

/// The page without its confidence figures (`0.97`, `1.00`).
fn regex_lite_strip(page: &str) -> String {
    page.lines()
        .map(|line| if line.contains("confidence") { "" } else { line })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn bad_work_files_are_refused_with_file_line_and_column_and_nothing_stored() {
    let project = TempProject::with_bundled_glossaries();
    let good = r#"<?xml version="1.0"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="ar.txt" source-language="ar" target-language="en" datatype="plaintext"><body>
<trans-unit id="1"><source>الرقة تذبح بصمت</source><target>Raqqa is Being Slaughtered Silently</target></trans-unit>
</body></file></xliff>
"#;
    let cases: Vec<(&str, String, &str)> = vec![
        ("tmx.xlf", "<tmx version=\"1.4\"><header/><body/></tmx>".to_string(), "not <xliff>"),
        (
            "two.xlf",
            good.replace(
                r#"version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2""#,
                r#"version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0""#,
            ),
            "this is XLIFF 2.0; dragoman reads XLIFF 1.2",
        ),
        ("nosource.xlf", good.replace("<source>الرقة تذبح بصمت</source>", ""), "has no <source>"),
        (
            "entity.xlf",
            good.replace(
                "<?xml version=\"1.0\"?>",
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"boom\">]>",
            ),
            "DOCTYPE is refused",
        ),
        ("nbsp.xlf", good.replace("Silently", "Silently&nbsp;"), "undefined entity &nbsp;"),
        ("cut.xlf", good[..good.len() / 2].to_string(), "truncated"),
    ];
    for (file, contents, expected) in cases {
        let path = project.write(file, contents);
        let assert = project.dragoman().args(["ingest", "--xliff"]).arg(&path).assert().code(2);
        let stderr = stderr_of(&assert);
        assert_eq!(stderr.lines().count(), 1, "{file}: one line: {stderr}");
        let at = format!("dragoman: error: {}:", path.display());
        assert!(stderr.starts_with(&at), "{file}: names the file: {stderr}");
        let position = &stderr[at.len()..];
        let mut parts = position.splitn(3, ':');
        let (line, column) = (parts.next().unwrap(), parts.next().unwrap());
        assert!(
            line.parse::<u32>().is_ok() && column.parse::<u32>().is_ok(),
            "{file}: line:column: {stderr}"
        );
        assert!(stderr.contains(expected), "{file}: says `{expected}`: {stderr}");
        assert!(!project.join("tm/memory.sqlite").exists(), "{file}: nothing stored");
        assert!(!project.join("out").exists(), "{file}: nothing written");
    }
    // The good one goes in.
    let path: PathBuf = project.write("good.xlf", good);
    project.dragoman().args(["ingest", "--xliff"]).arg(&path).assert().success();
    assert_eq!(units_in_memory(&project), 1);
}

#[test]
fn pairing_options_do_not_apply_to_a_work_file() {
    let project = TempProject::new();
    let assert =
        project.dragoman().args(["ingest", "--xliff", "a.xlf", "--beads", "a.beads"]).assert().code(2);
    assert!(stderr_of(&assert).contains("cannot be used with"), "{}", stderr_of(&assert));
}

#[test]
fn prepare_refuses_outside_a_project_unless_told_what_to_use() {
    let dir = tempfile::tempdir().unwrap();
    let assert =
        support::dragoman().current_dir(dir.path()).arg("prepare").arg(repo_path(AR)).assert().code(2);
    assert!(stderr_of(&assert).contains("not a dragoman project"));
    assert!(!dir.path().join("out").exists());
    // With a glossary and no memory: every sentence new, names marked.
    let glossary = repo_path("glossaries/syria.txt");
    let assert = support::dragoman()
        .current_dir(dir.path())
        .arg("prepare")
        .arg(repo_path(AR))
        .arg("--glossary")
        .arg(&glossary)
        .args(["--out", "kit", "--format", "json"])
        .assert()
        .success();
    let summary: serde_json::Value = serde_json::from_str(&stdout_of(&assert)).unwrap();
    assert_eq!(summary["matches"]["new"], 10);
    assert!(summary["memory"].is_null());
    assert!(dir.path().join("kit/raqqa-2017.xlf").is_file());
}
