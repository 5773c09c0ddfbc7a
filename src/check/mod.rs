//! Quality checks of a translation: terminology, numbers, untranslated
//! text, quotes.
//!
//! Owns: the table of checks ([`CHECKS`]: ids and severities are a
//! contract), [`Finding`] and [`Report`], running the checks over aligned
//! beads ([`run_checks`]) or memory units ([`run_checks_tm`]), and the accept
//! list ([`accept`]) that silences findings an editor has accepted.
//!
//! Pure: the caller reads files and prints.
//!
//! # The table
//!
//! Each check is one row of [`CHECKS`]: its [`CheckId`], the contract id
//! (`term-missing`: JSON, accept lists, `check --list`), its [`Severity`],
//! a description, and the function that runs it (`Run`):
//!
//! - `Run::EachPair` looks at one bead (or memory unit) at a time and
//!   pushes a `FoundAt` — where, what, what to write instead — for each
//!   problem. The runner turns it into a [`Finding`] with `Finding::new`,
//!   which gives every finding its severity, location and accept id the
//!   same way (the id hashes the match key of the sentence the finding is
//!   in: the target when it has a target span, else the source).
//! - `Run::Document` sees every bead (or unit) in order, then reports on
//!   the whole document (consistency across it); it says itself where each
//!   finding belongs (`Located`).
//!
//! # Adding a check
//!
//! 1. Write its function beside its kin (`text.rs` for checks on the text
//!    alone, `terms.rs` for glossary checks): `fn(&CheckedPair, &mut
//!    Shared, &mut Vec<FoundAt>)` for a per-bead check, or a type
//!    implementing `DocumentCheck`. Test it on real sentences.
//! 2. Add a variant to [`CheckId`] and its row to [`CHECKS`], in the same
//!    position (a unit test holds them in step). The row's `id` is the
//!    contract: never change it once released, since accept lists keep it.
//! 3. Plant an example of it in `tests/fixtures/check/planted/` (the CLI
//!    tests require one for every check).
//!
//! Nothing else changes: the runner, the accept list, `check --list` and
//! the JSON output all read the table.

pub mod accept;
pub mod archive;
mod near_miss;
mod terms;
/// Number reading is shared with the translator's brief (`prepare`).
pub(crate) mod text;

use std::collections::HashMap;

use crate::glossary::{Entry, Recognizer};
use crate::normalize::match_key;
use crate::pair::ArticlePair;

pub(crate) use accept::SentenceHash;
pub use near_miss::NearMissIndex;

/// A check: a typed handle on a row of [`CHECKS`] (the variant's position
/// is the row's). Its contract string is [`CheckId::id`]; findings are
/// ordered by it where they start at the same place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CheckId {
    TermMissing,
    TermForbidden,
    TermInconsistent,
    TermNearMiss,
    NumberMismatch,
    Untranslated,
    Quotes,
    TermArchive,
}

/// How serious a finding is. Only `error` makes `check` exit 1.
///
/// Ordered by seriousness: `Info < Warning < Error`, so the most severe of
/// several is their `max()`, and `sort_by_key(|s| std::cmp::Reverse(s))`
/// (or [`Severity::MOST_SEVERE_FIRST`]) lists the most severe first.
/// Serialized as `"info"`, `"warning"`, `"error"` (its [`Severity::name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    /// Every severity, the most severe first: the order of summaries and of
    /// lists of findings.
    pub const MOST_SEVERE_FIRST: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    /// The contract name (`error`, `warning`, `info`), as in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One row of the table of checks. Serializes as the contract of
/// `check --list --format json`: exactly
/// `{"id": "…", "severity": "error|warning|info", "description": "…"}`.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Check {
    /// The typed handle; the same as the row's position in [`CHECKS`].
    #[serde(skip)]
    pub check: CheckId,
    /// The contract id (`term-missing`, …): kept in accept lists and JSON.
    pub id: &'static str,
    /// The severity of a finding about a term not flagged `ambiguous` (an
    /// ambiguous term's findings are always `info`).
    pub severity: Severity,
    pub description: &'static str,
    /// The function that runs it.
    #[serde(skip)]
    pub(crate) run: Run,
}

/// How a check runs.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Run {
    /// Looks at one bead (or unit) at a time: pushes what it finds there.
    EachPair(fn(&CheckedPair, &mut Shared, &mut Vec<FoundAt>)),
    /// Sees every bead (or unit), then reports on the whole document or
    /// memory: makes the check's state for one run.
    Document(fn() -> Box<dyn DocumentCheck>),
}

/// The checks, their ids and severities (Translate Toolkit's pofilter
/// style), in [`CheckId`] order.
pub const CHECKS: &[Check] = &[
    Check {
        check: CheckId::TermMissing,
        id: "term-missing",
        severity: Severity::Error,
        description: "a glossary term in the source has none of its approved or accepted renderings in the translation",
        run: Run::EachPair(terms::missing),
    },
    Check {
        check: CheckId::TermForbidden,
        id: "term-forbidden",
        severity: Severity::Error,
        description: "a forbidden rendering of a glossary term is in the translation",
        run: Run::EachPair(terms::forbidden),
    },
    Check {
        check: CheckId::TermInconsistent,
        id: "term-inconsistent",
        severity: Severity::Warning,
        description: "a term is rendered in different ways across the document or memory (a long form at first mention followed by the approved short form is fine)",
        run: Run::Document(terms::RenderingUsage::start),
    },
    Check {
        check: CheckId::TermNearMiss,
        id: "term-near-miss",
        severity: Severity::Warning,
        description: "a word close to a glossary name but not equal to it, on either side (a likely misspelling)",
        run: Run::EachPair(near_miss::near_misses),
    },
    Check {
        check: CheckId::NumberMismatch,
        id: "number-mismatch",
        severity: Severity::Error,
        description: "the numbers differ between source and translation (after folding Arabic-Indic digits)",
        run: Run::EachPair(text::numbers_check),
    },
    Check {
        check: CheckId::Untranslated,
        id: "untranslated",
        severity: Severity::Warning,
        description: "Arabic script left in the translation",
        run: Run::EachPair(text::untranslated),
    },
    Check {
        check: CheckId::Quotes,
        id: "quotes",
        severity: Severity::Warning,
        description: "unbalanced quotation marks or brackets in the translation",
        run: Run::EachPair(text::quotes),
    },
    Check {
        check: CheckId::TermArchive,
        id: "term-archive",
        severity: Severity::Warning,
        description: "a name no glossary lists, which the project's memory always renders one way (in at least 3 units), is rendered another way",
        run: Run::EachPair(archive::without_archive),
    },
];

/// The table of checks (the same as [`CHECKS`]).
pub fn table() -> &'static [Check] {
    CHECKS
}

impl CheckId {
    /// The check's row in [`CHECKS`].
    pub fn row(self) -> &'static Check {
        &CHECKS[self as usize]
    }

    /// The contract id (`term-missing`, …).
    pub fn id(self) -> &'static str {
        self.row().id
    }

    /// The check with this contract id.
    pub fn from_id(id: &str) -> Option<CheckId> {
        CHECKS.iter().find(|c| c.id == id).map(|c| c.check)
    }

    /// The severity from [`CHECKS`].
    pub fn severity(self) -> Severity {
        self.row().severity
    }
}

/// Every check id, comma-separated (for messages naming the valid ones).
pub fn known_ids() -> String {
    CHECKS.iter().map(|c| c.id).collect::<Vec<_>>().join(", ")
}

impl std::fmt::Display for CheckId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl serde::Serialize for CheckId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// One problem found. Spans (`source_span`, `target_span`) are 0-based,
/// end-exclusive UTF-8 byte offsets into the bead's (or unit's) source or
/// target text — the text as `check` reads it: the bead's sentences joined
/// with one space ([`crate::pair::join_sentences`]). `source_chars` and
/// `target_chars` are the same spans in Unicode scalar values (what Python's
/// `str` and JavaScript's `Array.from` index), for scripts. Bead indices
/// (`bead`, `beads`) are 0-based as in the beads file; people read them from 1.
/// The fields are listed in `docs/json.md`.
///
/// Built only by `Finding::new`, so every finding's severity and accept id
/// are made the same way.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Finding {
    pub check: CheckId,
    pub severity: Severity,
    /// 0-based bead index as in `align --format beads` (`None` with `--tm`).
    pub bead: Option<usize>,
    /// UTF-8 bytes, 0-based, end-exclusive, in the source text.
    pub source_span: Option<(usize, usize)>,
    /// UTF-8 bytes, 0-based, end-exclusive, in the target text.
    pub target_span: Option<(usize, usize)>,
    /// `source_span` in characters (Unicode scalar values), 0-based.
    pub source_chars: Option<(usize, usize)>,
    /// `target_span` in characters (Unicode scalar values), 0-based.
    pub target_chars: Option<(usize, usize)>,
    /// The glossary term (its Arabic source) the finding is about.
    pub term: Option<String>,
    /// What is wrong and what to change.
    pub message: String,
    /// Every bead a finding about several beads concerns.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub beads: Vec<usize>,
    /// The memory unit's tuid (with `--tm`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Every unit a finding about several units concerns.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<String>,
    /// The text the finding is about, as written.
    pub surface: String,
    /// What to write instead, when there is one answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// The key `dragoman accept` takes to silence this finding on later runs.
    pub id: String,
    /// The id an earlier version gave this finding, still honoured by the
    /// accept list (see [`SentenceHash::with_legacy_raw_hash`]). Not shown.
    #[serde(skip)]
    legacy_id: Option<String>,
}

impl Finding {
    /// The one constructor: a finding of `check` at `location`, in the
    /// sentence `sentence` hashes. Its severity is the check's, or `info`
    /// for a finding about an ambiguous term; its accept id is
    /// `check|term|surface|sentence-hash`.
    pub(crate) fn new(
        check: CheckId,
        location: &Location,
        sentence: SentenceHash,
        found: FoundAt,
    ) -> Finding {
        let FoundAt {
            source_span,
            target_span,
            term,
            surface,
            message,
            suggestion,
            ambiguous_term,
            places,
            at_most,
        } = found;
        let (bead, unit) = match location {
            Location::Bead(i) => (Some(*i), None),
            Location::Unit(u) => (None, Some(u.clone())),
        };
        let mut beads = Vec::new();
        let mut units: Vec<String> = Vec::new();
        // A set beside the list: a memory-wide finding may name 100,000 units.
        let mut seen_units = std::collections::HashSet::new();
        for place in places {
            match place {
                Location::Bead(i) => beads.push(i),
                Location::Unit(t) => {
                    if seen_units.insert(t.clone()) {
                        units.push(t);
                    }
                }
            }
        }
        beads.sort_unstable();
        beads.dedup();
        let id_with = |hash: u64| accept::id_of(check, term.as_deref(), &surface, hash);
        Finding {
            check,
            severity: if ambiguous_term {
                Severity::Info
            } else {
                at_most.map_or(check.severity(), |most| most.min(check.severity()))
            },
            bead,
            source_span,
            target_span,
            // Set by the runner, which has the text.
            source_chars: None,
            target_chars: None,
            id: id_with(sentence.hash),
            legacy_id: sentence.legacy.map(id_with),
            term,
            message,
            beads,
            unit,
            units,
            surface,
            suggestion,
        }
    }

    /// The ids the accept list matches this finding by: its id, then the
    /// one an earlier version gave it, if any.
    pub(crate) fn accept_ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.legacy_id.as_deref())
    }
}

/// Counts of findings per severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

/// The result of a check run.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub summary: Summary,
    /// Findings silenced by the accept list.
    pub accepted: usize,
}

impl Report {
    fn new(mut findings: Vec<Finding>) -> Report {
        findings.dedup_by(|a, b| {
            a.check == b.check
                && a.bead == b.bead
                && a.unit == b.unit
                && a.source_span == b.source_span
                && a.target_span == b.target_span
                && a.term == b.term
        });
        let mut report = Report { findings, summary: Summary::default(), accepted: 0 };
        report.count();
        report
    }

    fn count(&mut self) {
        let mut summary = Summary::default();
        for finding in &self.findings {
            match finding.severity {
                Severity::Error => summary.error += 1,
                Severity::Warning => summary.warning += 1,
                Severity::Info => summary.info += 1,
            }
        }
        self.summary = summary;
    }

    /// Drops the findings the accept list silences (counted in `accepted`).
    pub fn apply_accepted(mut self, list: &accept::AcceptList) -> Report {
        let before = self.findings.len();
        self.findings.retain(|f| !list.accepts(f));
        self.accepted += before - self.findings.len();
        self.count();
        self
    }

    pub fn has_errors(&self) -> bool {
        self.summary.error > 0
    }
}

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Look for near misses of glossary names (the costliest check).
    pub near_miss: bool,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions { near_miss: true }
    }
}

impl CheckOptions {
    /// Whether `check` runs with these options.
    pub fn runs(&self, check: CheckId) -> bool {
        check != CheckId::TermNearMiss || self.near_miss
    }
}

/// Where a checked pair of texts sits: a bead of a document, or a memory unit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Location {
    Bead(usize),
    Unit(String),
}

/// A source text and its translation, with the terms found in them.
pub(crate) struct CheckedPair<'a> {
    pub location: Location,
    pub source: &'a str,
    pub target: &'a str,
    pub arabic: Vec<crate::glossary::TermMatch>,
    pub english: Vec<crate::glossary::EnglishMatch>,
}

/// What the checks of one run share: the glossary, and what is costly to
/// build and built once, when a check first asks for it.
pub(crate) struct Shared<'a> {
    pub entries: &'a [Entry],
    near_miss: Option<(NearMissIndex, near_miss::Cache)>,
    forbidden_keys: Option<HashMap<String, Vec<usize>>>,
}

impl<'a> Shared<'a> {
    pub fn new(entries: &'a [Entry]) -> Shared<'a> {
        Shared { entries, near_miss: None, forbidden_keys: None }
    }

    /// Every forbidden English form (its comparison key) and the entries
    /// forbidding it: built once, since an entry may forbid 100,000 forms.
    pub fn forbidden_keys(&mut self) -> &HashMap<String, Vec<usize>> {
        let entries = self.entries;
        self.forbidden_keys.get_or_insert_with(|| {
            let mut keys: HashMap<String, Vec<usize>> = HashMap::new();
            for (index, entry) in entries.iter().enumerate() {
                for form in &entry.forbidden {
                    let owners = keys.entry(crate::glossary::english_key(form)).or_default();
                    if owners.last() != Some(&index) {
                        owners.push(index);
                    }
                }
            }
            keys
        })
    }

    /// The index of glossary names and the cache of answers of `term-near-miss`.
    pub fn near_miss(&mut self) -> (&NearMissIndex, &mut near_miss::Cache) {
        let entries = self.entries;
        let (index, cache) =
            self.near_miss.get_or_insert_with(|| (NearMissIndex::new(entries), near_miss::Cache::default()));
        (index, cache)
    }
}

/// The particulars of a finding, before it is located: what a check
/// function reports.
#[derive(Debug, Clone, Default)]
pub(crate) struct FoundAt {
    pub source_span: Option<(usize, usize)>,
    pub target_span: Option<(usize, usize)>,
    pub term: Option<String>,
    pub surface: String,
    pub message: String,
    pub suggestion: Option<String>,
    /// About a term flagged `ambiguous` (it may be a common word here): the
    /// finding is only `info`.
    pub ambiguous_term: bool,
    /// Every bead or unit a finding about several of them concerns.
    pub places: Vec<Location>,
    /// The finding is at most this severe (weaker evidence than the check's
    /// usual: a number stated on one side only is a warning).
    pub at_most: Option<Severity>,
}

/// A check over the whole document (or memory): sees each bead (or unit)
/// in order, then reports.
pub(crate) trait DocumentCheck {
    fn see(&mut self, pair: &CheckedPair);
    fn findings(self: Box<Self>, shared: &Shared) -> Vec<Located>;
}

/// A finding of a document check, with where it belongs and the sentence
/// its accept id hashes.
#[derive(Debug)]
pub(crate) struct Located {
    pub location: Location,
    pub sentence: SentenceHash,
    pub found: FoundAt,
    /// `found.target_span` in characters, recorded while the text was seen.
    pub target_chars: Option<(usize, usize)>,
}

/// Checks every bead of an aligned article (and term consistency across it).
pub fn run_checks(pair: &ArticlePair, recognizer: &Recognizer, options: &CheckOptions) -> Report {
    let beads = pair
        .alignment
        .beads
        .iter()
        .enumerate()
        .map(|(i, bead)| (Location::Bead(i), pair.source_of(bead), pair.target_of(bead)));
    run(beads, recognizer, options)
}

/// Checks every unit of a memory, given as `(tuid, source, target)`, and
/// term consistency across the memory.
pub fn run_checks_tm(
    units: impl Iterator<Item = (String, String, String)>,
    recognizer: &Recognizer,
    options: &CheckOptions,
) -> Report {
    run(units.map(|(tuid, source, target)| (Location::Unit(tuid), source, target)), recognizer, options)
}

fn run(
    items: impl Iterator<Item = (Location, String, String)>,
    recognizer: &Recognizer,
    options: &CheckOptions,
) -> Report {
    let mut shared = Shared::new(recognizer.entries());
    let checks: Vec<&Check> = CHECKS.iter().filter(|c| options.runs(c.check)).collect();
    let mut documents: Vec<(CheckId, Box<dyn DocumentCheck>)> = checks
        .iter()
        .filter_map(|c| match c.run {
            Run::Document(start) => Some((c.check, start())),
            Run::EachPair(_) => None,
        })
        .collect();
    let mut findings = Vec::new();
    let mut found = Vec::new();
    // Findings sort by where they are (item order), then by position.
    let mut order: HashMap<(Option<usize>, Option<String>), usize> = HashMap::new();
    for (index, (location, source, target)) in items.enumerate() {
        let checked = CheckedPair {
            arabic: recognizer.find_arabic(&source),
            english: recognizer.find_english(&target),
            location,
            source: &source,
            target: &target,
        };
        let first = findings.len();
        // Hashed once per item, not once per finding: a paragraph may hold
        // thousands of findings, and each hash normalizes the whole text.
        let (mut source_hash, mut target_hash) = (None, None);
        for check in &checks {
            let Run::EachPair(run_on) = check.run else { continue };
            run_on(&checked, &mut shared, &mut found);
            cap_findings(&mut found, &checked.location);
            for particulars in found.drain(..) {
                // The sentence the finding is in: the target when it has a
                // target span, else the source.
                let sentence = if particulars.target_span.is_some() {
                    *target_hash.get_or_insert_with(|| SentenceHash::of(checked.target))
                } else {
                    *source_hash.get_or_insert_with(|| SentenceHash::of(checked.source))
                };
                let mut finding = Finding::new(check.check, &checked.location, sentence, particulars);
                finding.source_chars = finding.source_span.and_then(|s| char_span(checked.source, s));
                finding.target_chars = finding.target_span.and_then(|s| char_span(checked.target, s));
                findings.push(finding);
            }
        }
        for (_, document) in &mut documents {
            document.see(&checked);
        }
        findings[first..].sort_by_key(|f| {
            (f.source_span.or(f.target_span).map_or(0, |s| s.0), f.target_span.is_some(), f.check)
        });
        let key = match &checked.location {
            Location::Bead(i) => (Some(*i), None),
            Location::Unit(u) => (None, Some(u.clone())),
        };
        order.insert(key, index);
    }
    for (check, document) in documents {
        for Located { location, sentence, found, target_chars } in document.findings(&shared) {
            // The text is gone by now: the check recorded the character span.
            let mut finding = Finding::new(check, &location, sentence, found);
            finding.target_chars = target_chars;
            findings.push(finding);
        }
    }
    // Place each consistency finding with the first item it points at.
    findings.sort_by_key(|f| order.get(&(f.bead, f.unit.clone())).copied().unwrap_or(usize::MAX));
    Report::new(findings)
}

/// The most findings of one check listed for one bead or unit: a
/// 10 MB paragraph of numbers would otherwise make a million findings (and
/// the report hundreds of MB). The last one listed counts the rest.
pub const MAX_FINDINGS_PER_ITEM: usize = 100;

fn cap_findings(found: &mut Vec<FoundAt>, location: &Location) {
    if found.len() <= MAX_FINDINGS_PER_ITEM {
        return;
    }
    let more = found.len() - MAX_FINDINGS_PER_ITEM;
    found.truncate(MAX_FINDINGS_PER_ITEM);
    if let Some(last) = found.last_mut() {
        let place = match location {
            Location::Bead(_) => "bead",
            Location::Unit(_) => "unit",
        };
        last.message.push_str(&format!(" (and {more} more like it in this {place}, not listed)"));
    }
}

/// A byte span of `text` in characters (Unicode scalar values); `None`
/// off the text or off a character boundary.
pub(crate) fn char_span(text: &str, (start, end): (usize, usize)) -> Option<(usize, usize)> {
    let before = text.get(..start)?.chars().count();
    Some((before, before + text.get(start..end)?.chars().count()))
}

/// The hash in finding ids: [`crate::hash`]'s FNV-1a over each part and a
/// NUL after it (kept in users' accept lists, so its values are pinned).
pub(crate) fn stable_hash(parts: &[&str]) -> u64 {
    let mut hash = crate::hash::Fnv1a::new();
    for part in parts {
        hash.write_part(part);
    }
    hash.finish()
}

/// The comparison key of a piece of text in accept keys and messages.
pub(crate) fn key_of(text: &str) -> String {
    match_key(text)
}

#[cfg(test)]
mod tests;
