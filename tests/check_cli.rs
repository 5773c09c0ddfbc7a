//! `dragoman check` and `dragoman accept` on the bundled example and on a
//! planted-error version of its English.

mod support;

use serde_json::Value;
use support::{TempProject, read_repo, repo_path};

const HOUSE: &str = "tests/fixtures/check/house.txt";

fn json(output: &[u8]) -> Value {
    serde_json::from_slice(output).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(output)))
}

/// `check` on the example's presegmented Arabic and the given English, with
/// the gold alignment, as JSON.
fn check_presegmented(project: &TempProject, english: &str, extra: &[&str]) -> (Value, i32) {
    let output = project
        .dragoman()
        .arg("check")
        .arg(repo_path("examples/raqqa-2017/ar.sents"))
        .arg(repo_path(english))
        .args(["--presegmented", "--format", "json", "--beads"])
        .arg(repo_path("examples/raqqa-2017/gold.align"))
        .arg("--glossary")
        .arg(repo_path(HOUSE))
        .args(extra)
        .output()
        .unwrap();
    assert!(output.status.code().is_some_and(|c| c < 2), "{}", String::from_utf8_lossy(&output.stderr));
    (json(&output.stdout), output.status.code().unwrap_or(-1))
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().expect("findings array")
}

fn key(text: &str) -> String {
    dragoman::normalize::match_key(text)
}

#[test]
fn the_example_has_no_errors_and_one_near_miss() {
    let project = TempProject::new();
    for presegmented in [false, true] {
        let (report, code) = if presegmented {
            check_presegmented(&project, "examples/raqqa-2017/en.sents", &[])
        } else {
            let output = project
                .dragoman()
                .arg("check")
                .arg(repo_path("examples/raqqa-2017/ar.txt"))
                .arg(repo_path("examples/raqqa-2017/en.txt"))
                .args(["--format", "json", "--glossary"])
                .arg(repo_path(HOUSE))
                .output()
                .unwrap();
            (json(&output.stdout), output.status.code().unwrap_or(-1))
        };
        assert_eq!(report["summary"]["error"], 0, "{report:#}");
        assert_eq!(code, 0);
        let near: Vec<&Value> = findings(&report)
            .iter()
            .filter(|f| f["check"] == "term-near-miss" && f["surface"] == "إنترفاكاس")
            .collect();
        assert_eq!(near.len(), 1, "{report:#}");
        assert_eq!(near[0]["severity"], "warning");
        assert_eq!(near[0]["term"], "انترفاكس");
        assert!(near[0]["message"].as_str().unwrap().contains("Interfax"));
    }
}

#[test]
fn the_example_has_no_errors_with_the_bundled_house_glossary() {
    // No --glossary: the project's glossaries/ (syria.txt) are loaded.
    let project = TempProject::with_bundled_glossaries();
    for (ar, en, extra) in [
        ("examples/raqqa-2017/ar.txt", "examples/raqqa-2017/en.txt", vec![]),
        ("examples/raqqa-2017/ar.sents", "examples/raqqa-2017/en.sents", vec!["--presegmented", "--beads"]),
    ] {
        let mut command = project.dragoman();
        command.arg("check").arg(repo_path(ar)).arg(repo_path(en)).args(["--format", "json"]).args(&extra);
        if !extra.is_empty() {
            command.arg(repo_path("examples/raqqa-2017/gold.align"));
        }
        let output = command.output().unwrap();
        let report = json(&output.stdout);
        assert_eq!(report["summary"]["error"], 0, "{ar}: {report:#}");
        assert_eq!(output.status.code(), Some(0));
        assert!(
            findings(&report).iter().any(|f| f["check"] == "term-near-miss"
                && f["surface"] == "إنترفاكاس"
                && f["message"].as_str().unwrap().contains("Interfax")),
            "{report:#}"
        );
    }
}

#[test]
fn planted_errors_are_found_with_the_bundled_house_glossary() {
    let project = TempProject::with_bundled_glossaries();
    let output = project
        .dragoman()
        .arg("check")
        .arg(repo_path("examples/raqqa-2017/ar.sents"))
        .arg(repo_path("tests/fixtures/check/planted/en.sents"))
        .args(["--presegmented", "--format", "json", "--beads"])
        .arg(repo_path("examples/raqqa-2017/gold.align"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output.stdout);
    for line in read_repo("tests/fixtures/check/planted/MANIFEST.tsv").lines().filter(|l| !l.starts_with('#'))
    {
        let f: Vec<&str> = line.split('\t').collect();
        let found = findings(&report).iter().any(|x| {
            x["bead"] == f[0].parse::<u64>().unwrap()
                && x["check"] == f[1]
                && key(x["surface"].as_str().unwrap_or("")) == key(f[2])
        });
        assert!(found, "not found with syria.txt: {line}");
    }
}

#[test]
fn json_follows_the_contract() {
    let project = TempProject::new();
    let (report, _) = check_presegmented(&project, "tests/fixtures/check/planted/en.sents", &[]);
    let source = dragoman::segment::read_presegmented(&read_repo("examples/raqqa-2017/ar.sents"), None);
    let target =
        dragoman::segment::read_presegmented(&read_repo("tests/fixtures/check/planted/en.sents"), None);
    let gold: Vec<(Vec<usize>, Vec<usize>)> = read_repo("examples/raqqa-2017/gold.align")
        .lines()
        .map(|l| {
            let (s, t) = l.split_once('\t').unwrap();
            let parse = |x: &str| x.split(',').map(|n| n.parse().unwrap()).collect();
            (parse(s), parse(t))
        })
        .collect();
    let join = |segments: &[dragoman::segment::Segment], idx: &[usize]| {
        idx.iter().map(|&i| segments[i].text.as_str()).collect::<Vec<_>>().join(" ")
    };
    for finding in findings(&report) {
        for field in ["check", "severity", "bead", "source_span", "target_span", "term", "message"] {
            assert!(finding.get(field).is_some(), "{field} missing in {finding}");
        }
        // Spans are byte offsets into the bead's text and cover the surface.
        let bead = finding["bead"].as_u64().unwrap() as usize;
        let (s, t) = &gold[bead];
        for (side, text) in [("source_span", join(&source, s)), ("target_span", join(&target, t))] {
            if let Some(span) = finding[side].as_array() {
                let (a, b) = (span[0].as_u64().unwrap() as usize, span[1].as_u64().unwrap() as usize);
                let piece = text.get(a..b).unwrap_or_else(|| panic!("{side} {a}..{b} off {text}"));
                // The same span in characters, for scripts (Python, JavaScript).
                let chars = [text[..a].chars().count(), text[..b].chars().count()];
                assert_eq!(finding[side.replace("span", "chars")], serde_json::json!(chars), "{finding}");
                if finding["check"] == "term-forbidden" && side == "source_span" {
                    // The Arabic term the forbidden rendering stands for.
                    assert!(piece.chars().any(dragoman::lang::is_arabic_letter), "{finding}");
                } else if finding["check"] != "number-mismatch" || side == "target_span" {
                    assert_eq!(key(piece), key(finding["surface"].as_str().unwrap()), "{finding}");
                }
            }
        }
    }
    let summary = &report["summary"];
    let counted = |severity: &str| findings(&report).iter().filter(|f| f["severity"] == severity).count();
    for severity in ["error", "warning", "info"] {
        assert_eq!(summary[severity].as_u64().unwrap() as usize, counted(severity));
    }
}

#[test]
fn every_planted_error_is_found_and_nothing_else_is_an_error() {
    let project = TempProject::new();
    let (report, code) = check_presegmented(&project, "tests/fixtures/check/planted/en.sents", &[]);
    assert_eq!(code, 1);
    let manifest: Vec<(u64, String, String, String)> = read_repo("tests/fixtures/check/planted/MANIFEST.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0].parse().unwrap(), f[1].to_string(), f[2].to_string(), f[3].to_string())
        })
        .collect();
    let planted: std::collections::BTreeSet<&str> =
        manifest.iter().filter_map(|m| m.3.split(':').next()).filter(|n| *n != "0").collect();
    assert!(planted.len() >= 30, "at least 30 planted errors, found {}", planted.len());
    let checks: std::collections::BTreeSet<&str> = manifest.iter().map(|m| m.1.as_str()).collect();
    // term-archive needs a memory (this project has none): its planted case is in tests/terminology_cli.rs.
    for check in dragoman::check::CHECKS.iter().filter(|c| c.id != "term-archive") {
        assert!(checks.contains(check.id), "no planted error for {}", check.id);
    }
    let matches = |f: &Value, m: &(u64, String, String, String)| {
        f["bead"] == m.0
            && f["check"] == m.1.as_str()
            && key(f["surface"].as_str().unwrap_or("")) == key(&m.2)
    };
    for m in &manifest {
        assert!(findings(&report).iter().any(|f| matches(f, m)), "not found: {m:?}\n{report:#}");
    }
    for f in findings(&report).iter().filter(|f| f["severity"] == "error") {
        assert!(manifest.iter().any(|m| matches(f, m)), "unexpected error: {f:#}");
    }
    // Findings about an ambiguous term are never more than info.
    for f in findings(&report).iter().filter(|f| f["term"] == "تدمر" || f["term"] == "حمص") {
        assert_eq!(f["severity"], "info", "{f}");
    }
}

#[test]
fn text_output_marks_spans_and_says_what_to_change() {
    let project = TempProject::new();
    let output = project
        .dragoman()
        .arg("check")
        .arg(repo_path("examples/raqqa-2017/ar.sents"))
        .arg(repo_path("tests/fixtures/check/planted/en.sents"))
        .args(["--presegmented", "--beads"])
        .arg(repo_path("examples/raqqa-2017/gold.align"))
        .arg("--glossary")
        .arg(repo_path(HOUSE))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    // People count beads and sentences from 1 (JSON keeps 0-based indices).
    assert!(text.contains("bead 1 (source 1 ↔ target 1)"), "{text}");
    assert!(text.contains("en: International Dispute over the Battle of ⟦Raqa⟧"), "{text}");
    assert!(text.contains("error term-forbidden: `Raqa` is a forbidden rendering of `الرقة`: use `Raqqa`"));
    assert!(text.contains("ar: و نقلت “⟦إنترفاكاس⟧”"), "{text}");
    assert!(!text.contains('\x1b'), "no colour when stdout is not a terminal");
    // Numbers the source does not state in any form (planted in beads 5, 7
    // and 9) are warnings; changed values (beads 2 and 4) are errors.
    assert!(text.trim_end().ends_with("21 error(s), 14 warning(s), 2 info"), "{text}");
}

#[test]
fn accepted_findings_stay_silent() {
    let project = TempProject::new();
    let planted = "tests/fixtures/check/planted/en.sents";
    let (report, _) = check_presegmented(&project, planted, &[]);
    let daesh = findings(&report).iter().find(|f| f["surface"] == "Daesh").unwrap();
    let id = daesh["id"].as_str().unwrap();
    project.dragoman().args(["accept", id, "--note", "quoted from a statement"]).assert().success();
    let list = std::fs::read_to_string(project.join("accepted-findings.tsv")).unwrap();
    assert!(list.contains("term-forbidden\tداعش\tDaesh\t"), "{list}");
    assert!(list.contains("quoted from a statement"));

    let (again, _) = check_presegmented(&project, planted, &[]);
    assert!(findings(&again).iter().all(|f| f["surface"] != "Daesh"));
    assert_eq!(again["accepted"], 1);
    assert_eq!(again["summary"]["error"].as_u64().unwrap() + 1, report["summary"]["error"].as_u64().unwrap());

    // Accepting everywhere by fields.
    project
        .dragoman()
        .args(["accept", "--check", "term-forbidden", "--term", "الرقة", "--surface", "raqqah"])
        .assert()
        .success();
    let (third, _) = check_presegmented(&project, planted, &[]);
    assert!(findings(&third).iter().all(|f| f["surface"] != "Raqqah"));
    assert_eq!(third["accepted"], 2);

    project.dragoman().args(["accept", "not-an-id"]).assert().code(2);
}

#[test]
fn accepted_findings_are_listed_and_removed() {
    let project = TempProject::new();
    let planted = "tests/fixtures/check/planted/en.sents";
    let (report, _) = check_presegmented(&project, planted, &[]);
    let daesh = findings(&report).iter().find(|f| f["surface"] == "Daesh").unwrap();
    let id = daesh["id"].as_str().unwrap();
    project.dragoman().args(["accept", id, "--note", "quoted from a statement"]).assert().success();
    project
        .dragoman()
        .args(["accept", "--check", "term-forbidden", "--term", "الرقة", "--surface", "raqqah"])
        .assert()
        .success();

    let listed = project.dragoman().args(["accept", "--list"]).output().unwrap();
    let text = String::from_utf8(listed.stdout).unwrap();
    assert!(text.contains("term-forbidden: داعش → Daesh (in one sentence, accepted 20"), "{text}");
    assert!(text.contains("  note: quoted from a statement\n"), "{text}");
    assert!(text.contains(&format!("  id: {id}\n")), "{text}");
    assert!(text.contains("الرقة → raqqah (everywhere"), "{text}");
    assert!(text.ends_with("2 accepted finding(s)\n"), "{text}");
    let listed = project.dragoman().args(["accept", "--list", "--format", "json"]).output().unwrap();
    let accepted = json(&listed.stdout)["accepted"].as_array().unwrap().clone();
    assert_eq!(accepted.len(), 2);
    assert_eq!(accepted[0]["id"], id);
    assert_eq!(accepted[0]["check"], "term-forbidden");
    assert_eq!(accepted[0]["everywhere"], false);
    assert_eq!(accepted[1]["id"], "term-forbidden|الرقة|raqqah|*");
    assert!(accepted[1]["accepted"].as_str().unwrap().ends_with('Z'));

    // An id not in the list: exit 2, the list untouched, even beside one that is.
    let before = std::fs::read(project.join("accepted-findings.tsv")).unwrap();
    let output =
        project.dragoman().args(["accept", "--remove", id, "term-forbidden|الرقة|Raqa|*"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not in the accept list"));
    assert_eq!(std::fs::read(project.join("accepted-findings.tsv")).unwrap(), before);

    project.dragoman().args(["accept", "--remove", id]).assert().success();
    let (again, _) = check_presegmented(&project, planted, &[]);
    assert!(findings(&again).iter().any(|f| f["surface"] == "Daesh"), "the finding is back");
    assert_eq!(again["accepted"], 1);
    let listed = project.dragoman().args(["accept", "--list", "--format", "json"]).output().unwrap();
    assert_eq!(json(&listed.stdout)["accepted"].as_array().unwrap().len(), 1);
}

#[test]
fn messages_count_beads_from_one_like_the_page_and_the_text() {
    let project = TempProject::new();
    let (report, _) = check_presegmented(&project, "tests/fixtures/check/planted/en.sents", &[]);
    let inconsistent: Vec<&Value> =
        findings(&report).iter().filter(|f| f["check"] == "term-inconsistent").collect();
    assert!(!inconsistent.is_empty());
    for finding in inconsistent {
        let message = finding["message"].as_str().unwrap();
        let mut said: Vec<u64> = message
            .split("bead ")
            .skip(1)
            .map(|rest| rest.split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap())
            .collect();
        said.sort_unstable();
        said.dedup();
        // `beads` stays 0-based in JSON (the machine contract); people read from 1.
        let beads: Vec<u64> =
            finding["beads"].as_array().unwrap().iter().map(|b| b.as_u64().unwrap() + 1).collect();
        assert_eq!(said, beads, "{message}");
    }
}

#[test]
fn text_shows_the_arabic_term_a_forbidden_rendering_stands_for() {
    let project = TempProject::new();
    let output = project
        .dragoman()
        .arg("check")
        .arg(repo_path("examples/raqqa-2017/ar.sents"))
        .arg(repo_path("tests/fixtures/check/planted/en.sents"))
        .args(["--presegmented", "--beads"])
        .arg(repo_path("examples/raqqa-2017/gold.align"))
        .arg("--glossary")
        .arg(repo_path(HOUSE))
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let block =
        text.split("\n\n").find(|b| b.contains("term-forbidden: `Daesh`")).expect("the Daesh finding");
    let arabic = block.lines().find(|l| l.starts_with("  ar: ")).unwrap();
    assert!(arabic.contains("⟦داعش⟧"), "{arabic}");
    // The JSON says where: a source span on the term, 0-based UTF-8 bytes.
    let (report, _) = check_presegmented(&project, "tests/fixtures/check/planted/en.sents", &[]);
    let daesh = findings(&report).iter().find(|f| f["surface"] == "Daesh").unwrap();
    let [start, end] = [0, 1].map(|i| daesh["source_span"][i].as_u64().unwrap() as usize);
    let ar = read_repo("examples/raqqa-2017/ar.sents");
    // The first beads are 1-1 (gold.align): bead k is source sentence k.
    let bead = daesh["bead"].as_u64().unwrap() as usize;
    assert!(bead < 6);
    let sentence = ar.lines().filter(|l| !l.trim().is_empty()).nth(bead).unwrap();
    assert_eq!(&sentence[start..end], "داعش");
}

#[test]
fn term_inconsistent_ids_printed_by_earlier_versions_still_silence_it() {
    let project = TempProject::new();
    let planted = "tests/fixtures/check/planted/en.sents";
    let (report, _) = check_presegmented(&project, planted, &[]);
    let ypg = |report: &Value| {
        findings(report)
            .iter()
            .filter(|f| f["check"] == "term-inconsistent" && f["term"] == "وحدات حماية الشعب")
            .count()
    };
    assert_eq!(ypg(&report), 1, "{report:#}");
    // As printed before term-inconsistent hashed the match key of the
    // sentence (it hashed the raw target text).
    let old = "term-inconsistent|وحدات حماية الشعب|People’s Protection Units|a6e7ccfba2704ecf";
    let new = findings(&report).iter().find(|f| f["term"] == "وحدات حماية الشعب").unwrap()["id"].clone();
    assert_ne!(new, old);
    project.dragoman().args(["accept", old]).assert().success();
    let (again, _) = check_presegmented(&project, planted, &[]);
    assert_eq!(ypg(&again), 0, "{again:#}");
    assert_eq!(again["accepted"], 1);

    let output = project.dragoman().args(["accept", "term-missng|الرقة|Raqa|*"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("`term-missng` is not one of term-missing, term-forbidden"), "{stderr}");
}

#[test]
fn bad_input_is_reported_not_panicked() {
    let project = TempProject::new();
    let bad = project.write("glossaries/bad.txt", "# header\nالرقة\tRaqqa\nحمص Homs\n");
    let output = project
        .dragoman()
        .args(["check"])
        .arg(repo_path("examples/raqqa-2017/ar.txt"))
        .arg(repo_path("examples/raqqa-2017/en.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("dragoman: error: {}:3: expected at least 2 tab-separated", bad.display()))
    );
    assert!(
        stderr.contains("tabs, not spaces")
            && stderr.contains("`dragoman glossary lint` lists every problem")
    );

    let latin1 = project.write("latin1.txt", b"caf\xe9\tcafe\n");
    let output =
        project.dragoman().arg("check").arg("a").arg("b").arg("--glossary").arg(&latin1).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("invalid UTF-8 at byte offset 3"));

    let empty = project.write("empty.txt", "# source\ttarget\n");
    let output = project
        .dragoman()
        .arg("check")
        .arg(repo_path("examples/raqqa-2017/ar.txt"))
        .arg(repo_path("examples/raqqa-2017/en.txt"))
        .arg("--glossary")
        .arg(&empty)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("warning: ")
            && String::from_utf8_lossy(&output.stderr).contains("no entries")
    );

    let output = project
        .dragoman()
        .args(["check", "missing-ar.txt", "missing-en.txt", "--glossary"])
        .arg(repo_path(HOUSE))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("missing-ar.txt"));
}

#[test]
fn check_list_prints_the_table_of_checks() {
    let project = TempProject::new();
    let output = project.dragoman().args(["check", "--list", "--format", "json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let checks = json["checks"].as_array().expect("{\"checks\": [...]}");
    let ids: Vec<&str> = checks.iter().map(|c| c["id"].as_str().unwrap()).collect();
    for id in ["term-missing", "term-forbidden", "term-inconsistent", "number-mismatch", "quotes"] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    for check in checks {
        let keys: Vec<&String> = check.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["description", "id", "severity"], "exactly the contract's fields: {check}");
        assert!(["error", "warning", "info"].contains(&check["severity"].as_str().unwrap()));
    }
    let text = project.dragoman().args(["check", "--list"]).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert_eq!(text.lines().count(), checks.len());
    assert!(text.lines().any(|l| l.starts_with("term-forbidden") && l.contains("error")), "{text}");
}
