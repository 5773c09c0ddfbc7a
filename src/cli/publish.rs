//! `dragoman publish` (write the English and bilingual editions) and
//! `dragoman ingest` (the main job: check, store in the memory, publish).
//!
//! Each step of `ingest` is one function below, in the order it runs:
//! [`read_article`], [`term_highlights`], [`run_checks`],
//! [`store_in_memory`], [`write_editions`], then the summary.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{Context, DataFormat, Outcome, warn};
use crate::align::Bead;
use crate::pair::{ArticlePair, PairOptions};
use crate::project::document_name;
use crate::publish::{
    DEFAULT_LOW_CONFIDENCE, Edition, EditionOptions, FindingMark, Highlight, Metadata, Severity,
    render_bilingual_html, render_english_html, render_english_markdown, render_english_text,
};
use crate::textio;

/// The files an edition is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EditionFormat {
    /// `NAME.en.html`: the English edition as a web page.
    Html,
    /// `NAME.en.md`: the English edition as Markdown.
    Md,
    /// `NAME.en.txt`: the English edition as plain text.
    Txt,
    /// `NAME.bilingual.html`: Arabic and English side by side.
    Bilingual,
}

impl EditionFormat {
    fn file_name(self, name: &str) -> String {
        match self {
            EditionFormat::Html => format!("{name}.en.html"),
            EditionFormat::Md => format!("{name}.en.md"),
            EditionFormat::Txt => format!("{name}.en.txt"),
            EditionFormat::Bilingual => format!("{name}.bilingual.html"),
        }
    }

    fn render(self, edition: &Edition) -> String {
        match self {
            EditionFormat::Html => render_english_html(edition),
            EditionFormat::Md => render_english_markdown(edition),
            EditionFormat::Txt => render_english_text(edition),
            EditionFormat::Bilingual => render_bilingual_html(edition),
        }
    }
}

/// What `publish` and `ingest` both take: the article, how to read it, and
/// what to print on the page.
#[derive(Debug, clap::Args)]
pub struct ArticleArgs {
    /// The Arabic original (`-` reads stdin).
    #[arg(value_name = "SRC")]
    source: PathBuf,
    /// The English translation.
    #[arg(value_name = "TGT")]
    target: PathBuf,
    /// Which files to write (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "html,md,txt,bilingual")]
    formats: Vec<EditionFormat>,
    /// The texts are already one sentence a line (what `segment` prints).
    #[arg(long)]
    presegmented: bool,
    /// A hand-corrected alignment (`SOURCE<TAB>TARGET` sentence indices, one
    /// bead a line) to use instead of aligning.
    #[arg(long, value_name = "FILE")]
    beads: Option<PathBuf>,
    /// The document name used for file names and in the memory [default: from SRC].
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
    /// A glossary file for highlights and checks (repeatable) [default: the project's glossaries/].
    #[arg(long = "glossary", value_name = "FILE")]
    glossaries: Vec<PathBuf>,
    /// Keep term and finding highlights when the bilingual page is printed.
    #[arg(long)]
    print_highlights: bool,
    /// The summary's format.
    #[arg(long, value_enum, default_value_t)]
    format: DataFormat,
}

#[derive(Debug, clap::Args)]
pub struct PublishArgs {
    #[command(flatten)]
    article: ArticleArgs,
    /// The directory to write the editions to (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Mark beads whose alignment confidence is below X.
    #[arg(long, value_name = "X", default_value_t = DEFAULT_LOW_CONFIDENCE, value_parser = parse_confidence)]
    min_confidence: f64,
}

#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    #[command(flatten)]
    article: ArticleArgs,
    /// The directory to write the editions to [default: the project's out/].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Store only beads whose alignment confidence is at least X (the others
    /// are listed and marked on the page).
    #[arg(long, value_name = "X", default_value_t = DEFAULT_LOW_CONFIDENCE, value_parser = parse_confidence)]
    min_confidence: f64,
    /// Do not add the article to the translation memory.
    #[arg(long)]
    no_tm: bool,
}

fn parse_confidence(value: &str) -> Result<f64, String> {
    match value.trim().parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("`{value}` is not a confidence between 0 and 1")),
    }
}

pub fn publish(args: PublishArgs, context: &Context) -> anyhow::Result<Outcome> {
    let mut progress = Progress::new(context, 3);
    let job = prepare(&args.article, context, args.min_confidence, &mut progress)?;
    progress.step("writing editions");
    let written = write_editions(&job.edition, &args.out, &args.article.formats)?;
    progress.finish();
    let summary = Summary { job: &job, memory: None, written: &written, min_confidence: args.min_confidence };
    summary.print(args.article.format)?;
    Ok(job.outcome())
}

pub fn ingest(args: IngestArgs, context: &Context) -> anyhow::Result<Outcome> {
    let mut progress = Progress::new(context, if args.no_tm { 3 } else { 4 });
    let job = prepare(&args.article, context, args.min_confidence, &mut progress)?;
    let memory = if args.no_tm {
        None
    } else {
        progress.step("storing in the memory");
        Some(store_in_memory(&job.pair, context, args.min_confidence)?)
    };
    progress.step("writing editions");
    let out = args.out.clone().unwrap_or_else(|| context.project.out_dir());
    let written = write_editions(&job.edition, &out, &args.article.formats)?;
    progress.finish();
    let summary = Summary {
        job: &job,
        memory: memory.as_ref(),
        written: &written,
        min_confidence: args.min_confidence,
    };
    summary.print(args.article.format)?;
    Ok(job.outcome())
}

/// An article read, aligned, checked and laid out.
struct Job {
    pair: ArticlePair,
    edition: Edition,
}

impl Job {
    /// Exit as `check` does: 1 when there are error findings.
    fn outcome(&self) -> Outcome {
        if self.edition.findings.iter().any(|f| f.severity == Severity::Error) {
            Outcome::Findings
        } else {
            Outcome::Ok
        }
    }
}

fn prepare(
    args: &ArticleArgs,
    context: &Context,
    min_confidence: f64,
    progress: &mut Progress,
) -> anyhow::Result<Job> {
    progress.step("segmenting and aligning");
    let pair = read_article(args)?;
    for warning in &pair.alignment.warnings {
        warn(format!("{}: {warning}", pair.name));
    }
    progress.step("checking");
    let highlights = term_highlights(&pair, args, context)?;
    let findings = run_checks(&pair, args, context)?;
    let metadata = Metadata {
        title: args.title.clone(),
        byline: args.byline.clone(),
        source_url: args.source_url.clone(),
        date: args.date.clone(),
    };
    let options =
        EditionOptions { low_confidence_below: min_confidence, print_highlights: args.print_highlights };
    let edition = Edition::build(&pair, metadata, &highlights, findings, options);
    Ok(Job { pair, edition })
}

/// Reads both texts and builds the aligned pair (honouring `--beads`).
fn read_article(args: &ArticleArgs) -> anyhow::Result<ArticlePair> {
    let source = textio::read_text(&args.source)?;
    let target = textio::read_text(&args.target)?;
    for (input, side) in [(&source, "original"), (&target, "translation")] {
        if input.text.trim().is_empty() {
            bail!("{}: the {side} is empty; there is nothing to publish", input.name);
        }
    }
    let name = match &args.name {
        Some(name) => check_name(name)?,
        None => document_name(&args.source),
    };
    let beads = match &args.beads {
        Some(path) => Some(read_beads(path)?),
        None => None,
    };
    let options = PairOptions { presegmented: args.presegmented, beads, ..PairOptions::default() };
    ArticlePair::build(&name, &source.text, &target.text, &options)
        .with_context(|| format!("{} and {}", source.name, target.name))
}

/// A name becomes part of file names: keep it to one path component.
fn check_name(name: &str) -> anyhow::Result<String> {
    let bad = name.is_empty()
        || name.starts_with('.')
        || name.chars().any(|c| matches!(c, '/' | '\\' | ':') || c.is_control());
    if bad {
        bail!("--name `{name}` cannot be used in a file name (no slashes, colons or leading dot)");
    }
    Ok(name.to_string())
}

/// SEAM (align): reads a beads file, one bead a line, `SOURCE<TAB>TARGET`
/// with comma-separated 0-based sentence indices (either side may be
/// empty). Replace with the align module's reader once it is on main.
fn read_beads(path: &Path) -> anyhow::Result<Vec<Bead>> {
    let input = textio::read_text(path)?;
    let mut beads = Vec::new();
    for (number, line) in input.text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (source, target) = line.split_once('\t').with_context(|| {
            format!("{}:{}: expected SOURCE<TAB>TARGET sentence indices", input.name, number + 1)
        })?;
        let indices = |field: &str| -> anyhow::Result<Vec<usize>> {
            field
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse::<usize>().with_context(|| {
                        format!("{}:{}: `{s}` is not a sentence index", input.name, number + 1)
                    })
                })
                .collect()
        };
        beads.push(Bead {
            source: indices(source)?,
            target: indices(target)?,
            confidence: 1.0,
            evidence: vec![],
        });
    }
    Ok(beads)
}

/// SEAM (glossary): the glossary terms found in each cell, for highlights.
/// Until the glossary recognizer is on main this finds nothing.
fn term_highlights(
    _pair: &ArticlePair,
    _args: &ArticleArgs,
    _context: &Context,
) -> anyhow::Result<Vec<Highlight>> {
    Ok(Vec::new())
}

/// SEAM (check): the findings of `check` on this pair. Until the check
/// module is on main this finds nothing.
fn run_checks(
    _pair: &ArticlePair,
    _args: &ArticleArgs,
    _context: &Context,
) -> anyhow::Result<Vec<FindingMark>> {
    Ok(Vec::new())
}

/// What adding an article to the memory did.
#[derive(Debug, Clone, Default)]
struct MemoryReport {
    path: PathBuf,
    added: usize,
    already_present: usize,
    /// 0-based beads not stored because of low confidence.
    not_stored: Vec<usize>,
    /// The step did not run (the memory is not available in this build).
    unavailable: bool,
}

/// SEAM (memory): replaces the document's units in the project memory with
/// the beads at or above `min_confidence`. Until the memory module is on
/// main nothing is stored and the summary says so.
fn store_in_memory(
    pair: &ArticlePair,
    context: &Context,
    min_confidence: f64,
) -> anyhow::Result<MemoryReport> {
    let not_stored = pair
        .alignment
        .beads
        .iter()
        .enumerate()
        .filter(|(_, bead)| {
            bead.confidence < min_confidence || bead.source.is_empty() || bead.target.is_empty()
        })
        .map(|(i, _)| i)
        .collect();
    warn("the translation memory is not available in this build yet; nothing was stored");
    Ok(MemoryReport {
        path: context.project.memory_path(),
        added: 0,
        already_present: 0,
        not_stored,
        unavailable: true,
    })
}

/// Renders every requested format first, then writes each file atomically
/// into `out` (created if missing). A directory that cannot be written
/// fails on the first file, so nothing is left half-written.
fn write_editions(edition: &Edition, out: &Path, formats: &[EditionFormat]) -> anyhow::Result<Vec<PathBuf>> {
    let mut formats = formats.to_vec();
    formats.dedup();
    let rendered: Vec<(PathBuf, String)> =
        formats.iter().map(|f| (out.join(f.file_name(&edition.name)), f.render(edition))).collect();
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create output directory {}", out.display()))?;
    // Catch what would fail part-way (a directory where a file goes) before
    // the first file is replaced.
    if let Some((path, _)) = rendered.iter().find(|(path, _)| path.is_dir()) {
        bail!("cannot write {}: a directory is in the way", path.display());
    }
    let mut written = Vec::with_capacity(rendered.len());
    for (path, contents) in rendered {
        // The error's message already names its cause.
        textio::write_atomic(&path, contents.as_bytes()).map_err(|e| anyhow::anyhow!("{e}"))?;
        written.push(path);
    }
    Ok(written)
}

struct Summary<'a> {
    job: &'a Job,
    memory: Option<&'a MemoryReport>,
    written: &'a [PathBuf],
    min_confidence: f64,
}

impl Summary<'_> {
    fn print(&self, format: DataFormat) -> anyhow::Result<()> {
        use std::io::Write;
        let text = match format {
            DataFormat::Text => self.text(),
            DataFormat::Json => serde_json::to_string_pretty(&self.json())? + "\n",
        };
        std::io::stdout().lock().write_all(text.as_bytes())?;
        Ok(())
    }

    fn text(&self) -> String {
        let pair = &self.job.pair;
        let edition = &self.job.edition;
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
        let counts = edition.count_by_severity();
        lines.push(format!(
            "findings: {}",
            counts
                .iter()
                .map(|(s, n)| format!("{n} {}", plural(s.name(), *n)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        let low: Vec<String> =
            edition.rows.iter().filter(|r| r.low_confidence).map(|r| (r.bead + 1).to_string()).collect();
        if !low.is_empty() {
            lines.push(format!(
                "low-confidence beads (below {:.2}): {}",
                self.min_confidence,
                low.join(", ")
            ));
        }
        if let Some(memory) = self.memory {
            if memory.unavailable {
                lines.push("memory: not available in this build; nothing stored".to_string());
            } else {
                lines.push(format!(
                    "memory: {} {} added, {} already present ({})",
                    memory.added,
                    plural("unit", memory.added),
                    memory.already_present,
                    memory.path.display()
                ));
            }
            if !memory.not_stored.is_empty() {
                let beads: Vec<String> = memory.not_stored.iter().map(|b| (b + 1).to_string()).collect();
                lines.push(format!(
                    "not stored (low confidence or one side empty): beads {}",
                    beads.join(", ")
                ));
            }
        }
        for path in self.written {
            lines.push(format!("wrote {}", path.display()));
        }
        lines.join("\n") + "\n"
    }

    fn json(&self) -> serde_json::Value {
        let pair = &self.job.pair;
        let edition = &self.job.edition;
        let counts = edition.count_by_severity();
        serde_json::json!({
            "name": pair.name,
            "source_sentences": pair.source.len(),
            "target_sentences": pair.target.len(),
            "beads": pair.alignment.beads.len(),
            "alignment_warnings": pair.alignment.warnings,
            "findings": {
                "error": counts[0].1,
                "warning": counts[1].1,
                "info": counts[2].1,
            },
            "low_confidence_beads": edition.rows.iter().filter(|r| r.low_confidence).map(|r| r.bead + 1).collect::<Vec<_>>(),
            "memory": self.memory.map(|m| serde_json::json!({
                "path": m.path.display().to_string(),
                "stored": !m.unavailable,
                "added": m.added,
                "already_present": m.already_present,
                "not_stored": m.not_stored.iter().map(|b| b + 1).collect::<Vec<_>>(),
            })),
            "written": self.written.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        })
    }
}

fn plural(word: &str, count: usize) -> String {
    if count == 1 || word == "info" { word.to_string() } else { format!("{word}s") }
}

/// A progress bar on stderr that appears only on a terminal and only once
/// the work has taken more than about a second.
struct Progress {
    bar: ProgressBar,
    enabled: bool,
    shown: bool,
    started: Instant,
}

impl Progress {
    fn new(context: &Context, steps: u64) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(steps), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{bar:20} {pos}/{len} {msg}") {
            bar.set_style(style);
        }
        Progress { bar, enabled: context.stderr_is_terminal, shown: false, started: Instant::now() }
    }

    fn step(&mut self, message: &'static str) {
        if self.enabled && !self.shown && self.started.elapsed() > Duration::from_secs(1) {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
        self.bar.set_message(message);
        self.bar.inc(1);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
