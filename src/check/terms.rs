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
    let mut target_words: Option<HashSet<String>> = None;
    let mut forbidden_used: Option<HashMap<usize, &'a EnglishMatch>> = None;
    for found in &pair.arabic {
        // Entries sharing a spelling: one satisfied rendering is enough.
        if by_span[&found.span].iter().any(|e| rendered.contains(e)) {
            continue;
        }
        let entry = &entries[found.entry];
        let words = target_words.get_or_insert_with(|| words_of(pair.target));
        if by_span[&found.span].iter().any(|&e| has_adjective(&entries[e], words))
            && !arabic_adjective_too(entry, pair.source)
        {
            continue;
        }
        // `Assad said`, the full name having come before: a person's
        // surname renders the name without the glossary listing it.
        if by_span[&found.span].iter().any(|&e| has_surname(&entries[e], pair.target)) {
            continue;
        }
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

/// English adjective endings of a place (`Syrian`, `Russian-backed`,
/// `Iraqi`, `Kurdish`, `Lebanese`).
const ADJECTIVE_SUFFIXES: [&str; 8] = ["n", "an", "ian", "i", "ish", "ese", "ns", "ians"];

/// The lower-cased words of `text` (a hyphen separates words).
fn words_of(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Whether the target uses an English adjective of a place (or of an entry
/// flagged `derived`): `روسيا` rendered in `Russian-backed forces` is
/// rendered, as `سوري` is in `Syrian`.
fn has_adjective(entry: &Entry, words: &HashSet<String>) -> bool {
    if !(entry.derived || entry.kind == crate::glossary::TermType::Place) {
        return false;
    }
    entry.good_renderings().any(|rendering| {
        let key = rendering.trim().to_lowercase();
        if key.is_empty() || key.contains(|c: char| !c.is_alphabetic()) {
            return false;
        }
        let stems = [Some(key.as_str()), key.strip_suffix(['a', 'e', 'y']), key.strip_suffix("on")];
        stems
            .into_iter()
            .flatten()
            .filter(|stem| stem.chars().count() >= 3)
            .any(|stem| ADJECTIVE_SUFFIXES.iter().any(|suffix| words.contains(&format!("{stem}{suffix}"))))
    })
}

/// Whether the target names a person by the surname of the entry's
/// approved rendering (`Assad`, `al-Assad`, `de Mistura`), as whole words
/// with their capital.
fn has_surname(entry: &Entry, target: &str) -> bool {
    entry.surnames().iter().any(|surname| {
        target.match_indices(surname.as_str()).any(|(at, _)| {
            let before = target[..at].chars().next_back();
            let after = target[at + surname.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    })
}

/// Whether the Arabic also has an adjective of the term (`روسيا` and
/// `الروسية`): then an English adjective renders that, not the noun.
fn arabic_adjective_too(entry: &Entry, source: &str) -> bool {
    let key = crate::normalize::match_key(&entry.source);
    let stem = key.trim_end_matches(['ا', 'ه']);
    if stem.chars().count() < 3 || stem.contains(' ') {
        return false;
    }
    // `روسيا` → `روسي`; `سوريه` → `سوري`; `لبنان` → `لبناني`.
    let adjective = if stem.ends_with('ي') { stem.to_string() } else { format!("{stem}ي") };
    crate::normalize::match_key(source).split(' ').any(|word| {
        word.find(&adjective)
            .is_some_and(|at| ["", "ه", "ين", "ون", "ات"].contains(&&word[at + adjective.len()..]))
    })
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
    for Unrendered { found, entry, forbidden_used } in unrendered(pair, shared) {
        let Some(used) = forbidden_used else { continue };
        let owner = &entries[used.entry];
        findings.push(FoundAt {
            // Both sides: the Arabic term is shown (and marked) where it is,
            // not cut off in a long source sentence.
            source_span: Some(found.span),
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
            source_span: pair.arabic.iter().find(|m| m.entry == found.entry).map(|m| m.span),
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
    /// `span` in characters (the text is gone when the findings are made).
    chars: Option<(usize, usize)>,
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
                chars: super::char_span(pair.target, found.span),
                surface: found.surface.clone(),
                key: english_key(&found.surface),
                sentence,
            });
        }
    }

    /// `term-inconsistent`, per entry: a short form (declared, an acronym or
    /// a person's surname) before the first long form in the document — news
    /// style names a thing in full first (`United Nations` … `UN`, `Bashar
    /// al-Assad` … `Assad`); and, for an entry flagged `one-form` (the house
    /// style picks the approved rendering), two long or two short forms
    /// mixed. Accepted forms of other entries are as good as the approved one
    /// (`US`, `U.S.`, `United States`), whatever their mix.
    fn findings(self: Box<Self>, shared: &Shared) -> Vec<Located> {
        let entries = shared.entries;
        let mut findings = Vec::new();
        for &index in &self.order {
            let uses = &self.uses[&index];
            let entry = &entries[index];
            // Each form with its uses, in order of first use; one pass, since
            // a memory may use thousands of forms in 100,000 units.
            let mut forms: Vec<&str> = Vec::new();
            let mut uses_of: HashMap<&str, Vec<&Use>> = HashMap::new();
            let mut short: HashMap<&str, bool> = HashMap::new();
            for u in uses {
                let of_form = uses_of.entry(&u.key).or_default();
                if of_form.is_empty() {
                    forms.push(&u.key);
                    short.insert(&u.key, entry.is_short_form(&u.surface));
                }
                of_form.push(u);
            }
            if forms.len() < 2 {
                continue;
            }
            let is_short = |u: &Use| short[u.key.as_str()];
            let listing = || listing(&forms, &uses_of);
            let mut report = |deviant: &Use, message: String| {
                findings.push(Located {
                    location: deviant.location.clone(),
                    sentence: deviant.sentence,
                    target_chars: deviant.chars,
                    found: FoundAt {
                        target_span: Some(deviant.span),
                        term: Some(entry.source.clone()),
                        message,
                        surface: deviant.surface.clone(),
                        suggestion: Some(entry.target.clone()),
                        ambiguous_term: entry.ambiguous,
                        places: uses.iter().map(|u| u.location.clone()).collect(),
                        ..FoundAt::default()
                    },
                });
            };
            let first_long = uses.iter().position(|u| !is_short(u));
            // A short form in the sentence of the first long form does not
            // come before it (`USA Gymnastics supports the United States
            // Olympic Committee`).
            if let Some(first_long) = first_long
                && let Some(early) =
                    uses[..first_long].iter().find(|u| is_short(u) && u.location != uses[first_long].location)
            {
                let long = &uses[first_long];
                report(
                    long,
                    format!(
                        "`{}` is rendered {} ways: {}; the short form `{}` ({}) comes before the first long \
                         form `{}` ({}): name it in full first, short after",
                        entry.source,
                        forms.len(),
                        listing(),
                        early.surface,
                        describe(&early.location),
                        long.surface,
                        describe(&long.location),
                    ),
                );
                continue;
            }
            if !entry.one_form {
                continue;
            }
            // One long form and one short form: the approved rendering where
            // it is of the kind, else the first used.
            let target = english_key(&entry.target);
            let mixed = [false, true].into_iter().find_map(|kind| {
                let of_kind: Vec<&Use> = uses.iter().filter(|u| is_short(u) == kind).collect();
                let pick = if of_kind.iter().any(|u| u.key == target) {
                    target.as_str()
                } else {
                    of_kind.first()?.key.as_str()
                };
                let deviant = of_kind.iter().find(|u| u.key != pick)?;
                Some((*deviant, of_kind.iter().find(|u| u.key == pick).map(|u| u.surface.clone())))
            });
            if let Some((deviant, pick)) = mixed {
                let pick = pick.unwrap_or_else(|| entry.target.clone());
                report(
                    deviant,
                    format!(
                        "`{}` is rendered {} ways: {}; the house style picks one: use `{pick}` throughout \
                         (a short form is fine after the long one)",
                        entry.source,
                        forms.len(),
                        listing(),
                    ),
                );
            }
        }
        findings
    }
}

/// Each form with the places it is used, for a message.
fn listing(forms: &[&str], uses_of: &HashMap<&str, Vec<&Use>>) -> String {
    forms
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
            let mut listed = places.into_iter().take(LISTED).map(describe).collect::<Vec<_>>().join(", ");
            if more > 0 {
                listed.push_str(&format!(" and {more} more"));
            }
            format!("`{shown}` ({listed})")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe(location: &Location) -> String {
    match location {
        // People count beads from 1 (the page's rows, `check` text); JSON keeps `bead` 0-based.
        Location::Bead(i) => format!("bead {}", i + 1),
        Location::Unit(u) => format!("unit {u}"),
    }
}
