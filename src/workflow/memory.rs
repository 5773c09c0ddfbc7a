//! Adding articles to a memory (`tm add`, and `ingest`'s storing step).

use std::io::Read;
use std::path::{Path, PathBuf};

use super::WorkflowError;
use super::article::{
    ArticleInput, GlossaryChoice, LoadedPair, document_name_of, read_pair, recorded_source_file,
};
use crate::memory::{
    DocumentInfo, DocumentRecord, FuzzyMatch, LanguagePair, LockWait, LookupOptions, Memory, MemoryError,
    MemoryLocation, SameName, SkippedBead, TmxSource, units_from_pair,
};
use crate::pair::ArticlePair;
use crate::project::Project;
use crate::textio;

/// What adding an article to the memory did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MemoryReport {
    /// The document's name in the memory.
    pub name: String,
    /// Where the memory is (a path, or a URL without its password).
    pub path: String,
    /// Units stored now.
    pub added: usize,
    /// Units already present, identical, from an earlier run (kept as they were).
    pub unchanged: usize,
    /// Units of an earlier run of this document that are gone (a changed alignment).
    pub removed: usize,
    /// Beads not stored: low confidence, or one side empty.
    pub not_stored: Vec<SkippedBead>,
}

/// How to store an article's beads: the confidence threshold, what to
/// record about the document, and whether it may replace a document of the
/// same name read from another source file.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Beads below this confidence are not stored (and are listed).
    pub min_confidence: f64,
    pub info: DocumentInfo,
    pub same_name: SameName,
    /// How the write waits while another process writes the memory.
    pub lock_wait: LockWait,
}

/// Replaces the document's units in the memory at `path` with the beads at
/// or above the threshold and records what `options.info` says about it, in
/// one transaction (running it twice leaves the units as the first run
/// stored them). What `tm add` and `ingest` do. A document of the same name
/// read from another source file is refused unless
/// [`SameName::Replace`]; nothing is changed then.
pub fn store(
    pair: &ArticlePair,
    location: &MemoryLocation,
    options: &StoreOptions,
) -> Result<MemoryReport, WorkflowError> {
    let created = crate::tmx::now();
    let (units, not_stored) = units_from_pair(pair, options.min_confidence, &created);
    let mut memory = Memory::open_or_create_location(location)?;
    memory.set_lock_wait(options.lock_wait.clone());
    let replaced = memory.store_document(&pair.name, &units, &options.info, options.same_name)?;
    Ok(MemoryReport {
        name: pair.name.clone(),
        path: location.to_string(),
        added: replaced.added,
        unchanged: replaced.unchanged,
        removed: replaced.removed,
        not_stored,
    })
}

/// An article pair to add to a memory (`tm add`).
#[derive(Debug, Clone)]
pub struct AddRequest {
    pub source: PathBuf,
    pub target: PathBuf,
    pub input: ArticleInput,
    pub glossary: GlossaryChoice,
    /// The document name [default: from the source's file name].
    pub name: Option<String>,
    /// Beads below this confidence are not stored (and are listed).
    pub min_confidence: f64,
    /// The memory.
    pub memory: MemoryLocation,
    /// How the write waits while another process writes the memory.
    pub lock_wait: LockWait,
    /// Replace a document of the same name read from another source file
    /// (`--replace`).
    pub replace: bool,
}

/// Aligns the pair as every command does and stores its beads as one
/// document. Returns the report and the glossary and alignment warnings.
pub fn add_article(
    project: &Project,
    request: &AddRequest,
) -> Result<(MemoryReport, Vec<String>), WorkflowError> {
    let mut warnings = Vec::new();
    let name = document_name_of(&request.source, &request.target, request.name.as_deref())?;
    let options = request.input.options(request.glossary.anchors(project, &mut warnings)?, &mut warnings)?;
    let LoadedPair { pair, .. } = read_pair(&request.source, &request.target, &name, &options)?;
    warnings.extend(pair.alignment.warnings.iter().cloned());
    let options = StoreOptions {
        min_confidence: request.min_confidence,
        info: DocumentInfo {
            source_file: Some(recorded_source_file(&request.source)),
            ..DocumentInfo::default()
        },
        same_name: if request.replace { SameName::Replace } else { SameName::RefuseOtherSource },
        lock_wait: request.lock_wait.clone(),
    };
    Ok((store(&pair, &request.memory, &options)?, warnings))
}

/// Opens the TMX files to import (`-` = stdin, at most once), in order;
/// also returns their total size in bytes (stdin counts 0), for a progress
/// display.
pub fn open_tmx_files(files: &[PathBuf]) -> Result<(Vec<TmxSource<'static>>, u64), WorkflowError> {
    if files.iter().filter(|f| f.as_os_str() == "-").count() > 1 {
        return Err(WorkflowError::io(Path::new("-"), "standard input can be imported only once"));
    }
    let mut total_bytes = 0;
    let mut sources = Vec::with_capacity(files.len());
    for file in files {
        let name = textio::display_name(file);
        let input: Box<dyn Read> = if file.as_os_str() == "-" {
            Box::new(std::io::stdin())
        } else {
            if file.is_dir() {
                return Err(WorkflowError::io(file, "is a directory, expected a TMX file"));
            }
            let opened = std::fs::File::open(file)
                .map_err(|e| WorkflowError::io(file, format!("cannot open: {e}")))?;
            total_bytes += opened.metadata().map(|m| m.len()).unwrap_or(0);
            Box::new(opened)
        };
        sources.push(TmxSource { name, input });
    }
    Ok((sources, total_bytes))
}

/// Writes the whole memory at `path` as TMX 1.4b to `out` (`-` = stdout),
/// atomically, or only the units of `documents` when any are named (a name
/// the memory does not hold is an error naming it; nothing is written);
/// returns how many units were written.
pub fn export(
    location: &MemoryLocation,
    out: &Path,
    languages: &LanguagePair,
    documents: &[String],
) -> Result<usize, WorkflowError> {
    let memory = Memory::open_location(location)?;
    let mut failure = None;
    let mut count = 0;
    let export = |writer: &mut dyn std::io::Write| {
        if documents.is_empty() {
            memory.export(writer, languages)
        } else {
            memory.export_documents(writer, languages, documents)
        }
    };
    let written = textio::write_atomic_with(out, |writer| match export(writer) {
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
    });
    match (written, failure) {
        (_, Some(cause)) => Err(cause.into()),
        (Err(e), None) => Err(e.into()),
        (Ok(()), None) => Ok(count),
    }
}

/// One sentence looked up, with its matches (best first).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SentenceLookup {
    pub query: String,
    pub matches: Vec<FuzzyMatch>,
}

/// How the best matches of a file's sentences fall.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct LookupSummary {
    pub segments: usize,
    pub exact: usize,
    pub at_least_85: usize,
    pub at_least_70: usize,
    pub below_70: usize,
    pub no_match: usize,
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

/// Every sentence of a file looked up: a pre-translation preview. JSON
/// (a contract): `{"results": [{"query", "matches"}], "summary": {…}}`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileLookup {
    pub results: Vec<SentenceLookup>,
    pub summary: LookupSummary,
}

/// Looks `query` up in the memory at `location` (`tm lookup TEXT`).
pub fn lookup(
    location: &MemoryLocation,
    query: &str,
    options: &LookupOptions,
) -> Result<SentenceLookup, WorkflowError> {
    let matches = Memory::open_location(location)?.lookup(query, options)?;
    Ok(SentenceLookup { query: query.to_string(), matches })
}

/// Segments `file` (or reads it one sentence a line) and looks up every
/// sentence in the memory at `memory`.
pub fn lookup_file(
    memory: &MemoryLocation,
    file: &Path,
    presegmented: bool,
    options: &LookupOptions,
) -> Result<FileLookup, WorkflowError> {
    let memory = Memory::open_location(memory)?;
    let input = textio::read_text(file)?;
    let segments = if presegmented {
        crate::segment::read_presegmented(&input.text, None)
    } else {
        crate::segment::Segmenter::builtin().segment(&input.text, None)
    };
    let mut summary = LookupSummary::default();
    let mut results = Vec::with_capacity(segments.len());
    for segment in segments {
        let matches = match memory.lookup(&segment.text, options) {
            Ok(matches) => matches,
            // A sentence of punctuation only simply has no match.
            Err(MemoryError::NoWords) => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        summary.count(matches.first());
        results.push(SentenceLookup { query: segment.text, matches });
    }
    Ok(FileLookup { results, summary })
}

/// Removes document `name`'s units (and what the memory records about it)
/// from the memory at `path`; a name the memory does not hold is an error
/// listing the names it does.
pub fn remove_document(location: &MemoryLocation, name: &str) -> Result<usize, WorkflowError> {
    let mut memory = Memory::open_location(location)?;
    let known: Vec<String> = memory.documents()?.into_iter().map(|d| d.name).collect();
    if !known.iter().any(|k| k == name) {
        let known =
            if known.is_empty() { String::new() } else { format!(" (documents: {})", known.join(", ")) };
        return Err(WorkflowError::Usage(format!("{location}: no document `{name}` in the memory{known}")));
    }
    Ok(memory.remove_document(name)?)
}

/// Every document of the memory at `location` (`tm documents`).
pub fn documents(location: &MemoryLocation) -> Result<Vec<DocumentRecord>, WorkflowError> {
    Ok(Memory::open_location(location)?.documents()?)
}

/// The memory's two languages from `--srclang`/`--tgtlang`: each an Arabic
/// or English tag (`ar`, `ar-SA`, `en-GB`), not the same language twice.
pub fn language_pair(source: &str, target: &str) -> Result<LanguagePair, WorkflowError> {
    let parse = |flag: &str, tag: &str| {
        crate::lang::Lang::from_tag(tag).ok_or_else(|| {
            WorkflowError::Usage(format!(
                "{flag} `{tag}`: expected an Arabic or English language tag (`ar`, `ar-SA`, `en`, `en-GB`)"
            ))
        })
    };
    if parse("--srclang", source)? == parse("--tgtlang", target)? {
        return Err(WorkflowError::Usage(format!(
            "--srclang `{source}` and --tgtlang `{target}` are the same language"
        )));
    }
    Ok(LanguagePair { source: source.to_string(), target: target.to_string() })
}
