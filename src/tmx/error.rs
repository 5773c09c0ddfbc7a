//! The one error type of TMX reading, with its position and whether reading
//! can go on with the next unit.

/// What kind of problem a [`TmxError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TmxErrorKind {
    /// The input could not be read.
    Io,
    /// Bytes that are not valid in the file's encoding, a control character
    /// XML forbids, or an encoding declaration that contradicts the bytes.
    Encoding,
    /// Not well-formed XML (mismatched or unclosed tags, truncated file, …).
    NotWellFormed,
    /// An entity reference other than the five XML ones, or a character
    /// reference to a character XML does not allow.
    Entity,
    /// Well-formed XML that is not a TMX document (no `<tmx>` root, no `<body>`).
    NotTmx,
    /// A TMX element that breaks the TMX rules (a `<tuv>` without a
    /// language, an empty `<seg>`, a unit with one variant, …).
    InvalidUnit,
    /// A token or unit over the reader's size limits.
    TooLarge,
}

/// A TMX reading error: `FILE:LINE:COLUMN: what is wrong`.
///
/// Lines and columns are 1-based; columns count characters, so they mean
/// the same in a UTF-8 and a UTF-16 file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct TmxError {
    pub file: String,
    pub line: u64,
    pub column: u64,
    pub kind: TmxErrorKind,
    pub message: String,
    pub(crate) unit_only: bool,
}

impl TmxError {
    /// True when only the current `<tu>` is bad: the reader has skipped past
    /// it and [`crate::tmx::TmxReader::next_unit`] continues with the next
    /// one (`--skip-bad`). False when the document itself is broken; every
    /// later call returns the same error.
    pub fn is_unit_error(&self) -> bool {
        self.unit_only
    }
}
