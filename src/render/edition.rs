//! `publish` and `ingest` as text (the findings as `check` shows them, then
//! what was aligned, stored and written), and `prepare`'s summary of the
//! translator's kit.

use super::{Style, plural};
use crate::workflow::edition::EditionReport;
use crate::workflow::prepare::PrepareSummary;

/// `publish` and `ingest`: the findings as `check` prints them (when there
/// are any), a blank line, then the summary.
pub fn edition(report: &EditionReport, min_confidence: f64, style: &Style) -> String {
    let mut out = String::new();
    if !report.findings.findings.is_empty() {
        out = super::check::article_findings(&report.findings, &report.pair, style) + "\n";
    }
    out + &edition_summary(report, min_confidence)
}

/// What was aligned, found, stored and written, one fact a line.
pub fn edition_summary(report: &EditionReport, min_confidence: f64) -> String {
    let (pair, edition) = (&report.pair, &report.edition);
    let mut lines = vec![format!(
        "{}: {} source and {} target sentences in {} beads",
        pair.name,
        pair.source.len(),
        pair.target.len(),
        pair.alignment.beads.len()
    )];
    for warning in &pair.alignment.warnings {
        lines.push(format!("alignment warning: {warning}"));
    }
    let counts: Vec<String> =
        edition.count_by_severity().iter().map(|(s, n)| format!("{n} {}", plural(s.name(), *n))).collect();
    lines.push(format!("findings: {}", counts.join(", ")));
    let low: Vec<String> = report.low_confidence_beads().iter().map(usize::to_string).collect();
    if !low.is_empty() {
        lines.push(format!("low-confidence beads (below {min_confidence:.2}): {}", low.join(", ")));
    }
    if let Some(memory) = &report.memory {
        let mut also = String::new();
        if memory.unchanged > 0 {
            also += &format!(", {} already present", memory.unchanged);
        }
        if memory.removed > 0 {
            also += &format!(", {} from an earlier alignment removed", memory.removed);
        }
        let units = plural("unit", memory.added);
        lines.push(format!("memory: {} {units} added to {}{also}", memory.added, memory.path));
        for bead in &memory.not_stored {
            lines.push(format!("not stored: bead {}: {}", bead.bead, bead.reason));
        }
    }
    for path in &report.written {
        lines.push(format!("wrote {}", path.display()));
    }
    lines.join("\n") + "\n"
}

/// `prepare`: how the article's sentences match the memory (`min` is the
/// lowest fuzzy score offered), the names found, the time, the files written.
pub fn prepared(summary: &PrepareSummary, min: u8) -> String {
    let m = &summary.matches;
    let mut text = format!(
        "{}: {} sentences: {} exact, {} at 95-99 %, {} fuzzy (from {min} %), {} new; {} names; {:.2} s\n",
        summary.name, summary.sentences, m.exact, m.high, m.fuzzy, m.new, summary.names, summary.seconds
    );
    for path in &summary.written {
        text += &format!("wrote {path}\n");
    }
    text
}
