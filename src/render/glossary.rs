//! `glossary list`, `lint`, `drift` and `suggest` as text.

use std::fmt::Write as _;

use super::{Message, Style};
use crate::glossary::Entry;
use crate::glossary::lint::LintProblem;
use crate::terminology::{DriftedName, Suggestion};
use crate::workflow::glossary::GlossaryImport;

/// `glossary list`: one entry a line, tab-separated (source, target, type,
/// then variants, accepted and forbidden forms and `(ambiguous)` when present).
pub fn entries(entries: &[&Entry]) -> String {
    let mut out = String::new();
    for entry in entries {
        let _ = write!(out, "{}\t{}\t{}", entry.source, entry.target, entry.kind);
        for (label, forms) in
            [("variants", &entry.variants), ("accepted", &entry.accepted), ("forbidden", &entry.forbidden)]
        {
            if !forms.is_empty() {
                let _ = write!(out, "\t{label}: {}", forms.join(", "));
            }
        }
        if entry.ambiguous {
            out.push_str("\t(ambiguous)");
        }
        out.push('\n');
    }
    out
}

/// `glossary lint`: one problem a line (`file:line: severity: kind: message`).
pub fn lint_problems(problems: &[LintProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("{}: {}: {}: {}\n", p.location, p.severity.name(), p.kind.name(), p.message))
        .collect()
}

/// `glossary drift`: each name (with its approved rendering), then each
/// rendering with its units, days, documents and an example unit.
pub fn drift(drifted: &[DriftedName], style: &Style) -> String {
    let mut out = String::new();
    for name in drifted {
        let approved = name.approved.as_deref().map(|a| format!(" (approved: {a})")).unwrap_or_default();
        let _ = writeln!(out, "{}{approved}", style.shown(&name.term));
        for r in &name.renderings {
            let days = match (&r.first, &r.last) {
                (Some(first), Some(last)) => format!(", {first} – {last}"),
                _ => String::new(),
            };
            let documents = style.shown(&r.documents.join(", "));
            let _ = writeln!(out, "  {:<24} {} unit(s){days}: {documents}", style.shown(&r.text), r.units);
            let _ = writeln!(out, "      ar: {}", style.shown(&r.example.source));
            let _ = writeln!(out, "      en: {}", style.shown(&r.example.target));
        }
    }
    out
}

/// `glossary suggest`: one candidate a line: the name, its renderings with
/// their unit counts, the confidence and the type, tab-separated.
pub fn suggestions(suggestions: &[Suggestion], style: &Style) -> String {
    let mut out = String::new();
    for s in suggestions {
        let renderings: Vec<String> =
            s.renderings.iter().map(|r| format!("{} ({})", r.text, r.units)).collect();
        let line = format!("{}\t{}\t{:.2}\t{}", s.term, renderings.join(", "), s.confidence, s.kind);
        out.push_str(&style.shown(&line));
        out.push('\n');
    }
    out
}

/// `glossary import`: each entry skipped (warnings), what was imported, then
/// lint's problems with the imported entries (warnings).
pub fn imported(imported: &GlossaryImport) -> Vec<Message> {
    let mut messages: Vec<Message> = imported
        .skipped
        .iter()
        .map(|skipped| {
            Message::Warning(format!("{}:{}: skipped: {}", imported.name, skipped.line, skipped.reason))
        })
        .collect();
    messages.push(Message::Note(format!(
        "dragoman: imported {} entries ({}) into {}",
        imported.entries,
        imported.format,
        imported.written.display()
    )));
    for problem in &imported.problems {
        messages.push(Message::Warning(format!("{}: {}", problem.kind.name(), problem.message)));
    }
    messages
}
