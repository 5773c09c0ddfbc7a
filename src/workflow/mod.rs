//! The workflows the command line runs — and that every other front end
//! (the translator's kit, a team server, a browser workspace) must run the
//! same way: reading an article pair with its options and glossaries
//! ([`article`]), checking it or a whole memory ([`check`]), and publishing
//! and ingesting it ([`edition`]), adding it to a memory ([`memory`]),
//! importing a glossary ([`glossary`]).
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

use std::path::{Path, PathBuf};

use crate::align::{BeadsError, DictionaryError};
use crate::check::accept::{AcceptError, AcceptList};
use crate::glossary::GlossaryError;
use crate::memory::MemoryError;
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

/// Adds acceptances to the project's accept list; returns how many were new
/// (equal ones are kept once) and where the list is.
pub fn accept(
    project: &Project,
    acceptances: Vec<crate::check::accept::Acceptance>,
) -> Result<(usize, PathBuf), WorkflowError> {
    let path = project.accept_list_path();
    let mut list = load_accept_list(project)?;
    let added = acceptances.into_iter().filter(|a| list.add(a.clone())).count();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| WorkflowError::io(dir, format!("cannot create: {e}")))?;
    }
    textio::write_atomic(&path, list.to_text().as_bytes())?;
    Ok((added, path))
}
