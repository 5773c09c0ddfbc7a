//! The glossary checks: `term-missing`, `term-forbidden` (per bead) and
//! `term-inconsistent` (across the document or memory).

use std::collections::HashMap;

use super::{CheckedPair, DocumentCheck, FoundAt, Located, Location, SentenceHash, Shared};
use crate::glossary::{EnglishMatch, Entry, Rendering, TermMatch, english_key};

/// A source term none of whose renderings is in the target.
struct Unrendered<'a> {
    found: &'a TermMatch,
    entry: &'a Entry,
    /// A form this entry forbids, used in the target.
    forbidden_used: Option<&'a EnglishMatch>,
}

/// The source terms (one per entry) none of whose renderings, good or
/// forbidden, is in the target: `term-missing` when nothing was written for
/// them, `term-forbidden` when a form they forbid was.
fn unrendered<'a>(pair: &'a CheckedPair, entries: &'a [Entry]) -> Vec<Unrendered<'a>> {
    let mut terms = Vec::new();
    if pair.target.trim().is_empty() {
        return terms;
    }
    let rendered = |entry: usize, good: bool| {
        pair.english.iter().any(|m| m.entry == entry && (m.rendering != Rendering::Forbidden) == good)
    };
    let mut reported: Vec<&str> = Vec::new();
    for found in &pair.arabic {
        // Entries sharing a spelling: one satisfied rendering is enough.
        let same_span: Vec<usize> =
            pair.arabic.iter().filter(|m| m.span == found.span).map(|m| m.entry).collect();
        if same_span.iter().any(|&e| rendered(e, true) || rendered(e, false)) {
            continue;
        }
        let entry = &entries[found.entry];
        if reported.contains(&entry.source.as_str()) {
            continue;
        }
        reported.push(&entry.source);
        // A form this entry forbids may be another entry's approved
        // rendering (`Daraya` names داريا, and is wrong for الدرعية): with
        // this term in the source, that is the forbidden rendering.
        let forbidden: Vec<String> = entry.forbidden.iter().map(|f| english_key(f)).collect();
        let forbidden_used = pair.english.iter().find(|m| forbidden.contains(&english_key(&m.surface)));
        terms.push(Unrendered { found, entry, forbidden_used });
    }
    terms
}

/// `term-missing`: a source term none of whose good renderings is in the
/// target. A term whose forbidden rendering is present is left to
/// `term-forbidden`, which already says what to write.
pub(crate) fn missing(pair: &CheckedPair, shared: &mut Shared, findings: &mut Vec<FoundAt>) {
    for Unrendered { found, entry, forbidden_used } in unrendered(pair, shared.entries) {
        if forbidden_used.is_some() {
            continue;
        }
        let also = if entry.accepted.is_empty() {
            String::new()
        } else {
            format!(" (also accepted: {})", entry.accepted.join(", "))
        };
        findings.push(FoundAt {
            source_span: Some(found.span),
            term: Some(entry.source.clone()),
            surface: found.surface.clone(),
            message: format!(
                "`{}` is not rendered as the glossary says: use `{}`{also}{}",
                found.surface,
                entry.target,
                if entry.ambiguous {
                    " — the term is ambiguous (it may be a common word here)"
                } else {
                    ""
                }
            ),
            suggestion: Some(entry.target.clone()),
            ambiguous_term: entry.ambiguous,
            ..FoundAt::default()
        });
    }
}

/// `term-forbidden`: a forbidden rendering in the target — one the glossary
/// forbids for a term in the source, or that is forbidden outright.
pub(crate) fn forbidden(pair: &CheckedPair, shared: &mut Shared, findings: &mut Vec<FoundAt>) {
    let entries = shared.entries;
    for Unrendered { entry, forbidden_used, .. } in unrendered(pair, entries) {
        let Some(used) = forbidden_used else { continue };
        let owner = &entries[used.entry];
        findings.push(FoundAt {
            target_span: Some(used.span),
            term: Some(entry.source.clone()),
            surface: used.surface.clone(),
            message: format!(
                "`{}` is a forbidden rendering of `{}` (it is the rendering of `{}`): use `{}`",
                used.surface, entry.source, owner.source, entry.target
            ),
            suggestion: Some(entry.target.clone()),
            ambiguous_term: entry.ambiguous,
            ..FoundAt::default()
        });
    }
    for found in pair.english.iter().filter(|m| m.rendering == Rendering::Forbidden) {
        let entry = &entries[found.entry];
        findings.push(FoundAt {
            target_span: Some(found.span),
            term: Some(entry.source.clone()),
            surface: found.surface.clone(),
            message: format!(
                "`{}` is a forbidden rendering of `{}`: use `{}`",
                found.surface, entry.source, entry.target
            ),
            suggestion: Some(entry.target.clone()),
            ambiguous_term: entry.ambiguous,
            ..FoundAt::default()
        });
    }
}

/// One approved or accepted rendering of an entry, where it was used.
#[derive(Debug, Clone)]
struct Use {
    location: Location,
    span: (usize, usize),
    surface: String,
    key: String,
    /// The accept key's sentence: the target it was found in.
    sentence: SentenceHash,
}

/// The good renderings of every entry across the document, in order.
#[derive(Debug, Default)]
pub(crate) struct RenderingUsage {
    uses: HashMap<usize, Vec<Use>>,
    order: Vec<usize>,
}

impl RenderingUsage {
    pub fn start() -> Box<dyn DocumentCheck> {
        Box::<RenderingUsage>::default()
    }
}

impl DocumentCheck for RenderingUsage {
    fn see(&mut self, pair: &CheckedPair) {
        let mut sentence = None;
        for found in pair.english.iter().filter(|m| m.rendering != Rendering::Forbidden) {
            // Ids made before the match key was hashed must keep working.
            let sentence = *sentence.get_or_insert_with(|| SentenceHash::with_legacy_raw_hash(pair.target));
            let uses = self.uses.entry(found.entry).or_default();
            if uses.is_empty() {
                self.order.push(found.entry);
            }
            uses.push(Use {
                location: pair.location.clone(),
                span: found.span,
                surface: found.surface.clone(),
                key: english_key(&found.surface),
                sentence,
            });
        }
    }

    /// `term-inconsistent` for each entry rendered more than one way, unless
    /// the only other way is a long form at the first mention followed by
    /// the approved form (`People's Protection Units (YPG)`, then `YPG`).
    fn findings(self: Box<Self>, shared: &Shared) -> Vec<Located> {
        let entries = shared.entries;
        let mut findings = Vec::new();
        for &index in &self.order {
            let uses = &self.uses[&index];
            let entry = &entries[index];
            let approved = english_key(&entry.target);
            let mut forms: Vec<&str> = Vec::new();
            for u in uses {
                if !forms.contains(&u.key.as_str()) {
                    forms.push(&u.key);
                }
            }
            if forms.len() < 2 {
                continue;
            }
            let first = &uses[0];
            let long_first = first.key.chars().count() > approved.chars().count();
            let rest_approved = uses[1..].iter().all(|u| u.key == approved);
            if long_first && rest_approved {
                continue;
            }
            // The first use that breaks the pattern.
            let deviant = uses[1..]
                .iter()
                .find(|u| u.key != approved && (long_first || u.key != first.key))
                .unwrap_or(first);
            let listing: Vec<String> = forms
                .iter()
                .map(|form| {
                    let places: Vec<String> = uses
                        .iter()
                        .filter(|u| u.key == *form)
                        .map(|u| describe(&u.location))
                        .fold(Vec::new(), |mut acc, p| {
                            if !acc.contains(&p) {
                                acc.push(p);
                            }
                            acc
                        });
                    let shown = uses.iter().find(|u| u.key == *form).map_or(*form, |u| u.surface.as_str());
                    // A memory may use a form in thousands of units.
                    const LISTED: usize = 5;
                    let more = places.len().saturating_sub(LISTED);
                    let mut listed = places.into_iter().take(LISTED).collect::<Vec<_>>().join(", ");
                    if more > 0 {
                        listed.push_str(&format!(" and {more} more"));
                    }
                    format!("`{shown}` ({listed})")
                })
                .collect();
            findings.push(Located {
                location: deviant.location.clone(),
                sentence: deviant.sentence,
                found: FoundAt {
                    target_span: Some(deviant.span),
                    term: Some(entry.source.clone()),
                    message: format!(
                        "`{}` is rendered {} ways: {}; use `{}` throughout (a long form is fine at the first mention only)",
                        entry.source,
                        forms.len(),
                        listing.join(", "),
                        entry.target
                    ),
                    surface: deviant.surface.clone(),
                    suggestion: Some(entry.target.clone()),
                    ambiguous_term: entry.ambiguous,
                    places: uses.iter().map(|u| u.location.clone()).collect(),
                    ..FoundAt::default()
                },
            });
        }
        findings
    }
}

fn describe(location: &Location) -> String {
    match location {
        Location::Bead(i) => format!("bead {i}"),
        Location::Unit(u) => format!("unit {u}"),
    }
}
