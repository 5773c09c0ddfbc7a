//! `prepare`: the translator's kit for a new Arabic article. The article is
//! segmented as `segment` does (the headline is a sentence like any
//! other), every sentence is looked up in the memory (one [`Memory`]
//! opened once; exact, normalized and fuzzy matches at or above `--min`),
//! the glossary's names and the numbers in it are found, and two files are
//! written: the XLIFF 1.2 work file for a CAT tool (see [`crate::xliff`]
//! for what it holds) and the brief page for translators without one (see
//! [`crate::publish::brief`]). Both come from one [`Brief`], so they agree.
//!
//! Like the other commands, `prepare` refuses to run outside a project
//! unless `--tm` or `--glossary` says what to use; a project whose memory
//! does not exist yet gives a kit where every sentence is new.

use std::path::PathBuf;
use std::time::Instant;

use super::WorkflowError;
use super::article::{GlossaryChoice, check_document_name};
use crate::glossary::Recognizer;
use crate::lang::{Lang, ScriptCounts};
use crate::memory::{LookupOptions, Memory, MemoryError, MemoryLocation, lookup::differing_words};
use crate::project::{Project, document_name};
use crate::publish::brief::{Brief, BriefMatch, BriefName, BriefSentence, MatchBands};
use crate::segment::Segmenter;
use crate::textio;
use crate::xliff::{self, Alternative, Note, Target, Unit, XliffDocument};

/// How many memory matches each sentence gets: the exact one (pre-filled)
/// and up to three others (`<alt-trans>`, the brief's list).
const ALTERNATIVES: usize = 3;

/// A file `prepare` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KitFormat {
    /// `NAME.xlf`, XLIFF 1.2 for a CAT tool.
    Xliff,
    /// `NAME.brief.html`, the translator's brief.
    Brief,
}

impl KitFormat {
    pub const ALL: [KitFormat; 2] = [KitFormat::Xliff, KitFormat::Brief];

    /// The name `--formats` takes.
    pub fn name(self) -> &'static str {
        match self {
            KitFormat::Xliff => "xliff",
            KitFormat::Brief => "brief",
        }
    }

    pub fn from_name(name: &str) -> Option<KitFormat> {
        KitFormat::ALL.into_iter().find(|f| f.name() == name.trim())
    }

    /// The file written for document `name`.
    pub fn file_name(self, name: &str) -> String {
        match self {
            KitFormat::Xliff => format!("{name}.xlf"),
            KitFormat::Brief => format!("{name}.brief.html"),
        }
    }
}

impl std::str::FromStr for KitFormat {
    type Err = String;
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        KitFormat::from_name(name)
            .ok_or_else(|| format!("unknown kit format `{name}` (expected xliff or brief)"))
    }
}

/// What `prepare` takes.
#[derive(Debug, Clone)]
pub struct PrepareRequest {
    /// The new Arabic article (`-` = stdin).
    pub source: PathBuf,
    /// Where to write [default: the project's `out/`, or `out/` here].
    pub out: Option<PathBuf>,
    /// The document name [default: from the source's file name].
    pub name: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
    /// The lowest fuzzy score looked up (1–100).
    pub min: u8,
    /// `--tm PATH|URL` [default: the project's memory].
    pub memory: Option<String>,
    pub glossary: GlossaryChoice,
    /// The files to write, each once.
    pub formats: Vec<KitFormat>,
}

/// What `prepare` did; `--format json` prints it (a contract).
#[derive(Debug, Clone, serde::Serialize)]
pub struct PrepareSummary {
    pub name: String,
    pub sentences: usize,
    /// Sentences by their best match: `exact` (100), `high` (95–99),
    /// `fuzzy` (`--min`–94), `new`.
    pub matches: MatchBands,
    /// Distinct glossary names found.
    pub names: usize,
    /// The memory looked up (a path, or a URL without its password), if any.
    pub memory: Option<String>,
    pub seconds: f64,
    pub written: Vec<String>,
}

/// The kit, and what the caller shows.
#[derive(Debug)]
pub struct PrepareReport {
    pub brief: Brief,
    pub xliff: XliffDocument,
    pub summary: PrepareSummary,
    /// Glossary and memory warnings, for the caller to show.
    pub warnings: Vec<String>,
}

/// Prepares the kit for `request.source` and writes the chosen files.
pub fn prepare(project: &Project, request: &PrepareRequest) -> Result<PrepareReport, WorkflowError> {
    let started = Instant::now();
    let mut warnings = Vec::new();
    let in_project = project.require();
    let from_environment = std::env::var("DRAGOMAN_TM").is_ok_and(|t| !t.trim().is_empty());
    let location = match (&request.memory, &in_project) {
        (Some(text), _) => Some(super::memory_location(project, Some(text))?),
        (None, Ok(())) => Some(super::memory_location(project, None)?),
        (None, Err(_)) if from_environment => Some(super::memory_location(project, None)?),
        (None, Err(_)) => None,
    };
    let recognizer = match (&request.glossary, &in_project) {
        (GlossaryChoice::Project, Err(error)) => {
            if location.is_none() {
                return Err(crate::project::ProjectError::NotAProject {
                    root: project.root.display().to_string(),
                    missing: match error {
                        crate::project::ProjectError::NotAProject { missing, .. } => missing,
                        _ => "tm/ or glossaries/",
                    },
                }
                .into());
            }
            warnings
                .push("no glossary: not in a project and no --glossary given; names are not marked".into());
            None
        }
        (choice, _) => {
            let glossary = choice.load(project, &mut warnings)?;
            if glossary.is_empty() { None } else { Some(Recognizer::try_new(&glossary)?) }
        }
    };
    let name = match &request.name {
        Some(name) => check_document_name(name)?,
        None => document_name(&request.source),
    };
    let input = textio::read_text(&request.source)?;
    if input.text.trim().is_empty() {
        return Err(WorkflowError::EmptyText { name: input.name, side: "original" });
    }
    let scripts = ScriptCounts::of(&input.text);
    if scripts.arabic == 0 && scripts.latin > 0 {
        return Err(WorkflowError::Usage(format!(
            "{}: the article has no Arabic text; prepare reads the Arabic original",
            input.name
        )));
    }
    let memory = match &location {
        Some(MemoryLocation::Path(path)) if !path.exists() => {
            warnings.push(format!("no memory at {} yet: every sentence is new", path.display()));
            None
        }
        Some(location) => Some(Memory::open_location(location)?),
        None => None,
    };
    let brief = build_brief(&input.text, request, &name, memory.as_ref(), recognizer.as_ref())?;
    let xliff = xliff_document(&brief, request);

    let out = request.out.clone().unwrap_or_else(|| project.out_dir());
    let mut written = Vec::new();
    if !request.formats.is_empty() {
        std::fs::create_dir_all(&out)
            .map_err(|error| WorkflowError::OutputDirectory { path: out.display().to_string(), error })?;
    }
    for format in dedup(&request.formats) {
        let path = out.join(format.file_name(&name));
        let contents = match format {
            KitFormat::Xliff => xliff::write_xliff(&xliff),
            KitFormat::Brief => crate::publish::brief::render_brief_html(&brief),
        };
        textio::write_atomic(&path, contents.as_bytes())?;
        written.push(path);
    }
    let summary = PrepareSummary {
        name,
        sentences: brief.sentences.len(),
        matches: brief.bands(),
        names: brief.distinct_names(),
        memory: memory.is_some().then(|| location.as_ref().map(ToString::to_string)).flatten(),
        seconds: started.elapsed().as_secs_f64(),
        written: written.iter().map(|p| p.display().to_string()).collect(),
    };
    Ok(PrepareReport { brief, xliff, summary, warnings })
}

fn dedup(formats: &[KitFormat]) -> Vec<KitFormat> {
    let mut seen = Vec::new();
    for &format in formats {
        if !seen.contains(&format) {
            seen.push(format);
        }
    }
    seen
}

/// Every sentence of `text` with its matches, names and numbers.
fn build_brief(
    text: &str,
    request: &PrepareRequest,
    name: &str,
    memory: Option<&Memory>,
    recognizer: Option<&Recognizer>,
) -> Result<Brief, WorkflowError> {
    let segments = Segmenter::builtin().segment(text, None);
    let options = LookupOptions { min: request.min, limit: 1 + ALTERNATIVES, lang: Some(Lang::Ar) };
    let mut sentences = Vec::with_capacity(segments.len());
    let mut in_paragraph = 0;
    for (index, segment) in segments.iter().enumerate() {
        let new_paragraph = index == 0 || segments[index - 1].paragraph != segment.paragraph;
        in_paragraph = if new_paragraph { 1 } else { in_paragraph + 1 };
        let matches = match memory.map(|m| m.lookup(&segment.text, &options)) {
            None => Vec::new(),
            Some(Ok(matches)) => matches,
            // A sentence of punctuation only, or too long to look up, simply has no match.
            Some(Err(MemoryError::NoWords | MemoryError::QueryTooLong { .. })) => Vec::new(),
            Some(Err(e)) => return Err(e.into()),
        };
        let matches = matches
            .into_iter()
            .map(|m| BriefMatch {
                differing: differing_words(&segment.text, &m.source).into_iter().map(|(s, e)| s..e).collect(),
                score: m.score,
                exact: m.exact,
                source: m.source,
                target: m.target,
                document: m.doc,
            })
            .collect();
        sentences.push(BriefSentence {
            id: format!("s{}-{in_paragraph}", segment.paragraph + 1),
            paragraph: segment.paragraph,
            text: segment.text.clone(),
            matches,
            names: recognizer.map(|r| names_in(r, &segment.text)).unwrap_or_default(),
            numbers: crate::check::text::numbers(&segment.text, true)
                .iter()
                .filter_map(|n| segment.text.get(n.span.0..n.span.1))
                .map(str::to_string)
                .collect(),
        });
    }
    Ok(Brief {
        name: name.to_string(),
        title: request.title.clone(),
        date: request.date.clone(),
        source_file: textio::display_name(&request.source),
        min: request.min,
        sentences,
    })
}

/// The glossary names in an Arabic sentence, each entry once.
fn names_in(recognizer: &Recognizer, sentence: &str) -> Vec<BriefName> {
    let mut names: Vec<BriefName> = Vec::new();
    let mut seen = Vec::new();
    for found in recognizer.find_arabic(sentence) {
        if seen.contains(&found.entry) {
            continue;
        }
        seen.push(found.entry);
        let Some(entry) = recognizer.entries().get(found.entry) else { continue };
        names.push(BriefName {
            surface: found.surface,
            term: entry.source.clone(),
            approved: entry.target.clone(),
            accepted: entry.accepted.clone(),
            forbidden: entry.forbidden.clone(),
            note: if entry.note.is_empty() { entry.comment.clone() } else { entry.note.clone() },
        });
    }
    names
}

/// The work file: one group per paragraph, one unit per sentence (see
/// [`crate::xliff`] for ids, states and notes).
fn xliff_document(brief: &Brief, request: &PrepareRequest) -> XliffDocument {
    let mut paragraphs: Vec<Vec<Unit>> = Vec::new();
    let mut previous = None;
    for sentence in &brief.sentences {
        if previous != Some(sentence.paragraph) {
            paragraphs.push(Vec::new());
            previous = Some(sentence.paragraph);
        }
        let exact = sentence.matches.first().filter(|m| m.exact);
        let target = match exact {
            Some(m) => Target { text: m.target.clone(), state: Some(xliff::EXACT_MATCH_STATE.into()) },
            None => Target { text: sentence.text.clone(), state: Some(xliff::NEW_STATE.into()) },
        };
        let mut notes: Vec<Note> = sentence
            .names
            .iter()
            .map(|n| {
                let mut text = format!("{} → {}", n.surface, n.approved);
                if !n.accepted.is_empty() {
                    text += &format!("; also accepted: {}", n.accepted.join(", "));
                }
                if !n.forbidden.is_empty() {
                    text += &format!("; never: {}", n.forbidden.join(", "));
                }
                Note { from: Some("glossary".into()), text }
            })
            .collect();
        if !sentence.numbers.is_empty() {
            notes.push(Note { from: Some("numbers".into()), text: sentence.numbers.join(", ") });
        }
        let alternatives = sentence
            .matches
            .iter()
            .filter(|m| !m.exact)
            .take(ALTERNATIVES)
            .map(|m| Alternative {
                match_quality: m.score.to_string(),
                origin: m.document.clone().unwrap_or_else(|| "memory".into()),
                source: m.source.clone(),
                target: m.target.clone(),
            })
            .collect();
        if let Some(units) = paragraphs.last_mut() {
            units.push(Unit {
                id: sentence.id.clone(),
                source: sentence.text.clone(),
                target: Some(target),
                notes,
                alternatives,
            });
        }
    }
    XliffDocument {
        original: request.source.display().to_string(),
        source_language: Lang::Ar.code().into(),
        target_language: Lang::En.code().into(),
        title: request.title.clone(),
        date: request.date.clone(),
        document: request.name.clone(),
        paragraphs,
    }
}
