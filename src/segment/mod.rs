//! Sentence segmentation of Arabic and English text.
//!
//! Owns: the [`Segment`] type, paragraph splitting, the SRX 2.0 engine and
//! the built-in rules, and the plain-text "presegmented" format (one
//! sentence per line, blank line between paragraphs) that `segment` prints
//! and `align --presegmented` reads.
//!
//! Pure: no I/O. Invariant: every segment is an exact substring of the input
//! (`text == input[start..end]`), segments are in order, and only whitespace
//! lies between them.

use crate::lang::Lang;

/// One sentence of a document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Segment {
    /// Exactly `input[start..end]`.
    pub text: String,
    /// The language the segment was segmented as.
    pub lang: Lang,
    /// 0-based paragraph index in the document.
    pub paragraph: usize,
    /// UTF-8 byte offsets into the decoded input (BOM removed).
    pub start: usize,
    pub end: usize,
}

/// A set of segmentation rules, ready to segment.
#[derive(Debug, Clone)]
pub struct Segmenter {}

impl Segmenter {
    /// The built-in Arabic and English rules.
    pub fn builtin() -> Segmenter {
        Segmenter {}
    }

    /// Segments `text`: paragraphs split at blank lines, each paragraph
    /// segmented with the rules of `lang` (`None` = decide per paragraph by
    /// script).
    pub fn segment(&self, text: &str, lang: Option<Lang>) -> Vec<Segment> {
        segment(text, lang)
    }
}

/// PLACEHOLDER until the SRX engine lands: one segment per paragraph.
fn segment(text: &str, lang: Option<Lang>) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut paragraph = 0;
    let mut offset = 0;
    for block in text.split("\n\n") {
        let trimmed = block.trim();
        if !trimmed.is_empty() {
            let start = offset + (block.len() - block.trim_start().len());
            let end = start + trimmed.len();
            segments.push(Segment {
                text: trimmed.to_string(),
                lang: lang.unwrap_or_else(|| Lang::detect(trimmed, Lang::En)),
                paragraph,
                start,
                end,
            });
            paragraph += 1;
        }
        offset += block.len() + 2;
    }
    segments
}

/// Reads the presegmented format: one segment per non-blank line, a blank
/// line (or several) between paragraphs.
pub fn read_presegmented(text: &str, lang: Option<Lang>) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut paragraph = 0;
    let mut in_paragraph = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim();
        if trimmed.is_empty() {
            if in_paragraph {
                paragraph += 1;
                in_paragraph = false;
            }
        } else {
            let start = offset + (content.len() - content.trim_start().len());
            segments.push(Segment {
                text: trimmed.to_string(),
                lang: lang.unwrap_or_else(|| Lang::detect(trimmed, Lang::En)),
                paragraph,
                start,
                end: start + trimmed.len(),
            });
            in_paragraph = true;
        }
        offset += line.len();
    }
    segments
}
