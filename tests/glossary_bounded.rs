//! Bounded work on hostile glossaries and texts (issue #20): small versions
//! of the generated worst cases whose full sizes `cargo bench --bench check
//! -- --hostile` measures. Each test checks the answer, not the time.

mod support;

use dragoman::check::{self, CheckId, CheckOptions, MAX_FINDINGS_PER_ITEM};
use dragoman::glossary::{Entry, Glossary, MAX_PATTERN_BYTES, MAX_TERM_BYTES, Recognizer, formats, lint};
use dragoman::pair::{ArticlePair, PairOptions};
use support::TempProject;

#[test]
fn an_over_long_term_is_refused_with_its_file_and_line() {
    let long = "الرقة ".repeat(MAX_TERM_BYTES / 5);
    let text = format!("حمص\tHoms\nدرعا\tDaraa\n{long}\tRaqqa\n");
    let glossary = Glossary::parse(&text, "long.txt").expect("parses");
    let error = Recognizer::try_new(&glossary).expect_err("refused").to_string();
    assert!(error.starts_with("long.txt:3: a term of"), "{error}");
    assert!(error.contains(&format!("limited to {MAX_TERM_BYTES} bytes")), "{error}");
    // The same term just under the limit is a term.
    let fits: String = long.chars().take(MAX_TERM_BYTES / 2 - 1).collect();
    assert!(Recognizer::try_new(&Glossary::parse(&format!("{fits}\tRaqqa\n"), "ok.txt").unwrap()).is_ok());
}

#[test]
fn the_command_line_refuses_an_over_long_term_at_once() {
    let project = TempProject::new();
    project.write("glossaries/long.txt", format!("{}\tRaqqa\n", "ر".repeat(50_000)));
    project.write("ar.txt", "قصف في الرقة.\n");
    project.write("en.txt", "Shelling in Raqqa.\n");
    let output = project.dragoman().args(["check", "ar.txt", "en.txt"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("long.txt:1: a term of 100000 bytes"), "{stderr}");
}

#[test]
fn a_glossary_whose_terms_exceed_the_automaton_limit_is_refused() {
    let term = "ب".repeat(MAX_TERM_BYTES / 2 - 8);
    let count = MAX_PATTERN_BYTES / (MAX_TERM_BYTES - 16) + 2;
    let entries = (0..count).map(|i| Entry::new(&format!("{term}{i}"), &format!("Name {i}"))).collect();
    let error = Recognizer::try_new(&Glossary::from_entries(entries)).expect_err("refused").to_string();
    assert!(error.contains(&format!("the limit is {MAX_PATTERN_BYTES}")), "{error}");
}

#[test]
fn an_entry_with_thousands_of_variants_still_finds_each() {
    let mut entry = Entry::new("الرقة", "Raqqa");
    entry.variants = (0..20_000).map(|i| format!("رقه{i}")).collect();
    entry.accepted = (0..20_000).map(|i| format!("Raqqa{i}")).collect();
    entry.forbidden = (0..20_000).map(|i| format!("Rakka{i}")).collect();
    let recognizer = Recognizer::try_new(&Glossary::from_entries(vec![entry.clone()])).expect("builds");
    let found = recognizer.find_arabic("قصف في رقه19999 أمس");
    assert_eq!(found.iter().map(|m| m.surface.as_str()).collect::<Vec<_>>(), ["رقه19999"]);
    let found = recognizer.find_english("Raqqa17 and Rakka123");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(lint::lint_entries(&[entry]).is_empty());
}

#[test]
fn tbx_entries_keep_their_line_numbers() {
    let entries: Vec<Entry> =
        (0..2_000).map(|i| Entry::new(&format!("مدينة{i}"), &format!("Town {i}"))).collect();
    let tbx = formats::export(&entries, formats::ExternalFormat::Tbx2008);
    let imported = formats::import(&tbx, "big.tbx", formats::ExternalFormat::Tbx2008).expect("imports");
    assert_eq!(imported.len(), 2_000);
    let entry_lines: Vec<usize> = tbx
        .lines()
        .enumerate()
        .filter(|(_, line)| line.trim_start().starts_with("<termEntry"))
        .map(|(n, _)| n + 1)
        .collect();
    let origins: Vec<usize> = imported.iter().map(|e| e.origin.as_ref().expect("origin").1).collect();
    assert_eq!(origins, entry_lines);
}

#[test]
fn many_conflicting_entries_give_one_grouped_warning_each() {
    let n = 1_000;
    let mut entries: Vec<Entry> = (0..n).map(|i| Entry::new(&format!("داريا{i}"), "Darayya")).collect();
    for i in 0..n {
        let mut entry = Entry::new(&format!("الدرعية{i}"), "al-Diriyah");
        entry.forbidden = vec!["Darayya".into()];
        entries.push(entry);
    }
    let problems = lint::lint_entries(&entries);
    assert_eq!(problems.len(), n, "one warning per forbidding entry, not {n}×{n}");
    assert!(problems[0].message.contains(&format!("and {} more entries", n - 1)), "{}", problems[0].message);
}

/// One bead: `source` and `target` as one sentence each.
fn one_bead(source: &str, target: &str) -> ArticlePair {
    let beads = vec![dragoman::align::Bead {
        source: vec![0],
        target: vec![0],
        confidence: 1.0,
        evidence: Vec::new(),
    }];
    let options = PairOptions { presegmented: true, beads: Some(beads), ..PairOptions::default() };
    ArticlePair::build("hostile", source, target, &options).expect("one bead fits")
}

#[test]
fn a_paragraph_of_many_mismatched_numbers_lists_a_bounded_number() {
    let source: String = (0..300).map(|i| format!("{} ", 1_000 + 2 * i)).collect();
    let target: String = (0..300).map(|i| format!("{} ", 1_001 + 2 * i)).collect();
    let report = check::run_checks(
        &one_bead(&source, &target),
        &Recognizer::new(&Glossary::default()),
        &CheckOptions::default(),
    );
    let numbers: Vec<&check::Finding> =
        report.findings.iter().filter(|f| f.check == CheckId::NumberMismatch).collect();
    assert_eq!(numbers.len(), MAX_FINDINGS_PER_ITEM);
    let last = numbers.last().unwrap();
    assert!(last.message.ends_with("(and 200 more like it in this bead, not listed)"), "{}", last.message);
}

#[test]
fn a_long_paragraph_of_abbreviations_and_names_is_checked() {
    let glossary = Glossary::load(&[support::repo_path("glossaries/syria.txt")]).expect("syria.txt");
    let recognizer = Recognizer::try_new(&glossary).expect("builds");
    let source = "قال مسؤول في الولايات المتحدة إن القصف طال الرقة ".repeat(2_000);
    let target = "Mr. Dr. U.S. e.g. the United States said Raqqa was shelled, Rakka ".repeat(2_000);
    let report = check::run_checks(&one_bead(&source, &target), &recognizer, &CheckOptions::default());
    // `Rakka` is forbidden: every use in the bead is a finding, up to the cap.
    let forbidden = report.findings.iter().filter(|f| f.check == CheckId::TermForbidden).count();
    assert_eq!(forbidden, MAX_FINDINGS_PER_ITEM);
    assert!(report.findings.iter().all(|f| f.bead == Some(0)));
}
