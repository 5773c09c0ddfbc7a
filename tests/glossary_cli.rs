//! `dragoman glossary list|lint|import|export`, and `check --tm`.

mod support;

use serde_json::Value;
use support::{TempProject, repo_path};

const HOUSE: &str = "tests/fixtures/check/house.txt";

#[test]
fn list_filters_by_type_and_prints_json() {
    let project = TempProject::new();
    let output = project
        .dragoman()
        .args(["glossary", "list", "--type", "person", "--format", "json", "--glossary"])
        .arg(repo_path(HOUSE))
        .output()
        .unwrap();
    assert!(output.status.success());
    let listed: Value = serde_json::from_slice(&output.stdout).unwrap();
    let entries = listed["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["source"], "طلال سلو");
    assert_eq!(entries[0]["target"], "Talal Silo");
    assert_eq!(entries[0]["type"], "person");

    // The project's glossaries are the default.
    std::fs::copy(repo_path(HOUSE), project.join("glossaries/house.txt")).unwrap();
    let output = project.dragoman().args(["glossary", "list", "--type", "group"]).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.contains("داعش\tISIS\tgroup"));
    project.dragoman().args(["glossary", "list", "--type", "city"]).assert().code(2);
}

#[test]
fn lint_reports_problems_with_locations_and_exit_1() {
    let project = TempProject::new();
    project.dragoman().args(["glossary", "lint", "--glossary"]).arg(repo_path(HOUSE)).assert().success();
    let bad = project.write(
        "glossaries/bad.txt",
        "# source\ttarget\nالرقة\tRaqqa\nالرقه\tRakka\nحمص Homs\nداعش\tISIS\t\t\t\tRaqqa\n",
    );
    let output = project.dragoman().args(["glossary", "lint"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    let name = bad.display();
    assert!(
        text.contains(&format!("{name}:4: error: malformed: expected at least 2 tab-separated columns")),
        "{text}"
    );
    assert!(text.contains(&format!(
        "{name}:3: error: conflicting-rendering: `الرقه` is rendered `Rakka` here but `Raqqa`"
    )));
    assert!(
        text.contains(&format!(
            "{name}:5: warning: forbidden-also-accepted: `Raqqa` is forbidden for `داعش`"
        ))
    );

    // Forbidden and accepted in one entry is a contradiction: an error.
    std::fs::remove_file(&bad).unwrap();
    project.write("glossaries/self.txt", "# source\ttarget\nالرقة\tRaqqa\t\t\tRaqa\tRaqa\tplace\n");
    let output = project.dragoman().args(["glossary", "lint"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("error: forbidden-also-accepted: `Raqa` is both forbidden and accepted"), "{text}");

    // The shipped house glossary lints clean of errors (its warnings are the
    // deliberate Darayya/al-Dar'iya distinction).
    let output = project
        .dragoman()
        .args(["glossary", "lint", "--glossary"])
        .arg(repo_path("glossaries/syria.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
}

#[test]
fn tico19_terminology_imports_and_exports_round_trip() {
    let project = TempProject::new();
    let csv = project.write(
        "terminology_google_en-ar.csv",
        std::fs::read(repo_path("tests/fixtures/tico19/original/terminology_google_en-ar.csv")).unwrap(),
    );
    project.dragoman().args(["glossary", "import"]).arg(&csv).assert().success();
    let native = project.join("glossaries/terminology_google_en-ar.txt");
    let text = std::fs::read_to_string(&native).unwrap();
    assert!(text.starts_with("# source\ttarget\tcomment"));
    let glossary = dragoman::glossary::Glossary::load(std::slice::from_ref(&native)).unwrap();
    assert!(glossary.entries().len() > 100);
    assert!(glossary.entries().iter().all(|e| e.source.chars().any(dragoman::lang::is_arabic_letter)
        || e.source.chars().all(|c| !c.is_alphabetic() || c.is_ascii())));
    // A second import refuses to overwrite without --force.
    project.dragoman().args(["glossary", "import"]).arg(&csv).assert().code(2);
    project.dragoman().args(["glossary", "import", "--force"]).arg(&csv).assert().success();

    for format in ["tsv", "csv", "tbx2008", "tbx3"] {
        let out = project.join(&format!("export.{format}"));
        project
            .dragoman()
            .args(["glossary", "export"])
            .arg(&out)
            .args(["--format", format])
            .assert()
            .success();
        let exported = std::fs::read_to_string(&out).unwrap();
        let kind = dragoman::glossary::formats::ExternalFormat::from_name(format).unwrap();
        let back = dragoman::glossary::formats::import(&exported, format, kind).unwrap();
        assert_eq!(back.len(), glossary.entries().len(), "{format}");
        assert_eq!(back[0].source, glossary.entries()[0].source, "{format}");
        assert_eq!(back[0].target, glossary.entries()[0].target, "{format}");
    }
}

#[test]
fn exports_warn_when_omegat_will_not_read_them() {
    let project = TempProject::with_bundled_glossaries();
    let export = |file: &str, format: &str| {
        let output =
            project.dragoman().args(["glossary", "export", file, "--format", format]).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stderr).unwrap()
    };
    let stderr = export("house.tsv", "tsv");
    assert!(
        stderr.contains("dragoman: warning: house.tsv: OmegaT 3.6 reads tab-separated glossaries only"),
        "{stderr}"
    );
    assert!(!export("house.utf8", "tsv").contains("warning"));
    assert!(!export("house.csv", "omegat-csv").contains("warning"));
    assert!(
        export("house.tbx", "tbx3").contains("TBX v3 is read by neither OmegaT 3.6 nor Translate Toolkit")
    );
    let csv = std::fs::read_to_string(project.join("house.csv")).unwrap();
    assert!(csv.starts_with("داعش,ISIS,"), "no header for OmegaT: {}", &csv[..40]);
    let help = project.dragoman().args(["glossary", "export", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(
        help.contains("omegat-csv") && help.contains("read by neither OmegaT 3.6 nor Translate"),
        "{help}"
    );
}

#[test]
fn check_tm_checks_every_unit_of_the_memory() {
    let project = TempProject::new();
    std::fs::copy(repo_path(HOUSE), project.join("glossaries/house.txt")).unwrap();
    // Without a memory: a clear error.
    let output = project.dragoman().args(["check", "--tm"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no translation memory"));

    project
        .dragoman()
        .args(["tm", "add"])
        .arg(repo_path("examples/raqqa-2017/ar.sents"))
        .arg(repo_path("tests/fixtures/check/planted/en.sents"))
        .arg("--presegmented")
        .assert()
        .success();
    let output = project.dragoman().args(["check", "--tm", "--format", "json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let daesh = findings.iter().find(|f| f["surface"] == "Daesh").expect("Daesh found in the memory");
    assert_eq!(daesh["check"], "term-forbidden");
    assert!(daesh["bead"].is_null());
    assert!(daesh["unit"].as_str().is_some_and(|u| !u.is_empty()), "{daesh}");
    // Inconsistency across units lists them.
    let inconsistent = findings.iter().find(|f| f["check"] == "term-inconsistent").expect("an inconsistency");
    assert!(inconsistent["units"].as_array().is_some_and(|u| u.len() > 1), "{inconsistent}");

    let text = project.dragoman().args(["check", "--tm"]).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("unit ") && text.contains("⟦Daesh⟧"), "{text}");
}
