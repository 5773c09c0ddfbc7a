//! `dragoman ingest`, the main job, on the bundled example in a temporary
//! project: editions, summary, exit codes.

mod support;

use support::{TempProject, repo_path};

const AR: &str = "examples/raqqa-2017/ar.txt";
const EN: &str = "examples/raqqa-2017/en.txt";

fn stdout_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

#[test]
fn ingest_writes_the_editions_to_the_project_out_dir_by_default() {
    let project = TempProject::new();
    let assert =
        project.dragoman().arg("ingest").arg(repo_path(AR)).arg(repo_path(EN)).arg("--no-tm").assert();
    let stdout = stdout_of(&assert);
    assert.success();
    for file in ["raqqa-2017.en.html", "raqqa-2017.en.md", "raqqa-2017.en.txt", "raqqa-2017.bilingual.html"] {
        let path = project.join("out").join(file);
        assert!(path.is_file(), "{file} written");
        assert!(stdout.contains(&format!("wrote {}", path.display())), "summary lists {file}: {stdout}");
    }
    assert!(stdout.starts_with("raqqa-2017: "), "{stdout}");
    assert!(stdout.contains(" beads\n"), "{stdout}");
    assert!(stdout.contains("findings: "), "{stdout}");
    assert!(!project.join("tm/memory.sqlite").exists(), "--no-tm leaves the memory alone");
}

#[test]
fn the_default_min_confidence_is_stated_in_help() {
    let assert = support::dragoman().args(["ingest", "--help"]).assert().success();
    let help = stdout_of(&assert);
    assert!(help.contains("--min-confidence <X>"), "{help}");
    assert!(help.contains("[default: 0.3]"), "{help}");
}

#[test]
fn a_confidence_outside_zero_to_one_is_a_usage_error() {
    let project = TempProject::new();
    project
        .dragoman()
        .arg("ingest")
        .arg(repo_path(AR))
        .arg(repo_path(EN))
        .args(["--min-confidence", "1.5"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("`1.5` is not a confidence between 0 and 1"));
    assert!(!project.join("out").exists());
}

#[test]
fn a_missing_source_names_the_file() {
    let project = TempProject::new();
    project
        .dragoman()
        .args(["ingest", "nowhere/ar.txt"])
        .arg(repo_path(EN))
        .assert()
        .code(2)
        .stderr(predicates::str::starts_with("dragoman: error: nowhere/ar.txt: "));
}

#[test]
fn json_summary_reports_the_counts() {
    let project = TempProject::new();
    let assert = project
        .dragoman()
        .arg("ingest")
        .arg(repo_path(AR))
        .arg(repo_path(EN))
        .args(["--no-tm", "--format", "json", "--formats", "txt", "--out", "editions"])
        .assert()
        .success();
    let summary: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(summary["name"], "raqqa-2017");
    assert!(summary["beads"].as_u64().unwrap() >= 10);
    assert_eq!(summary["findings"]["error"], 0);
    assert!(summary["memory"].is_null(), "--no-tm");
    let written = summary["written"].as_array().unwrap();
    assert_eq!(written.len(), 1);
    assert!(written[0].as_str().unwrap().ends_with("editions/raqqa-2017.en.txt"));
}
