//! The workflows the command line runs — and that every other front end
//! (the translator's kit, a team server, a browser workspace) must run the
//! same way: reading an article pair with its options and glossaries
//! ([`article`]), aligning it and writing the alignment ([`alignment`]),
//! checking it or a whole memory ([`check`]), publishing and ingesting it
//! ([`edition`]), adding it to a memory ([`memory`]), importing a glossary
//! ([`glossary`]), the translator's kit ([`prepare`]), and the accept list
//! ([`accept`] with an [`AcceptRequest`]).
//!
//! Owns the order of the steps and the file I/O around the pure core
//! (`segment`, `align`, `pair`, `check`, `publish`); returns reports and
//! never prints: warnings are returned as text for the caller to show.

pub mod alignment;
pub mod article;
pub mod check;
pub mod edition;
pub mod glossary;
pub mod memory;
pub mod prepare;
pub mod terminology;

use std::path::{Path, PathBuf};

use crate::align::{BeadsError, DictionaryError};
use crate::check::accept::{AcceptError, AcceptList, Acceptance};
use crate::glossary::GlossaryError;
use crate::memory::{MemoryError, MemoryLocation};
use crate::pair::PairError;
use crate::project::Project;
use crate::segment::SrxError;
use crate::textio::{self, InputError, OutputError};

pub use article::{ArticleInput, GlossaryChoice, LoadedPair};

/// Why a workflow could not run. Each message names the file and says what
/// to do.
#[derive(Debug, thiserror::Error)]
pub enum WorkflowError {
    #[error(transparent)]
    Project(#[from] crate::project::ProjectError),
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error(transparent)]
    Glossary(#[from] GlossaryError),
    #[error(transparent)]
    GlossaryFormat(#[from] crate::glossary::formats::FormatError),
    #[error("cannot use the segmentation rules: {0}")]
    Rules(#[from] SrxError),
    #[error(transparent)]
    Beads(#[from] BeadsError),
    #[error(transparent)]
    Dictionary(#[from] DictionaryError),
    #[error("cannot pair {source_name} with {target_name}: {error}")]
    Pair { source_name: String, target_name: String, error: PairError },
    #[error(transparent)]
    Memory(#[from] MemoryError),
    #[error(transparent)]
    Xliff(#[from] crate::xliff::XliffError),
    #[error(transparent)]
    Accept(#[from] AcceptError),
    #[error("{name}: the {side} is empty; there is nothing to publish")]
    EmptyText { name: String, side: &'static str },
    #[error("--name `{0}` cannot be used in a file name (no slashes, colons or leading dot)")]
    BadName(String),
    #[error("cannot create output directory {path}: {error}")]
    OutputDirectory { path: String, error: std::io::Error },
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    /// Options that do not fit together or a value out of range.
    #[error("{0}")]
    Usage(String),
}

impl WorkflowError {
    fn io(path: &Path, message: impl std::fmt::Display) -> WorkflowError {
        WorkflowError::Io { path: path.display().to_string(), message: message.to_string() }
    }
}

/// Where the memory is: `explicit` (`--tm PATH|URL`), else `DRAGOMAN_TM`,
/// else `memory = "…"` in the project's `dragoman.toml` (a path relative to
/// the project, or a PostgreSQL URL), else the project's
/// `tm/memory.sqlite`. The last two need a project.
pub fn memory_location(project: &Project, explicit: Option<&str>) -> Result<MemoryLocation, WorkflowError> {
    if let Some(text) = explicit {
        return Ok(MemoryLocation::parse(text)?);
    }
    if let Some(text) = std::env::var("DRAGOMAN_TM").ok().filter(|t| !t.trim().is_empty()) {
        return Ok(MemoryLocation::parse(&text)?);
    }
    project.require()?;
    let config_path = project.root.join("dragoman.toml");
    if config_path.is_file() {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Config {
            memory: Option<String>,
        }
        let input = textio::read_text(&config_path)?;
        let config: Config = toml::from_str(&input.text).map_err(|e| {
            let at = e.span().map(|s| line_of(&input.text, s.start)).unwrap_or(1);
            WorkflowError::io(&config_path, format!("line {at}: {}", e.message()))
        })?;
        if let Some(memory) = config.memory {
            return Ok(match MemoryLocation::parse(&memory)? {
                MemoryLocation::Path(path) if path.is_relative() => {
                    MemoryLocation::Path(project.root.join(path))
                }
                other => other,
            });
        }
    }
    Ok(MemoryLocation::Path(project.memory_path()))
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(1, |before| before.matches('\n').count() + 1)
}

/// The project's accept list (`accepted-findings.tsv`), empty when there is
/// none yet. The one place it is read.
pub fn load_accept_list(project: &Project) -> Result<AcceptList, WorkflowError> {
    let path = project.accept_list_path();
    if !path.exists() {
        return Ok(AcceptList::default());
    }
    let input = textio::read_text(&path)?;
    Ok(AcceptList::parse(&input.text, &input.name)?)
}

/// Creates a project in `root` (created if missing): `tm/`, `glossaries/`
/// with a copy of the shipped house glossary (unless `empty_glossary`),
/// `out/`, a `.gitignore` for the memory files and a short README of the
/// layout. Existing files are kept; returns the paths created.
pub fn init(root: &Path, empty_glossary: bool) -> Result<Vec<PathBuf>, WorkflowError> {
    const HOUSE_GLOSSARY: &str = include_str!("../../glossaries/syria.txt");
    const GITIGNORE: &str = "# The memory is data, not source: share it with `dragoman tm export` or a team server.\n\
        tm/memory.sqlite\ntm/memory.sqlite-wal\ntm/memory.sqlite-shm\nout/\n.accepted-findings.lock\n";
    const README: &str = "# A dragoman project\n\n\
        | path | what |\n|---|---|\n\
        | `tm/memory.sqlite` | the translation memory (created by `dragoman ingest`, `tm add` or `tm import`) |\n\
        | `glossaries/*.txt` | glossaries (OmegaT's tab-separated format), all loaded by default |\n\
        | `accepted-findings.tsv` | findings an editor has accepted (`dragoman accept`) |\n\
        | `out/` | editions written by `dragoman ingest` |\n\n\
        Daily: `dragoman ingest ARTICLE.ar.txt ARTICLE.en.txt` checks a translation, stores its pairs and publishes it.\n";
    if root.exists() && !root.is_dir() {
        return Err(crate::project::ProjectError::NotADirectory(root.display().to_string()).into());
    }
    let mut created = Vec::new();
    for dir in ["tm", "glossaries", "out"] {
        let path = root.join(dir);
        if !path.is_dir() {
            std::fs::create_dir_all(&path)
                .map_err(|e| WorkflowError::io(&path, format!("cannot create: {e}")))?;
            created.push(path);
        }
    }
    let mut files = vec![(root.join(".gitignore"), GITIGNORE), (root.join("README.md"), README)];
    if !empty_glossary {
        files.push((root.join("glossaries/syria.txt"), HOUSE_GLOSSARY));
    }
    for (path, contents) in files {
        if !path.exists() {
            textio::write_atomic(&path, contents.as_bytes())?;
            created.push(path);
        }
    }
    Ok(created)
}

/// What `accept` adds: finding ids as `check` prints them, or one
/// acceptance by its fields (always everywhere).
#[derive(Debug, Clone, Default)]
pub struct AcceptRequest {
    /// Finding ids (`CHECK|TERM|SURFACE|CONTEXT`).
    pub ids: Vec<String>,
    /// Accept the ids everywhere, not only in the sentence of each.
    pub everywhere: bool,
    /// By fields: the check id (`--check`), …
    pub check: Option<String>,
    /// … the glossary term it concerns …
    pub term: Option<String>,
    /// … and the text found.
    pub surface: Option<String>,
    /// Why they are accepted (kept in the list).
    pub note: Option<String>,
}

impl AcceptRequest {
    /// The acceptances asked for: the one by fields first, then the ids'.
    pub fn acceptances(&self) -> Result<Vec<Acceptance>, WorkflowError> {
        let mut acceptances = Vec::new();
        if let Some(check) = &self.check {
            let check = crate::check::CheckId::from_id(check).ok_or_else(|| {
                WorkflowError::Usage(format!(
                    "unknown check `{check}` (expected one of: {})",
                    crate::check::known_ids()
                ))
            })?;
            let term = self.term.clone().unwrap_or_default();
            let surface = self.surface.clone().unwrap_or_default();
            acceptances.push(Acceptance {
                check,
                term,
                surface,
                context: None,
                note: String::new(),
                accepted: None,
            });
        }
        for id in &self.ids {
            let acceptance = Acceptance::from_id(id)?;
            acceptances.push(if self.everywhere {
                Acceptance { context: None, ..acceptance }
            } else {
                acceptance
            });
        }
        for acceptance in &mut acceptances {
            acceptance.note = self.note.clone().unwrap_or_default();
        }
        Ok(acceptances)
    }
}

/// Adds the acceptances `request` asks for to the project's accept list,
/// each dated now; returns how many were new (equal ones are kept once,
/// with their first date) and where the list is.
pub fn accept(project: &Project, request: &AcceptRequest) -> Result<(usize, PathBuf), WorkflowError> {
    let acceptances = request.acceptances()?;
    let today = crate::check::accept::accepted_date(std::time::SystemTime::now());
    change_accept_list(project, |list| {
        Ok(acceptances
            .into_iter()
            .filter(|a| {
                let dated = Acceptance { accepted: Some(today.clone()), ..a.clone() };
                list.add(dated)
            })
            .count())
    })
}

/// Removes the acceptances `ids` name (as `accept --list` prints them) from
/// the project's accept list, all or none: an id not in the list is an
/// error and the list is left as it was. Returns the removed acceptances
/// and where the list is.
pub fn remove_accepted(
    project: &Project,
    ids: &[String],
) -> Result<(Vec<Acceptance>, PathBuf), WorkflowError> {
    change_accept_list(project, |list| Ok(list.remove(ids)?))
}

/// Reads the accept list, lets `change` edit it and replaces the file
/// (atomically), all under the accept list's lock; nothing is written when
/// `change` fails.
fn change_accept_list<T>(
    project: &Project,
    change: impl FnOnce(&mut AcceptList) -> Result<T, WorkflowError>,
) -> Result<(T, PathBuf), WorkflowError> {
    project.require()?;
    let path = project.accept_list_path();
    // Editors accept findings from several terminals at once: read, change
    // and replace the list under an exclusive lock, or one acceptance would
    // overwrite another. The lock is on a file beside the list, because the
    // list itself is replaced by a rename.
    let lock_path = project.root.join(".accepted-findings.lock");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| WorkflowError::io(&lock_path, format!("cannot open the accept list's lock: {e}")))?;
    lock.lock().map_err(|e| WorkflowError::io(&lock_path, format!("cannot lock the accept list: {e}")))?;
    let mut list = load_accept_list(project)?;
    let result = change(&mut list)?;
    textio::write_atomic(&path, list.to_text().as_bytes())?;
    drop(lock);
    Ok((result, path))
}
