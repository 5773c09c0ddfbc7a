//! `glossary drift`, `glossary suggest` and the `term-archive` check through
//! the CLI, on a memory of Arabic news units (tests/fixtures/terminology).

mod postgres_server;
mod support;

use serde_json::Value;
use support::{TempProject, repo_path};

/// A project whose memory holds `archive.tmx`; `glossary` (native format)
/// is its only glossary.
fn project_with_archive(glossary: &str) -> TempProject {
    let project = TempProject::new();
    project.write("glossaries/house.txt", glossary);
    let output = project
        .dragoman()
        .args(["tm", "import"])
        .arg(repo_path("tests/fixtures/terminology/archive.tmx"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    project
}

const HOUSE: &str = "الرقة\tRaqqa\tcity\t\t\tRaqa\tplace\n";

fn run(project: &TempProject, args: &[&str]) -> (Value, i32, String) {
    let output = project.dragoman().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let json = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{stderr}", String::from_utf8_lossy(&output.stdout)));
    (json, output.status.code().unwrap(), stderr)
}

#[test]
fn drift_reports_every_rendering_with_documents_dates_and_examples() {
    let project = project_with_archive(HOUSE);
    let (report, code, stderr) = run(&project, &["glossary", "drift", "--format", "json"]);
    assert_eq!(code, 1, "drift found: exit 1\n{stderr}");
    let drift = report["drift"].as_array().unwrap();
    assert_eq!(report.as_object().unwrap().len(), 1, "only `drift` at the top: {report}");
    let terms: Vec<&str> = drift.iter().map(|d| d["term"].as_str().unwrap()).collect();
    assert_eq!(terms, vec!["الشعيطات", "الرقة"], "{report:#}");
    let shaitat = &drift[0];
    assert_eq!(shaitat["approved"], Value::Null);
    let renderings = shaitat["renderings"].as_array().unwrap();
    let texts: Vec<(&str, u64)> =
        renderings.iter().map(|r| (r["text"].as_str().unwrap(), r["units"].as_u64().unwrap())).collect();
    assert_eq!(texts, vec![("Shaitat", 3), ("Sheitaat", 1), ("al-Shuaytat", 1)]);
    for rendering in renderings {
        let keys: Vec<&str> = rendering.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, vec!["documents", "example", "first", "last", "text", "units"], "{rendering}");
        assert!(rendering["example"]["source"].as_str().unwrap().contains("الشعيطات"));
        let text = rendering["text"].as_str().unwrap();
        assert!(rendering["example"]["target"].as_str().unwrap().contains(text), "{rendering}");
    }
    // The imported unit has neither document nor date: it says so.
    let documents: Vec<&str> =
        renderings[0]["documents"].as_array().unwrap().iter().map(|d| d.as_str().unwrap()).collect();
    assert_eq!(documents, vec![dragoman::terminology::NO_DOCUMENT, "deir-2014"]);
    assert_eq!(
        (renderings[0]["first"].as_str(), renderings[0]["last"].as_str()),
        (Some("2014-08-10"), Some("2014-08-10"))
    );
    assert_eq!(renderings[2]["documents"][0], "deir-2017");
    let raqqa = &drift[1];
    assert_eq!(raqqa["approved"], "Raqqa");
    let texts: Vec<&str> =
        raqqa["renderings"].as_array().unwrap().iter().map(|r| r["text"].as_str().unwrap()).collect();
    assert_eq!(texts, vec!["Raqqa", "Raqqah"]);
}

#[test]
fn drift_filters_by_count_date_and_document_and_exits_0_without_drift() {
    let project = project_with_archive(HOUSE);
    let (report, code, _) = run(&project, &["glossary", "drift", "--format", "json", "--min-count", "6"]);
    assert_eq!((report["drift"].as_array().unwrap().len(), code), (0, 0));
    let (report, code, _) =
        run(&project, &["glossary", "drift", "--format", "json", "--since", "2016-01-01"]);
    let terms: Vec<&str> =
        report["drift"].as_array().unwrap().iter().map(|d| d["term"].as_str().unwrap()).collect();
    assert_eq!((terms, code), (vec!["الرقة"], 1), "the tribe's variants are all before 2016 but one");
    let (report, code, _) =
        run(&project, &["glossary", "drift", "--format", "json", "--document", "deir-2014"]);
    assert_eq!((report["drift"].as_array().unwrap().len(), code), (0, 0));
    let output = project.dragoman().args(["glossary", "drift", "--since", "2016-31-01"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("2016-31-01"));
}

#[test]
fn drift_text_names_each_rendering_and_where() {
    let project = project_with_archive(HOUSE);
    let output = project.dragoman().args(["glossary", "drift"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("الرقة (approved: Raqqa)"), "{text}");
    assert!(text.contains("al-Shuaytat"), "{text}");
    assert!(text.contains("2017-06-11 – 2017-06-11: deir-2017"), "{text}");
}

#[test]
fn suggest_mines_names_not_in_the_glossary_and_its_tsv_passes_lint() {
    let project = project_with_archive(HOUSE);
    let (report, code, _) = run(&project, &["glossary", "suggest", "--format", "json"]);
    assert_eq!(code, 0);
    let suggestions = report["suggestions"].as_array().unwrap();
    let manbij = suggestions.iter().find(|s| s["term"] == "منبج").expect("منبج suggested");
    assert_eq!(manbij["renderings"], serde_json::json!([{"text": "Manbij", "units": 4}]));
    assert_eq!(manbij["type"], "place");
    let confidence = manbij["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&confidence) && confidence > 0.9, "{manbij}");
    let keys: Vec<&str> = manbij.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, vec!["confidence", "example", "renderings", "term", "type"]);
    assert!(suggestions.iter().all(|s| s["term"] != "الرقة"), "in the glossary: {report:#}");
    assert!(suggestions.iter().any(|s| s["term"] == "دير الزور"), "{report:#}");

    let output = project.dragoman().args(["glossary", "suggest", "--format", "tsv"]).output().unwrap();
    assert!(output.status.success());
    let tsv = String::from_utf8(output.stdout).unwrap();
    assert!(tsv.lines().any(|l| l.starts_with("منبج\tManbij\t")), "{tsv}");
    project.write("glossaries/suggested.txt", &tsv);
    let lint = project.dragoman().args(["glossary", "lint", "--strict"]).output().unwrap();
    assert!(
        lint.status.success(),
        "{}{}",
        String::from_utf8_lossy(&lint.stdout),
        String::from_utf8_lossy(&lint.stderr)
    );
    // Once in the glossary, a name is no longer suggested.
    let (report, _, _) = run(&project, &["glossary", "suggest", "--format", "json"]);
    assert_eq!(report["suggestions"], serde_json::json!([]), "{report:#}");
}

#[test]
fn suggest_limits_and_min_count() {
    let project = project_with_archive(HOUSE);
    let (report, _, _) = run(&project, &["glossary", "suggest", "--format", "json", "--limit", "1"]);
    assert_eq!(report["suggestions"].as_array().unwrap().len(), 1);
    let (report, _, _) = run(&project, &["glossary", "suggest", "--format", "json", "--min-count", "6"]);
    assert_eq!(report["suggestions"], serde_json::json!([]));
}

#[test]
fn without_a_memory_drift_says_so() {
    let project = TempProject::new();
    let output = project.dragoman().args(["glossary", "drift"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no translation memory"));
}

/// `check` of a new article against the archive: `منبج` is Manbij in all
/// four of its units, `دير الزور` Deir ez-Zor in all three.
fn check_article(project: &TempProject, arabic: &str, english: &str) -> (Value, i32, String) {
    let ar = project.write("article/ar.txt", arabic);
    let en = project.write("article/en.txt", english);
    let output =
        project.dragoman().arg("check").arg(&ar).arg(&en).args(["--format", "json"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (serde_json::from_slice(&output.stdout).unwrap(), output.status.code().unwrap(), stderr)
}

const ARTICLE_AR: &str = "عاد آلاف النازحين إلى منبج بعد المعارك.\n\nوقال مسؤول إن الوضع في دير الزور هادئ.\n";

#[test]
fn check_warns_when_an_article_renders_an_archive_name_another_way() {
    let project = project_with_archive(HOUSE);
    let (report, code, stderr) = check_article(
        &project,
        ARTICLE_AR,
        "Thousands of displaced people returned to Menbij after the battles.\n\nAn official said the situation in Deir ez-Zor was calm.\n",
    );
    assert_eq!(code, 0, "a warning keeps exit 0\n{stderr}");
    let archive: Vec<&Value> =
        report["findings"].as_array().unwrap().iter().filter(|f| f["check"] == "term-archive").collect();
    assert_eq!(archive.len(), 1, "{report:#}");
    assert_eq!(archive[0]["severity"], "warning");
    assert_eq!(archive[0]["surface"], "Menbij");
    assert_eq!(archive[0]["suggestion"], "Manbij");
    assert_eq!(archive[0]["term"], "منبج");
    assert!(!stderr.contains("term-archive"), "{stderr}");

    // Accepted like any finding.
    let id = archive[0]["id"].as_str().unwrap();
    assert!(project.dragoman().args(["accept", id]).output().unwrap().status.success());
    let (report, _, _) = check_article(
        &project,
        ARTICLE_AR,
        "Thousands of displaced people returned to Menbij after the battles.\n\nAn official said the situation in Deir ez-Zor was calm.\n",
    );
    assert_eq!(report["accepted"], 1);

    let (report, _, _) = check_article(
        &project,
        ARTICLE_AR,
        "Thousands of displaced people returned to Manbij after the battles.\n\nAn official said the situation in Deir ez-Zor was calm.\n",
    );
    assert!(
        report["findings"].as_array().unwrap().iter().all(|f| f["check"] != "term-archive"),
        "{report:#}"
    );
}

#[test]
fn check_without_a_memory_skips_term_archive_with_one_note() {
    let project = TempProject::new();
    project.write("glossaries/house.txt", HOUSE);
    let (report, code, stderr) = check_article(
        &project,
        ARTICLE_AR,
        "Thousands of displaced people returned to Menbij after the battles.\n\nAn official said the situation in Deir ez-Zor was calm.\n",
    );
    assert_eq!(code, 0);
    assert_eq!(report["summary"]["error"], 0);
    assert_eq!(stderr.matches("term-archive skipped").count(), 1, "{stderr}");
    assert!(stderr.contains("no translation memory"), "{stderr}");
}

/// The project's memory on PostgreSQL (named in `dragoman.toml`): `check`
/// reads the archive there as from SQLite.
#[test]
fn check_reads_the_archive_from_a_postgres_project_memory() {
    let Some(url) = postgres_server::url("term_archive") else { return };
    let project = TempProject::new();
    project.write("glossaries/house.txt", HOUSE);
    project.write("dragoman.toml", format!("memory = \"{url}\"\n"));
    let output = project
        .dragoman()
        .args(["tm", "import"])
        .arg(repo_path("tests/fixtures/terminology/archive.tmx"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(!project.join("tm/memory.sqlite").exists(), "the import went to PostgreSQL");
    let (report, code, stderr) = check_article(
        &project,
        ARTICLE_AR,
        "Thousands of displaced people returned to Menbij after the battles.\n\nAn official said the situation in Deir ez-Zor was calm.\n",
    );
    assert_eq!(code, 0, "{stderr}");
    let archive: Vec<&Value> =
        report["findings"].as_array().unwrap().iter().filter(|f| f["check"] == "term-archive").collect();
    assert_eq!(archive.len(), 1, "{report:#}");
    assert_eq!(
        (archive[0]["surface"].as_str(), archive[0]["suggestion"].as_str()),
        (Some("Menbij"), Some("Manbij"))
    );
}
