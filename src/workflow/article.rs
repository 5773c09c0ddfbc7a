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
        if self.rules.is_some() {
            options.segmenter = segmenter(self.rules.as_deref())?;
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

/// The segmenter of the SRX rules in `rules`, or the built-in one.
pub fn segmenter(rules: Option<&Path>) -> Result<Segmenter, WorkflowError> {
    let Some(path) = rules else { return Ok(Segmenter::builtin()) };
    let srx = textio::read_text(path)?;
    Ok(Segmenter::from_srx(&srx.text, &srx.name)?)
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

/// The document's name: `given` (`--name`), checked, or else from the
/// source's file name. Standard input has no file name, and the current
/// directory's would make every article read from it the same document:
/// it needs `--name`.
pub fn document_name_of(source: &Path, target: &Path, given: Option<&str>) -> Result<String, WorkflowError> {
    match given {
        Some(name) => check_document_name(name),
        None if source == Path::new("-") && target == Path::new("-") => {
            Err(WorkflowError::Usage("only one input can be standard input (`-`)".into()))
        }
        None if source == Path::new("-") => Err(WorkflowError::Usage(
            "an article read from standard input needs a document name: pass --name NAME".into(),
        )),
        None => Ok(crate::project::document_name(source)),
    }
}

/// The source file the memory records for a document read from `source`:
/// its absolute path (what tells two `article.ar.txt` in different folders
/// apart), or `-` for standard input.
pub fn recorded_source_file(source: &Path) -> String {
    if source == Path::new("-") {
        return crate::memory::STANDARD_INPUT.to_string();
    }
    std::fs::canonicalize(source)
        .or_else(|_| std::path::absolute(source))
        .unwrap_or_else(|_| source.to_path_buf())
        .display()
        .to_string()
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

/// An article pair read back from a translated XLIFF work file
/// (`ingest --xliff`): the translator's own alignment, so nothing is
/// aligned. See [`read_xliff_pair`].
#[derive(Debug)]
pub struct XliffPair {
    pub pair: ArticlePair,
    /// The Arabic file the work file was prepared from (`<file original>`):
    /// the document's source file, named as `ingest ar.txt en.txt` names it.
    pub source_file: PathBuf,
    /// The work file's title and date (`prepare --title/--date`), if any.
    pub title: Option<String>,
    pub date: Option<String>,
    /// Ids of the units left untranslated (1-0 beads: shown, not stored).
    pub untranslated: Vec<String>,
}

/// Reads a translated XLIFF 1.2 file as an article pair: each trans-unit is
/// a bead, its source one Arabic sentence, its target (when translated, see
/// [`crate::xliff::Unit::translation`]) segmented with the English rules, so
/// one sentence rendered as three is a 1-3 bead; an untranslated unit is a
/// 1-0 bead. Paragraphs are the file's groups; each side's text is its
/// sentences joined by a space, paragraphs by a blank line. The document is
/// named `name`, else the header's `document` note, else from the source
/// file as `ingest` names it.
pub fn read_xliff_pair(path: &Path, name: Option<&str>) -> Result<XliffPair, WorkflowError> {
    let document = crate::xliff::read_xliff_file(path)?;
    let file = textio::display_name(path);
    let language = |tag: &str| crate::lang::Lang::from_tag(tag.trim());
    if language(&document.source_language) != Some(crate::lang::Lang::Ar) {
        return Err(WorkflowError::Usage(format!(
            "{file}: source-language is `{}`; dragoman reads work files translating Arabic (ar) into English",
            document.source_language
        )));
    }
    if !document.target_language.trim().is_empty()
        && language(&document.target_language) != Some(crate::lang::Lang::En)
    {
        return Err(WorkflowError::Usage(format!(
            "{file}: target-language is `{}`; dragoman reads work files translating Arabic into English (en)",
            document.target_language
        )));
    }
    let source_file = PathBuf::from(&document.original);
    let name = match name.or(document.document.as_deref()) {
        Some(name) => check_document_name(name)?,
        None => crate::project::document_name(&source_file),
    };
    let english = Segmenter::builtin();
    let mut sides = [SideBuilder::default(), SideBuilder::default()];
    let mut beads = Vec::new();
    let mut untranslated = Vec::new();
    for units in &document.paragraphs {
        let [source, target] = &mut sides;
        source.new_paragraph();
        target.new_paragraph();
        for unit in units {
            // Trimmed only: a no-break space inside is part of the text.
            let sentence = unit.source.trim();
            if sentence.is_empty() {
                continue;
            }
            let source_index = source.push(sentence, crate::lang::Lang::Ar);
            let mut bead = align::Bead {
                source: vec![source_index],
                target: Vec::new(),
                confidence: 1.0,
                evidence: Vec::new(),
            };
            match unit.translation() {
                Some(translation) => {
                    for segment in english.segment(translation, Some(crate::lang::Lang::En)) {
                        bead.target.push(target.push(&segment.text, crate::lang::Lang::En));
                    }
                }
                None => untranslated.push(unit.id.clone()),
            }
            beads.push(bead);
        }
    }
    let [source, target] = sides;
    if source.segments.is_empty() {
        return Err(WorkflowError::EmptyText { name: file, side: "work file's source" });
    }
    let pair = ArticlePair {
        name,
        source_text: source.text,
        target_text: target.text,
        source: source.segments,
        target: target.segments,
        alignment: align::Alignment { beads, warnings: Vec::new() },
    };
    Ok(XliffPair { pair, source_file, title: document.title, date: document.date, untranslated })
}

/// One side of a pair being built from sentences: its text (sentences
/// joined by a space, paragraphs by a blank line) and segments pointing
/// into it.
#[derive(Default)]
struct SideBuilder {
    text: String,
    segments: Vec<crate::segment::Segment>,
    /// The paragraph the next sentence starts, when it starts one.
    pending_paragraph: bool,
    paragraph: usize,
}

impl SideBuilder {
    fn new_paragraph(&mut self) {
        self.pending_paragraph = true;
    }

    /// Appends a sentence; returns its index.
    fn push(&mut self, sentence: &str, lang: crate::lang::Lang) -> usize {
        if !self.segments.is_empty() {
            if self.pending_paragraph {
                self.paragraph += 1;
                self.text.push_str("\n\n");
            } else {
                self.text.push(' ');
            }
        }
        self.pending_paragraph = false;
        let start = self.text.len();
        self.text.push_str(sentence);
        self.segments.push(crate::segment::Segment {
            text: sentence.to_string(),
            lang,
            paragraph: self.paragraph,
            start,
            end: self.text.len(),
        });
        self.segments.len() - 1
    }
}
