//! `dragoman align` end to end: the bundled example, the output formats and
//! bad input.

mod support;

use dragoman::align::{Bead, parse_beads};
use predicates::prelude::*;
use support::{TempProject, read_repo, repo_path};

fn example(name: &str) -> String {
    repo_path(&format!("examples/raqqa-2017/{name}")).display().to_string()
}

fn stdout_of(assert: assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).expect("UTF-8 output")
}

fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

/// Every index of `0..count` on one side, once, in order.
fn covers(beads: &[Bead], source_count: usize, target_count: usize) -> bool {
    let sources: Vec<usize> = beads.iter().flat_map(|b| b.source.clone()).collect();
    let targets: Vec<usize> = beads.iter().flat_map(|b| b.target.clone()).collect();
    sources == (0..source_count).collect::<Vec<_>>() && targets == (0..target_count).collect::<Vec<_>>()
}

#[test]
fn example_gold_beads_exact_with_presegmented_input() {
    let project = TempProject::new();
    let out = stdout_of(
        project
            .dragoman()
            .args(["align", "--presegmented", &example("ar.sents"), &example("en.sents")])
            .assert()
            .success(),
    );
    assert_eq!(out, read_repo("examples/raqqa-2017/gold.align"));
}

#[test]
fn example_gold_beads_exact_from_raw_text() {
    let project = TempProject::new();
    let out = stdout_of(
        project.dragoman().args(["align", &example("ar.txt"), &example("en.txt")]).assert().success(),
    );
    assert_eq!(out, read_repo("examples/raqqa-2017/gold.align"));
}

#[test]
fn json_has_segments_beads_confidence_and_evidence() {
    let project = TempProject::new();
    let out = stdout_of(
        project
            .dragoman()
            .args(["align", "--presegmented", "--format", "json", &example("ar.sents"), &example("en.sents")])
            .assert()
            .success(),
    );
    let json: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let source = json["source"]["segments"].as_array().unwrap();
    let target = json["target"]["segments"].as_array().unwrap();
    assert_eq!((source.len(), target.len()), (10, 18));
    assert_eq!(source[0]["text"], "خلاف دولي في معركة الرقة");
    assert_eq!(source[0]["lang"], "ar");
    assert_eq!(target[6]["paragraph"], 6);
    let beads = json["beads"].as_array().unwrap();
    assert_eq!(beads.len(), 10);
    assert_eq!(beads[6]["source"], serde_json::json!([6]));
    assert_eq!(beads[6]["target"], serde_json::json!([6, 7, 8, 9, 10]));
    for bead in beads {
        let confidence = bead["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&confidence));
        assert_eq!(bead["flagged"].as_bool().unwrap(), confidence < dragoman::align::DEFAULT_MIN_CONFIDENCE);
    }
    // "أكثر من 70 مدني" ↔ "more than 70 civilians".
    let evidence = beads[2]["evidence"].as_array().unwrap();
    assert!(evidence.iter().any(|e| e["kind"] == "number" && e["text"] == "70"), "{evidence:?}");
    // انترفاكس ↔ Interfax, by transliteration skeleton.
    let evidence = beads[3]["evidence"].as_array().unwrap();
    assert!(
        evidence.iter().any(|e| e["kind"] == "name" && e["text"] == "انترفاكس → Interfax"),
        "{evidence:?}"
    );
}

#[test]
fn tsv_prints_confidence_and_texts_and_flags_low_confidence() {
    let project = TempProject::new();
    let args = ["align", "--presegmented", "--format", "tsv", &example("ar.sents"), &example("en.sents")];
    let out = stdout_of(project.dragoman().args(args).assert().success());
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 10);
    let columns: Vec<&str> = lines[6].split('\t').collect();
    assert_eq!(columns.len(), 3, "nothing flagged at the default threshold: {}", lines[6]);
    assert!(columns[0].parse::<f64>().unwrap() >= 0.5);
    assert!(columns[1].starts_with("تأتي هذه التطورات"));
    assert!(columns[2].starts_with("These developments come after ISIS"));
    assert!(columns[2].ends_with("willingly and out of affection."), "five sentences joined");

    // At a threshold of 1 every bead below 1 is flagged in a fourth column.
    let strict = stdout_of(project.dragoman().args(args).args(["--min-confidence", "1"]).assert().success());
    for line in strict.lines() {
        let columns: Vec<&str> = line.split('\t').collect();
        let below = columns[0].parse::<f64>().unwrap() < 1.0;
        assert_eq!(columns.len() == 4 && columns[3] == "low-confidence", below, "{line}");
    }
}

#[test]
fn output_is_deterministic() {
    let project = TempProject::new();
    let run = || {
        stdout_of(
            project
                .dragoman()
                .args([
                    "align",
                    "--presegmented",
                    "--format",
                    "json",
                    &example("ar.sents"),
                    &example("en.sents"),
                ])
                .assert()
                .success(),
        )
    };
    assert_eq!(run(), run());
}

#[test]
fn max_bead_limits_bead_size() {
    let project = TempProject::new();
    let out = stdout_of(
        project
            .dragoman()
            .args(["align", "--presegmented", "--max-bead", "2", &example("ar.sents"), &example("en.sents")])
            .assert()
            .success(),
    );
    let beads = parse_beads(&out, "stdout").unwrap();
    assert!(covers(&beads, 10, 18));
    assert!(beads.iter().all(|b| b.source.len() <= 2 && b.target.len() <= 2), "{out}");
    // Out of range on real files: refused for the value, not for anything else.
    for (value, message) in [
        ("0", "invalid value '0' for '--max-bead <N>': must be between 1 and 10"),
        ("11", "invalid value '11' for '--max-bead <N>': must be between 1 and 10"),
    ] {
        project
            .dragoman()
            .args([
                "align",
                "--presegmented",
                "--max-bead",
                value,
                &example("ar.sents"),
                &example("en.sents"),
            ])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(message));
    }
    project
        .dragoman()
        .args(["align", "--min-confidence", "1.5", "a", "b"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("between 0 and 1"));
}

#[test]
fn one_side_empty_gives_null_beads_and_a_warning() {
    let project = TempProject::new();
    let empty = project.write("en.txt", "");
    let assert = project
        .dragoman()
        .args(["align", "--presegmented", &example("ar.sents")])
        .arg(&empty)
        .assert()
        .success();
    let stderr = stderr_of(&assert);
    assert!(stderr.contains("dragoman: warning:") && stderr.contains("en.txt: no sentences"), "{stderr}");
    let beads = parse_beads(&stdout_of(assert), "stdout").unwrap();
    assert_eq!(beads.len(), 10);
    assert!(beads.iter().all(|b| b.source.len() == 1 && b.target.is_empty()));
}

#[test]
fn a_file_of_only_blank_lines_is_an_empty_side() {
    let project = TempProject::new();
    let blank = project.write("blank.ar", "\n\n   \n\r\n\t\n");
    let assert = project
        .dragoman()
        .args(["align", "--presegmented"])
        .arg(&blank)
        .arg(example("en.sents"))
        .assert()
        .success();
    let stderr = stderr_of(&assert);
    assert!(stderr.contains("blank.ar: no sentences (the file is empty or only blank lines)"), "{stderr}");
    let out = stdout_of(assert);
    let beads = parse_beads(&out, "stdout").unwrap();
    assert_eq!(beads.len(), 18);
    assert!(out.lines().all(|line| line.starts_with('\t')), "{out}");

    // Both sides blank: nothing to align, still no failure.
    let assert =
        project.dragoman().args(["align", "--presegmented"]).arg(&blank).arg(&blank).assert().success();
    assert!(stderr_of(&assert).matches("no sentences").count() == 2);
    assert_eq!(stdout_of(assert), "");
}

#[test]
fn texts_that_are_not_translations_get_a_warning_and_still_a_result() {
    let project = TempProject::new();
    // The English "translation" is a one-line caption of a 10-sentence article.
    let caption = project.write("caption.en", "Founder of Raqqa is being slaughtered silently.\n");
    let assert = project
        .dragoman()
        .args(["align", "--presegmented", &example("ar.sents")])
        .arg(&caption)
        .assert()
        .success();
    let stderr = stderr_of(&assert);
    assert!(stderr.contains("may not be translations of each other"), "{stderr}");
    let beads = parse_beads(&stdout_of(assert), "stdout").unwrap();
    assert!(covers(&beads, 10, 1));
}

#[test]
fn one_paragraph_of_ten_thousand_sentences() {
    let project = TempProject::new();
    let source: String = (0..10_000).map(|k| format!("هذه هي الجملة رقم {k} من التقرير الطويل.\n")).collect();
    let target: String =
        (0..10_000).map(|k| format!("This is sentence number {k} of the long report.\n")).collect();
    let source = project.write("long.ar", source);
    let target = project.write("long.en", target);
    let out = stdout_of(
        project.dragoman().args(["align", "--presegmented"]).arg(&source).arg(&target).assert().success(),
    );
    let beads = parse_beads(&out, "stdout").unwrap();
    assert!(covers(&beads, 10_000, 10_000));
    // Every sentence carries its number, so every bead is the obvious 1-1.
    assert!(
        beads.iter().all(|b| b.source == b.target),
        "first wrong: {:?}",
        beads.iter().find(|b| b.source != b.target)
    );
}

#[test]
fn invalid_utf8_is_a_clear_error() {
    let project = TempProject::new();
    let bad = project.write("bad.ar", b"\xd8\xa7\xd9\x84 ok \xff\xfe broken\n");
    project.dragoman().args(["align"]).arg(&bad).arg(example("en.txt")).assert().code(2).stderr(
        predicate::str::contains("dragoman: error:")
            .and(predicate::str::contains("bad.ar: invalid UTF-8 at byte offset 8")),
    );
}

#[test]
fn missing_file_names_the_file() {
    let project = TempProject::new();
    project
        .dragoman()
        .args(["align", "nowhere.ar", &example("en.txt")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nowhere.ar"));
}

#[test]
fn tmx_format_writes_the_pairs_as_tmx_that_imports_back() {
    let project = TempProject::new();
    let output = project
        .dragoman()
        .args(["align", "--format", "tmx", &example("ar.txt"), &example("en.txt")])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let tmx = String::from_utf8(output.stdout).unwrap();
    assert!(tmx.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">"), "{tmx}");
    assert_eq!(tmx.matches("<tu ").count(), 10, "one unit per gold bead");
    assert!(tmx.contains("<seg>الرقة تذبح بصمت</seg>"));
    assert!(tmx.contains("<seg>Raqqa is Being Slaughtered Silently</seg>"));
    // The 1-5 bead: one Arabic sentence, five English ones in one unit.
    let long = read_repo("examples/raqqa-2017/en.sents");
    let five: Vec<&str> = long.lines().filter(|l| !l.is_empty()).skip(6).take(5).collect();
    assert!(tmx.contains(&five.join(" ")), "the five English sentences of bead 6 form one target");

    let file = project.write("aligned.tmx", &tmx);
    project.dragoman().args(["tm", "import"]).arg(&file).assert().success();
    let stats = project.dragoman().args(["tm", "stats", "--format", "json"]).output().unwrap();
    let stats: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(stats["units"], 10);
}

#[test]
fn glossary_terms_anchor_the_alignment_and_show_as_evidence() {
    let project = TempProject::new();
    let out = stdout_of(
        project
            .dragoman()
            .args(["align", "--presegmented", "--format", "json", &example("ar.sents"), &example("en.sents")])
            .arg("--glossary")
            .arg(repo_path("glossaries/syria.txt"))
            .assert()
            .success(),
    );
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let beads = json["beads"].as_array().unwrap();
    assert_eq!(beads[6]["target"], serde_json::json!([6, 7, 8, 9, 10]));
    let glossary_evidence: Vec<&serde_json::Value> = beads
        .iter()
        .flat_map(|b| b["evidence"].as_array().unwrap())
        .filter(|e| e["kind"] == "glossary")
        .collect();
    assert!(!glossary_evidence.is_empty(), "the Syria glossary's terms (داعش ↔ ISIS …) are anchors");

    let broken = project.write("broken.txt", "only one column\n");
    project
        .dragoman()
        .args(["align", "--presegmented", &example("ar.sents"), &example("en.sents"), "--glossary"])
        .arg(&broken)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("broken.txt"));
}

#[test]
fn custom_srx_rules_are_used_and_bad_rules_are_reported() {
    let project = TempProject::new();
    let bad = project.write("bad.srx", "<srx version=\"2.0\"><body>");
    project
        .dragoman()
        .args(["align", &example("ar.txt"), &example("en.txt"), "--rules"])
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.srx"));
    // Rules that never break inside a paragraph: one sentence per paragraph.
    let no_breaks = project.write(
        "paragraphs.srx",
        r#"<?xml version="1.0" encoding="UTF-8"?>
<srx version="2.0" xmlns="http://www.lisa.org/srx20">
  <header segmentsubflows="yes" cascade="no"/>
  <body>
    <languagerules><languagerule languagerulename="none"></languagerule></languagerules>
    <maprules><languagemap languagepattern=".*" languagerulename="none"/></maprules>
  </body>
</srx>
"#,
    );
    let out = stdout_of(
        project
            .dragoman()
            .args(["align", &example("ar.txt"), &example("en.txt"), "--rules"])
            .arg(&no_breaks)
            .assert()
            .success(),
    );
    let beads = parse_beads(&out, "stdout").unwrap();
    assert_eq!(beads.len(), 10, "ten paragraphs a side, aligned 1-1: {out}");
    assert!(beads.iter().all(|b| b.source.len() == 1 && b.target.len() == 1));
}

#[test]
fn both_inputs_from_stdin_is_refused() {
    TempProject::new()
        .dragoman()
        .args(["align", "-", "-"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("only one input can be standard input"));
}
