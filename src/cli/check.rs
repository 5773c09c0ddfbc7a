//! `dragoman check` and `dragoman accept`.

use std::path::PathBuf;

use super::args::{GlossaryArgs, PairInput};
use super::{Context, DataFormat, Outcome, print};
use dragoman::check::{self, CheckOptions};
use dragoman::render;
use dragoman::workflow::check::{check_article, check_memory};
use dragoman::workflow::{self, AcceptRequest};

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The Arabic source article (or use --tm to check the memory).
    #[arg(required_unless_present_any = ["tm", "list"])]
    source: Option<PathBuf>,
    /// The English translation.
    #[arg(required_unless_present_any = ["tm", "list"])]
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
    let (printer, project) = (&context.printer, &context.project);
    if args.list {
        let checks = serde_json::json!({ "checks": check::CHECKS });
        printer.report(args.format, &checks, |_| render::check::check_table())?;
        return Ok(Outcome::Ok);
    }
    let options = CheckOptions { near_miss: !args.no_near_miss };
    let glossary = args.glossary.choice();
    let report = if let Some(tm) = &args.tm {
        let location = workflow::memory_location(project, tm.as_deref())?;
        let checked = check_memory(project, &location, &glossary, &options)?;
        print::warnings(&checked.warnings);
        let text = |style: &_| render::check::memory_findings(&checked.report, &checked.units, style);
        printer.report(args.format, &checked.report, text)?;
        checked.report
    } else {
        let (Some(source), Some(target)) = (&args.source, &args.target) else {
            anyhow::bail!("give the source and the translation, or --tm to check the memory");
        };
        let input = args.input.input(context);
        let checked = check_article(project, source, target, &input, &glossary, &options)?;
        print::warnings(&checked.warnings);
        let text = |style: &_| render::check::article_findings(&checked.report, &checked.pair, style);
        printer.report(args.format, &checked.report, text)?;
        checked.report
    };
    Ok(if report.has_errors() { Outcome::Findings } else { Outcome::Ok })
}

pub fn accept(args: AcceptArgs, context: &Context) -> anyhow::Result<Outcome> {
    let project = &context.project;
    if args.list {
        let list = workflow::load_accept_list(project)?;
        let json = || render::check::accept_list_json(&list);
        context.printer.either(args.format, json, |style| render::check::accept_list(&list, style))?;
    } else if args.remove {
        let (removed, path) = workflow::remove_accepted(project, &args.ids)?;
        print::note(format!("dragoman: removed {} acceptance(s) from {}", removed.len(), path.display()));
    } else {
        let request = AcceptRequest {
            ids: args.ids,
            everywhere: args.everywhere,
            check: args.check,
            term: args.term,
            surface: args.surface,
            note: args.note,
        };
        let (added, path) = workflow::accept(project, &request)?;
        print::note(format!("dragoman: accepted {added} finding(s) in {}", path.display()));
    }
    Ok(Outcome::Ok)
}
