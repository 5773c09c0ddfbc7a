//! `check` and `accept` as text: the findings grouped by bead or unit with
//! both texts and the spans marked (also what `ingest` prints), the table
//! of checks, the accept list.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use super::{Style, Tone};
use crate::check::accept::AcceptList;
use crate::check::{CHECKS, Finding, Report, Severity};
use crate::pair::ArticlePair;
use crate::workflow::check::CheckedUnit;

fn tone(severity: Severity) -> Tone {
    match severity {
        Severity::Error => Tone::Error,
        Severity::Warning => Tone::Warning,
        Severity::Info => Tone::Info,
    }
}

/// An article's findings, grouped by bead: each bead labelled with its
/// number and its sentences' (from 1), then the totals.
pub fn article_findings(report: &Report, pair: &ArticlePair, style: &Style) -> String {
    let cells = bead_texts(pair);
    let texts: Vec<(String, &str, &str)> =
        cells.iter().map(|(label, s, t)| (label.clone(), s.as_str(), t.as_str())).collect();
    findings(report, &texts, |f| f.bead, style)
}

/// A memory's findings, grouped by unit (labelled with its tuid), then the totals.
pub fn memory_findings(report: &Report, units: &[CheckedUnit], style: &Style) -> String {
    let texts: Vec<(String, &str, &str)> =
        units.iter().map(|u| (format!("unit {}", u.tuid), &*u.source, &*u.target)).collect();
    let index: HashMap<&str, usize> = units.iter().enumerate().map(|(i, u)| (u.tuid.as_str(), i)).collect();
    findings(report, &texts, |f| f.unit.as_deref().and_then(|u| index.get(u).copied()), style)
}

/// Each bead of an article pair: a label (numbered from 1, its sentences
/// too), its source and its target.
fn bead_texts(pair: &ArticlePair) -> Vec<(String, String, String)> {
    let list = |v: &[usize]| {
        if v.is_empty() {
            "-".to_string()
        } else {
            v.iter().map(|i| (i + 1).to_string()).collect::<Vec<_>>().join(",")
        }
    };
    pair.alignment
        .beads
        .iter()
        .enumerate()
        .map(|(i, bead)| {
            let label =
                format!("bead {} (source {} ↔ target {})", i + 1, list(&bead.source), list(&bead.target));
            (label, pair.source_of(bead), pair.target_of(bead))
        })
        .collect()
}

/// The findings grouped by bead or unit (`group` gives a finding's index
/// into `texts`, each a label, the source and the target) with both texts
/// and the spans marked, each finding with how to accept it, then the totals.
fn findings(
    report: &Report,
    texts: &[(String, &str, &str)],
    group: impl Fn(&Finding) -> Option<usize>,
    style: &Style,
) -> String {
    let mut out = String::new();
    let mut groups: BTreeMap<usize, Vec<&Finding>> = BTreeMap::new();
    for finding in &report.findings {
        groups.entry(group(finding).unwrap_or(usize::MAX)).or_default().push(finding);
    }
    for (bead, findings) in groups {
        let (label, source, target) = match texts.get(bead) {
            Some((label, s, t)) => (label.as_str(), *s, *t),
            None => ("(not located)", "", ""),
        };
        let _ = writeln!(out, "{}", style.paint(label, Tone::Info));
        let marks = |side: fn(&Finding) -> Option<(usize, usize)>| -> Vec<((usize, usize), Tone)> {
            findings.iter().filter_map(|f| side(f).map(|s| (s, tone(f.severity)))).collect()
        };
        let _ = writeln!(out, "  ar: {}", style.excerpt(source, &marks(|f| f.source_span), 240, 60));
        let _ = writeln!(out, "  en: {}", style.excerpt(target, &marks(|f| f.target_span), 240, 60));
        for finding in findings {
            let severity = style.paint(finding.severity.name(), tone(finding.severity));
            let _ = writeln!(out, "  {severity} {}: {}", finding.check, style.shown(&finding.message));
            if finding.units.len() > 1 {
                let _ = writeln!(out, "      units: {}", style.shown(&finding.units.join(", ")));
            }
            if finding.beads.len() > 1 {
                let list: Vec<String> = finding.beads.iter().map(|b| (b + 1).to_string()).collect();
                let _ = writeln!(out, "      beads: {}", list.join(", "));
            }
            let id = style.shown(&finding.id.replace('\'', "'\\''"));
            let _ = writeln!(out, "      to accept: dragoman accept '{id}'");
        }
        out.push('\n');
    }
    let s = &report.summary;
    let _ = write!(out, "{} error(s), {} warning(s), {} info", s.error, s.warning, s.info);
    if report.accepted > 0 {
        let _ = write!(out, " ({} accepted finding(s) not shown)", report.accepted);
    }
    out.push('\n');
    out
}

/// `check --list`: one check a line (id, severity, description).
pub fn check_table() -> String {
    let mut out = String::new();
    for row in CHECKS {
        let _ = writeln!(out, "{:<18} {:<8} {}", row.id, row.severity, row.description);
    }
    out
}

/// `accept --list --format json`: `{"accepted": [{id, check, description,
/// term, surface, everywhere, context, note, accepted}]}` (a contract).
pub fn accept_list_json(list: &AcceptList) -> String {
    let accepted: Vec<serde_json::Value> = list
        .acceptances
        .iter()
        .map(|a| {
            serde_json::json!({
                "id": a.id(), "check": a.check, "description": a.check.row().description,
                "term": a.term, "surface": a.surface, "everywhere": a.context.is_none(),
                "context": a.context, "note": a.note, "accepted": a.accepted,
            })
        })
        .collect();
    super::json(&serde_json::json!({ "accepted": accepted }))
}

/// `accept --list`: each acceptance's check, what it accepts, where, when,
/// its note and id, then the count.
pub fn accept_list(list: &AcceptList, style: &Style) -> String {
    let mut out = String::new();
    for a in &list.acceptances {
        let term = if a.term.is_empty() { String::new() } else { format!("{} → ", style.shown(&a.term)) };
        let scope = if a.context.is_some() { "in one sentence" } else { "everywhere" };
        let when = a
            .accepted
            .as_deref()
            .map(|d| format!(", accepted {}", d.replace('T', " ").replace('Z', " UTC")))
            .unwrap_or_default();
        let surface = style.shown(&a.surface);
        let _ = writeln!(out, "{}: {term}{surface} ({scope}{when})", style.paint(a.check.id(), Tone::Info));
        let _ = writeln!(out, "  {}", a.check.row().description);
        if !a.note.is_empty() {
            let _ = writeln!(out, "  note: {}", style.shown(&a.note));
        }
        let _ = writeln!(out, "  id: {}", style.shown(&a.id()));
    }
    let _ = writeln!(out, "{} accepted finding(s)", list.acceptances.len());
    out
}
