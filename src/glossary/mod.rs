//! Glossaries of names and their approved renderings, and term recognition.
//!
//! Owns: the [`Entry`] model, the native tab-separated format (OmegaT's
//! three columns plus ours, see [`native`]), other formats (CSV, TBX, in
//! [`formats`]), linting ([`lint`]), and clitic-aware recognition of terms in
//! Arabic and English text ([`Recognizer`]).
//!
//! Reads glossary files (through [`crate::textio`]); everything else is pure.

pub mod lint;
pub mod native;
mod recognize;

use std::path::PathBuf;

pub use native::write_native;
pub use recognize::{
    EnglishMatch, MAX_PATTERN_BYTES, MAX_TERM_BYTES, MatchHow, Recognizer, Rendering, TermMatch,
    arabic_surface_forms, english_key, is_acronym,
};

use crate::textio::{self, InputError};

pub mod formats;

/// What kind of name an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TermType {
    Group,
    Place,
    Person,
    Organization,
    Other,
}

impl TermType {
    pub const ALL: [TermType; 5] =
        [TermType::Group, TermType::Place, TermType::Person, TermType::Organization, TermType::Other];

    /// The name used in the native format and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            TermType::Group => "group",
            TermType::Place => "place",
            TermType::Person => "person",
            TermType::Organization => "organization",
            TermType::Other => "other",
        }
    }

    /// Parses a type name (case-insensitive; `org` and `organisation` too).
    pub fn from_name(name: &str) -> Option<TermType> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "group" => TermType::Group,
            "place" => TermType::Place,
            "person" => TermType::Person,
            "organization" | "organisation" | "org" => TermType::Organization,
            "other" | "" => TermType::Other,
            _ => return None,
        })
    }
}

impl std::fmt::Display for TermType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One glossary entry: an Arabic name and how it may be rendered in English.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Entry {
    /// The Arabic term as written in the glossary.
    pub source: String,
    /// The approved English rendering.
    pub target: String,
    /// OmegaT's comment column.
    pub comment: String,
    /// Other Arabic spellings of the same term.
    pub variants: Vec<String>,
    /// English forms also accepted.
    pub accepted: Vec<String>,
    /// English forms that must not be used.
    pub forbidden: Vec<String>,
    #[serde(rename = "type")]
    pub kind: TermType,
    /// Short and subsequent forms and acronyms (`Assad`, `UN`): fine after a
    /// long form of the term in the same document, not before it.
    pub short: Vec<String>,
    /// A homograph of a common word: recognized, only ever suggested.
    pub ambiguous: bool,
    /// Adjective suffixes allowed (`داعشية`), reported as derived forms.
    pub derived: bool,
    /// The house style picks the approved rendering (and one short form):
    /// mixing accepted forms in one document is an inconsistency. Without
    /// it, every accepted form is as good as another.
    pub one_form: bool,
    /// Where the rendering comes from.
    pub note: String,
    /// File and 1-based line the entry was read from.
    pub origin: Option<(String, usize)>,
}

impl Entry {
    /// An entry with only a source and an approved rendering (type `other`).
    pub fn new(source: &str, target: &str) -> Entry {
        Entry {
            source: source.to_string(),
            target: target.to_string(),
            comment: String::new(),
            variants: Vec::new(),
            accepted: Vec::new(),
            forbidden: Vec::new(),
            short: Vec::new(),
            kind: TermType::Other,
            ambiguous: false,
            derived: false,
            one_form: false,
            note: String::new(),
            origin: None,
        }
    }

    /// The source term and its variants: every Arabic spelling of the entry.
    pub fn arabic_forms(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.source.as_str()).chain(self.variants.iter().map(String::as_str))
    }

    /// The approved rendering, the accepted ones and the declared short
    /// forms: every English form the glossary lists that satisfies the entry.
    pub fn good_renderings(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.target.as_str())
            .chain(self.accepted.iter().map(String::as_str))
            .chain(self.short.iter().map(String::as_str))
    }

    /// A person's surname, taken from the approved rendering, as news style
    /// uses it after the full name without a glossary listing it: the last
    /// word with and without its article (`Bashar al-Assad`: `al-Assad`,
    /// `Assad`). Empty for other entries and one-word names.
    pub fn surnames(&self) -> Vec<String> {
        if self.kind != TermType::Person {
            return Vec::new();
        }
        let words: Vec<&str> = self.target.split_whitespace().collect();
        let [.., before, last] = words.as_slice() else { return Vec::new() };
        let mut names = Vec::new();
        let mut add = |name: &str| {
            if name.chars().filter(|c| c.is_alphabetic()).count() >= 3
                && name.rsplit([' ', '-']).next().is_some_and(|w| w.starts_with(char::is_uppercase))
                && !names.iter().any(|n: &String| n == name)
            {
                names.push(name.to_string());
            }
        };
        for article in ["al-", "el-", "Al-", "El-"] {
            if let Some(bare) = last.strip_prefix(article) {
                add(last);
                add(bare);
            }
        }
        // `Staffan de Mistura`: the particle belongs to the surname.
        if ["de", "van", "von", "bin", "ibn", "abu", "abdel", "abdul"]
            .contains(&before.to_lowercase().as_str())
        {
            add(&format!("{before} {last}"));
        } else {
            add(last);
        }
        names
    }

    /// Whether `form` (an English rendering of this entry) is a short form:
    /// declared, an acronym, or a person's surname. The others are long forms,
    /// which name the term in full at its first mention.
    pub fn is_short_form(&self, form: &str) -> bool {
        let key = english_key(form);
        is_acronym(form.trim())
            || self.short.iter().any(|s| english_key(s) == key)
            || self.surnames().iter().any(|s| english_key(s) == key)
    }

    /// `FILE:LINE` where the entry was read, or `""`.
    pub fn location(&self) -> String {
        match &self.origin {
            Some((file, line)) => format!("{file}:{line}"),
            None => String::new(),
        }
    }
}

/// Why a glossary could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GlossaryError {
    #[error(transparent)]
    Input(#[from] InputError),
    /// A line that cannot be read. It stops every command that loads the
    /// glossary, so the message points to the command that lists them all.
    #[error("{file}:{line}: {message}; `dragoman glossary lint` lists every problem")]
    Malformed { file: String, line: usize, message: String },
    #[error("the glossary is too large to match in one pass: {0}")]
    TooLarge(String),
}

/// A set of glossary entries, possibly read from several files, in file
/// order then line order. The position of an entry is its index everywhere
/// (matches and findings refer to entries by index).
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    entries: Vec<Entry>,
    warnings: Vec<String>,
}

impl Glossary {
    /// A glossary of the given entries.
    pub fn from_entries(entries: Vec<Entry>) -> Glossary {
        Glossary { entries, warnings: Vec::new() }
    }

    /// Reads native glossary files (UTF-8 or UTF-16 with BOM). A file with no
    /// entries is not an error: it adds a warning (see [`Glossary::warnings`]).
    pub fn load(paths: &[PathBuf]) -> Result<Glossary, GlossaryError> {
        let mut glossary = Glossary::default();
        for path in paths {
            let input = textio::read_text(path)?;
            let part = Glossary::parse(&input.text, &input.name)?;
            glossary.entries.extend(part.entries);
            glossary.warnings.extend(part.warnings);
        }
        Ok(glossary)
    }

    /// Parses the native format; `name` is used in messages. Stops at the
    /// first malformed line (use [`native::parse_all`] to see every problem).
    pub fn parse(text: &str, name: &str) -> Result<Glossary, GlossaryError> {
        let parsed = native::parse_all(text, name);
        if let Some(problem) = parsed.problems.into_iter().next() {
            return Err(GlossaryError::Malformed {
                file: name.to_string(),
                line: problem.line,
                message: problem.message,
            });
        }
        let mut warnings = Vec::new();
        if parsed.entries.is_empty() {
            warnings.push(format!("{name}: the glossary has no entries"));
        }
        Ok(Glossary { entries: parsed.entries, warnings })
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Things the user should know that did not stop loading (an empty file).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
}
