//! No input makes recognition or the checks panic, and every span they
//! report lies on character boundaries of the text it points into.

mod support;

use dragoman::check::{self, CheckOptions};
use dragoman::glossary::{Glossary, Recognizer};
use proptest::prelude::*;
use support::repo_path;

/// Text built from the characters the code treats specially: Arabic
/// letters, clitics, tatweel, harakat, bidi controls, quotes, brackets,
/// digits of three scripts, separators, Latin of both cases.
fn tricky_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "الرقة",
        "داعش",
        "ل",
        "و",
        "ب",
        "ال",
        "ـ",
        "\u{064E}",
        "\u{200F}",
        "\u{202B}",
        "\"",
        "“",
        "”",
        "«",
        "»",
        "(",
        ")",
        "[",
        "]",
        "'",
        "’",
        "-",
        " ",
        "\n",
        "12",
        "١٢",
        "۳",
        "٫",
        ",",
        ".",
        ":",
        "Raqqa",
        "raqqa",
        "IS",
        "is",
        "ISIS",
        "Daesh",
        "al-Mashlab",
        "People’s Protection Units (YPG)",
        "Interfex",
        "إنترفاكاس",
        "s",
        "th",
        "é",
        "\u{FEFB}",
        "ﷲ",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

fn recognizer() -> Recognizer {
    Recognizer::new(&Glossary::load(&[repo_path("tests/fixtures/check/house.txt")]).unwrap())
}

fn on_boundaries(text: &str, span: (usize, usize)) -> bool {
    span.0 <= span.1 && text.is_char_boundary(span.0) && text.is_char_boundary(span.1)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn recognition_and_checks_never_panic(source in tricky_text(), target in tricky_text()) {
        let recognizer = recognizer();
        for m in recognizer.find_arabic(&source) {
            prop_assert!(on_boundaries(&source, m.span) && on_boundaries(&source, m.term_span));
            prop_assert_eq!(&source[m.span.0..m.span.1], m.surface.as_str());
        }
        for m in recognizer.find_english(&target) {
            prop_assert!(on_boundaries(&target, m.span));
        }
        let units = vec![("1".to_string(), source.clone(), target.clone()), ("2".to_string(), target.clone(), source.clone())];
        let report = check::run_checks_tm(units.into_iter(), &recognizer, &CheckOptions::default());
        for finding in &report.findings {
            let (s, t) = if finding.unit.as_deref() == Some("1") { (&source, &target) } else { (&target, &source) };
            if let Some(span) = finding.source_span { prop_assert!(on_boundaries(s, span), "{:?}", finding); }
            if let Some(span) = finding.target_span { prop_assert!(on_boundaries(t, span), "{:?}", finding); }
        }
    }

    #[test]
    fn glossary_parsing_never_panics(text in tricky_text(), tabs in prop::collection::vec(0usize..60, 0..10)) {
        let mut text = text;
        for at in tabs {
            let at = (0..=at.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            text.insert(at, '\t');
        }
        let _ = Glossary::parse(&text, "fuzz.txt");
        let _ = dragoman::glossary::lint::lint_entries(&dragoman::glossary::native::parse_all(&text, "fuzz.txt").entries);
        if let Ok(glossary) = Glossary::parse(&text, "fuzz.txt") {
            let recognizer = Recognizer::new(&glossary);
            let _ = recognizer.find_arabic(&text);
            let _ = recognizer.find_english(&text);
        }
    }
}

/// A unit of thousands of numbers, each different on the two sides: the
/// number check lists the first hundred mismatches and counts the rest
/// exactly, without building a finding for each (issue #20: 10 MB of
/// numbers made a million findings to drop).
#[test]
fn a_paragraph_of_different_numbers_lists_a_hundred_and_counts_the_rest() {
    let source: String = (0..5_000).map(|i| format!("قتل {} شخصا، ", 1_000 + 2 * i)).collect();
    let target: String = (0..5_000).map(|i| format!("{} killed, ", 1_001 + 2 * i)).collect();
    let units = vec![("u1".to_string(), source, target)];
    let report = check::run_checks_tm(units.into_iter(), &recognizer(), &CheckOptions::default());
    let numbers: Vec<_> =
        report.findings.iter().filter(|f| f.check == check::CheckId::NumberMismatch).collect();
    assert_eq!(numbers.len(), check::MAX_FINDINGS_PER_ITEM);
    assert!(
        numbers[0].message.contains("`1000`") && numbers[0].message.contains("`1001`"),
        "{}",
        numbers[0].message
    );
    let last = &numbers.last().unwrap().message;
    assert!(last.ends_with("(and 4900 more like it in this unit, not listed)"), "{last}");
}
