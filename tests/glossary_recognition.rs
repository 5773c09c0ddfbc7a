//! Arabic term recognition on listed surface forms (clitics, tatweel,
//! quotes, variants, multiword, derived) and look-alikes that must not match.

mod support;

use dragoman::glossary::{Glossary, MatchHow, Recognizer};
use support::{read_repo, repo_path};

fn recognizer() -> Recognizer {
    let glossary = Glossary::load(&[repo_path("tests/fixtures/check/house.txt")]).unwrap();
    Recognizer::new(&glossary)
}

fn rows(relative: &str) -> Vec<Vec<String>> {
    read_repo(relative)
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

#[test]
fn every_listed_surface_form_is_recognized() {
    let recognizer = recognizer();
    let rows = rows("tests/fixtures/check/surface-forms.tsv");
    assert!(rows.len() >= 40, "the list should hold at least 40 forms, has {}", rows.len());
    let mut failures = Vec::new();
    for row in &rows {
        let [text, surface, source, how] = &row[..] else { panic!("bad row {row:?}") };
        let found = recognizer.find_arabic(text);
        if how == "none" {
            if !found.is_empty() {
                failures.push(format!("{text}: expected no match, found {found:?}"));
            }
            continue;
        }
        let how = match how.as_str() {
            "exact" => MatchHow::Exact,
            "clitic" => MatchHow::Clitic,
            "variant" => MatchHow::Variant,
            "derived" => MatchHow::Derived,
            other => panic!("unknown how {other}"),
        };
        let hit = found.iter().find(|m| recognizer.entries()[m.entry].source == *source);
        match hit {
            Some(m) if m.surface == *surface && m.how == how && &text[m.span.0..m.span.1] == surface => {}
            _ => {
                failures.push(format!("{text}: expected `{surface}` ({how:?}) of {source}, found {found:?}"))
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} forms failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

#[test]
fn look_alikes_do_not_match() {
    let recognizer = recognizer();
    let rows = rows("tests/fixtures/check/lookalikes.tsv");
    assert!(rows.len() >= 20, "the list should hold at least 20 look-alikes, has {}", rows.len());
    for row in &rows {
        let (text, source) = (&row[0], &row[1]);
        assert!(
            recognizer.entries().iter().any(|e| e.source == *source),
            "{source} is not in the test glossary"
        );
        let wrong: Vec<_> = recognizer
            .find_arabic(text)
            .into_iter()
            .filter(|m| recognizer.entries()[m.entry].source == *source)
            .collect();
        assert!(wrong.is_empty(), "{text} must not match {source}: {wrong:?}");
    }
}

#[test]
fn concept_anchors_name_the_shared_terms() {
    let recognizer = recognizer();
    let source = dragoman::segment::read_presegmented(&read_repo("examples/raqqa-2017/ar.sents"), None);
    let target = dragoman::segment::read_presegmented(&read_repo("examples/raqqa-2017/en.sents"), None);
    let anchors = recognizer.concept_anchors(&source, &target);
    assert_eq!((anchors.source.len(), anchors.target.len()), (source.len(), target.len()));
    // Sentence 3: انترفاكس, وحدات حماية الشعب, داعش, الرقة, البادية, تدمر, حمص on both sides.
    for concept in ["انترفاكس", "وحدات حماية الشعب", "داعش", "الرقة", "تدمر"]
    {
        assert!(anchors.source[3].iter().any(|c| c == concept), "{concept} in {:?}", anchors.source[3]);
        assert!(anchors.target[3].iter().any(|c| c == concept), "{concept} in {:?}", anchors.target[3]);
    }
    assert!(anchors.target[0].iter().all(|c| c != "داعش"));
}
