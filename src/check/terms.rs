//! The glossary checks: `term-missing`, `term-forbidden` (per bead) and
//! `term-inconsistent` (across the document or memory).

use std::collections::HashMap;

use super::{CheckId, CheckedPair, Finding, FoundAt, Location};
use crate::glossary::{Entry, Rendering, english_key};

/// `term-missing` for every source term none of whose good renderings is in
/// the target, `term-forbidden` for every forbidden rendering in the target.
///
/// A term whose forbidden rendering is present is not also reported missing:
/// the forbidden finding already says what to write.
pub(crate) fn missing_and_forbidden(pair: &CheckedPair, entries: &[Entry], findings: &mut Vec<Finding>) {
    if !pair.target.trim().is_empty() {
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
            if let Some(used) = pair.english.iter().find(|m| forbidden.contains(&english_key(&m.surface))) {
                let owner = &entries[used.entry];
                findings.push(pair.finding(
                    CheckId::TermForbidden,
                    entry.ambiguous,
                    FoundAt {
                        target_span: Some(used.span),
                        term: Some(entry.source.clone()),
                        surface: used.surface.clone(),
                        message: format!(
                            "`{}` is a forbidden rendering of `{}` (it is the rendering of `{}`): use `{}`",
                            used.surface, entry.source, owner.source, entry.target
                        ),
                        suggestion: Some(entry.target.clone()),
                        ..FoundAt::default()
                    },
                ));
                continue;
            }
            let also = if entry.accepted.is_empty() {
                String::new()
            } else {
                format!(" (also accepted: {})", entry.accepted.join(", "))
            };
            findings.push(pair.finding(
                CheckId::TermMissing,
                entry.ambiguous,
                FoundAt {
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
                    ..FoundAt::default()
                },
            ));
        }
    }
    for found in pair.english.iter().filter(|m| m.rendering == Rendering::Forbidden) {
        let entry = &entries[found.entry];
        findings.push(pair.finding(
            CheckId::TermForbidden,
            entry.ambiguous,
            FoundAt {
                target_span: Some(found.span),
                term: Some(entry.source.clone()),
                surface: found.surface.clone(),
                message: format!(
                    "`{}` is a forbidden rendering of `{}`: use `{}`",
                    found.surface, entry.source, entry.target
                ),
                suggestion: Some(entry.target.clone()),
                ..FoundAt::default()
            },
        ));
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
    sentence_key: u64,
}

/// The good renderings of every entry across the document, in order.
#[derive(Debug, Default)]
pub(crate) struct RenderingUsage {
    uses: HashMap<usize, Vec<Use>>,
    order: Vec<usize>,
}

impl RenderingUsage {
    pub fn record(&mut self, pair: &CheckedPair) {
        for found in pair.english.iter().filter(|m| m.rendering != Rendering::Forbidden) {
            let uses = self.uses.entry(found.entry).or_default();
            if uses.is_empty() {
                self.order.push(found.entry);
            }
            uses.push(Use {
                location: pair.location.clone(),
                span: found.span,
                surface: found.surface.clone(),
                key: english_key(&found.surface),
                sentence_key: super::stable_hash(&[pair.target]),
            });
        }
    }

    /// `term-inconsistent` for each entry rendered more than one way, unless
    /// the only other way is a long form at the first mention followed by
    /// the approved form (`People's Protection Units (YPG)`, then `YPG`).
    pub fn inconsistencies(&self, entries: &[Entry]) -> Vec<Finding> {
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
            let mut finding = Finding {
                check: CheckId::TermInconsistent,
                severity: if entry.ambiguous {
                    super::Severity::Info
                } else {
                    CheckId::TermInconsistent.severity()
                },
                bead: None,
                source_span: None,
                target_span: Some(deviant.span),
                term: Some(entry.source.clone()),
                message: format!(
                    "`{}` is rendered {} ways: {}; use `{}` throughout (a long form is fine at the first mention only)",
                    entry.source,
                    forms.len(),
                    listing.join(", "),
                    entry.target
                ),
                beads: Vec::new(),
                unit: None,
                units: Vec::new(),
                surface: deviant.surface.clone(),
                suggestion: Some(entry.target.clone()),
                id: super::accept::finding_id(
                    CheckId::TermInconsistent,
                    Some(&entry.source),
                    &deviant.surface,
                    &format!("{:016x}", deviant.sentence_key),
                ),
            };
            match &deviant.location {
                Location::Bead(i) => finding.bead = Some(*i),
                Location::Unit(u) => finding.unit = Some(u.clone()),
            }
            for u in uses {
                match &u.location {
                    Location::Bead(i) if !finding.beads.contains(i) => finding.beads.push(*i),
                    Location::Unit(t) if !finding.units.contains(t) => finding.units.push(t.clone()),
                    _ => {}
                }
            }
            finding.beads.sort_unstable();
            findings.push(finding);
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
