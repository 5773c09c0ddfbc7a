//! `dragoman check` and `dragoman accept`.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::args::{GlossaryArgs, PairInput, warn_all};
use super::print::{Tone, bead_texts, findings_text, note};
use super::{Context, DataFormat, Outcome};
use dragoman::check::accept::Acceptance;
use dragoman::check::{self, CheckId, CheckOptions, Finding, Report};
use dragoman::workflow::{self, check::check_article, check::check_memory};

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The Arabic source article (or use --tm to check the memory).
    #[arg(value_name = "SOURCE", required_unless_present_any = ["tm", "list"])]
    source: Option<PathBuf>,
    /// The English translation.
    #[arg(value_name = "TARGET", required_unless_present_any = ["tm", "list"])]
    target: Option<PathBuf>,
    #[command(flatten)]
    input: PairInput,
    #[command(flatten)]
    glossary: GlossaryArgs,
    /// text: findings grouped by bead with both sentences; json: the report
    /// (a contract: findings, summary, accepted).
    #[arg(long, value_enum, default_value_t)]
    format: DataFormat,
    /// Check every unit of the translation memory (the project's, or PATH)
    /// instead of an article.
    #[arg(long, value_name = "PATH|URL", num_args = 0..=1,
          conflicts_with_all = ["source", "target", "presegmented", "beads", "rules"])]
    tm: Option<Option<String>>,
    /// Skip near-miss detection (the slowest check).
    #[arg(long)]
    no_near_miss: bool,
    /// Print the table of checks (id, severity, description) instead.
    #[arg(long, conflicts_with_all = ["source", "target", "tm"])]
    list: bool,
}

#[derive(Debug, clap::Args)]
pub struct AcceptArgs {
    /// Finding ids as `check` prints them (`CHECK|TERM|SURFACE|CONTEXT`).
    #[arg(value_name = "ID", required_unless_present_any = ["check", "list"])]
    ids: Vec<String>,
    /// Accept it everywhere, not only in the sentence where it was found.
    #[arg(long)]
    everywhere: bool,
    /// Remove the IDs from the accept list instead (as `--list` shows them;
    /// exit 2 and nothing changed if one is not there).
    #[arg(long, conflicts_with_all = ["check", "everywhere", "note"])]
    remove: bool,
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
    /// Print the accept list instead: each acceptance's id, check, what it
    /// accepts, note and when it was accepted.
    #[arg(long, conflicts_with_all = ["ids", "check", "remove"])]
    list: bool,
    /// With --list: text (for people) or json (`{"accepted": [{id, check,
    /// description, term, surface, everywhere, context, note, accepted}]}`).
    #[arg(long, value_enum, default_value_t, requires = "list")]
    format: DataFormat,
}

pub fn run(args: CheckArgs, context: &Context) -> anyhow::Result<Outcome> {
    if args.list {
        return list_checks(args.format, context);
    }
    let options = CheckOptions { near_miss: !args.no_near_miss };
    let glossary = args.glossary.choice();
    let report = if let Some(tm) = &args.tm {
        let location = super::args::MemoryPath { tm: tm.clone() }.resolve(context)?;
        let checked = check_memory(&context.project, &location, &glossary, &options)?;
        warn_all(&checked.warnings);
        let texts: Vec<(String, &str, &str)> =
            checked.units.iter().map(|u| (format!("unit {}", u.tuid), &*u.source, &*u.target)).collect();
        let index: std::collections::HashMap<&str, usize> =
            checked.units.iter().enumerate().map(|(i, u)| (u.tuid.as_str(), i)).collect();
        let group = |f: &Finding| f.unit.as_deref().and_then(|u| index.get(u).copied());
        print_report(&checked.report, &texts, group, args.format, context)?;
        checked.report
    } else {
        let (Some(source), Some(target)) = (&args.source, &args.target) else {
            anyhow::bail!("give the source and the translation, or --tm to check the memory");
        };
        let checked = check_article(
            &context.project,
            source,
            target,
            &args.input.input_in(&context.project),
            &glossary,
            &options,
        )?;
        warn_all(&checked.warnings);
        let cells = bead_texts(&checked.pair);
        let texts: Vec<(String, &str, &str)> =
            cells.iter().map(|(label, s, t)| (label.clone(), s.as_str(), t.as_str())).collect();
        print_report(&checked.report, &texts, |f: &Finding| f.bead, args.format, context)?;
        checked.report
    };
    Ok(if report.has_errors() { Outcome::Findings } else { Outcome::Ok })
}

/// `check --list`: the table of checks.
fn list_checks(format: DataFormat, context: &Context) -> anyhow::Result<Outcome> {
    match format {
        DataFormat::Json => context.printer.json(&serde_json::json!({ "checks": check::CHECKS }))?,
        DataFormat::Text => {
            let mut out = String::new();
            for row in check::CHECKS {
                writeln!(out, "{:<18} {:<8} {}", row.id, row.severity, row.description)?;
            }
            context.printer.data(&out)?;
        }
    }
    Ok(Outcome::Ok)
}

/// Prints the report: JSON as the contract says, or text grouped by bead
/// (or unit) with both sentences and the spans marked.
fn print_report(
    report: &Report,
    texts: &[(String, &str, &str)],
    group: impl Fn(&Finding) -> Option<usize>,
    format: DataFormat,
    context: &Context,
) -> anyhow::Result<()> {
    match format {
        DataFormat::Json => context.printer.json(report),
        DataFormat::Text => context.printer.data(&findings_text(&context.printer, report, texts, group)),
    }
}

pub fn accept(args: AcceptArgs, context: &Context) -> anyhow::Result<Outcome> {
    if args.list {
        return list_accepted(args.format, context);
    }
    if args.remove {
        let (removed, path) = workflow::remove_accepted(&context.project, &args.ids)?;
        note(format!("dragoman: removed {} acceptance(s) from {}", removed.len(), path.display()));
        return Ok(Outcome::Ok);
    }
    let mut new = Vec::new();
    if let Some(check) = &args.check {
        let check = CheckId::from_id(check).ok_or_else(|| {
            anyhow::anyhow!("unknown check `{check}` (expected one of: {})", check::known_ids())
        })?;
        new.push(Acceptance {
            check,
            term: args.term.clone().unwrap_or_default(),
            surface: args.surface.clone().unwrap_or_default(),
            context: None,
            note: String::new(),
            accepted: None,
        });
    }
    for id in &args.ids {
        let mut acceptance = Acceptance::from_id(id)?;
        if args.everywhere {
            acceptance.context = None;
        }
        new.push(acceptance);
    }
    for acceptance in &mut new {
        acceptance.note = args.note.clone().unwrap_or_default();
    }
    let (added, path) = workflow::accept(&context.project, new)?;
    note(format!("dragoman: accepted {added} finding(s) in {}", path.display()));
    Ok(Outcome::Ok)
}

/// `accept --list`: the accept list as people (text) or scripts (JSON) read it.
fn list_accepted(format: DataFormat, context: &Context) -> anyhow::Result<Outcome> {
    let list = workflow::load_accept_list(&context.project)?;
    let printer = &context.printer;
    if format == DataFormat::Json {
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
        printer.json(&serde_json::json!({ "accepted": accepted }))?;
        return Ok(Outcome::Ok);
    }
    let mut out = String::new();
    for a in &list.acceptances {
        let term = if a.term.is_empty() { String::new() } else { format!("{} → ", printer.shown(&a.term)) };
        let scope = if a.context.is_some() { "in one sentence" } else { "everywhere" };
        let when = a
            .accepted
            .as_deref()
            .map(|d| format!(", accepted {}", d.replace('T', " ").replace('Z', " UTC")))
            .unwrap_or_default();
        let surface = printer.shown(&a.surface);
        writeln!(out, "{}: {term}{surface} ({scope}{when})", printer.paint(a.check.id(), Tone::Info))?;
        writeln!(out, "  {}", a.check.row().description)?;
        if !a.note.is_empty() {
            writeln!(out, "  note: {}", printer.shown(&a.note))?;
        }
        writeln!(out, "  id: {}", printer.shown(&a.id()))?;
    }
    writeln!(out, "{} accepted finding(s)", list.acceptances.len())?;
    printer.data(&out)?;
    Ok(Outcome::Ok)
}
