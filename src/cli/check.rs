//! `dragoman check` and `dragoman accept`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;

use super::article::{LoadedPair, PairInput, read_pair};
use super::glossary::GlossarySelection;
use super::{Context, DataFormat, Outcome};
use crate::align::Bead;
use crate::check::accept::{AcceptList, Acceptance};
use crate::check::{self, CheckId, CheckOptions, Finding, Report, Severity};
use crate::glossary::Recognizer;
use crate::lang::Lang;
use crate::memory::{LanguagePair, Memory};
use crate::textio;
use crate::tmx::TmxReader;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The Arabic source article.
    #[arg(required_unless_present = "tm")]
    source: Option<PathBuf>,
    /// The English translation.
    #[arg(required_unless_present = "tm")]
    target: Option<PathBuf>,
    #[command(flatten)]
    input: PairInput,
    #[command(flatten)]
    selection: GlossarySelection,
    #[arg(long, value_enum, default_value_t)]
    format: DataFormat,
    /// Check every unit of the translation memory (the project's, or PATH)
    /// instead of an article.
    #[arg(long, value_name = "PATH", num_args = 0..=1,
          conflicts_with_all = ["source", "target", "presegmented", "beads", "rules"])]
    tm: Option<Option<PathBuf>>,
    /// Skip near-miss detection (the slowest check).
    #[arg(long)]
    no_near_miss: bool,
}

#[derive(Debug, clap::Args)]
pub struct AcceptArgs {
    /// Finding ids as `check` prints them (`CHECK|TERM|SURFACE|CONTEXT`).
    #[arg(required_unless_present_any = ["check", "list"])]
    ids: Vec<String>,
    /// Accept it everywhere, not only in the sentence where it was found.
    #[arg(long)]
    everywhere: bool,
    /// Accept by fields instead of an id (always everywhere): the check id…
    #[arg(long, value_name = "CHECK", requires = "surface", conflicts_with = "ids")]
    check: Option<String>,
    /// …the glossary term (Arabic source) it concerns…
    #[arg(long, value_name = "TERM")]
    term: Option<String>,
    /// …and the text found.
    #[arg(long, value_name = "TEXT")]
    surface: Option<String>,
    /// Why it is accepted (kept in the list).
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    /// Print the accept list instead.
    #[arg(long, conflicts_with_all = ["ids", "check"])]
    list: bool,
}

pub fn run(args: CheckArgs, context: &Context) -> anyhow::Result<Outcome> {
    let glossary = args.selection.load(context)?;
    // Shared with the pair pipeline, where its terms anchor the alignment.
    let recognizer = Arc::new(Recognizer::try_new(&glossary)?);
    let options = CheckOptions { near_miss: !args.no_near_miss };
    let accepted = load_accept_list(context)?;

    if let Some(tm) = &args.tm {
        let path = tm.clone().unwrap_or_else(|| context.project.memory_path());
        let units = memory_units(&path)?;
        let report =
            check::run_checks_tm(units.iter().cloned(), &recognizer, &options).apply_accepted(&accepted);
        let index: std::collections::HashMap<&str, usize> =
            units.iter().enumerate().map(|(i, (tuid, _, _))| (tuid.as_str(), i)).collect();
        let texts: Vec<(String, String, String)> =
            units.iter().map(|(tuid, s, t)| (format!("unit {tuid}"), s.clone(), t.clone())).collect();
        let group = |f: &Finding| f.unit.as_deref().and_then(|u| index.get(u).copied());
        print_report(&report, &texts, group, args.format, context)?;
        return Ok(if report.has_errors() { Outcome::Findings } else { Outcome::Ok });
    }
    let (Some(source_path), Some(target_path)) = (&args.source, &args.target) else {
        anyhow::bail!("give the source and the translation (or --tm)");
    };
    let name = crate::project::document_name(source_path);
    let options_for_pair = args.input.options(Some(Arc::clone(&recognizer)))?;
    let LoadedPair { pair, .. } = read_pair(source_path, target_path, &name, &options_for_pair)?;
    for warning in &pair.alignment.warnings {
        super::warn(warning);
    }
    let report = check::run_checks(&pair, &recognizer, &options).apply_accepted(&accepted);

    let texts: Vec<(String, String, String)> = pair
        .alignment
        .beads
        .iter()
        .enumerate()
        .map(|(i, bead)| (describe_bead(i, bead), pair.source_of(bead), pair.target_of(bead)))
        .collect();
    print_report(&report, &texts, |f: &Finding| f.bead, args.format, context)?;
    Ok(if report.has_errors() { Outcome::Findings } else { Outcome::Ok })
}

fn describe_bead(index: usize, bead: &Bead) -> String {
    let list = |v: &[usize]| {
        if v.is_empty() {
            "-".to_string()
        } else {
            v.iter().map(usize::to_string).collect::<Vec<_>>().join(",")
        }
    };
    format!("bead {index} (source {} ↔ target {})", list(&bead.source), list(&bead.target))
}

/// Every unit of the memory at `path` as (tuid, Arabic, English), read
/// through the memory's own TMX export (units without both languages are
/// skipped, with a warning).
fn memory_units(path: &Path) -> anyhow::Result<Vec<(String, String, String)>> {
    if !path.exists() {
        anyhow::bail!("{}: no translation memory here (create one with `dragoman tm add`)", path.display());
    }
    let memory = Memory::open(path)?;
    let mut tmx = Vec::new();
    memory.export(&mut tmx, &LanguagePair::default())?;
    let name = path.display().to_string();
    let mut reader = TmxReader::new(std::io::Cursor::new(tmx), &name)?;
    let mut units = Vec::new();
    let mut skipped = 0;
    while let Some(unit) = reader.next_unit()? {
        let (Some(ar), Some(en)) = (unit.variant(Lang::Ar), unit.variant(Lang::En)) else {
            skipped += 1;
            continue;
        };
        let tuid = unit.tuid.clone().unwrap_or_else(|| format!("#{}", units.len() + skipped + 1));
        units.push((tuid, ar.seg.plain_text(), en.seg.plain_text()));
    }
    if skipped > 0 {
        super::warn(format!("{name}: {skipped} unit(s) without both Arabic and English were not checked"));
    }
    Ok(units)
}

fn load_accept_list(context: &Context) -> anyhow::Result<AcceptList> {
    let path = context.project.accept_list_path();
    if !path.exists() {
        return Ok(AcceptList::default());
    }
    let input = textio::read_text(&path)?;
    Ok(AcceptList::parse(&input.text, &input.name)?)
}

/// Prints the report: JSON as the contract says, or text grouped by bead
/// (or unit) with both sentences and the spans marked.
fn print_report(
    report: &Report,
    texts: &[(String, String, String)],
    group: impl Fn(&Finding) -> Option<usize>,
    format: DataFormat,
    context: &Context,
) -> anyhow::Result<()> {
    let mut out = String::new();
    match format {
        DataFormat::Json => {
            out = serde_json::to_string_pretty(report)?;
            out.push('\n');
        }
        DataFormat::Text => {
            let mut groups: BTreeMap<usize, Vec<&Finding>> = BTreeMap::new();
            for finding in &report.findings {
                groups.entry(group(finding).unwrap_or(usize::MAX)).or_default().push(finding);
            }
            for (bead, findings) in groups {
                let (label, source, target) = match texts.get(bead) {
                    Some((label, s, t)) => (label.as_str(), s.as_str(), t.as_str()),
                    None => ("(not located)", "", ""),
                };
                writeln!(out, "{}", paint(label, "1", context.color))?;
                let marks =
                    |side: fn(&Finding) -> Option<(usize, usize)>| -> Vec<((usize, usize), Severity)> {
                        findings.iter().filter_map(|f| side(f).map(|s| (s, f.severity))).collect()
                    };
                writeln!(out, "  ar: {}", excerpt(source, &marks(|f| f.source_span), context.color))?;
                writeln!(out, "  en: {}", excerpt(target, &marks(|f| f.target_span), context.color))?;
                for finding in findings {
                    let severity =
                        paint(finding.severity.name(), severity_colour(finding.severity), context.color);
                    writeln!(out, "  {severity} {}: {}", finding.check, finding.message)?;
                    if finding.units.len() > 1 {
                        writeln!(out, "      units: {}", finding.units.join(", "))?;
                    }
                    if finding.beads.len() > 1 {
                        let list: Vec<String> = finding.beads.iter().map(usize::to_string).collect();
                        writeln!(out, "      beads: {}", list.join(", "))?;
                    }
                    writeln!(
                        out,
                        "      to accept: dragoman accept '{}'",
                        finding.id.replace('\'', "'\\''")
                    )?;
                }
                out.push('\n');
            }
            let s = &report.summary;
            write!(out, "{} error(s), {} warning(s), {} info", s.error, s.warning, s.info)?;
            if report.accepted > 0 {
                write!(out, " ({} accepted finding(s) not shown)", report.accepted)?;
            }
            out.push('\n');
        }
    }
    textio::write_atomic(Path::new("-"), out.as_bytes())?;
    Ok(())
}

fn severity_colour(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;36",
    }
}

fn paint(text: &str, code: &str, color: bool) -> String {
    if color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
}

/// The text with spans marked (`⟦…⟧`, or coloured on a terminal); long
/// text shows only the neighbourhood of each span.
fn excerpt(text: &str, spans: &[((usize, usize), Severity)], color: bool) -> String {
    const CONTEXT: usize = 60;
    const SHORT: usize = 240;
    let mut spans: Vec<((usize, usize), Severity)> = spans
        .iter()
        .copied()
        .filter(|((s, e), _)| {
            s <= e && *e <= text.len() && text.is_char_boundary(*s) && text.is_char_boundary(*e)
        })
        .collect();
    spans.sort_by_key(|(s, _)| *s);
    // Overlapping marks would nest: keep the first of any overlap.
    let mut kept: Vec<((usize, usize), Severity)> = Vec::new();
    for span in spans {
        if kept.last().is_none_or(|((_, end), _)| span.0.0 >= *end) {
            kept.push(span);
        }
    }
    let mark = |piece: &str, severity: Severity| {
        if color {
            paint(piece, &format!("4;{}", severity_colour(severity)), true)
        } else {
            format!("⟦{piece}⟧")
        }
    };
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let ceil = |mut i: usize| {
        while i < text.len() && !text.is_char_boundary(i) {
            i += 1;
        }
        i.min(text.len())
    };
    // The pieces of text shown: everything when short, otherwise the
    // neighbourhood of each mark (merged when they touch).
    let mut windows: Vec<(usize, usize)> = Vec::new();
    if text.chars().count() <= SHORT {
        windows.push((0, text.len()));
    } else if kept.is_empty() {
        windows.push((0, ceil(SHORT)));
    } else {
        for ((s, e), _) in &kept {
            let window = (floor(s.saturating_sub(CONTEXT)), ceil((e + CONTEXT).min(text.len())));
            match windows.last_mut() {
                Some(last) if window.0 <= last.1 => last.1 = last.1.max(window.1),
                _ => windows.push(window),
            }
        }
    }
    let shown_until = windows.last().map_or(0, |w| w.1);
    let mut out = String::new();
    for (from, until) in windows {
        if from > 0 {
            out.push_str(if out.is_empty() { "… " } else { " … " });
        }
        let mut at = from;
        for ((s, e), severity) in kept.iter().filter(|((s, e), _)| *s >= from && *e <= until) {
            out.push_str(&text[at..*s]);
            out.push_str(&mark(&text[*s..*e], *severity));
            at = *e;
        }
        out.push_str(&text[at..until]);
    }
    if shown_until < text.len() {
        out.push_str(" …");
    }
    out
}

pub fn accept(args: AcceptArgs, context: &Context) -> anyhow::Result<Outcome> {
    let path = context.project.accept_list_path();
    let mut list = load_accept_list(context)?;
    if args.list {
        textio::write_atomic(Path::new("-"), list.to_text().as_bytes())?;
        return Ok(Outcome::Ok);
    }
    let mut new = Vec::new();
    if let Some(check) = &args.check {
        let check = CheckId::from_id(check).ok_or_else(|| {
            anyhow::anyhow!(
                "unknown check `{check}` (expected one of: {})",
                check::CHECKS.iter().map(|c| c.check.id()).collect::<Vec<_>>().join(", ")
            )
        })?;
        new.push(Acceptance {
            check,
            term: args.term.clone().unwrap_or_default(),
            surface: args.surface.clone().unwrap_or_default(),
            context: None,
            note: String::new(),
        });
    }
    for id in &args.ids {
        let mut acceptance = Acceptance::from_id(id)?;
        if args.everywhere {
            acceptance.context = None;
        }
        new.push(acceptance);
    }
    let mut added = 0;
    for mut acceptance in new {
        acceptance.note = args.note.clone().unwrap_or_default();
        added += usize::from(list.add(acceptance));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    textio::write_atomic(&path, list.to_text().as_bytes())?;
    eprintln!("dragoman: accepted {added} finding(s) in {}", path.display());
    Ok(Outcome::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_mark_overlapping_and_distant_spans_without_panicking() {
        let text = "قال ".repeat(100) + "داعش" + &" ثم".repeat(100) + " الرقة";
        let d = text.find("داعش").unwrap();
        let r = text.rfind("الرقة").unwrap();
        let spans = [
            ((d, d + 8), Severity::Error),
            ((d + 2, d + 6), Severity::Info),
            ((r, text.len()), Severity::Warning),
        ];
        let shown = excerpt(&text, &spans, false);
        assert!(shown.starts_with("… ") && shown.contains("⟦داعش⟧") && shown.ends_with("⟦الرقة⟧"), "{shown}");
        assert_eq!(shown.matches("⟦").count(), 2);
        for cut in 0..text.len() {
            excerpt(&text, &[((cut, cut + 1), Severity::Info), ((cut / 2, cut), Severity::Error)], true);
        }
        assert_eq!(excerpt("short", &[], false), "short");
    }
}
