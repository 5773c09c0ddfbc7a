//! Glossaries of names and their approved renderings, and term recognition.
//!
//! Owns: the [`Entry`] model, the native tab-separated format (OmegaT's
//! three columns plus ours), other formats (CSV, TBX), linting, and
//! clitic-aware recognition of terms in Arabic and English text.

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
    pub kind: TermType,
    /// A homograph of a common word: recognized, only ever suggested.
    pub ambiguous: bool,
    /// Adjective suffixes allowed (`داعشية`), reported as derived forms.
    pub derived: bool,
    /// Where the rendering comes from.
    pub note: String,
    /// File and 1-based line the entry was read from.
    pub origin: Option<(String, usize)>,
}
