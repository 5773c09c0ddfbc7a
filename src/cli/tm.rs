//! `dragoman tm …`: the translation memory (import, export, add, stats,
//! documents, remove, lookup, concordance, copy, reindex). The small
//! commands are run where they are declared.

use std::path::PathBuf;

use clap::builder::RangedU64ValueParser;

use super::args::{GlossaryArgs, MemoryPath, PairInput, WaitArgs, parse_confidence};
use super::print::{self, messages, note};
use super::{Context, DataFormat, Outcome};
use dragoman::align::DEFAULT_MIN_CONFIDENCE;
use dragoman::lang::Lang;
use dragoman::memory::{
    self, ConcordanceOptions, ImportOptions, ImportOutcome, LanguagePair, LookupOptions, Memory,
    MemoryLocation,
};
use dragoman::render;
use dragoman::workflow;

#[derive(Debug, clap::Subcommand)]
pub enum TmCommand {
    /// Import TMX files (`-` = stdin) into the memory, all or nothing.
    Import(ImportArgs),
    /// Write the memory (or some documents of it) as TMX 1.4b (`-` = stdout).
    Export {
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
    },
    /// Align an article pair and store its beads (replacing the document's previous units).
    Add {
        /// The Arabic article.
        source: PathBuf,
        /// Its English translation.
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
    },
    /// Memory statistics: units, languages, documents, dates, size.
    Stats {
        /// text: a summary for people; json: every figure, for scripts.
        #[arg(long, value_enum, default_value_t)]
        format: DataFormat,
        #[command(flatten)]
        memory: MemoryPath,
    },
    /// Every document: title, date, units, source file, when last ingested.
    Documents {
        /// text: a table for people; json: a list of documents (`name`, `units`,
        /// `source_file`, `title`, `date`, `ingested` as ISO 8601 UTC; `null`
        /// when the memory does not know).
        #[arg(long, value_enum, default_value_t)]
        format: DataFormat,
        #[command(flatten)]
        memory: MemoryPath,
    },
    /// Remove the units stored from one document.
    Remove {
        /// The document whose units to remove.
        #[arg(long = "doc", value_name = "NAME")]
        doc: String,
        #[command(flatten)]
        memory: MemoryPath,
    },
    /// Best fuzzy matches for a sentence, or for every sentence of a file.
    Lookup {
        /// The sentence to look up (or --file FILE for every sentence of a file).
        #[arg(conflicts_with = "file")]
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
        #[arg(long, default_value_t = 5, value_parser = RangedU64ValueParser::<usize>::new().range(1..))]
        limit: usize,
        /// The query's language [default: by script].
        #[arg(long)]
        lang: Option<Lang>,
        /// text: matches with the differing words marked; json: matches with
        /// scores, tuids and documents (and a summary with --file).
        #[arg(long, value_enum, default_value_t)]
        format: DataFormat,
        #[command(flatten)]
        memory: MemoryPath,
    },
    /// Every unit whose text contains a term (Arabic: clitic-aware), in context.
    Concordance {
        /// The word or phrase to find.
        term: String,
        /// The term's language [default: by script].
        #[arg(long)]
        lang: Option<Lang>,
        /// At most this many units, most recent first.
        #[arg(long, default_value_t = 20, value_parser = RangedU64ValueParser::<usize>::new().range(1..))]
        limit: usize,
        /// text: each unit with the term marked in context; json: units with
        /// the term's spans (UTF-8 byte offsets into the source).
        #[arg(long, value_enum, default_value_t)]
        format: DataFormat,
        #[command(flatten)]
        memory: MemoryPath,
    },
    /// Copy a whole memory to another (SQLite ↔ PostgreSQL), losslessly.
    Copy {
        /// The memory to copy: an SQLite file or a PostgreSQL URL.
        from: String,
        /// Where to copy it (created if missing; refused when it holds units, unless --append).
        to: String,
        /// Add to a memory that already holds units.
        #[arg(long)]
        append: bool,
    },
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

pub fn run(command: TmCommand, context: &Context) -> anyhow::Result<Outcome> {
    match command {
        TmCommand::Import(args) => import(args, context)?,
        TmCommand::Export { out, document, languages, memory } => {
            let location = memory.resolve(context)?;
            let count = workflow::memory::export(&location, &out, &languages.pair()?, &document)?;
            if out.as_os_str() != "-" {
                note(format!("exported {count} units to {}", out.display()));
            }
        }
        TmCommand::Add { source, target, input, glossary, min_confidence, name, replace, wait, memory } => {
            let request = workflow::memory::AddRequest {
                source,
                target,
                input: input.input(context),
                glossary: glossary.choice(),
                name,
                min_confidence,
                memory: memory.resolve(context)?,
                lock_wait: wait.lock_wait(context),
                replace,
            };
            let (report, warnings) = workflow::memory::add_article(&context.project, &request)?;
            print::warnings(&warnings);
            messages(render::memory::added(&report));
        }
        TmCommand::Stats { format, memory } => {
            let stats = Memory::open_location(&memory.resolve(context)?)?.stats()?;
            context.printer.report(format, &stats, |_| render::memory::stats(&stats))?;
        }
        TmCommand::Documents { format, memory } => {
            let documents = workflow::memory::documents(&memory.resolve(context)?)?;
            let json = || render::memory::documents_json(&documents);
            context.printer.either(format, json, |style| render::memory::documents(&documents, style))?;
        }
        TmCommand::Remove { doc, memory } => {
            let location = memory.resolve(context)?;
            let removed = workflow::memory::remove_document(&location, &doc)?;
            note(format!("{location}: removed {removed} units of `{doc}`"));
        }
        TmCommand::Lookup { text, file, presegmented, min, limit, lang, format, memory } => {
            if text.is_none() && file.is_none() {
                anyhow::bail!(
                    "give a sentence to look up, or --file FILE to look up every sentence of a file"
                );
            }
            let location = memory.resolve(context)?;
            let options = LookupOptions { min, limit, lang };
            let Some(file) = &file else {
                let found =
                    workflow::memory::lookup(&location, text.as_deref().unwrap_or_default(), &options)?;
                let text = |style: &_| render::memory::matches(&found.query, &found.matches, style);
                context.printer.report(format, &found, text)?;
                if found.matches.is_empty() {
                    note(format!("dragoman: no match of {min}% or more in {location}"));
                    return Ok(Outcome::Findings);
                }
                return Ok(Outcome::Ok);
            };
            let found = workflow::memory::lookup_file(&location, file, presegmented, &options)?;
            context.printer.report(format, &found, |style| render::memory::file_lookup(&found, style))?;
            let summary = &found.summary;
            return Ok(if summary.no_match == summary.segments { Outcome::Findings } else { Outcome::Ok });
        }
        TmCommand::Concordance { term, lang, limit, format, memory } => {
            let location = memory.resolve(context)?;
            let options = ConcordanceOptions { lang, limit };
            let hits = Memory::open_location(&location)?.concordance(&term, &options)?;
            let json = serde_json::json!({ "term": term, "hits": hits });
            context.printer.report(format, &json, |style| render::memory::concordance(&hits, style))?;
            if hits.is_empty() {
                note(format!("dragoman: `{term}` is in no unit of {location}"));
                return Ok(Outcome::Findings);
            }
            if hits.len() == limit {
                let shown = hits.len();
                note(format!("dragoman: showing the {shown} most recent units (--limit); there may be more"));
            }
        }
        TmCommand::Copy { from, to, append } => {
            let (from, to) = (MemoryLocation::parse(&from)?, MemoryLocation::parse(&to)?);
            let copied = memory::copy(&from, &to, append)?;
            note(format!("copied {copied} units from {from} to {to}"));
        }
        TmCommand::Reindex(memory) => {
            let location = memory.resolve(context)?;
            Memory::open_location(&location)?.reindex()?;
            note(format!("{location}: word index rebuilt"));
        }
    }
    Ok(Outcome::Ok)
}

fn import(args: ImportArgs, context: &Context) -> anyhow::Result<()> {
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
    messages(render::memory::imported(&report, &path.to_string(), units));
    Ok(())
}
