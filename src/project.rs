//! The project directory: where a project's memory, glossaries, accept list
//! and output live.
//!
//! A project is any directory with `tm/` and `glossaries/` (like an OmegaT
//! project). Owns the layout, nothing else.

use std::path::{Path, PathBuf};

/// Why a directory cannot be used as a project.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error("--project {0}: not a directory")]
    NotADirectory(String),
    #[error(
        "not a dragoman project: no {missing} in {root}; run `dragoman init {root}` (or give --tm / --glossary)"
    )]
    NotAProject { root: String, missing: &'static str },
}

/// A dragoman project rooted at a directory.
#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
}

impl Project {
    pub fn at(root: impl Into<PathBuf>) -> Project {
        Project { root: root.into() }
    }

    /// A path inside the project; relative to the current directory when
    /// the project is `.`, so messages say `tm/memory.sqlite`, not
    /// `./tm/memory.sqlite`.
    fn path(&self, relative: &str) -> PathBuf {
        if self.root == Path::new(".") { PathBuf::from(relative) } else { self.root.join(relative) }
    }

    /// Refuses a directory that is not a project (a typo in `--project`,
    /// or a command run in the wrong directory): commands that would use or
    /// create the project's memory, glossaries or accept list call this
    /// first, so nothing is created there and no empty glossary passes as a
    /// clean check.
    pub fn require(&self) -> Result<(), ProjectError> {
        let root = self.root.display().to_string();
        if self.root.exists() && !self.root.is_dir() {
            return Err(ProjectError::NotADirectory(root));
        }
        let missing = match (self.root.join("tm").is_dir(), self.root.join("glossaries").is_dir()) {
            (true, true) => return Ok(()),
            (false, false) => "tm/ or glossaries/",
            (false, true) => "tm/",
            (true, false) => "glossaries/",
        };
        Err(ProjectError::NotAProject { root, missing })
    }

    /// The default memory: `tm/memory.sqlite`.
    pub fn memory_path(&self) -> PathBuf {
        self.path("tm/memory.sqlite")
    }

    pub fn glossary_dir(&self) -> PathBuf {
        self.path("glossaries")
    }

    /// The glossary files loaded by default: every `*.txt`, `*.utf8` and
    /// `*.tab` file in `glossaries/` (the names OmegaT loads), sorted by name.
    pub fn glossary_files(&self) -> std::io::Result<Vec<PathBuf>> {
        let dir = self.glossary_dir();
        if !dir.is_dir() {
            return Ok(Vec::new());
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("txt" | "utf8" | "tab"))
            })
            .collect();
        files.sort();
        Ok(files)
    }

    /// Where `ingest` writes editions by default: `out/`.
    pub fn out_dir(&self) -> PathBuf {
        self.path("out")
    }

    /// The editor's list of accepted findings.
    pub fn accept_list_path(&self) -> PathBuf {
        self.path("accepted-findings.tsv")
    }
}

/// A document's name: the source file's stem, or its parent directory's name
/// when the stem is only a language code (`examples/raqqa-2017/ar.txt` →
/// `raqqa-2017`).
pub fn document_name(source: &Path) -> String {
    let stem = source.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    // `aleppo.ar.txt` names the document `aleppo`.
    let stem = [".ar", ".en", "_ar", "_en", "-ar", "-en"]
        .iter()
        .find_map(|suffix| stem.strip_suffix(suffix).filter(|s| !s.is_empty()))
        .unwrap_or(stem);
    let is_lang_code = crate::lang::Lang::from_tag(stem).is_some() && stem.len() <= 5
        || matches!(stem.to_ascii_lowercase().as_str(), "ara" | "eng" | "source" | "target" | "src" | "tgt");
    if stem.is_empty() || stem == "-" || is_lang_code {
        let parent = match source.parent().and_then(|d| d.file_name()) {
            Some(name) => Some(name.to_string_lossy().into_owned()),
            None => std::env::current_dir()
                .ok()
                .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned())),
        };
        if let Some(name) = parent.filter(|n| !n.is_empty()) {
            return name;
        }
    }
    if stem.is_empty() || stem == "-" { "document".to_string() } else { stem.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_documents_after_stem_or_directory() {
        assert_eq!(document_name(Path::new("examples/raqqa-2017/ar.txt")), "raqqa-2017");
        assert_eq!(document_name(Path::new("news/aleppo-siege.ar.txt")), "aleppo-siege");
        assert_eq!(document_name(Path::new("drafts/mosul.txt")), "mosul");
    }
}
