//! `dragoman tm …`: the translation memory (import, export, add, stats,
//! remove, lookup, concordance).

use std::fmt::Write as _;
use std::path::PathBuf;

use super::args::{GlossaryArgs, MemoryPath, PairInput, WaitArgs, parse_confidence, warn_all};
use super::print::{Tone, note};
use super::{Context, DataFormat, Outcome, warn};
use dragoman::align::DEFAULT_MIN_CONFIDENCE;
use dragoman::lang::Lang;
use dragoman::memory::{
    self, ConcordanceOptions, FuzzyMatch, ImportOptions, ImportOutcome, LanguagePair, LookupOptions, Memory,
    MemoryLocation,
};
use dragoman::workflow;
use dragoman::workflow::memory::{FileLookup, SentenceLookup};

#[derive(Debug, clap::Subcommand)]
pub enum TmCommand {
    /// Import TMX files (`-` = stdin) into the memory, all or nothing.
    Import(ImportArgs),
    /// Write the memory (or some documents of it) as TMX 1.4b (`-` = stdout).
    Export(ExportArgs),
    /// Align an article pair and store its beads (replacing the document's previous units).
    Add(AddArgs),
    /// Memory statistics: units, languages, documents, dates, size.
    Stats(StatsArgs),
    /// Every document: title, date, units, source file, when last ingested.
    Documents(DocumentsArgs),
    /// Remove the units stored from one document.
    Remove(RemoveArgs),
    /// Best fuzzy matches for a sentence, or for every sentence of a file.
    Lookup(LookupArgs),
    /// Every unit whose text contains a term (Arabic: clitic-aware), in context.
    Concordance(ConcordanceArgs),
    /// Copy a whole memory to another (SQLite ↔ PostgreSQL), losslessly.
    Copy(CopyArgs),
    /// Rebuild the word index (after `import --no-index`, or to drop removed units' entries).
    Reindex(MemoryPath),
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
        Ok(workflow::memory::language_pair(&self.srclang, &self.tgtlang)?)
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
    /// Add units identical to ones already in the memory (dates aside);
    /// by default they are counted and not added again.
    #[arg(long)]
    keep_duplicates: bool,
    #[command(flatten)]
    wait: WaitArgs,
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
    /// Export only this document's units (repeatable; `tm documents` lists them).
    #[arg(long, value_name = "NAME")]
    document: Vec<String>,
    #[command(flatten)]
    languages: LanguageArgs,
    #[command(flatten)]
    memory: MemoryPath,
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The Arabic article.
    #[arg(value_name = "SOURCE")]
    source: PathBuf,
    /// Its English translation.
    #[arg(value_name = "TARGET")]
    target: PathBuf,
    #[command(flatten)]
    input: PairInput,
    #[command(flatten)]
    glossary: GlossaryArgs,
    /// Skip (and list) beads the aligner is less sure of than this (0–1),
    /// as `ingest` does.
    #[arg(long, value_name = "X", default_value_t = DEFAULT_MIN_CONFIDENCE, value_parser = parse_confidence)]
    min_confidence: f64,
    /// The document name [default: from the source file name; required
    /// when SOURCE is `-`].
    #[arg(long)]
    name: Option<String>,
    /// Replace the memory's document of the same name even though it was
    /// added from another source file (by default that is refused).
    #[arg(long)]
    replace: bool,
    #[command(flatten)]
    wait: WaitArgs,
    #[command(flatten)]
    memory: MemoryPath,
}

#[derive(Debug, clap::Args)]
pub struct CopyArgs {
    /// The memory to copy: an SQLite file or a PostgreSQL URL.
    #[arg(value_name = "FROM")]
    from: String,
    /// Where to copy it (created if missing; refused when it holds units, unless --append).
    #[arg(value_name = "TO")]
    to: String,
    /// Add to a memory that already holds units.
    #[arg(long)]
    append: bool,
}

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// text: a summary for people; json: every figure, for scripts.
    #[arg(long, value_enum, default_value_t)]
    format: DataFormat,
    #[command(flatten)]
    memory: MemoryPath,
}

#[derive(Debug, clap::Args)]
pub struct DocumentsArgs {
    /// text: a table for people; json: a list of documents (`name`, `units`,
    /// `source_file`, `title`, `date`, `ingested` as ISO 8601 UTC; `null`
    /// when the memory does not know).
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
    /// The sentence to look up (or --file FILE for every sentence of a file).
    #[arg(value_name = "TEXT", conflicts_with = "file")]
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
    /// text: matches with the differing words marked; json: matches with
    /// scores, tuids and documents (and a summary with --file).
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
    /// text: each unit with the term marked in context; json: units with
    /// the term's spans (UTF-8 byte offsets into the source).
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
        TmCommand::Copy(args) => {
            let (from, to) = (MemoryLocation::parse(&args.from)?, MemoryLocation::parse(&args.to)?);
            let copied = memory::copy(&from, &to, args.append)?;
            note(format!("copied {copied} units from {from} to {to}"));
            Ok(Outcome::Ok)
        }
        TmCommand::Stats(args) => stats(args, context),
        TmCommand::Documents(args) => documents(args, context),
        TmCommand::Remove(args) => remove(args, context),
        TmCommand::Lookup(args) => lookup(args, context),
        TmCommand::Concordance(args) => concordance(args, context),
        TmCommand::Reindex(memory) => {
            let path = memory.resolve(context)?;
            Memory::open_location(&path)?.reindex()?;
            note(format!("{}: word index rebuilt", path));
            Ok(Outcome::Ok)
        }
    }
}

fn import(args: ImportArgs, context: &Context) -> anyhow::Result<Outcome> {
    let options =
        ImportOptions { languages: args.languages.pair()?, skip_bad: args.skip_bad, no_index: args.no_index };
    let (mut sources, total_bytes) = workflow::memory::open_tmx_files(&args.files)?;
    let progress = (context.stderr_is_terminal && total_bytes > 8 << 20).then(|| {
        let bar = indicatif::ProgressBar::new(total_bytes);
        bar.set_style(
            indicatif::ProgressStyle::with_template("importing {bar:40} {bytes}/{total_bytes} ({eta})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        for source in &mut sources {
            let input = std::mem::replace(&mut source.input, Box::new(std::io::empty()));
            source.input = Box::new(bar.wrap_read(input));
        }
        bar
    });
    let path = args.memory.resolve(context)?;
    let extras = memory::ImportExtras {
        keep_duplicates: args.keep_duplicates,
        lock_wait: args.wait.lock_wait(context),
    };
    let result = memory::import_into_location(&path, sources, &options, &extras);
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let ImportOutcome { report, units } =
        result.map_err(|e| anyhow::anyhow!("{e} (nothing was imported; the memory is unchanged)"))?;
    for file in &report.files {
        for error in &file.skipped {
            warn(format_args!("skipped a bad unit: {error}"));
        }
        for issue in &file.language_issues {
            let tuid = issue.tuid.as_deref().map(|t| format!(" (tuid {t})")).unwrap_or_default();
            warn(format_args!("{}: unit {}{tuid}: {}", file.name, issue.position, issue.message));
        }
        let mut notes = Vec::new();
        if file.skipped_total > file.skipped.len() {
            warn(format_args!("… and {} more bad units", file.skipped_total - file.skipped.len()));
        }
        if file.skipped_total > 0 {
            notes.push(format!("{} bad units skipped", file.skipped_total));
        }
        if file.already_present > 0 {
            notes.push(format!("{} already in the memory", file.already_present));
        }
        if !file.language_issues.is_empty() {
            notes.push(format!("{} without both languages", file.language_issues.len()));
        }
        let notes = if notes.is_empty() { String::new() } else { format!(" ({})", notes.join(", ")) };
        note(format!("{}: imported {} units{notes}", file.name, file.imported));
    }
    note(format!("{}: now {units} units", path));
    Ok(Outcome::Ok)
}

fn export(args: ExportArgs, context: &Context) -> anyhow::Result<Outcome> {
    let count = workflow::memory::export(
        &args.memory.resolve(context)?,
        &args.out,
        &args.languages.pair()?,
        &args.document,
    )?;
    if args.out.as_os_str() != "-" {
        note(format!("exported {count} units to {}", args.out.display()));
    }
    Ok(Outcome::Ok)
}

fn add(args: AddArgs, context: &Context) -> anyhow::Result<Outcome> {
    let request = workflow::memory::AddRequest {
        source: args.source.clone(),
        target: args.target.clone(),
        input: args.input.input_in(&context.project),
        glossary: args.glossary.choice(),
        name: args.name.clone(),
        min_confidence: args.min_confidence,
        memory: args.memory.resolve(context)?,
        lock_wait: args.wait.lock_wait(context),
        replace: args.replace,
    };
    let (report, warnings) = workflow::memory::add_article(&context.project, &request)?;
    warn_all(&warnings);
    for bead in &report.not_stored {
        warn(format_args!("bead {} not stored: {}: {}", bead.bead, bead.reason, bead.text));
    }
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
    note(format!("{}: stored {} units in {}{also}", report.name, report.added, report.path));
    Ok(Outcome::Ok)
}

fn stats(args: StatsArgs, context: &Context) -> anyhow::Result<Outcome> {
    let memory = Memory::open_location(&args.memory.resolve(context)?)?;
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
    context.printer.data(&out)?;
    Ok(Outcome::Ok)
}

fn documents(args: DocumentsArgs, context: &Context) -> anyhow::Result<Outcome> {
    let documents = workflow::memory::documents(&args.memory.resolve(context)?)?;
    if args.format == DataFormat::Json {
        #[derive(serde::Serialize)]
        struct Documents<'a> {
            documents: &'a [memory::DocumentRecord],
        }
        context.printer.json(&Documents { documents: &documents })?;
        return Ok(Outcome::Ok);
    }
    let printer = &context.printer;
    let mut out = String::new();
    for document in &documents {
        let title = document.title.as_deref().map(|t| format!("  {t}")).unwrap_or_default();
        let _ = writeln!(out, "{}{}", document.name, printer.shown(&title));
        let mut about =
            vec![format!("{} {}", document.units, if document.units == 1 { "unit" } else { "units" })];
        about.extend(document.date.as_ref().map(|d| format!("dated {d}")));
        match (&document.source_file, &document.ingested) {
            (Some(source), Some(at)) => {
                about.push(format!("from {}", memory::shown_source(source)));
                about.push(format!("ingested {}", memory::shown_time(at)));
            }
            (None, Some(at)) => about.push(format!("source not known, ingested {}", memory::shown_time(at))),
            // Imported from TMX, or stored before the memory recorded documents.
            (_, None) => about.push("source not known".to_string()),
        }
        let _ = writeln!(out, "    {}", printer.shown(&about.join(" · ")));
    }
    let _ =
        writeln!(out, "{} {}", documents.len(), if documents.len() == 1 { "document" } else { "documents" });
    printer.data(&out)?;
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
    let path = args.memory.resolve(context)?;
    let removed = workflow::memory::remove_document(&path, &args.doc)?;
    note(format!("{}: removed {removed} units of `{}`", path, args.doc));
    Ok(Outcome::Ok)
}

fn lookup(args: LookupArgs, context: &Context) -> anyhow::Result<Outcome> {
    if args.text.is_none() && args.file.is_none() {
        anyhow::bail!("give a sentence to look up, or --file FILE to look up every sentence of a file");
    }
    let path = args.memory.resolve(context)?;
    let memory = Memory::open_location(&path)?;
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
                let result = SentenceLookup { query: query.to_string(), matches: matches.clone() };
                serde_json::to_string_pretty(&result)? + "\n"
            }
            DataFormat::Text => render_matches(query, &matches, context),
        };
        context.printer.data(&out)?;
        if matches.is_empty() {
            note(format!("dragoman: no match of {}% or more in {}", args.min, path));
            return Ok(Outcome::Findings);
        }
        return Ok(Outcome::Ok);
    };

    let lookup = workflow::memory::lookup_file(&path, file, args.presegmented, &options)?;
    match args.format {
        DataFormat::Json => context.printer.json(&lookup)?,
        DataFormat::Text => context.printer.data(&render_file_lookup(&lookup, context))?,
    }
    let summary = &lookup.summary;
    Ok(if summary.no_match == summary.segments { Outcome::Findings } else { Outcome::Ok })
}

fn render_file_lookup(lookup: &FileLookup, context: &Context) -> String {
    let summary = &lookup.summary;
    let mut out = String::new();
    for (i, SentenceLookup { query, matches }) in lookup.results.iter().enumerate() {
        let _ = writeln!(out, "[{}] {}", i + 1, context.printer.shown(query));
        if matches.is_empty() {
            out.push_str("      no match\n");
        } else {
            out.push_str(&render_matches(query, matches, context));
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

/// Score, source with the words that differ from the query marked, target.
fn render_matches(query: &str, matches: &[FuzzyMatch], context: &Context) -> String {
    let printer = &context.printer;
    let mut out = String::new();
    for m in matches {
        // Within the matching sentence of a longer unit: the others are
        // not differences, they are more than the query.
        let (from, until) = m
            .part
            .filter(|p| m.source.get(p.start..p.end).is_some())
            .map_or((0, m.source.len()), |p| (p.start, p.end));
        let differing: Vec<((usize, usize), Tone)> =
            memory::lookup::differing_words(query, &m.source[from..until])
                .into_iter()
                .map(|(s, e)| ((from + s, from + e), Tone::Hit))
                .collect();
        let score = if m.exact { "100% exact".to_string() } else { format!("{}%", m.score) };
        let _ = writeln!(out, "{score:>10}  {}", printer.excerpt(&m.source, &differing, usize::MAX, 0));
        let _ = writeln!(out, "{:>10}  {}", "", printer.shown(&m.target));
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
            let _ = writeln!(out, "{:>10}  {}", "", printer.dim(&printer.shown(&about.join(" · "))));
        }
    }
    out
}

fn concordance(args: ConcordanceArgs, context: &Context) -> anyhow::Result<Outcome> {
    let path = args.memory.resolve(context)?;
    let memory = Memory::open_location(&path)?;
    let options =
        ConcordanceOptions { lang: args.lang, limit: usize::try_from(args.limit).unwrap_or(usize::MAX) };
    let hits = memory.concordance(&args.term, &options)?;
    let out = match args.format {
        DataFormat::Json => {
            serde_json::to_string_pretty(&serde_json::json!({ "term": args.term, "hits": hits }))? + "\n"
        }
        DataFormat::Text => {
            let printer = &context.printer;
            let mut out = String::new();
            for hit in &hits {
                let spans: Vec<((usize, usize), Tone)> = hit.spans.iter().map(|&s| (s, Tone::Hit)).collect();
                let id = format!("#{}", hit.id);
                let _ = writeln!(out, "{id:>8}  {}", printer.excerpt(&hit.source, &spans, 120, 60));
                // The translation around the words most likely to render
                // the hit, marked: not a cut from its start.
                let rendering: Vec<((usize, usize), Tone)> =
                    hit.rendering.iter().map(|&s| (s, Tone::Info)).collect();
                // As wide as a cut from the start was (158 characters).
                let marked =
                    hit.rendering.map_or(0, |(s, e)| hit.target.get(s..e).map_or(0, |w| w.chars().count()));
                let radius = 150usize.saturating_sub(marked) / 2;
                let _ = writeln!(
                    out,
                    "{:>8}  {}",
                    "",
                    printer.excerpt(&hit.target, &rendering, 158, radius.max(8))
                );
            }
            out
        }
    };
    context.printer.data(&out)?;
    if hits.is_empty() {
        note(format!("dragoman: `{}` is in no unit of {}", args.term, path));
        return Ok(Outcome::Findings);
    }
    if hits.len() as u64 == args.limit {
        note(format!("dragoman: showing the {} most recent units (--limit); there may be more", hits.len()));
    }
    Ok(Outcome::Ok)
}
