//! Reading an article and its translation the one way every command does
//! (`align`, `tm add`, `check`, `publish`, `ingest`): the segmentation and
//! alignment inputs, the glossaries whose terms anchor the alignment, both
//! texts decoded. One place, so bead numbers agree between commands.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::WorkflowError;
use crate::align::{self, Dictionary};
use crate::glossary::{Glossary, Recognizer};
use crate::lang::ScriptCounts;
use crate::pair::{ArticlePair, PairOptions};
use crate::project::Project;
use crate::segment::Segmenter;
use crate::textio::{self, TextInput};

/// How to segment and align a pair (the files named by `--presegmented`,
/// `--rules`, `--beads`, `--dictionary`).
#[derive(Debug, Clone, Default)]
pub struct ArticleInput {
    /// The texts are already one sentence a line, blank line between
    /// paragraphs (what `segment` prints).
    pub presegmented: bool,
    /// SRX rules to use instead of the built-in ones.
    pub rules: Option<PathBuf>,
    /// A hand-corrected alignment (the beads format) to use instead of aligning.
    pub beads: Option<PathBuf>,
    /// Bilingual word lists whose pairs anchor the alignment.
    pub dictionaries: Vec<PathBuf>,
    /// The project's `lexicons/` directory: its word lists (`*.tsv`,
    /// `*.txt`) are used when `dictionaries` is empty, as the project's
    /// glossaries are. `None`: no word list unless named (`--no-dictionary`,
    /// or no project).
    pub lexicons: Option<PathBuf>,
}

/// Which glossaries to use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum GlossaryChoice {
    /// The project's `glossaries/*.txt` (`*.utf8`, `*.tab`).
    #[default]
    Project,
    /// These files instead (`--glossary FILE`, repeatable).
    Files(Vec<PathBuf>),
}

impl GlossaryChoice {
    /// `Files` when any are given, else the project's.
    pub fn from_files(files: Vec<PathBuf>) -> GlossaryChoice {
        if files.is_empty() { GlossaryChoice::Project } else { GlossaryChoice::Files(files) }
    }

    /// The files to read.
    pub fn files(&self, project: &Project) -> Result<Vec<PathBuf>, WorkflowError> {
        match self {
            GlossaryChoice::Files(files) => Ok(files.clone()),
            GlossaryChoice::Project => {
                project.require()?;
                project.glossary_files().map_err(|e| {
                    WorkflowError::io(&project.glossary_dir(), format!("cannot list the glossaries: {e}"))
                })
            }
        }
    }

    /// Loads the chosen glossaries; their warnings (and "no glossary", as
    /// term checks then find nothing) are added to `warnings`.
    pub fn load(&self, project: &Project, warnings: &mut Vec<String>) -> Result<Glossary, WorkflowError> {
        let files = self.files(project)?;
        if files.is_empty() {
            warnings.push(format!(
                "no glossary: {} has no *.txt, *.utf8 or *.tab files and no --glossary was given",
                project.glossary_dir().display()
            ));
        }
        let glossary = Glossary::load(&files)?;
        warnings.extend(glossary.warnings().iter().cloned());
        Ok(glossary)
    }

    /// The recognizer of the chosen glossaries as alignment anchors, or
    /// `None` when there is no glossary file at all or, for the project's,
    /// no project (aligning works anywhere; it simply has no term anchors:
    /// commands that check terms load with [`GlossaryChoice::load`], which
    /// refuses or warns).
    pub fn anchors(
        &self,
        project: &Project,
        warnings: &mut Vec<String>,
    ) -> Result<Option<Arc<Recognizer>>, WorkflowError> {
        if *self == GlossaryChoice::Project && project.require().is_err() {
            return Ok(None);
        }
        let files = self.files(project)?;
        if files.is_empty() {
            return Ok(None);
        }
        let glossary = Glossary::load(&files)?;
        warnings.extend(glossary.warnings().iter().cloned());
        Ok(Some(Arc::new(Recognizer::try_new(&glossary)?)))
    }
}

impl ArticleInput {
    /// The pipeline options: rules compiled, beads read, dictionaries loaded,
    /// glossary anchors from `recognizer`.
    pub fn options(
        &self,
        recognizer: Option<Arc<Recognizer>>,
        warnings: &mut Vec<String>,
    ) -> Result<PairOptions, WorkflowError> {
        let mut options =
            PairOptions { presegmented: self.presegmented, recognizer, ..PairOptions::default() };
        if let Some(path) = &self.rules {
            let srx = textio::read_text(path)?;
            options.segmenter = Segmenter::from_srx(&srx.text, &srx.name)?;
        }
        if let Some(path) = &self.beads {
            let input = textio::read_text(path)?;
            options.beads = Some(align::parse_beads(&input.text, &input.name)?);
        }
        let lists = self.word_lists()?;
        if !lists.is_empty() {
            let mut dictionary = Dictionary::new();
            for (path, name) in &lists {
                dictionary.add_bytes(&textio::read_bytes(path)?, name)?;
            }
            if dictionary.is_empty() {
                warnings
                    .push("the dictionary has no usable one-word pairs: alignment runs without it".into());
            } else {
                options.align.dictionary = Some(Arc::new(dictionary));
            }
        }
        Ok(options)
    }

    /// The word lists to load, with their names for messages: the given
    /// dictionaries, else those in `lexicons` (`lexicons/x.tsv`), sorted.
    pub fn word_lists(&self) -> Result<Vec<(PathBuf, String)>, WorkflowError> {
        if !self.dictionaries.is_empty() {
            return Ok(self.dictionaries.iter().map(|p| (p.clone(), textio::display_name(p))).collect());
        }
        let Some(dir) = self.lexicons.as_ref().filter(|d| d.is_dir()) else { return Ok(Vec::new()) };
        let listing =
            std::fs::read_dir(dir).map_err(|e| WorkflowError::io(dir, format!("cannot list: {e}")))?;
        let mut lists = Vec::new();
        for entry in listing {
            let path = entry.map_err(|e| WorkflowError::io(dir, format!("cannot list: {e}")))?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
            let word_list = name.ends_with(".tsv") || name.ends_with(".txt");
            if word_list && !name.starts_with('.') && path.is_file() {
                lists.push((path, format!("lexicons/{name}")));
            }
        }
        lists.sort();
        Ok(lists)
    }
}

/// An article pair read from disk, with the inputs it came from.
#[derive(Debug)]
pub struct LoadedPair {
    pub pair: ArticlePair,
    pub source: TextInput,
    pub target: TextInput,
}

/// Reads both texts (`-` = stdin, for one of them) and builds the pair
/// named `name`.
pub fn read_pair(
    source: &Path,
    target: &Path,
    name: &str,
    options: &PairOptions,
) -> Result<LoadedPair, WorkflowError> {
    if source == Path::new("-") && target == Path::new("-") {
        return Err(WorkflowError::Usage("only one input can be standard input (`-`)".into()));
    }
    let source = textio::read_text(source)?;
    let target = textio::read_text(target)?;
    check_languages(&source, &target)?;
    let pair = ArticlePair::build(name, &source.text, &target.text, options).map_err(|error| {
        WorkflowError::Pair { source_name: source.name.clone(), target_name: target.name.clone(), error }
    })?;
    Ok(LoadedPair { pair, source, target })
}

/// A name given with `--name` becomes part of file names: keep it to one
/// path component.
pub fn check_document_name(name: &str) -> Result<String, WorkflowError> {
    let bad = name.is_empty()
        || name.starts_with('.')
        || name.chars().any(|c| matches!(c, '/' | '\\' | ':') || c.is_control());
    if bad {
        return Err(WorkflowError::BadName(name.to_string()));
    }
    Ok(name.to_string())
}

/// dragoman translates Arabic into English: a source without Arabic, or an
/// English source with an Arabic translation, would store English as Arabic
/// and publish an "English edition" in Arabic. Refuse before anything is
/// read further.
fn check_languages(source: &TextInput, target: &TextInput) -> Result<(), WorkflowError> {
    let (ours, theirs) = (ScriptCounts::of(&source.text), ScriptCounts::of(&target.text));
    if ours.mostly_latin() && theirs.mostly_arabic() {
        return Err(WorkflowError::Usage(format!(
            "the source ({}) looks English and the translation ({}) Arabic: swap them? (the Arabic original comes first)",
            source.name, target.name
        )));
    }
    if ours.arabic == 0 && ours.latin > 0 {
        return Err(WorkflowError::Usage(format!(
            "{}: the source has no Arabic text; dragoman aligns an Arabic original (first) with its English translation",
            source.name
        )));
    }
    Ok(())
}
