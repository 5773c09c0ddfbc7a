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
    let assert = ingest_example(&project).arg("--no-tm").assert();
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
    assert!(help.contains("[default: 0.7]"), "{help}");
}

#[test]
fn a_confidence_outside_zero_to_one_is_a_usage_error() {
    let project = TempProject::new();
    ingest_example(&project)
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
    let assert = ingest_example(&project)
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

/// `tm stats --format json` of the project's memory.
/// `dragoman ingest` of the bundled example (options follow).
fn ingest_example(project: &TempProject) -> assert_cmd::Command {
    let mut command = project.dragoman();
    command.arg("ingest").arg(repo_path(AR)).arg(repo_path(EN));
    command
}

fn memory_stats(project: &TempProject) -> serde_json::Value {
    let assert = project.dragoman().args(["tm", "stats", "--format", "json"]).assert().success();
    serde_json::from_slice(&assert.get_output().stdout).unwrap()
}

#[test]
fn the_readme_command_fills_the_memory_and_is_idempotent() {
    let project = TempProject::with_bundled_glossaries();
    // The README's first command, run from the project directory.
    let first = ingest_example(&project).args(["--out", "out/"]).assert();
    let stdout = stdout_of(&first);
    first.success();
    assert!(stdout.contains("raqqa-2017: "), "{stdout}");
    assert!(stdout.contains("memory: 10 units added to "), "{stdout}");
    assert!(!stdout.contains("not stored"), "the default confidence admits every bead: {stdout}");
    let stats = memory_stats(&project);
    assert_eq!(stats["units"], 10, "{stats}");
    // Every Arabic sentence of the example looked up in the memory: tuids,
    // texts and duplicate counts (no dates, which differ between runs).
    let dump = || {
        let assert = project
            .dragoman()
            .args(["tm", "lookup", "--format", "json", "--file"])
            .arg(repo_path(AR))
            .assert()
            .success();
        serde_json::from_slice::<serde_json::Value>(&assert.get_output().stdout).unwrap()
    };
    let after_first = dump();
    let export = || project.dragoman().args(["tm", "export", "-"]).output().unwrap().stdout;
    let exported_first = export();
    let best = &after_first["results"][0]["matches"][0];
    assert_eq!(best["target"], "International Dispute over the Battle of Raqqa", "{after_first}");
    assert_eq!(best["tuid"], "raqqa-2017:1");
    assert_eq!(best["count"], 1);

    let second = ingest_example(&project).args(["--out", "out/"]).assert();
    let stdout = stdout_of(&second);
    second.success();
    assert!(stdout.contains("memory: 0 units added to") && stdout.contains("10 already present"), "{stdout}");
    assert_eq!(memory_stats(&project)["units"], 10, "units kept, not added again");
    assert_eq!(dump(), after_first);
    assert_eq!(export(), exported_first, "the memory is as it was, creation dates included");
}

#[test]
fn beads_below_min_confidence_are_listed_and_not_stored() {
    let project = TempProject::new();
    let assert = ingest_example(&project)
        .args(["--min-confidence", "1", "--formats", "txt", "--format", "json"])
        .assert()
        .success();
    let summary: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let not_stored = summary["memory"]["not_stored"].as_array().unwrap();
    let added = summary["memory"]["added"].as_u64().unwrap() as usize;
    let beads = summary["beads"].as_u64().unwrap() as usize;
    assert_eq!(added + not_stored.len(), beads);
    assert!(!not_stored.is_empty(), "some bead of the example is below certainty: {summary}");
    for bead in not_stored {
        assert!(bead["reason"].as_str().unwrap().contains("below 1.00"), "{bead}");
    }
    assert_eq!(memory_stats(&project)["units"].as_u64().unwrap() as usize, added);
}

#[test]
fn a_translation_of_another_article_warns_in_the_summary_and_on_the_page() {
    let project = TempProject::new();
    let other = repo_path("tests/fixtures/flores200/docs/000_wikinews.en");
    let assert = project.dragoman().arg("ingest").arg(repo_path(AR)).arg(&other).arg("--no-tm").assert();
    let stdout = stdout_of(&assert);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    // The numbers of the two articles differ: number-mismatch errors, exit 1.
    assert.code(1);
    let warning = stdout
        .lines()
        .find_map(|l| l.strip_prefix("alignment warning: "))
        .unwrap_or_else(|| panic!("no alignment warning in the summary: {stdout}"));
    assert!(warning.contains("may not be translations of each other"), "{warning}");
    assert!(stderr.contains("dragoman: warning: raqqa-2017: "), "{stderr}");
    let html = std::fs::read_to_string(project.join("out/raqqa-2017.bilingual.html")).unwrap();
    let section =
        html.split("<section class=\"warnings\" role=\"alert\">").nth(1).expect("warnings on the page");
    let escaped = warning
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;");
    assert!(section.contains(&escaped), "{section}");
}

#[test]
fn an_unwritable_output_directory_leaves_the_memory_alone() {
    let project = TempProject::new();
    let blocker = project.write("blocked", "a file, not a directory");
    ingest_example(&project)
        .arg("--out")
        .arg(blocker.join("out"))
        .assert()
        .code(2)
        .stderr(predicates::str::starts_with("dragoman: error: cannot create output directory"));
    assert!(!project.join("tm/memory.sqlite").exists(), "nothing stored when nothing can be published");
}

#[test]
fn the_interfax_near_miss_is_marked_on_the_page() {
    let project = TempProject::with_bundled_glossaries();
    let assert = ingest_example(&project).arg("--no-tm").assert();
    let stdout = stdout_of(&assert);
    assert.success();
    assert!(stdout.contains("findings: 0 errors, "), "the example has no errors: {stdout}");
    let html = std::fs::read_to_string(project.join("out/raqqa-2017.bilingual.html")).unwrap();
    let near_miss = html
        .split("<mark class=\"flag flag-warning\" title=\"warning [term-near-miss]: ")
        .nth(1)
        .expect("a near-miss mark");
    let marked = &near_miss[near_miss.find('>').unwrap() + 1..near_miss.find("</mark>").unwrap()];
    assert_eq!(marked, "إنترفاكاس");
    // It sits in the Arabic cell of the row that faces "Interfax quoted …".
    let row_start = html[..html.find("[term-near-miss]").unwrap()].rfind("<div class=\"row").unwrap();
    let row = &html[row_start..];
    let id = &row[row.find("id=\"").unwrap() + 4..];
    let id = &id[..id.find('"').unwrap()];
    assert!(row.contains(
        "class=\"cell cell-target\" lang=\"en\" dir=\"ltr\"><mark class=\"term term-organization\""
    ));
    assert!(row.contains(">Interfax</mark> quoted a senior military official"));
    assert!(html.contains(&format!("<a href=\"#{id}\">Row")), "the findings list links to {id}");
    assert!(html.contains(&format!("class=\"row para-start has-warning\" id=\"{id}\"")));
}

#[test]
fn error_findings_exit_1_and_still_write_the_editions() {
    let project = TempProject::with_bundled_glossaries();
    // "Daesh" is a forbidden rendering of داعش in the house glossary.
    let edited = support::read_repo(EN).replacen("between the YPG and ISIS", "between the YPG and Daesh", 1);
    let en = project.write("drafts/raqqa-2017/en.txt", edited);
    let assert = project.dragoman().arg("ingest").arg(repo_path(AR)).arg(&en).assert();
    let stdout = stdout_of(&assert);
    assert.code(1);
    assert!(stdout.contains("findings: 1 error, "), "{stdout}");
    let html = std::fs::read_to_string(project.join("out/raqqa-2017.bilingual.html")).unwrap();
    assert!(html.contains("<code>term-forbidden</code>"), "listed");
    let forbidden = html.split("flag flag-error\" title=\"").nth(1).expect("the forbidden form is marked");
    assert_eq!(&forbidden[forbidden.find('>').unwrap() + 1..forbidden.find("</mark>").unwrap()], "Daesh");
    assert!(project.join("out/raqqa-2017.en.html").is_file());
    assert_eq!(memory_stats(&project)["units"], 10, "the memory is filled even when the check fails");
}

#[test]
fn ingest_prints_its_findings_as_check_does_in_text_and_json() {
    let project = TempProject::with_bundled_glossaries();
    let edited = support::read_repo(EN).replacen("between the YPG and ISIS", "between the YPG and Daesh", 1);
    let en = project.write("drafts/raqqa-2017/en.txt", edited);
    let run = |command: &str, format: &str| {
        let mut cmd = project.dragoman();
        cmd.arg(command).arg(repo_path(AR)).arg(&en).args(["--format", format]);
        if command == "ingest" {
            cmd.args(["--formats", "txt"]);
        }
        let output = cmd.output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{command}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    };
    let check_text = run("check", "text");
    let ingest_text = run("ingest", "text");
    assert!(check_text.contains("error term-forbidden: `Daesh`"), "{check_text}");
    assert!(ingest_text.starts_with(&(check_text + "\n")), "ingest: {ingest_text}");
    assert!(ingest_text.contains("findings: 1 error, "), "the summary follows: {ingest_text}");

    let check_json: serde_json::Value = serde_json::from_str(&run("check", "json")).unwrap();
    let ingest_json: serde_json::Value = serde_json::from_str(&run("ingest", "json")).unwrap();
    assert_eq!(ingest_json["report"], check_json);
    assert_eq!(ingest_json["findings"]["error"], 1, "the counts stay");
}

#[test]
fn ingest_help_says_it_exits_1_on_findings_after_storing_and_publishing() {
    let assert = support::dragoman().args(["ingest", "--help"]).assert().success();
    let help = stdout_of(&assert);
    assert!(
        help.contains(
            "1 when it finds errors, after the article was stored in the memory and its editions written"
        ),
        "{help}"
    );
}
