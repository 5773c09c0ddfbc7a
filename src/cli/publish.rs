//! `dragoman publish` (write the English and bilingual editions),
//! `dragoman ingest` (the main job: check, store in the memory, publish)
//! and `dragoman prepare` (the translator's kit that `ingest --xliff` takes
//! back): arguments in, [`dragoman::workflow`] called, a summary out.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::args::{GlossaryArgs, MemoryPath, PairInput, WaitArgs, parse_confidence};
use super::{Context, DataFormat, Outcome, print};
use dragoman::align::DEFAULT_MIN_CONFIDENCE;
use dragoman::publish::{EditionFormat, Metadata};
use dragoman::render;
use dragoman::workflow;
use dragoman::workflow::edition::{self, ArticleRequest, EditionReport, MemoryTarget, Step};
use dragoman::workflow::prepare::{KitFormat, PrepareRequest};

/// What `publish` and `ingest` both take: the article, how to read it, and
/// what to print on the page.
#[derive(Debug, clap::Args)]
pub struct ArticleArgs {
    /// The Arabic original (`-` reads stdin).
    #[arg(requires = "target")]
    source: Option<PathBuf>,
    /// The English translation.
    #[arg(requires = "source")]
    target: Option<PathBuf>,
    /// Which files to write, comma-separated: html (NAME.en.html), md
    /// (NAME.en.md), txt (NAME.en.txt), bilingual (NAME.bilingual.html).
    #[arg(long, value_delimiter = ',', default_value = "html,md,txt,bilingual",
          value_parser = parse_edition_format)]
    formats: Vec<EditionFormat>,
    #[command(flatten)]
    input: PairInput,
    /// The document name used for file names and in the memory [default: from SOURCE].
    #[arg(long)]
    name: Option<String>,
    /// The edition's title [default: the translation's first paragraph when it is a headline].
    #[arg(long, value_name = "T")]
    title: Option<String>,
    /// A byline shown under the title.
    #[arg(long, value_name = "B")]
    byline: Option<String>,
    /// Where the original was published (shown as a link).
    #[arg(long, value_name = "U")]
    source_url: Option<String>,
    /// The publication date, shown as written.
    #[arg(long, value_name = "D")]
    date: Option<String>,
    #[command(flatten)]
    glossary: GlossaryArgs,
    /// Keep term and finding highlights when the bilingual page is printed.
    #[arg(long)]
    print_highlights: bool,
    /// The summary's format: text for people, json for scripts.
    #[arg(long, value_enum, default_value_t)]
    format: DataFormat,
    /// Beads whose alignment confidence is below X are marked on the page
    /// (and `ingest` does not store them).
    #[arg(long, value_name = "X", default_value_t = DEFAULT_MIN_CONFIDENCE, value_parser = parse_confidence)]
    min_confidence: f64,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("pair").args(["source"]).required(true)))]
pub struct PublishArgs {
    #[command(flatten)]
    article: ArticleArgs,
    /// The directory to write the editions to (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("article_input").args(["source", "xliff"]).required(true)))]
#[command(after_help = "Exit status: 0 when the check finds no error; 1 when it finds errors, \
after the article was stored in the memory and its editions written (the findings are printed \
as `check` prints them, and marked on the bilingual page); 2 when it could not run (nothing is \
changed then).")]
pub struct IngestArgs {
    #[command(flatten)]
    article: ArticleArgs,
    /// A translated XLIFF 1.2 work file (from `prepare`, after a CAT tool)
    /// instead of SOURCE and TARGET: each trans-unit is a bead (so nothing
    /// is segmented or aligned: the pairing options do not apply).
    #[arg(long, value_name = "FILE",
          conflicts_with_all = ["source", "target", "presegmented", "rules", "beads", "dictionary"])]
    xliff: Option<PathBuf>,
    /// The directory to write the editions to [default: the project's out/].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    #[command(flatten)]
    memory: MemoryPath,
    /// Do not add the article to the translation memory.
    #[arg(long, conflicts_with = "tm")]
    no_tm: bool,
    /// Replace the memory's document of the same name even though it was
    /// ingested from another source file (by default that is refused).
    #[arg(long, conflicts_with = "no_tm")]
    replace: bool,
    #[command(flatten)]
    wait: WaitArgs,
}

fn parse_edition_format(name: &str) -> Result<EditionFormat, String> {
    EditionFormat::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = EditionFormat::ALL.iter().map(|f| f.name()).collect();
        format!("unknown edition format `{name}` (expected one of: {})", names.join(", "))
    })
}

impl ArticleArgs {
    fn request(&self, context: &Context) -> ArticleRequest {
        ArticleRequest {
            source: self.source.clone().unwrap_or_default(),
            target: self.target.clone().unwrap_or_default(),
            input: self.input.input(context),
            glossary: self.glossary.choice(),
            name: self.name.clone(),
            metadata: Metadata {
                title: self.title.clone(),
                byline: self.byline.clone(),
                source_url: self.source_url.clone(),
                date: self.date.clone(),
            },
            formats: self.formats.clone(),
            min_confidence: self.min_confidence,
            print_highlights: self.print_highlights,
            ..ArticleRequest::default()
        }
    }
}

pub fn publish(args: PublishArgs, context: &Context) -> anyhow::Result<Outcome> {
    let mut progress = Progress::new(context, 3);
    let report = edition::publish(&context.project, &args.article.request(context), &args.out, &mut |s| {
        progress.step(s)
    })?;
    progress.finish();
    finish(&report, &args.article, context)
}

pub fn ingest(args: IngestArgs, context: &Context) -> anyhow::Result<Outcome> {
    let memory = MemoryTarget::from_flags(args.memory.tm.as_deref(), args.no_tm)?;
    let mut progress = Progress::new(context, if args.no_tm { 3 } else { 4 });
    let lock_wait = args.wait.lock_wait(context);
    let request = ArticleRequest { lock_wait, replace: args.replace, ..args.article.request(context) };
    let (xliff, out) = (args.xliff.as_deref(), args.out.as_deref());
    let report = edition::ingest(&context.project, &request, xliff, out, &memory, &mut |s| progress.step(s))?;
    progress.finish();
    finish(&report, &args.article, context)
}

/// Warnings to stderr; the findings as `check` prints them, then the
/// summary, to stdout; exit 1 on error findings, as `check`.
fn finish(report: &EditionReport, args: &ArticleArgs, context: &Context) -> anyhow::Result<Outcome> {
    print::warnings(&report.warnings);
    let text = |style: &_| render::edition::edition(report, args.min_confidence, style);
    context.printer.report(args.format, &report.summary(), text)?;
    Ok(if report.has_errors() { Outcome::Findings } else { Outcome::Ok })
}

#[derive(Debug, clap::Args)]
pub struct PrepareArgs {
    /// The new Arabic article (`-` reads stdin).
    #[arg(value_name = "ARTICLE")]
    source: PathBuf,
    /// The directory to write the kit to [default: the project's out/].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The document name used for file names [default: from ARTICLE].
    #[arg(long)]
    name: Option<String>,
    /// The article's title (in the XLIFF header and on the brief).
    #[arg(long, value_name = "T")]
    title: Option<String>,
    /// The publication date, as written.
    #[arg(long, value_name = "D")]
    date: Option<String>,
    /// The lowest fuzzy match score offered (percent).
    #[arg(long, value_name = "N", default_value_t = 70, value_parser = clap::value_parser!(u8).range(1..=100))]
    min: u8,
    #[command(flatten)]
    memory: MemoryPath,
    #[command(flatten)]
    glossary: GlossaryArgs,
    /// Which files to write, comma-separated: xliff (NAME.xlf), brief (NAME.brief.html).
    #[arg(long, value_delimiter = ',', default_value = "xliff,brief")]
    formats: Vec<KitFormat>,
    /// The summary's format: text for people, json for scripts.
    #[arg(long, value_enum, default_value_t)]
    format: DataFormat,
}

pub fn prepare(args: PrepareArgs, context: &Context) -> anyhow::Result<Outcome> {
    let request = PrepareRequest {
        source: args.source,
        out: args.out,
        name: args.name,
        title: args.title,
        date: args.date,
        min: args.min,
        memory: args.memory.tm,
        glossary: args.glossary.choice(),
        formats: args.formats,
    };
    let report = workflow::prepare::prepare(&context.project, &request)?;
    print::warnings(&report.warnings);
    let summary = &report.summary;
    context.printer.report(args.format, summary, |_| render::edition::prepared(summary, request.min))?;
    Ok(Outcome::Ok)
}

/// A progress bar on stderr that appears only on a terminal and only once
/// the work has taken more than about a second.
struct Progress {
    bar: ProgressBar,
    /// When to show the bar; `None` once shown, or never on no terminal.
    show_at: Option<Instant>,
}

impl Progress {
    fn new(context: &Context, steps: u64) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(steps), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{bar:20} {pos}/{len} {msg}") {
            bar.set_style(style);
        }
        Progress { bar, show_at: context.stderr_is_terminal.then(|| Instant::now() + Duration::from_secs(1)) }
    }

    fn step(&mut self, step: Step) {
        if self.show_at.is_some_and(|at| Instant::now() > at) {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.show_at = None;
        }
        self.bar.set_message(step.describe());
        self.bar.inc(1);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    /// clap checks its definitions only in debug builds; this runs the
    /// checks in any build (the `--xliff` / SOURCE TARGET groups of
    /// `ingest` and `publish` included).
    #[test]
    fn the_command_line_definition_is_consistent() {
        use clap::CommandFactory;
        super::super::Cli::command().debug_assert();
    }
}
