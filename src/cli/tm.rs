//! `dragoman tm …`: the translation memory (import, export, add, stats,
//! remove, lookup, concordance).

use std::fmt::Write as _;
use std::io::Read;
use std::path::PathBuf;

use anyhow::Context as _;

use super::article::{LoadedPair, PairInput, optional_recognizer, read_pair};
use super::glossary::GlossarySelection;
use super::{Context, DataFormat, Outcome, warn};
use crate::lang::Lang;
use crate::memory::{
    self, ConcordanceOptions, FuzzyMatch, ImportOptions, LanguagePair, LookupOptions, Memory, MemoryError,
    TmxSource,
};
use crate::textio;

#[derive(Debug, clap::Subcommand)]
pub enum TmCommand {
    /// Import TMX files (`-` = stdin) into the memory, all or nothing.
    Import(ImportArgs),
    /// Write the whole memory as TMX 1.4b (`-` = stdout).
    Export(ExportArgs),
    /// Align an article pair and store its beads (replacing the document's previous units).
    Add(AddArgs),
    /// Memory statistics: units, languages, documents, dates, size.
    Stats(StatsArgs),
    /// Remove the units stored from one document.
    Remove(RemoveArgs),
    /// Best fuzzy matches for a sentence, or for every sentence of a file.
    Lookup(LookupArgs),
    /// Every unit whose text contains a term (Arabic: clitic-aware), in context.
    Concordance(ConcordanceArgs),
    /// Rebuild the word index (after `import --no-index`, or to drop removed units' entries).
    Reindex(MemoryPath),
}

/// `--tm PATH`, shared by every `tm` command.
#[derive(Debug, clap::Args)]
pub struct MemoryPath {
    /// The memory file [default: tm/memory.sqlite under the project].
    #[arg(long = "tm", value_name = "PATH")]
    tm: Option<PathBuf>,
}

impl MemoryPath {
    fn resolve(&self, context: &Context) -> PathBuf {
        self.tm.clone().unwrap_or_else(|| context.project.memory_path())
    }
}

/// `--srclang` / `--tgtlang`.
#[derive(Debug, clap::Args)]
pub struct LanguageArgs {
    /// The source language tag (`ar`, `ar-SA`, …).
    #[arg(long, default_value = "ar", value_name = "TAG")]
    srclang: String,
    /// The target language tag (`en`, `en-GB`, …).
    #[arg(long, default_value = "en", value_name = "TAG")]
    tgtlang: String,
}

impl LanguageArgs {
    fn pair(&self) -> anyhow::Result<LanguagePair> {
        let parse = |flag: &str, tag: &str| {
            Lang::from_tag(tag).ok_or_else(|| {
                anyhow::anyhow!("{flag} `{tag}`: expected an Arabic or English language tag (`ar`, `ar-SA`, `en`, `en-GB`)")
            })
        };
        if parse("--srclang", &self.srclang)? == parse("--tgtlang", &self.tgtlang)? {
            anyhow::bail!(
                "--srclang `{}` and --tgtlang `{}` are the same language",
                self.srclang,
                self.tgtlang
            );
        }
        Ok(LanguagePair { source: self.srclang.clone(), target: self.tgtlang.clone() })
    }
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// TMX files (`-` = stdin). Several files are imported all or nothing.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Skip units the reader rejects (each is listed) instead of failing.
    #[arg(long)]
    skip_bad: bool,
    /// Do not build the word index now (faster bulk loads); run `tm reindex` before lookups.
    #[arg(long)]
    no_index: bool,
    #[command(flatten)]
    languages: LanguageArgs,
    #[command(flatten)]
    memory: MemoryPath,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The TMX file to write (`-` = stdout).
    #[arg(value_name = "OUT.tmx")]
    out: PathBuf,
    #[command(flatten)]
    languages: LanguageArgs,
    #[command(flatten)]
    memory: MemoryPath,
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The Arabic article.
    source: PathBuf,
    /// Its English translation.
    target: PathBuf,
    #[command(flatten)]
    input: PairInput,
    #[command(flatten)]
    glossary: GlossarySelection,
    /// Skip (and list) beads the aligner is less sure of than this (0–1).
    #[arg(long, value_name = "X", default_value_t = 0.0)]
    min_confidence: f64,
    /// The document name [default: from the source file name].
    #[arg(long)]
    name: Option<String>,
    #[command(flatten)]
    memory: MemoryPath,
}

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    #[arg(long, value_enum, default_value_t)]
    format: DataFormat,
    #[command(flatten)]
    memory: MemoryPath,
}

#[derive(Debug, clap::Args)]
pub struct RemoveArgs {
    /// The document whose units to remove.
    #[arg(long = "doc", value_name = "NAME")]
    doc: String,
    #[command(flatten)]
    memory: MemoryPath,
}

#[derive(Debug, clap::Args)]
pub struct LookupArgs {
    /// The sentence to look up.
    #[arg(required_unless_present = "file", conflicts_with = "file")]
    text: Option<String>,
    /// Look up every sentence of FILE (`-` = stdin): a pre-translation preview.
    #[arg(long, value_name = "FILE")]
    file: Option<PathBuf>,
    /// FILE is already one sentence a line.
    #[arg(long, requires = "file")]
    presegmented: bool,
    /// The lowest score to show (percent).
    #[arg(long, default_value_t = 70, value_parser = clap::value_parser!(u8).range(1..=100))]
    min: u8,
    /// At most this many matches per sentence.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
    limit: u64,
    /// The query's language [default: by script].
    #[arg(long)]
    lang: Option<Lang>,
    #[arg(long, value_enum, default_value_t)]
    format: DataFormat,
    #[command(flatten)]
    memory: MemoryPath,
}

#[derive(Debug, clap::Args)]
pub struct ConcordanceArgs {
    /// The word or phrase to find.
    term: String,
    /// The term's language [default: by script].
    #[arg(long)]
    lang: Option<Lang>,
    /// At most this many units, most recent first.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..))]
    limit: u64,
    #[arg(long, value_enum, default_value_t)]
    format: DataFormat,
    #[command(flatten)]
    memory: MemoryPath,
}

pub fn run(command: TmCommand, context: &Context) -> anyhow::Result<Outcome> {
    match command {
        TmCommand::Import(args) => import(args, context),
        TmCommand::Export(args) => export(args, context),
        TmCommand::Add(args) => add(args, context),
        TmCommand::Stats(args) => stats(args, context),
        TmCommand::Remove(args) => remove(args, context),
        TmCommand::Lookup(args) => lookup(args, context),
        TmCommand::Concordance(args) => concordance(args, context),
        TmCommand::Reindex(memory) => {
            let path = memory.resolve(context);
            Memory::open(&path)?.reindex()?;
            eprintln!("{}: word index rebuilt", path.display());
            Ok(Outcome::Ok)
        }
    }
}

fn import(args: ImportArgs, context: &Context) -> anyhow::Result<Outcome> {
    let options =
        ImportOptions { languages: args.languages.pair()?, skip_bad: args.skip_bad, no_index: args.no_index };
    if args.files.iter().filter(|f| f.as_os_str() == "-").count() > 1 {
        anyhow::bail!("`-` (stdin) can be imported only once");
    }
    let mut total_bytes = 0;
    let mut inputs = Vec::new();
    for file in &args.files {
        let name = textio::display_name(file);
        let input: Box<dyn Read> = if file.as_os_str() == "-" {
            Box::new(std::io::stdin().lock())
        } else {
            if file.is_dir() {
                anyhow::bail!("{name}: is a directory, expected a TMX file");
            }
            let opened = std::fs::File::open(file).with_context(|| format!("cannot open {name}"))?;
            total_bytes += opened.metadata().map(|m| m.len()).unwrap_or(0);
            Box::new(opened)
        };
        inputs.push((name, input));
    }
    let progress = if context.stderr_is_terminal && total_bytes > 8 << 20 {
        let bar = indicatif::ProgressBar::new(total_bytes);
        bar.set_style(
            indicatif::ProgressStyle::with_template("importing {bar:40} {bytes}/{total_bytes} ({eta})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    let sources: Vec<TmxSource> = inputs
        .into_iter()
        .map(|(name, input)| TmxSource {
            name,
            input: match &progress {
                Some(bar) => Box::new(bar.wrap_read(input)),
                None => input,
            },
        })
        .collect();

    let path = args.memory.resolve(context);
    let existed = path.exists();
    let mut memory = Memory::open_or_create(&path)?;
    let result = memory.import(sources, &options);
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let report = match result {
        Ok(report) => report,
        Err(error) => {
            drop(memory);
            if !existed {
                // Leave no empty memory behind a failed first import.
                for suffix in ["", "-wal", "-shm"] {
                    let mut name = path.as_os_str().to_owned();
                    name.push(suffix);
                    let _ = std::fs::remove_file(PathBuf::from(name));
                }
            }
            anyhow::bail!("{error} (nothing was imported; the memory is unchanged)");
        }
    };
    for file in &report.files {
        for error in &file.skipped {
            warn(format_args!("skipped a bad unit: {error}"));
        }
        for issue in &file.language_issues {
            warn(format_args!(
                "{}: unit {}{}: {}",
                file.name,
                issue.position,
                issue.tuid.as_deref().map(|t| format!(" (tuid {t})")).unwrap_or_default(),
                issue.message
            ));
        }
        let mut notes = Vec::new();
        if !file.skipped.is_empty() {
            notes.push(format!("{} bad units skipped", file.skipped.len()));
        }
        if !file.language_issues.is_empty() {
            notes.push(format!("{} without both languages", file.language_issues.len()));
        }
        eprintln!(
            "{}: imported {} units{}",
            file.name,
            file.imported,
            if notes.is_empty() { String::new() } else { format!(" ({})", notes.join(", ")) }
        );
    }
    eprintln!("{}: now {} units", path.display(), memory.unit_count()?);
    Ok(Outcome::Ok)
}

fn export(args: ExportArgs, context: &Context) -> anyhow::Result<Outcome> {
    let languages = args.languages.pair()?;
    let memory = Memory::open(&args.memory.resolve(context))?;
    let mut failure = None;
    let mut count = 0;
    textio::write_atomic_with(&args.out, |out| match memory.export(out, &languages) {
        Ok(n) => {
            count = n;
            Ok(())
        }
        Err(MemoryError::Write(e)) => Err(e),
        Err(other) => {
            let message = other.to_string();
            failure = Some(other);
            Err(std::io::Error::other(message))
        }
    })
    .map_err(|e| match failure.take() {
        Some(cause) => anyhow::Error::new(cause),
        None => e.into(),
    })?;
    if args.out.as_os_str() != "-" {
        eprintln!("exported {count} units to {}", args.out.display());
    }
    Ok(Outcome::Ok)
}

fn add(args: AddArgs, context: &Context) -> anyhow::Result<Outcome> {
    if !(0.0..=1.0).contains(&args.min_confidence) {
        anyhow::bail!("--min-confidence must be between 0 and 1, not {}", args.min_confidence);
    }
    let name = args.name.clone().unwrap_or_else(|| crate::project::document_name(&args.source));
    let options = args.input.options(optional_recognizer(&args.glossary, context)?)?;
    let LoadedPair { pair, .. } = read_pair(&args.source, &args.target, &name, &options)?;
    for warning in &pair.alignment.warnings {
        warn(warning);
    }
    let created = crate::tmx::now();
    let (units, skipped) = memory::units_from_pair(&pair, args.min_confidence, &created);
    let path = args.memory.resolve(context);
    let mut memory = Memory::open_or_create(&path)?;
    let replaced = memory.replace_document(&name, &units)?;
    for bead in &skipped {
        warn(format_args!("bead {} not stored: {}: {}", bead.bead, bead.reason, bead.text));
    }
    eprintln!(
        "{name}: stored {} units in {}{}{}{}",
        replaced.added,
        path.display(),
        if replaced.unchanged > 0 {
            format!(", {} already present", replaced.unchanged)
        } else {
            String::new()
        },
        if replaced.removed > 0 { format!(" (removed {} stale)", replaced.removed) } else { String::new() },
        if skipped.is_empty() { String::new() } else { format!("; {} beads skipped", skipped.len()) },
    );
    Ok(Outcome::Ok)
}

fn stats(args: StatsArgs, context: &Context) -> anyhow::Result<Outcome> {
    let memory = Memory::open(&args.memory.resolve(context))?;
    let stats = memory.stats()?;
    let mut out = String::new();
    match args.format {
        DataFormat::Json => {
            out = serde_json::to_string_pretty(&stats)?;
            out.push('\n');
        }
        DataFormat::Text => {
            let _ = writeln!(
                out,
                "memory     {} ({}, index {})",
                stats.path,
                human_bytes(stats.size_bytes),
                human_bytes(stats.index_bytes)
            );
            let _ = writeln!(out, "units      {}", stats.units);
            if stats.unmatchable > 0 {
                let _ = writeln!(out, "           {} lack an Arabic or English variant", stats.unmatchable);
            }
            let languages: Vec<String> = stats.languages.iter().map(|(l, n)| format!("{l} {n}")).collect();
            let _ = writeln!(out, "languages  {}", languages.join(", "));
            let documents: Vec<String> =
                stats.documents.iter().map(|d| format!("{} ({})", d.name, d.units)).collect();
            let _ = writeln!(
                out,
                "documents  {}{}",
                stats.documents.len(),
                if documents.is_empty() { String::new() } else { format!(": {}", documents.join(", ")) }
            );
            if let (Some(first), Some(last)) = (&stats.first_date, &stats.last_date) {
                let _ = writeln!(out, "dates      {first} – {last}");
            }
        }
    }
    print_data(&out, context)?;
    Ok(Outcome::Ok)
}

fn human_bytes(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GB", b as f64 / f64::from(1u32 << 30)),
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / f64::from(1u32 << 20)),
        b if b >= 1 << 10 => format!("{:.1} kB", b as f64 / 1024.0),
        b => format!("{b} bytes"),
    }
}

fn remove(args: RemoveArgs, context: &Context) -> anyhow::Result<Outcome> {
    let path = args.memory.resolve(context);
    let mut memory = Memory::open(&path)?;
    let removed = memory.remove_document(&args.doc)?;
    if removed == 0 {
        let known: Vec<String> = memory.documents()?.into_iter().map(|d| d.name).collect();
        anyhow::bail!(
            "{}: no document `{}` in the memory{}",
            path.display(),
            args.doc,
            if known.is_empty() { String::new() } else { format!(" (documents: {})", known.join(", ")) }
        );
    }
    eprintln!("{}: removed {removed} units of `{}`", path.display(), args.doc);
    Ok(Outcome::Ok)
}

#[derive(serde::Serialize)]
struct LookupResult<'a> {
    query: &'a str,
    matches: &'a [FuzzyMatch],
}

/// How the best matches of a file's sentences fall.
#[derive(Debug, Default, serde::Serialize)]
struct LookupSummary {
    segments: usize,
    exact: usize,
    at_least_85: usize,
    at_least_70: usize,
    below_70: usize,
    no_match: usize,
}

impl LookupSummary {
    fn count(&mut self, best: Option<&FuzzyMatch>) {
        self.segments += 1;
        match best {
            Some(m) if m.exact => self.exact += 1,
            Some(m) if m.score >= 85 => self.at_least_85 += 1,
            Some(m) if m.score >= 70 => self.at_least_70 += 1,
            Some(_) => self.below_70 += 1,
            None => self.no_match += 1,
        }
    }
}

fn lookup(args: LookupArgs, context: &Context) -> anyhow::Result<Outcome> {
    let path = args.memory.resolve(context);
    let memory = Memory::open(&path)?;
    let options = LookupOptions {
        min: args.min,
        limit: usize::try_from(args.limit).unwrap_or(usize::MAX),
        lang: args.lang,
    };
    let Some(file) = &args.file else {
        let query = args.text.as_deref().unwrap_or_default();
        let matches = memory.lookup(query, &options)?;
        let out = match args.format {
            DataFormat::Json => {
                serde_json::to_string_pretty(&LookupResult { query, matches: &matches })? + "\n"
            }
            DataFormat::Text => render_matches(query, &matches, context),
        };
        print_data(&out, context)?;
        if matches.is_empty() {
            eprintln!("dragoman: no match of {}% or more in {}", args.min, path.display());
            return Ok(Outcome::Findings);
        }
        return Ok(Outcome::Ok);
    };

    let input = textio::read_text(file)?;
    let segments = if args.presegmented {
        crate::segment::read_presegmented(&input.text, None)
    } else {
        crate::segment::Segmenter::builtin().segment(&input.text, None)
    };
    let mut summary = LookupSummary::default();
    let mut results = Vec::new();
    for segment in &segments {
        let matches = match memory.lookup(&segment.text, &options) {
            Ok(matches) => matches,
            // A sentence of punctuation only simply has no match.
            Err(MemoryError::NoWords) => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        summary.count(matches.first());
        results.push((segment.text.as_str(), matches));
    }
    let out = match args.format {
        DataFormat::Json => {
            let results: Vec<LookupResult> =
                results.iter().map(|(query, matches)| LookupResult { query, matches }).collect();
            serde_json::to_string_pretty(&serde_json::json!({ "results": results, "summary": summary }))?
                + "\n"
        }
        DataFormat::Text => {
            let mut out = String::new();
            for (i, (query, matches)) in results.iter().enumerate() {
                let _ = writeln!(out, "[{}] {}", i + 1, shown(query, context));
                if matches.is_empty() {
                    out.push_str("      no match\n");
                } else {
                    out.push_str(&render_matches(query, matches, context));
                }
                out.push('\n');
            }
            let _ = writeln!(
                out,
                "{} sentences: {} exact, {} ≥ 85%, {} ≥ 70%, {}{} no match",
                summary.segments,
                summary.exact,
                summary.at_least_85,
                summary.at_least_70,
                if summary.below_70 > 0 {
                    format!("{} below 70%, ", summary.below_70)
                } else {
                    String::new()
                },
                summary.no_match
            );
            out
        }
    };
    print_data(&out, context)?;
    Ok(if summary.no_match == summary.segments { Outcome::Findings } else { Outcome::Ok })
}

/// Score, source with the words that differ from the query marked, target.
fn render_matches(query: &str, matches: &[FuzzyMatch], context: &Context) -> String {
    let mut out = String::new();
    for m in matches {
        let differing = memory::lookup::differing_words(query, &m.source);
        let score = if m.exact { "100% exact".to_string() } else { format!("{}%", m.score) };
        let _ = writeln!(out, "{score:>10}  {}", mark(&m.source, &differing, context));
        let _ = writeln!(out, "{:>10}  {}", "", shown(&m.target, context));
        let mut about = Vec::new();
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
            let _ = writeln!(out, "{:>10}  {}", "", dim(&about.join(" · "), context));
        }
    }
    out
}

fn concordance(args: ConcordanceArgs, context: &Context) -> anyhow::Result<Outcome> {
    let path = args.memory.resolve(context);
    let memory = Memory::open(&path)?;
    let options =
        ConcordanceOptions { lang: args.lang, limit: usize::try_from(args.limit).unwrap_or(usize::MAX) };
    let hits = memory.concordance(&args.term, &options)?;
    let out = match args.format {
        DataFormat::Json => {
            serde_json::to_string_pretty(&serde_json::json!({ "term": args.term, "hits": hits }))? + "\n"
        }
        DataFormat::Text => {
            let mut out = String::new();
            for hit in &hits {
                let (from, to) = context_window(&hit.source, &hit.spans, 60);
                let spans: Vec<(usize, usize)> = hit
                    .spans
                    .iter()
                    .filter(|&&(s, e)| s >= from && e <= to)
                    .map(|&(s, e)| (s - from, e - from))
                    .collect();
                let ellipsis = |cut: bool| if cut { "…" } else { "" };
                let _ = writeln!(
                    out,
                    "{:>8}  {}{}{}",
                    format!("#{}", hit.id),
                    ellipsis(from > 0),
                    mark(&hit.source[from..to], &spans, context),
                    ellipsis(to < hit.source.len())
                );
                // The translation, cut to the width of a few lines: the
                // keyword is on the source side.
                let (_, to) = context_window(&hit.target, &[(0, 0)], 160);
                let _ = writeln!(
                    out,
                    "{:>8}  {}{}",
                    "",
                    shown(&hit.target[..to], context),
                    ellipsis(to < hit.target.len())
                );
            }
            out
        }
    };
    print_data(&out, context)?;
    if hits.is_empty() {
        eprintln!("dragoman: `{}` is in no unit of {}", args.term, path.display());
        return Ok(Outcome::Findings);
    }
    if hits.len() as u64 == args.limit {
        eprintln!("dragoman: showing the {} most recent units (--limit); there may be more", hits.len());
    }
    Ok(Outcome::Ok)
}

/// Byte range of `text` around its first span, at most `radius` characters
/// on each side, on char boundaries.
fn context_window(text: &str, spans: &[(usize, usize)], radius: usize) -> (usize, usize) {
    let Some(&(start, end)) = spans.first() else { return (0, text.len()) };
    let from = text[..start].char_indices().rev().nth(radius.saturating_sub(1)).map_or(0, |(i, _)| i);
    let to = text[end..].char_indices().nth(radius).map_or(text.len(), |(i, _)| end + i);
    (from, to)
}

/// `text` with `spans` marked: bold red on a colour terminal, `[…]` otherwise.
fn mark(text: &str, spans: &[(usize, usize)], context: &Context) -> String {
    let mut out = String::new();
    let mut at = 0;
    for &(start, end) in spans {
        if start < at || end > text.len() || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        out.push_str(&shown(&text[at..start], context));
        if context.color {
            let _ = write!(out, "\x1b[1;31m{}\x1b[0m", shown(&text[start..end], context));
        } else {
            let _ = write!(out, "[{}]", shown(&text[start..end], context));
        }
        at = end;
    }
    out.push_str(&shown(&text[at..], context));
    out
}

fn dim(text: &str, context: &Context) -> String {
    if context.color { format!("\x1b[2m{text}\x1b[0m") } else { text.to_string() }
}

/// Text as printed: on a terminal, bidi and zero-width controls are shown
/// escaped (`<U+202E>`) so they cannot reorder or hide what is displayed.
fn shown(text: &str, context: &Context) -> String {
    if !context.stdout_is_terminal {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_invisible_control(c) {
            let _ = write!(out, "<U+{:04X}>", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

fn is_invisible_control(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}' | '\u{2060}')
        || (c.is_control() && c != '\n' && c != '\t')
}

fn print_data(out: &str, _context: &Context) -> anyhow::Result<()> {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    lock.write_all(out.as_bytes()).context("cannot write to stdout")?;
    lock.flush().context("cannot write to stdout")?;
    Ok(())
}
