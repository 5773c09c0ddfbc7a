//! `tm add`, `tm stats`, `tm remove` through the CLI on the bundled example.

mod support;

use serde_json::Value;
use support::{TempProject, repo_path};

fn stats(project: &TempProject) -> Value {
    let output = project.dragoman().args(["tm", "stats", "--format", "json"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn add_raqqa(project: &TempProject, extra: &[&str]) -> std::process::Output {
    project
        .dragoman()
        .args(["tm", "add", "--presegmented"])
        .arg(repo_path("examples/raqqa-2017/ar.sents"))
        .arg(repo_path("examples/raqqa-2017/en.sents"))
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn adding_a_document_twice_replaces_it() {
    let project = TempProject::new();
    let first = add_raqqa(&project, &[]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let after_first = stats(&project);
    let units = after_first["units"].as_u64().unwrap();
    assert!(units >= 9, "{after_first}");
    assert_eq!(after_first["documents"][0]["name"], "raqqa-2017");
    assert_eq!(after_first["documents"][0]["units"], units);

    let second = add_raqqa(&project, &[]);
    assert!(String::from_utf8_lossy(&second.stderr).contains(&format!(", {units} already present")));
    assert_eq!(stats(&project)["units"], units, "re-adding is idempotent");

    // The same text under another name is another document.
    assert!(add_raqqa(&project, &["--name", "copy"]).status.success());
    assert_eq!(stats(&project)["units"], 2 * units);
    let exported = project.dragoman().args(["tm", "export", "-"]).output().unwrap();
    let tmx = String::from_utf8(exported.stdout).unwrap();
    assert!(tmx.contains("<prop type=\"x-document\">copy</prop>"));
    assert!(tmx.contains("tuid=\"raqqa-2017:1\""));
    assert!(tmx.contains("<prop type=\"x-confidence\">"));
    assert!(tmx.contains("<prop type=\"x-paragraph\">1</prop>"));

    // An exact lookup collapses the two identical units into one line.
    let found =
        project.dragoman().args(["tm", "lookup", "الرقة تذبح بصمت", "--format", "json"]).output().unwrap();
    let found: Value = serde_json::from_slice(&found.stdout).unwrap();
    assert_eq!(found["matches"].as_array().unwrap().len(), 1);
    assert_eq!(found["matches"][0]["count"], 2);

    let removed = project.dragoman().args(["tm", "remove", "--doc", "copy"]).output().unwrap();
    assert!(removed.status.success());
    assert_eq!(stats(&project)["units"], units);
    let missing = project.dragoman().args(["tm", "remove", "--doc", "copy"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no document `copy`"));
}

#[test]
fn low_confidence_beads_are_skipped_and_listed() {
    let project = TempProject::new();
    let output = add_raqqa(&project, &["--min-confidence", "1"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("not stored: confidence"), "{stderr}");
    let bad = add_raqqa(&project, &["--min-confidence", "1.5"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn text_stats_name_the_memory_and_its_contents() {
    let project = TempProject::new();
    add_raqqa(&project, &[]);
    let output = project.dragoman().args(["tm", "stats"]).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("memory.sqlite"), "{text}");
    assert!(text.contains("languages  ar "), "{text}");
    assert!(text.contains("documents  1: raqqa-2017"), "{text}");
}

#[test]
fn a_hand_corrected_beads_file_is_stored_as_given() {
    let project = TempProject::new();
    let output = add_raqqa(&project, &["--beads"]);
    assert_eq!(output.status.code(), Some(2), "--beads needs a file");
    let gold = repo_path("examples/raqqa-2017/gold.align");
    let output = add_raqqa(&project, &["--beads", gold.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    // Every gold bead with both sides becomes a unit.
    let gold_text = std::fs::read_to_string(&gold).unwrap();
    let both_sides = gold_text
        .lines()
        .filter(|l| {
            let mut sides = l.split('\t');
            matches!((sides.next(), sides.next()), (Some(a), Some(b)) if !a.trim().is_empty() && !b.trim().is_empty())
        })
        .count();
    assert_eq!(stats(&project)["units"], both_sides as u64);
    let found =
        project.dragoman().args(["tm", "lookup", "الرقة تذبح بصمت", "--format", "json"]).output().unwrap();
    let found: Value = serde_json::from_slice(&found.stdout).unwrap();
    assert_eq!(found["matches"][0]["target"], "Raqqa is Being Slaughtered Silently");
}

#[test]
fn concordance_text_shows_the_keyword_in_context_and_cuts_long_translations() {
    let project = TempProject::new();
    assert!(add_raqqa(&project, &[]).status.success());
    let output = project.dragoman().args(["tm", "concordance", "الرقة", "--limit", "20"]).output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() >= 2 && lines.len().is_multiple_of(2), "{text}");
    for pair in lines.chunks(2) {
        assert!(pair[0].contains("الرقة⟧"), "keyword (with any clitic) marked: {}", pair[0]);
        let translation = pair[1].trim_start();
        assert!(translation.chars().count() <= 161, "cut: {translation}");
    }
    // The long paragraphs of the example are cut, with an ellipsis.
    assert!(lines.iter().skip(1).step_by(2).any(|l| l.ends_with('…')), "{text}");
}
