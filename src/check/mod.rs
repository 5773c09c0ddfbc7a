//! Quality checks of a translation: terminology, numbers, untranslated
//! text, quotes.
//!
//! Owns: the table of checks ([`CHECKS`]: ids and severities are a
//! contract), [`Finding`] and [`Report`], running the checks over aligned
//! beads ([`run_checks`]) or memory units ([`run_checks_tm`]), and the accept
//! list ([`accept`]) that silences findings an editor has accepted.
//!
//! Pure: the caller reads files and prints.

pub mod accept;
mod near_miss;
mod terms;
mod text;

use std::collections::HashMap;

use crate::glossary::Recognizer;
use crate::normalize::match_key;
use crate::pair::ArticlePair;

pub use near_miss::NearMissIndex;

/// A check. The ids ([`CheckId::id`]) are a contract (JSON, accept list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CheckId {
    TermMissing,
    TermForbidden,
    TermInconsistent,
    TermNearMiss,
    NumberMismatch,
    Untranslated,
    Quotes,
}

/// How serious a finding is. Only `error` makes `check` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One row of the table of checks.
#[derive(Debug, Clone, Copy)]
pub struct CheckInfo {
    pub check: CheckId,
    /// The severity of a finding about a term not flagged `ambiguous` (an
    /// ambiguous term's findings are always `info`).
    pub severity: Severity,
    pub description: &'static str,
}

/// The checks, their ids and severities (Translate Toolkit's pofilter style).
pub const CHECKS: [CheckInfo; 7] = [
    CheckInfo {
        check: CheckId::TermMissing,
        severity: Severity::Error,
        description: "a glossary term in the source has none of its approved or accepted renderings in the translation",
    },
    CheckInfo {
        check: CheckId::TermForbidden,
        severity: Severity::Error,
        description: "a forbidden rendering of a glossary term is in the translation",
    },
    CheckInfo {
        check: CheckId::TermInconsistent,
        severity: Severity::Warning,
        description: "a term is rendered in different ways across the document or memory (a long form at first mention followed by the approved short form is fine)",
    },
    CheckInfo {
        check: CheckId::TermNearMiss,
        severity: Severity::Warning,
        description: "a word close to a glossary name but not equal to it, on either side (a likely misspelling)",
    },
    CheckInfo {
        check: CheckId::NumberMismatch,
        severity: Severity::Error,
        description: "the numbers differ between source and translation (after folding Arabic-Indic digits)",
    },
    CheckInfo {
        check: CheckId::Untranslated,
        severity: Severity::Warning,
        description: "Arabic script left in the translation",
    },
    CheckInfo {
        check: CheckId::Quotes,
        severity: Severity::Warning,
        description: "unbalanced quotation marks or brackets in the translation",
    },
];

impl CheckId {
    /// The contract id (`term-missing`, …).
    pub fn id(self) -> &'static str {
        match self {
            CheckId::TermMissing => "term-missing",
            CheckId::TermForbidden => "term-forbidden",
            CheckId::TermInconsistent => "term-inconsistent",
            CheckId::TermNearMiss => "term-near-miss",
            CheckId::NumberMismatch => "number-mismatch",
            CheckId::Untranslated => "untranslated",
            CheckId::Quotes => "quotes",
        }
    }

    pub fn from_id(id: &str) -> Option<CheckId> {
        CHECKS.iter().map(|c| c.check).find(|c| c.id() == id)
    }

    /// The severity from [`CHECKS`].
    pub fn severity(self) -> Severity {
        CHECKS.iter().find(|c| c.check == self).map_or(Severity::Warning, |c| c.severity)
    }
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

/// One problem found. Spans are UTF-8 byte offsets into the bead's (or
/// unit's) source or target text.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Finding {
    pub check: CheckId,
    pub severity: Severity,
    /// 0-based bead index as in `align --format beads` (`None` with `--tm`).
    pub bead: Option<usize>,
    pub source_span: Option<(usize, usize)>,
    pub target_span: Option<(usize, usize)>,
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

/// Where a checked pair of texts sits: a bead of a document, or a memory unit.
#[derive(Debug, Clone, PartialEq, Eq)]
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

impl CheckedPair<'_> {
    /// A finding located here. Its accept key hashes the sentence the
    /// finding is in: the target when it has a target span, else the source.
    pub fn finding(&self, check: CheckId, ambiguous: bool, found: FoundAt) -> Finding {
        let sentence = if found.target_span.is_some() { self.target } else { self.source };
        let (bead, unit) = match &self.location {
            Location::Bead(i) => (Some(*i), None),
            Location::Unit(u) => (None, Some(u.clone())),
        };
        let id = accept::finding_id(check, found.term.as_deref(), &found.surface, sentence);
        Finding {
            check,
            severity: if ambiguous { Severity::Info } else { check.severity() },
            bead,
            source_span: found.source_span,
            target_span: found.target_span,
            term: found.term,
            message: found.message,
            beads: Vec::new(),
            unit,
            units: Vec::new(),
            surface: found.surface,
            suggestion: found.suggestion,
            id,
        }
    }
}

/// The particulars of a finding, before it is located.
#[derive(Debug, Clone, Default)]
pub(crate) struct FoundAt {
    pub source_span: Option<(usize, usize)>,
    pub target_span: Option<(usize, usize)>,
    pub term: Option<String>,
    pub surface: String,
    pub message: String,
    pub suggestion: Option<String>,
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
    let near_miss = options.near_miss.then(|| NearMissIndex::new(recognizer.entries()));
    let mut near_miss_cache = near_miss::Cache::default();
    let mut usage = terms::RenderingUsage::default();
    let mut findings = Vec::new();
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
        terms::missing_and_forbidden(&checked, recognizer.entries(), &mut findings);
        usage.record(&checked);
        if let Some(index) = &near_miss {
            index.check(&checked, &mut near_miss_cache, &mut findings);
        }
        text::numbers_check(&checked, &mut findings);
        text::untranslated(&checked, &mut findings);
        text::quotes(&checked, &mut findings);
        findings[first..].sort_by_key(|f| {
            (f.source_span.or(f.target_span).map_or(0, |s| s.0), f.target_span.is_some(), f.check)
        });
        let key = match &checked.location {
            Location::Bead(i) => (Some(*i), None),
            Location::Unit(u) => (None, Some(u.clone())),
        };
        order.insert(key, index);
    }
    findings.extend(usage.inconsistencies(recognizer.entries()));
    // Place each consistency finding with the first item it points at.
    findings.sort_by_key(|f| order.get(&(f.bead, f.unit.clone())).copied().unwrap_or(usize::MAX));
    Report::new(findings)
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
mod hash_tests {
    use super::stable_hash;

    #[test]
    fn finding_id_hashes_are_pinned() {
        // Kept in users' accepted-findings.tsv: these values must never change.
        assert_eq!(stable_hash(&["الرقة"]), 0x5bf4_363e_fcca_7fe2);
        assert_eq!(stable_hash(&["a", "b"]), 0xab40_d782_0d40_8076);
    }
}
