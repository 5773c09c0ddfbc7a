//! XLIFF 1.2 (`urn:oasis:names:tc:xliff:document:1.2`): the work file a
//! translator's CAT tool (OmegaT, Trados, memoQ) opens. [`write_xliff`]
//! writes what `dragoman prepare` gives the translator; [`read_xliff`]
//! reads it back after translation (`dragoman ingest --xliff`).
//!
//! What dragoman writes (valid against the OASIS strict schema):
//! - one `<file>` whose `original` is the Arabic file `prepare` read, as it
//!   was named on the command line: `ingest --xliff` names the document
//!   from it exactly as `ingest ar.txt en.txt` names it from that file, so
//!   the XLIFF replaces the units of an earlier plain-text ingest;
//! - the title, date and a `--name`, when given, as `<note from="title">`,
//!   `<note from="date">` and `<note from="document">` in the `<header>`
//!   (the strict schema has no free metadata attributes);
//! - one `<group id="pN">` per paragraph (N from 1) holding one
//!   `<trans-unit id="sN-M">` per sentence (M from 1 within the paragraph):
//!   ids depend only on the segmentation of the Arabic text, so preparing
//!   the same article twice gives the same ids;
//! - every unit has a `<target>`: a 100 % match's translation with
//!   `state="needs-review-translation"`, else a copy of the source with
//!   `state="new"` (see [`EXACT_MATCH_STATE`] and [`NEW_STATE`]);
//! - normalized and fuzzy matches as `<alt-trans>`, best first; glossary
//!   names and numbers as `<note>`s. Text is escaped; bidi controls are
//!   written as they are (they are part of the text a CAT tool shows).
//!
//! What dragoman reads: any XLIFF 1.0–1.2 with one `<file>`, groups nested
//! or not, inline codes (`<g> <x/> <bpt> <ph> …`: the text of code elements
//! is dropped) and the segmentation OmegaT, Trados and memoQ add
//! (`<seg-source>`, `<mrk mtype="seg">`: the segments of a unit are joined
//! by a space). The reader is safe on hostile input like the TMX reader: a
//! DOCTYPE is refused (no entity is ever expanded), only the five XML
//! entities and character references are resolved, files over
//! [`MAX_XLIFF_BYTES`] and nesting deeper than [`MAX_DEPTH`] are refused,
//! and every error is one line with `file:line:column`.

mod error;
mod reader;
mod writer;

pub use error::{XliffError, XliffErrorKind};
pub use reader::{MAX_DEPTH, MAX_XLIFF_BYTES, read_xliff, read_xliff_file};
pub use writer::write_xliff;

/// The XLIFF 1.2 namespace.
pub const NAMESPACE: &str = "urn:oasis:names:tc:xliff:document:1.2";

/// The state of a target pre-filled from a 100 % match. Not `translated`
/// or `final`: the sentence is the same, but the article around it is new,
/// and a CAT tool lists `needs-review-translation` units for review rather
/// than skipping them as finished.
pub const EXACT_MATCH_STATE: &str = "needs-review-translation";

/// The state of a target that is still a copy of the source. OmegaT 3.6's
/// XLIFF filter only offers what `<target>` holds (with an empty or missing
/// target it finds no segments), so the copy must be there; `new` says it
/// is not a translation.
pub const NEW_STATE: &str = "new";

/// An XLIFF document of one article (one `<file>`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XliffDocument {
    /// `<file original>`: the Arabic file the work file was prepared from.
    pub original: String,
    /// `source-language` (`ar`).
    pub source_language: String,
    /// `target-language` (`en`); empty when absent.
    pub target_language: String,
    /// `<note from="title">` in the header.
    pub title: Option<String>,
    /// `<note from="date">` in the header.
    pub date: Option<String>,
    /// `<note from="document">` in the header: the document name given to
    /// `prepare --name`, which `ingest --xliff` then uses instead of the
    /// name from `original`.
    pub document: Option<String>,
    /// Paragraphs in order: the units of each top-level `<group>` (a unit
    /// directly in `<body>` is a paragraph of its own).
    pub paragraphs: Vec<Vec<Unit>>,
}

impl XliffDocument {
    /// Every unit in document order.
    pub fn units(&self) -> impl Iterator<Item = &Unit> {
        self.paragraphs.iter().flatten()
    }
}

/// A `<trans-unit>`: one Arabic sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unit {
    pub id: String,
    /// The text of `<source>` (inline codes dropped).
    pub source: String,
    pub target: Option<Target>,
    pub notes: Vec<Note>,
    /// `<alt-trans>`, in document order.
    pub alternatives: Vec<Alternative>,
}

impl Unit {
    /// The translator's text, or `None` when the unit is untranslated: no
    /// target, an empty one, one still equal to the source, a state of
    /// `needs-translation`, or a state of `new` with a target still in
    /// Arabic (the source copy `prepare` wrote, perhaps half edited).
    ///
    /// A `new` target in English counts as translated: OmegaT 3.6 fills
    /// targets from its memory and the translator's work but leaves their
    /// `state` as it found it (checked: every unit of a console-translate
    /// round trip came back `state="new"`), so the state alone would
    /// throw real translations away.
    pub fn translation(&self) -> Option<&str> {
        let target = self.target.as_ref()?;
        let text = target.text.trim();
        if text.is_empty() || text == self.source.trim() {
            return None;
        }
        match target.state.as_deref().map(str::trim) {
            Some("needs-translation") => None,
            Some("new") if !crate::lang::ScriptCounts::of(text).mostly_latin() => None,
            _ => Some(text),
        }
    }
}

/// A `<target>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Target {
    /// Its text (inline codes dropped; `<mrk mtype="seg">` segments joined
    /// by a space).
    pub text: String,
    /// The `state` attribute.
    pub state: Option<String>,
}

/// A `<note>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Note {
    /// The `from` attribute (`glossary`, `numbers`, `title`, …).
    pub from: Option<String>,
    pub text: String,
}

/// An `<alt-trans>`: a match from the memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Alternative {
    /// `match-quality` as written (dragoman writes the score, `87`).
    pub match_quality: String,
    /// `origin`: where the match comes from (the memory's document name).
    pub origin: String,
    /// The matched Arabic sentence.
    pub source: String,
    /// Its translation.
    pub target: String,
}
