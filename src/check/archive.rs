//! `term-archive`: a name no glossary lists, which the archive (the
//! project's memory) always renders one way, checked like a glossary term.
//!
//! The archive's settled names ([`crate::terminology::Archive::settled_names`])
//! are built once per run by the caller, who reads the memory; this module
//! stays pure. The runner of the table has no archive, so the row's own
//! function finds nothing there: [`with_archive`] runs the check over an
//! article's beads and adds its findings to the report, made by
//! `Finding::new` like every other finding (severity, accept id).

use std::collections::HashMap;

use super::{CheckId, CheckedPair, Finding, FoundAt, Location, Report, SentenceHash, Shared};
use crate::glossary::english_key;
use crate::pair::ArticlePair;
use crate::terminology::{NameKey, SettledName, arabic_words, unit_names};

/// The row's function in the table: without an archive there is nothing
/// to compare with (see [`with_archive`]).
pub(crate) fn without_archive(_: &CheckedPair, _: &mut Shared, _: &mut Vec<FoundAt>) {}

/// The report with `term-archive`'s findings on `pair` added: each name of
/// `settled` (by its Arabic key) in a bead's source whose archive rendering
/// the bead's translation lacks.
pub fn with_archive(report: Report, pair: &ArticlePair, settled: &HashMap<String, SettledName>) -> Report {
    if settled.is_empty() {
        return report;
    }
    let accepted = report.accepted;
    let mut findings = report.findings;
    for (index, bead) in pair.alignment.beads.iter().enumerate() {
        let (source, target) = (pair.source_of(bead), pair.target_of(bead));
        if source.is_empty() || target.is_empty() {
            continue;
        }
        let mut found = Vec::new();
        archive_names(&source, &target, settled, &mut found);
        for particulars in found {
            let sentence =
                SentenceHash::of(if particulars.target_span.is_some() { &target } else { &source });
            findings.push(Finding::new(CheckId::TermArchive, &Location::Bead(index), sentence, particulars));
        }
    }
    // Stable: each bead's findings keep their order, the new ones after.
    findings.sort_by_key(|f| f.bead);
    let mut report = Report::new(findings);
    report.accepted = accepted;
    report
}

/// The settled names in `source` (longest first, each word once) whose
/// archive rendering `target` lacks; with the rendering it has instead,
/// when it has one with the same skeleton.
fn archive_names(
    source: &str,
    target: &str,
    settled: &HashMap<String, SettledName>,
    found: &mut Vec<FoundAt>,
) {
    let words = arabic_words(source);
    let target_key = format!(" {} ", english_key(target));
    let mut key = String::new();
    let mut i = 0;
    while i < words.len() {
        let mut matched = None;
        'longest: for n in (1..=crate::terminology::MAX_ARABIC_WORDS.min(words.len() - i)).rev() {
            if (i..i + n - 1).any(|w| !words.get(w).joined()) {
                continue;
            }
            for start in words.get(i).reading_starts() {
                key.clear();
                words.get(i).first_key_into(start, &mut key);
                for w in i + 1..i + n {
                    key.push(' ');
                    words.get(w).push_key(&mut key);
                }
                if let Some(name) = settled.get(&key) {
                    matched = Some((n, key.clone(), name));
                    break 'longest;
                }
            }
        }
        let Some((n, name_key, name)) = matched else {
            i += 1;
            continue;
        };
        let source_span = (words.get(i).span().0, words.get(i + n - 1).span().1);
        i += n;
        if target_key.contains(&format!(" {} ", english_key(&name.rendering))) {
            continue;
        }
        let instead = unit_names(source, target, None)
            .into_iter()
            .find(|p| p.key == NameKey::Mined(name_key.clone()) && p.rendering != name.rendering);
        let Some(instead) = instead else { continue };
        found.push(FoundAt {
            source_span: Some(source_span),
            target_span: Some(instead.target_span),
            term: Some(name.term.clone()),
            surface: target[instead.target_span.0..instead.target_span.1].to_string(),
            message: format!(
                "`{}` renders `{}`, which the archive renders `{}` in all its {} units: use `{}` (or add the name to a glossary)",
                instead.rendering, name.term, name.rendering, name.units, name.rendering
            ),
            suggestion: Some(name.rendering.clone()),
            ..FoundAt::default()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settled() -> HashMap<String, SettledName> {
        let name = SettledName { term: "الشعيطات".into(), rendering: "Shaitat".into(), units: 12 };
        HashMap::from([("الشعيطات".to_string(), name)])
    }

    fn found(source: &str, target: &str) -> Vec<FoundAt> {
        let mut found = Vec::new();
        archive_names(source, target, &settled(), &mut found);
        found
    }

    #[test]
    fn another_rendering_of_a_settled_name_is_reported_with_the_archive_one() {
        let source = "وقال شيخ من الشعيطات إن القرى مدمرة.";
        let target = "A sheikh of al-Shuaytat said the villages were destroyed.";
        let found = found(source, target);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].surface, "al-Shuaytat");
        assert_eq!(found[0].suggestion.as_deref(), Some("Shaitat"));
        let (a, b) = found[0].source_span.unwrap();
        assert_eq!(&source[a..b], "الشعيطات");
        assert!(found[0].message.contains("in all its 12 units"), "{}", found[0].message);
    }

    #[test]
    fn the_archive_rendering_or_no_rendering_at_all_is_not_reported() {
        assert!(
            found("وفر أبناء والشعيطات من قراهم.", "Members of the Shaitat fled their villages.").is_empty()
        );
        // A translation may leave a name out or say "the tribe": not this check's business.
        assert!(
            found("وفر أبناء الشعيطات من قراهم.", "Members of the tribe fled their villages.").is_empty()
        );
    }
}
