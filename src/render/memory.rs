//! `tm …` as text: what an import or an add did, statistics, documents,
//! lookups (one sentence or a whole file) and concordances.

use std::fmt::Write as _;

use super::{Message, Style, Tone};
use crate::memory::lookup::differing_words;
use crate::memory::{
    ConcordanceHit, DocumentRecord, FuzzyMatch, ImportReport, Stats, shown_source, shown_time,
};
use crate::workflow::memory::{FileLookup, MemoryReport, SentenceLookup};

/// `tm import`: per file, each skipped unit and unit without both
/// languages (warnings), then what was imported; last, the memory's size.
pub fn imported(report: &ImportReport, memory: &str, units: u64) -> Vec<Message> {
    let mut messages = Vec::new();
    for file in &report.files {
        for error in &file.skipped {
            messages.push(Message::Warning(format!("skipped a bad unit: {error}")));
        }
        for issue in &file.language_issues {
            let tuid = issue.tuid.as_deref().map(|t| format!(" (tuid {t})")).unwrap_or_default();
            messages.push(Message::Warning(format!(
                "{}: unit {}{tuid}: {}",
                file.name, issue.position, issue.message
            )));
        }
        if file.skipped_total > file.skipped.len() {
            let more = file.skipped_total - file.skipped.len();
            messages.push(Message::Warning(format!("… and {more} more bad units")));
        }
        let mut notes = Vec::new();
        if file.skipped_total > 0 {
            notes.push(format!("{} bad units skipped", file.skipped_total));
        }
        if file.already_present > 0 {
            notes.push(format!("{} already in the memory", file.already_present));
        }
        if !file.language_issues.is_empty() {
            notes.push(format!("{} that cannot be matched", file.language_issues.len()));
        }
        let notes = if notes.is_empty() { String::new() } else { format!(" ({})", notes.join(", ")) };
        messages.push(Message::Note(format!("{}: imported {} units{notes}", file.name, file.imported)));
    }
    messages.push(Message::Note(format!("{memory}: now {units} units")));
    messages
}

/// `tm add`: each bead not stored (warnings), then what was stored.
pub fn added(report: &MemoryReport) -> Vec<Message> {
    let mut messages: Vec<Message> = report
        .not_stored
        .iter()
        .map(|bead| {
            Message::Warning(format!("bead {} not stored: {}: {}", bead.bead, bead.reason, bead.text))
        })
        .collect();
    let mut also = String::new();
    if report.unchanged > 0 {
        also += &format!(", {} already present", report.unchanged);
    }
    if report.removed > 0 {
        also += &format!(" (removed {} stale)", report.removed);
    }
    if !report.not_stored.is_empty() {
        also += &format!("; {} beads skipped", report.not_stored.len());
    }
    messages.push(Message::Note(format!(
        "{}: stored {} units in {}{also}",
        report.name, report.added, report.path
    )));
    messages
}

/// `tm stats`: a summary for people.
pub fn stats(stats: &Stats) -> String {
    let mut out = String::new();
    let (size, index) = (human_bytes(stats.size_bytes), human_bytes(stats.index_bytes));
    let _ = writeln!(out, "memory     {} ({size}, index {index})", stats.path);
    let _ = writeln!(out, "units      {}", stats.units);
    if stats.unmatchable > 0 {
        let _ = writeln!(out, "           {} lack an Arabic or English variant", stats.unmatchable);
    }
    let languages: Vec<String> = stats.languages.iter().map(|(l, n)| format!("{l} {n}")).collect();
    let _ = writeln!(out, "languages  {}", languages.join(", "));
    let documents: Vec<String> =
        stats.documents.iter().map(|d| format!("{} ({})", d.name, d.units)).collect();
    let listed = if documents.is_empty() { String::new() } else { format!(": {}", documents.join(", ")) };
    let _ = writeln!(out, "documents  {}{listed}", stats.documents.len());
    if let (Some(first), Some(last)) = (&stats.first_date, &stats.last_date) {
        let _ = writeln!(out, "dates      {first} – {last}");
    }
    out
}

/// A size as people read it (bytes, kB, MB, GB; powers of 1,024).
pub fn human_bytes(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GB", b as f64 / f64::from(1u32 << 30)),
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / f64::from(1u32 << 20)),
        b if b >= 1 << 10 => format!("{:.1} kB", b as f64 / 1024.0),
        b => format!("{b} bytes"),
    }
}

/// `tm documents --format json`: `{"documents": [...]}` (a contract).
pub fn documents_json(documents: &[DocumentRecord]) -> String {
    #[derive(serde::Serialize)]
    struct Documents<'a> {
        documents: &'a [DocumentRecord],
    }
    super::json(&Documents { documents })
}

/// `tm documents`: each document's name and title, then its units, date,
/// source file and when it was ingested; then the count.
pub fn documents(documents: &[DocumentRecord], style: &Style) -> String {
    let mut out = String::new();
    for document in documents {
        let title = document.title.as_deref().map(|t| format!("  {t}")).unwrap_or_default();
        let _ = writeln!(out, "{}{}", document.name, style.shown(&title));
        let mut about =
            vec![format!("{} {}", document.units, if document.units == 1 { "unit" } else { "units" })];
        about.extend(document.date.as_ref().map(|d| format!("dated {d}")));
        match (&document.source_file, &document.ingested) {
            (Some(source), Some(at)) => {
                about.push(format!("from {}", shown_source(source)));
                about.push(format!("ingested {}", shown_time(at)));
            }
            (None, Some(at)) => about.push(format!("source not known, ingested {}", shown_time(at))),
            // Imported from TMX, or stored before the memory recorded documents.
            (_, None) => about.push("source not known".to_string()),
        }
        let _ = writeln!(out, "    {}", style.shown(&about.join(" · ")));
    }
    let _ =
        writeln!(out, "{} {}", documents.len(), if documents.len() == 1 { "document" } else { "documents" });
    out
}

/// `tm lookup TEXT`: per match its score, its source with the words that
/// differ from the query marked (within the matching sentence of a longer
/// unit), its target and where it comes from.
pub fn matches(query: &str, matches: &[FuzzyMatch], style: &Style) -> String {
    let mut out = String::new();
    for m in matches {
        // Within the matching sentence of a longer unit: the others are
        // not differences, they are more than the query.
        let (from, until) = m
            .part
            .filter(|p| m.source.get(p.start..p.end).is_some())
            .map_or((0, m.source.len()), |p| (p.start, p.end));
        let differing: Vec<((usize, usize), Tone)> = differing_words(query, &m.source[from..until])
            .into_iter()
            .map(|(s, e)| ((from + s, from + e), Tone::Hit))
            .collect();
        let score = if m.exact { "100% exact".to_string() } else { format!("{}%", m.score) };
        let _ = writeln!(out, "{score:>10}  {}", style.excerpt(&m.source, &differing, usize::MAX, 0));
        let _ = writeln!(out, "{:>10}  {}", "", style.shown(&m.target));
        let mut about = Vec::new();
        if let Some(part) = &m.part {
            about.push(format!("part of a {}-sentence unit (sentence {})", part.sentences, part.sentence));
        }
        if let Some(tuid) = &m.tuid {
            about.push(format!("tuid {tuid}"));
        }
        if let Some(doc) = &m.doc {
            about.push(format!("doc {doc}"));
        }
        if m.count > 1 {
            about.push(format!("{} identical units", m.count));
        }
        if !about.is_empty() {
            let _ = writeln!(out, "{:>10}  {}", "", style.dim(&style.shown(&about.join(" · "))));
        }
    }
    out
}

/// `tm lookup --file`: each sentence numbered with its matches, then how
/// many sentences matched how well.
pub fn file_lookup(lookup: &FileLookup, style: &Style) -> String {
    let summary = &lookup.summary;
    let mut out = String::new();
    for (i, SentenceLookup { query, matches: found }) in lookup.results.iter().enumerate() {
        let _ = writeln!(out, "[{}] {}", i + 1, style.shown(query));
        if found.is_empty() {
            out.push_str("      no match\n");
        } else {
            out.push_str(&matches(query, found, style));
        }
        out.push('\n');
    }
    let below =
        if summary.below_70 > 0 { format!("{} below 70%, ", summary.below_70) } else { String::new() };
    let _ = writeln!(
        out,
        "{} sentences: {} exact, {} ≥ 85%, {} ≥ 70%, {below}{} no match",
        summary.segments, summary.exact, summary.at_least_85, summary.at_least_70, summary.no_match
    );
    out
}

/// `tm concordance`: each unit's id and source with the term marked in
/// context, then its translation around the term's likely rendering.
pub fn concordance(hits: &[ConcordanceHit], style: &Style) -> String {
    let mut out = String::new();
    for hit in hits {
        let spans: Vec<((usize, usize), Tone)> = hit.spans.iter().map(|&s| (s, Tone::Hit)).collect();
        let id = format!("#{}", hit.id);
        let _ = writeln!(out, "{id:>8}  {}", style.excerpt(&hit.source, &spans, 120, 60));
        // The translation around the words most likely to render the hit,
        // marked: not a cut from its start.
        let rendering: Vec<((usize, usize), Tone)> = hit.rendering.iter().map(|&s| (s, Tone::Info)).collect();
        // As wide as a cut from the start was (158 characters).
        let marked = hit.rendering.map_or(0, |(s, e)| hit.target.get(s..e).map_or(0, |w| w.chars().count()));
        let radius = 150usize.saturating_sub(marked) / 2;
        let _ = writeln!(out, "{:>8}  {}", "", style.excerpt(&hit.target, &rendering, 158, radius.max(8)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_switch_unit_at_each_power_of_1024() {
        assert_eq!(human_bytes(1023), "1023 bytes");
        assert_eq!(human_bytes(1024), "1.0 kB");
        assert_eq!(human_bytes(5 << 20), "5.0 MB");
        assert_eq!(human_bytes(3 << 29), "1.5 GB");
    }
}
