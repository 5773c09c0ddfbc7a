//! `dragoman publish` (write the English and bilingual editions) and
//! `dragoman ingest` (the main job: check, store in the memory, publish).
//!
//! Each step of `ingest` is one function below, in the order it runs:
//! [`load_recognizer`], [`read_article`], [`term_highlights`],
//! [`run_checks`], [`EditionFiles::check_writable`], [`store_in_memory`],
//! [`EditionFiles::write`], then the [`Summary`].

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::article::{LoadedPair, PairInput, optional_recognizer, read_pair};
use super::glossary::GlossarySelection;
use super::{Context, DataFormat, Outcome, warn};
use crate::align::DEFAULT_MIN_CONFIDENCE;
use crate::check::{self, CheckOptions, accept::AcceptList};
use crate::glossary::{Glossary, Recognizer, Rendering};
use crate::memory::{self, Memory, SkippedBead};
use crate::pair::ArticlePair;
use crate::project::document_name;
use crate::publish::{
    Edition, EditionOptions, FindingMark, FindingSpan, Highlight, Metadata, Severity, Side,
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
    #[command(flatten)]
    input: PairInput,
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
    #[command(flatten)]
    glossary: GlossarySelection,
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
    #[arg(long, value_name = "X", default_value_t = DEFAULT_MIN_CONFIDENCE, value_parser = parse_confidence)]
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
    #[arg(long, value_name = "X", default_value_t = DEFAULT_MIN_CONFIDENCE, value_parser = parse_confidence)]
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
    let files = EditionFiles::render(&job.edition, &args.out, &args.article.formats);
    files.check_writable(&args.out)?;
    let written = files.write()?;
    progress.finish();
    let summary = Summary { job: &job, memory: None, written: &written, min_confidence: args.min_confidence };
    summary.print(args.article.format)?;
    Ok(job.outcome())
}

pub fn ingest(args: IngestArgs, context: &Context) -> anyhow::Result<Outcome> {
    let mut progress = Progress::new(context, if args.no_tm { 3 } else { 4 });
    let job = prepare(&args.article, context, args.min_confidence, &mut progress)?;
    let out = args.out.clone().unwrap_or_else(|| context.project.out_dir());
    let files = EditionFiles::render(&job.edition, &out, &args.article.formats);
    // An output directory that cannot be written fails before the memory changes.
    files.check_writable(&out)?;
    let memory = if args.no_tm {
        None
    } else {
        progress.step("storing in the memory");
        Some(store_in_memory(&job.pair, context, args.min_confidence)?)
    };
    progress.step("writing editions");
    let written = files.write()?;
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
    let recognizer = optional_recognizer(&args.glossary, context)?;
    let pair = read_article(args, recognizer.clone())?;
    let recognizer = recognizer.as_deref();
    for warning in &pair.alignment.warnings {
        warn(format!("{}: {warning}", pair.name));
    }
    progress.step("checking");
    let highlights = recognizer.map(|r| term_highlights(&pair, r)).unwrap_or_default();
    let findings = run_checks(&pair, recognizer, context)?;
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

/// Reads both texts and builds the aligned pair: from `--beads` when
/// given, otherwise aligned with the glossary's terms as anchors, as every
/// command aligns (so bead numbers agree between them).
fn read_article(args: &ArticleArgs, recognizer: Option<Arc<Recognizer>>) -> anyhow::Result<ArticlePair> {
    let name = match &args.name {
        Some(name) => check_name(name)?,
        None => document_name(&args.source),
    };
    let options = args.input.options(recognizer)?;
    let LoadedPair { pair, source, target } = read_pair(&args.source, &args.target, &name, &options)?;
    for (input, side) in [(&source, "original"), (&target, "translation")] {
        if input.text.trim().is_empty() {
            bail!("{}: the {side} is empty; there is nothing to publish", input.name);
        }
    }
    Ok(pair)
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

/// Every glossary term the recognizer finds in each cell, on both sides,
/// as highlights (spans in the cell text, as `check` reports them).
fn term_highlights(pair: &ArticlePair, recognizer: &Recognizer) -> Vec<Highlight> {
    let entries = recognizer.entries();
    let mut highlights = Vec::new();
    for (bead_index, bead) in pair.alignment.beads.iter().enumerate() {
        let source = pair.source_of(bead);
        for found in recognizer.find_arabic(&source) {
            let Some(entry) = entries.get(found.entry) else { continue };
            highlights.push(Highlight {
                bead: bead_index,
                side: Side::Source,
                span: found.span.0..found.span.1,
                term: entry.source.clone(),
                rendering: entry.target.clone(),
                note: entry_note(entry),
                kind: entry.kind.name().to_string(),
            });
        }
        let target = pair.target_of(bead);
        for found in recognizer.find_english(&target) {
            let Some(entry) = entries.get(found.entry) else { continue };
            let (note, kind) = match found.rendering {
                Rendering::Forbidden => {
                    (format!("“{}” is not the house form. {}", found.surface, entry_note(entry)), "forbidden")
                }
                _ => (entry_note(entry), entry.kind.name()),
            };
            highlights.push(Highlight {
                bead: bead_index,
                side: Side::Target,
                span: found.span.0..found.span.1,
                term: entry.source.clone(),
                rendering: entry.target.clone(),
                note: note.trim().to_string(),
                kind: kind.to_string(),
            });
        }
    }
    highlights
}

/// What a tooltip says about an entry: its note, else its comment.
fn entry_note(entry: &crate::glossary::Entry) -> String {
    if entry.note.trim().is_empty() {
        entry.comment.trim().to_string()
    } else {
        entry.note.trim().to_string()
    }
}

/// The findings of `check` on this pair (the project's accept list
/// applied), as the page shows them. Without a glossary the checks that need
/// none (numbers, quotes, untranslated text) still run.
fn run_checks(
    pair: &ArticlePair,
    recognizer: Option<&Recognizer>,
    context: &Context,
) -> anyhow::Result<Vec<FindingMark>> {
    let accepted = match context.project.accept_list_path() {
        path if path.exists() => {
            let input = textio::read_text(&path)?;
            AcceptList::parse(&input.text, &input.name)?
        }
        _ => AcceptList::default(),
    };
    let no_glossary;
    let recognizer = match recognizer {
        Some(recognizer) => recognizer,
        None => {
            no_glossary = Recognizer::new(&Glossary::default());
            &no_glossary
        }
    };
    let report = check::run_checks(pair, recognizer, &CheckOptions::default()).apply_accepted(&accepted);
    Ok(report.findings.iter().map(finding_mark).collect())
}

/// A check finding as the page shows it: listed under its bead (and every
/// other bead it concerns), its spans marked in that bead's cells.
fn finding_mark(finding: &check::Finding) -> FindingMark {
    let mut beads: Vec<usize> = Vec::new();
    for bead in finding.bead.into_iter().chain(finding.beads.iter().copied()) {
        if !beads.contains(&bead) {
            beads.push(bead);
        }
    }
    let mut spans = Vec::new();
    if let Some(bead) = finding.bead {
        for (side, span) in [(Side::Source, finding.source_span), (Side::Target, finding.target_span)] {
            if let Some((start, end)) = span {
                spans.push(FindingSpan { bead, side, span: start..end });
            }
        }
    }
    let mut message = finding.message.clone();
    if let Some(suggestion) = finding.suggestion.as_deref().filter(|s| !message.contains(*s)) {
        message.push_str(&format!(" (suggested: {suggestion})"));
    }
    FindingMark {
        check: finding.check.id().to_string(),
        severity: match finding.severity {
            check::Severity::Error => Severity::Error,
            check::Severity::Warning => Severity::Warning,
            check::Severity::Info => Severity::Info,
        },
        message,
        beads,
        spans,
    }
}

/// What adding an article to the memory did.
#[derive(Debug, Clone)]
struct MemoryReport {
    path: PathBuf,
    /// Units stored now.
    added: usize,
    /// Units already present, identical, from an earlier run (kept as they were).
    unchanged: usize,
    /// Units of an earlier run of this document that are gone (a changed alignment).
    removed: usize,
    /// Beads not stored: low confidence, or one side empty.
    not_stored: Vec<SkippedBead>,
}

/// Replaces the document's units in the project memory with the beads at
/// or above `min_confidence` (one transaction: running ingest twice leaves
/// the document's units as the first run stored them).
fn store_in_memory(
    pair: &ArticlePair,
    context: &Context,
    min_confidence: f64,
) -> anyhow::Result<MemoryReport> {
    let created = crate::tmx::now();
    let (units, not_stored) = memory::units_from_pair(pair, min_confidence, &created);
    let path = context.project.memory_path();
    let mut store = Memory::open_or_create(&path)?;
    let replaced = store.replace_document(&pair.name, &units)?;
    Ok(MemoryReport {
        path,
        added: replaced.added,
        unchanged: replaced.unchanged,
        removed: replaced.removed,
        not_stored,
    })
}

/// The editions to write, rendered, and where.
struct EditionFiles {
    files: Vec<(PathBuf, String)>,
}

impl EditionFiles {
    /// Renders every requested format (each once, in the order asked).
    fn render(edition: &Edition, out: &Path, formats: &[EditionFormat]) -> EditionFiles {
        let mut unique: Vec<EditionFormat> = Vec::new();
        for format in formats {
            if !unique.contains(format) {
                unique.push(*format);
            }
        }
        let files =
            unique.iter().map(|f| (out.join(f.file_name(&edition.name)), f.render(edition))).collect();
        EditionFiles { files }
    }

    /// Creates `out` if missing and makes sure every file can be written
    /// there, before anything is changed (the memory included).
    fn check_writable(&self, out: &Path) -> anyhow::Result<()> {
        std::fs::create_dir_all(out)
            .with_context(|| format!("cannot create output directory {}", out.display()))?;
        if let Some((path, _)) = self.files.iter().find(|(path, _)| path.is_dir()) {
            bail!("cannot write {}: a directory is in the way", path.display());
        }
        tempfile::NamedTempFile::new_in(out).with_context(|| format!("cannot write to {}", out.display()))?;
        Ok(())
    }

    /// Writes each file atomically: a failure leaves no half-written file.
    fn write(self) -> anyhow::Result<Vec<PathBuf>> {
        let mut written = Vec::with_capacity(self.files.len());
        for (path, contents) in self.files {
            textio::write_atomic(&path, contents.as_bytes())?;
            written.push(path);
        }
        Ok(written)
    }
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
            let mut also = String::new();
            if memory.unchanged > 0 {
                also += &format!(", {} already present", memory.unchanged);
            }
            if memory.removed > 0 {
                also += &format!(", {} from an earlier alignment removed", memory.removed);
            }
            lines.push(format!(
                "memory: {} {} added to {}{also}",
                memory.added,
                plural("unit", memory.added),
                memory.path.display()
            ));
            for bead in &memory.not_stored {
                lines.push(format!("not stored: bead {}: {}", bead.bead, bead.reason));
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
                "added": m.added,
                "already_present": m.unchanged,
                "removed": m.removed,
                "not_stored": m.not_stored,
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
