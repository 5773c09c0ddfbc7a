//! The one error type of XLIFF reading: `FILE:LINE:COLUMN: what is wrong`,
//! with the same kinds as bad TMX gets (see `crate::tmx::TmxError`).

/// What kind of problem an [`XliffError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XliffErrorKind {
    /// The file could not be read.
    Io,
    /// Bytes that are not valid in the file's encoding.
    Encoding,
    /// Not well-formed XML (mismatched or unclosed tags, truncated file, …).
    NotWellFormed,
    /// A DOCTYPE, or an entity reference other than the five XML ones.
    Entity,
    /// Well-formed XML that is not an XLIFF document.
    NotXliff,
    /// XLIFF, but not version 1.x (2.0 has another structure).
    WrongVersion,
    /// An XLIFF element that breaks the rules dragoman relies on (a
    /// `<trans-unit>` without `<source>` or `id`, a second `<file>`, …).
    Invalid,
    /// A file or nesting over the reader's limits.
    TooLarge,
}

/// An XLIFF reading error. Lines and columns are 1-based; columns count
/// characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct XliffError {
    pub file: String,
    pub line: u64,
    pub column: u64,
    pub kind: XliffErrorKind,
    pub message: String,
}
