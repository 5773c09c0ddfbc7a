//! `publish` and `ingest`: an article read, aligned, checked, laid out as
//! editions, stored in the memory (ingest) and written.
//!
//! The order is what keeps a failed run from changing anything: every
//! edition is rendered and written to a temporary file beside its final
//! name first; only then is the memory changed (one transaction); only then
//! are the editions renamed into place. A full disk or an unwritable
//! directory fails before the memory is touched, and leaves no edition
//! replaced.

use std::path::{Path, PathBuf};

use super::article::{
    ArticleInput, GlossaryChoice, LoadedPair, XliffPair, document_name_of, read_pair, read_xliff_pair,
    recorded_source_file,
};
use super::memory::{MemoryReport, StoreOptions, store};
use super::{WorkflowError, load_accept_list};
use crate::check::{self, CheckOptions, Report};
use crate::glossary::{Glossary, Recognizer};
use crate::memory::{DocumentInfo, SameName};
use crate::pair::ArticlePair;
use crate::project::Project;
use crate::publish::{
    Edition, EditionFormat, EditionOptions, FindingMark, Metadata, Severity, term_highlights,
};

/// What `publish` and `ingest` both take.
#[derive(Debug, Clone, Default)]
pub struct ArticleRequest {
    /// The Arabic original (`-` = stdin).
    pub source: PathBuf,
    /// The English translation.
    pub target: PathBuf,
    pub input: ArticleInput,
    pub glossary: GlossaryChoice,
    /// The document name [default: from the source's file name].
    pub name: Option<String>,
    pub metadata: Metadata,
    /// The editions to write, each once, in this order.
    pub formats: Vec<EditionFormat>,
    /// Beads below this confidence are marked on the page (and, with
    /// `ingest`, not stored).
    pub min_confidence: f64,
    /// Keep highlights when the bilingual page is printed.
    pub print_highlights: bool,
    /// How storing waits while another process writes the memory (`ingest`).
    pub lock_wait: crate::memory::LockWait,
    /// The source file the memory records for the document [default:
    /// `source`, made absolute]: an XLIFF input records the Arabic file it
    /// names.
    pub source_file: Option<String>,
    /// Replace a document of the same name read from another source file
    /// (`ingest --replace`).
    pub replace: bool,
}

/// Where `ingest` stores the pairs.
#[derive(Debug, Clone)]
pub enum MemoryTarget {
    /// The project's memory (`tm/memory.sqlite`).
    Project,
    /// Another memory (`--tm PATH|URL`).
    Location(crate::memory::MemoryLocation),
    /// Do not store (`--no-tm`).
    None,
}

impl MemoryTarget {
    /// From `--tm PATH|URL` and `--no-tm`.
    pub fn from_flags(tm: Option<&str>, no_tm: bool) -> Result<MemoryTarget, WorkflowError> {
        Ok(match (tm, no_tm) {
            (_, true) => MemoryTarget::None,
            (Some(text), false) => MemoryTarget::Location(crate::memory::MemoryLocation::parse(text)?),
            (None, false) => MemoryTarget::Project,
        })
    }
}

/// One step of the workflow, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Aligning,
    Checking,
    Storing,
    Writing,
}

impl Step {
    pub fn describe(self) -> &'static str {
        match self {
            Step::Aligning => "segmenting and aligning",
            Step::Checking => "checking",
            Step::Storing => "storing in the memory",
            Step::Writing => "writing editions",
        }
    }
}

/// What `publish` or `ingest` did.
#[derive(Debug)]
pub struct EditionReport {
    pub pair: ArticlePair,
    pub edition: Edition,
    /// The check findings (the accept list applied), as `check` reports them.
    pub findings: Report,
    /// `None` when the memory was not touched.
    pub memory: Option<MemoryReport>,
    /// The edition files, in the order asked.
    pub written: Vec<PathBuf>,
    /// Glossary and alignment warnings, for the caller to show.
    pub warnings: Vec<String>,
}

impl EditionReport {
    /// The check's verdict: `ingest` and `publish` exit as `check` does.
    pub fn has_errors(&self) -> bool {
        self.findings.has_errors()
    }

    /// Beads (rows, numbered from 1) below the confidence threshold.
    pub fn low_confidence_beads(&self) -> Vec<usize> {
        self.edition.rows.iter().filter(|r| r.low_confidence).map(|r| r.bead + 1).collect()
    }

    /// The summary `--format json` prints (a contract).
    pub fn summary(&self) -> EditionSummary {
        let pair = &self.pair;
        let count = |s: Severity| self.edition.findings.iter().filter(|f| f.severity == s).count();
        EditionSummary {
            name: pair.name.clone(),
            source_sentences: pair.source.len(),
            target_sentences: pair.target.len(),
            beads: pair.alignment.beads.len(),
            alignment_warnings: pair.alignment.warnings.clone(),
            findings: SeverityCounts {
                error: count(Severity::Error),
                warning: count(Severity::Warning),
                info: count(Severity::Info),
            },
            report: self.findings.clone(),
            low_confidence_beads: self.low_confidence_beads(),
            memory: self.memory.as_ref().map(|m| MemorySummary {
                path: m.path.clone(),
                added: m.added,
                already_present: m.unchanged,
                removed: m.removed,
                not_stored: m.not_stored.clone(),
            }),
            written: self.written.iter().map(|p| p.display().to_string()).collect(),
        }
    }
}

/// What `publish` and `ingest` did, as `--format json` prints it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EditionSummary {
    pub name: String,
    pub source_sentences: usize,
    pub target_sentences: usize,
    pub beads: usize,
    pub alignment_warnings: Vec<String>,
    pub findings: SeverityCounts,
    /// The findings as `check --format json` prints them (its contract:
    /// `findings`, `summary`, `accepted`).
    pub report: Report,
    /// Bead numbers (from 1) below `--min-confidence`.
    pub low_confidence_beads: Vec<usize>,
    pub memory: Option<MemorySummary>,
    pub written: Vec<String>,
}

#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct SeverityCounts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct MemorySummary {
    pub path: String,
    pub added: usize,
    pub already_present: usize,
    pub removed: usize,
    /// `bead` in each is numbered from 1.
    pub not_stored: Vec<crate::memory::SkippedBead>,
}

/// Writes the editions of an article to `out` (created if missing).
pub fn publish(
    project: &Project,
    request: &ArticleRequest,
    out: &Path,
    progress: &mut dyn FnMut(Step),
) -> Result<EditionReport, WorkflowError> {
    run_from(project, request, None, out, &MemoryTarget::None, progress)
}

/// The main job: check the article, store its pairs in the memory
/// (replacing the document's earlier units) and write its editions to
/// `out` (the project's `out/` when `None`). With `xliff` (`ingest
/// --xliff`) the pair is read from that translated XLIFF work file (see
/// [`read_xliff_pair`]) instead of `request.source` and `request.target`,
/// which are not read; the title and date default to the work file's.
pub fn ingest(
    project: &Project,
    request: &ArticleRequest,
    xliff: Option<&Path>,
    out: Option<&Path>,
    memory: &MemoryTarget,
    progress: &mut dyn FnMut(Step),
) -> Result<EditionReport, WorkflowError> {
    let out = out.map_or_else(|| project.out_dir(), Path::to_path_buf);
    run_from(project, request, xliff, &out, memory, progress)
}

/// The workflow, the pair read from `request`'s two texts or, when
/// `xliff` is given, from that work file.
fn run_from(
    project: &Project,
    request: &ArticleRequest,
    xliff: Option<&Path>,
    out: &Path,
    memory: &MemoryTarget,
    progress: &mut dyn FnMut(Step),
) -> Result<EditionReport, WorkflowError> {
    let mut warnings = Vec::new();
    progress(Step::Aligning);
    let location = match memory {
        MemoryTarget::None => None,
        MemoryTarget::Location(location) => Some(location.clone()),
        MemoryTarget::Project => Some(super::memory_location(project, None)?),
    };
    // The glossary is checked against, so a missing one is said (load warns).
    let glossary = request.glossary.load(project, &mut warnings)?;
    let recognizer =
        if glossary.is_empty() { None } else { Some(std::sync::Arc::new(Recognizer::try_new(&glossary)?)) };
    let mut metadata = request.metadata.clone();
    // The source file the memory records for the document.
    let source_file;
    let pair = match xliff {
        None => {
            let name = document_name_of(&request.source, &request.target, request.name.as_deref())?;
            let options = request.input.options(recognizer.clone(), &mut warnings)?;
            let LoadedPair { pair, source, target } =
                read_pair(&request.source, &request.target, &name, &options)?;
            for (input, side) in [(&source, "original"), (&target, "translation")] {
                if input.text.trim().is_empty() {
                    return Err(WorkflowError::EmptyText { name: input.name.clone(), side });
                }
            }
            source_file =
                request.source_file.clone().unwrap_or_else(|| recorded_source_file(&request.source));
            pair
        }
        Some(path) => {
            // The document's Arabic file, as `<file original>` names it
            // (as `prepare` was given it: relative to where it ran).
            let XliffPair { pair, source_file: original, title, date, untranslated } =
                read_xliff_pair(path, request.name.as_deref())?;
            source_file = request.source_file.clone().unwrap_or_else(|| recorded_source_file(&original));
            metadata.title = metadata.title.or(title);
            metadata.date = metadata.date.or(date);
            if !untranslated.is_empty() {
                warnings.push(format!(
                    "{}: {} untranslated {} not stored: {}",
                    crate::textio::display_name(path),
                    untranslated.len(),
                    if untranslated.len() == 1 { "unit" } else { "units" },
                    untranslated.join(", ")
                ));
            }
            pair
        }
    };
    warnings.extend(pair.alignment.warnings.iter().map(|w| format!("{}: {w}", pair.name)));

    progress(Step::Checking);
    let accepted = load_accept_list(project)?;
    let no_glossary;
    let recognizer: &Recognizer = match recognizer.as_deref() {
        Some(recognizer) => recognizer,
        None => {
            // Without a glossary the checks that need none (numbers,
            // quotes, untranslated text) still run.
            no_glossary = Recognizer::new(&Glossary::default());
            &no_glossary
        }
    };
    let findings = check::run_checks(&pair, recognizer, &CheckOptions::default()).apply_accepted(&accepted);
    let highlights = term_highlights(&pair, recognizer);
    let edition = Edition::build(
        &pair,
        metadata,
        &highlights,
        findings.findings.iter().map(FindingMark::from_finding).collect(),
        EditionOptions {
            low_confidence_below: request.min_confidence,
            print_highlights: request.print_highlights,
        },
    );

    // Every edition on disk under a temporary name before the memory changes.
    let staged = stage_editions(&edition, out, &request.formats)?;
    let memory = match &location {
        None => None,
        Some(location) => {
            progress(Step::Storing);
            let info = DocumentInfo {
                source_file: Some(source_file),
                title: Some(edition.title.clone()).filter(|t| !t.trim().is_empty()),
                date: request.metadata.date.clone(),
            };
            let same_name = if request.replace { SameName::Replace } else { SameName::RefuseOtherSource };
            let options = StoreOptions {
                min_confidence: request.min_confidence,
                info,
                same_name,
                lock_wait: request.lock_wait.clone(),
            };
            Some(store(&pair, location, &options)?)
        }
    };
    progress(Step::Writing);
    let mut written = Vec::with_capacity(staged.len());
    for (path, file) in staged {
        file.persist(&path).map_err(|e| WorkflowError::io(&path, format!("cannot write: {}", e.error)))?;
        written.push(path);
    }
    Ok(EditionReport { pair, edition, findings, memory, written, warnings })
}

/// Renders each requested format once and writes it, synced, to a
/// temporary file in `out` (created if missing): a full disk or a directory
/// in the way fails here, before anything the user has is changed. The
/// temporary files disappear unless persisted.
fn stage_editions(
    edition: &Edition,
    out: &Path,
    formats: &[EditionFormat],
) -> Result<Vec<(PathBuf, tempfile::NamedTempFile)>, WorkflowError> {
    use std::io::Write as _;
    std::fs::create_dir_all(out)
        .map_err(|error| WorkflowError::OutputDirectory { path: out.display().to_string(), error })?;
    let mut staged: Vec<(PathBuf, tempfile::NamedTempFile)> = Vec::new();
    for format in formats {
        let path = out.join(format.file_name(&edition.name));
        if staged.iter().any(|(p, _)| *p == path) {
            continue;
        }
        if path.is_dir() {
            return Err(WorkflowError::io(
                &path,
                "a directory is in the way; move it or write elsewhere (--out)",
            ));
        }
        let failed = |e: std::io::Error| WorkflowError::io(&path, format!("cannot write: {e}"));
        let mut file = crate::textio::temp_file_in(out).map_err(failed)?;
        file.write_all(format.render(edition).as_bytes()).map_err(failed)?;
        file.as_file().sync_all().map_err(failed)?;
        staged.push((path, file));
    }
    Ok(staged)
}
