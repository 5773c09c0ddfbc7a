//! The glossary checks: `term-missing`, `term-forbidden` (per bead) and
//! `term-inconsistent` (across the document or memory).

use std::collections::{HashMap, HashSet};

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
///
/// Linear in the matches: a paragraph may hold tens of thousands of terms,
/// so nothing here scans all matches once per match.
fn unrendered<'a, 'e: 'a>(pair: &'a CheckedPair, shared: &mut Shared<'e>) -> Vec<Unrendered<'a>> {
    let mut terms = Vec::new();
    if pair.target.trim().is_empty() {
        return terms;
    }
    let entries = shared.entries;
    // Entries with any rendering, good or forbidden, in the target.
    let rendered: HashSet<usize> = pair.english.iter().map(|m| m.entry).collect();
    let mut by_span: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for m in &pair.arabic {
        by_span.entry(m.span).or_default().push(m.entry);
    }
    let mut reported: HashSet<&str> = HashSet::new();
    let mut forbidden_used: Option<HashMap<usize, &'a EnglishMatch>> = None;
    for found in &pair.arabic {
        // Entries sharing a spelling: one satisfied rendering is enough.
        if by_span[&found.span].iter().any(|e| rendered.contains(e)) {
            continue;
        }
        let entry = &entries[found.entry];
        if !reported.insert(entry.source.as_str()) {
            continue;
        }
        // A form this entry forbids may be another entry's approved
        // rendering (`Daraya` names داريا, and is wrong for الدرعية): with
        // this term in the source, that is the forbidden rendering.
        let used = forbidden_used.get_or_insert_with(|| first_forbidden_use(pair, shared.forbidden_keys()));
        terms.push(Unrendered { found, entry, forbidden_used: used.get(&found.entry).copied() });
    }
    terms
}

/// For each entry, the first English match in the target that is one of
/// the entry's forbidden forms (whichever entry it was recognized as).
fn first_forbidden_use<'a>(
    pair: &'a CheckedPair,
    forbidden_keys: &HashMap<String, Vec<usize>>,
) -> HashMap<usize, &'a EnglishMatch> {
    let mut first = HashMap::new();
    let mut seen = HashSet::new();
    for m in &pair.english {
        let key = english_key(&m.surface);
        if !seen.insert(key.clone()) {
            continue;
        }
        for &entry in forbidden_keys.get(&key).map(Vec::as_slice).unwrap_or_default() {
            first.entry(entry).or_insert(m);
        }
    }
    first
}

/// `term-missing`: a source term none of whose good renderings is in the
/// target. A term whose forbidden rendering is present is left to
/// `term-forbidden`, which already says what to write.
pub(crate) fn missing(pair: &CheckedPair, shared: &mut Shared, findings: &mut Vec<FoundAt>) {
    for Unrendered { found, entry, forbidden_used } in unrendered(pair, shared) {
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
    for Unrendered { entry, forbidden_used, .. } in unrendered(pair, shared) {
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
            // Each form with its uses, in order of first use; one pass, since
            // a memory may use thousands of forms in 100,000 units.
            let mut forms: Vec<&str> = Vec::new();
            let mut uses_of: HashMap<&str, Vec<&Use>> = HashMap::new();
            for u in uses {
                let of_form = uses_of.entry(&u.key).or_default();
                if of_form.is_empty() {
                    forms.push(&u.key);
                }
                of_form.push(u);
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
                    let of_form = &uses_of[form];
                    let mut seen = HashSet::new();
                    let places: Vec<&Location> =
                        of_form.iter().filter(|u| seen.insert(&u.location)).map(|u| &u.location).collect();
                    let shown = of_form[0].surface.as_str();
                    // A memory may use a form in thousands of units.
                    const LISTED: usize = 5;
                    let more = places.len().saturating_sub(LISTED);
                    let mut listed =
                        places.into_iter().take(LISTED).map(describe).collect::<Vec<_>>().join(", ");
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
