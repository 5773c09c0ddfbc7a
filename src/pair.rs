//! An article and its translation, segmented and aligned: what `tm add`,
//! `check`, `publish` and `ingest` work on.
//!
//! Owns the one pipeline from two texts to beads, so every command segments
//! and aligns the same way (and honours a hand-corrected beads file the same
//! way).

use std::sync::Arc;

use crate::align::{self, AlignOptions, Alignment, Bead};
use crate::glossary::Recognizer;
use crate::lang::Lang;
use crate::segment::{self, Segment, Segmenter};

/// How to turn two texts into an [`ArticlePair`].
#[derive(Debug, Clone)]
pub struct PairOptions {
    pub segmenter: Segmenter,
    /// Texts are already one sentence a line (what `segment` prints).
    pub presegmented: bool,
    /// A hand-corrected alignment to use instead of computing one.
    pub beads: Option<Vec<Bead>>,
    pub align: AlignOptions,
    /// When set, glossary terms found on both sides anchor the alignment.
    pub recognizer: Option<Arc<Recognizer>>,
}

impl Default for PairOptions {
    fn default() -> Self {
        PairOptions {
            segmenter: Segmenter::builtin(),
            presegmented: false,
            beads: None,
            align: AlignOptions::default(),
            recognizer: None,
        }
    }
}

/// Why a pair could not be built.
#[derive(Debug, thiserror::Error)]
pub enum PairError {
    #[error("beads file does not fit the texts: {0}")]
    BeadsMismatch(String),
    /// A side has more sentences than one document may: refused before
    /// aligning (and before segmenting the rest of it).
    #[error(
        "the {side} has over {limit} sentences; a document is limited to {limit} sentences a side: \
         split it into articles or chapters"
    )]
    TooManySentences { side: &'static str, limit: usize },
    /// A side is larger than one document may be: refused at once.
    #[error(
        "the {side} is {bytes} bytes; a document is limited to {limit} bytes a side: split it into \
         articles or chapters"
    )]
    TooLarge { side: &'static str, bytes: usize, limit: usize },
}

/// The largest side of one document, in bytes (32 MiB: a long book). The
/// pipeline holds a few copies of each text (as read, as segments, in the
/// pair), so a 100 MB line would need gigabytes (issue #20).
pub const MAX_DOCUMENT_BYTES: usize = 32 * 1024 * 1024;

/// The most sentences a side of one document may have. A news article has
/// a few hundred, a book tens of thousands; aligning 100,000 takes seconds
/// and a few hundred MB, and 10 MB of `. ` (5 million "sentences") would
/// take minutes and gigabytes (issue #20).
pub const MAX_SENTENCES: usize = 100_000;

/// An Arabic article and its English translation, segmented and aligned.
#[derive(Debug, Clone)]
pub struct ArticlePair {
    /// The document name (see [`crate::project::document_name`]).
    pub name: String,
    pub source_text: String,
    pub target_text: String,
    pub source: Vec<Segment>,
    pub target: Vec<Segment>,
    pub alignment: Alignment,
}

impl ArticlePair {
    pub fn build(
        name: &str,
        source_text: &str,
        target_text: &str,
        options: &PairOptions,
    ) -> Result<ArticlePair, PairError> {
        let split = |text: &str, lang: Lang, side: &'static str| {
            let segments = if options.presegmented {
                let lines = text.lines().filter(|line| !line.trim().is_empty()).count();
                (lines <= MAX_SENTENCES).then(|| segment::read_presegmented(text, Some(lang)))
            } else {
                options.segmenter.segment_at_most(text, None, MAX_SENTENCES)
            };
            segments
                .filter(|s| s.len() <= MAX_SENTENCES)
                .ok_or(PairError::TooManySentences { side, limit: MAX_SENTENCES })
        };
        for (text, side) in [(source_text, "source"), (target_text, "target")] {
            if text.len() > MAX_DOCUMENT_BYTES {
                return Err(PairError::TooLarge { side, bytes: text.len(), limit: MAX_DOCUMENT_BYTES });
            }
        }
        let source = split(source_text, Lang::Ar, "source")?;
        let target = split(target_text, Lang::En, "target")?;
        let alignment = match &options.beads {
            Some(beads) => {
                check_beads_cover(beads, source.len(), target.len())?;
                Alignment { beads: beads.clone(), warnings: Vec::new() }
            }
            None => match &options.recognizer {
                Some(recognizer) => {
                    let terms = Some(recognizer.concept_anchors(&source, &target));
                    align::align(&source, &target, &AlignOptions { terms, ..options.align.clone() })
                }
                None => align::align(&source, &target, &options.align),
            },
        };
        Ok(ArticlePair {
            name: name.to_string(),
            source_text: source_text.to_string(),
            target_text: target_text.to_string(),
            source,
            target,
            alignment,
        })
    }

    /// The source sentences of a bead joined by a space (its cell text).
    pub fn source_of(&self, bead: &Bead) -> String {
        join_sentences(&self.source, &bead.source).text
    }

    /// The target sentences of a bead joined by a space (its cell text).
    pub fn target_of(&self, bead: &Bead) -> String {
        join_sentences(&self.target, &bead.target).text
    }
}

/// A bead's sentences on one side as one text: what `check` reports spans
/// in, the memory stores as a unit's segment and the bilingual page shows
/// in a cell. The one place that decides how sentences are joined.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JoinedSentences {
    /// The sentences joined by a space.
    pub text: String,
    /// Byte offsets in `text` where a sentence of a new paragraph begins.
    pub paragraph_breaks: Vec<usize>,
}

/// Joins the sentences `indices` of `segments` (indices out of range are
/// skipped) by a space, noting where a new paragraph starts.
pub fn join_sentences(segments: &[Segment], indices: &[usize]) -> JoinedSentences {
    let mut joined = JoinedSentences::default();
    let mut previous_paragraph = None;
    for segment in indices.iter().filter_map(|&i| segments.get(i)) {
        if !joined.text.is_empty() {
            joined.text.push(' ');
            if previous_paragraph != Some(segment.paragraph) {
                joined.paragraph_breaks.push(joined.text.len());
            }
        }
        joined.text.push_str(&segment.text);
        previous_paragraph = Some(segment.paragraph);
    }
    joined
}

/// Every sentence of both sides in exactly one bead, in order.
fn check_beads_cover(beads: &[Bead], sources: usize, targets: usize) -> Result<(), PairError> {
    for (side, count, pick) in [
        ("source", sources, (|b: &Bead| b.source.clone()) as fn(&Bead) -> Vec<usize>),
        ("target", targets, |b: &Bead| b.target.clone()),
    ] {
        let listed: Vec<usize> = beads.iter().flat_map(pick).collect();
        let expected: Vec<usize> = (0..count).collect();
        if listed != expected {
            let first_bad =
                listed.iter().zip(&expected).position(|(a, b)| a != b).unwrap_or(listed.len().min(count));
            return Err(PairError::BeadsMismatch(format!(
                "the {side} text has {count} sentences but the beads list {} {side} indices{}; every sentence must appear once, in order",
                listed.len(),
                if first_bad < listed.len() {
                    format!(" (first out of place: bead listing {})", listed[first_bad])
                } else {
                    String::new()
                }
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_side_of_millions_of_sentences_is_refused_before_it_is_aligned() {
        let source = format!("قال{}", ". قال".repeat(MAX_SENTENCES + 10));
        let target = "He said.";
        let error = ArticlePair::build("t", &source, target, &PairOptions::default()).unwrap_err();
        assert!(matches!(error, PairError::TooManySentences { side: "source", .. }), "{error}");
        let presegmented = PairOptions { presegmented: true, ..PairOptions::default() };
        let target = "Said.\n\n".repeat(MAX_SENTENCES + 1);
        let error = ArticlePair::build("t", "قال.", &target, &presegmented).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the target has over 100000 sentences; a document is limited to 100000 sentences a side: \
             split it into articles or chapters"
        );
        // At the limit, blank lines between paragraphs do not count.
        let target = "Said.\n\n".repeat(1_000);
        assert!(ArticlePair::build("t", &"قال.\n\n".repeat(1_000), &target, &presegmented).is_ok());
    }

    #[test]
    fn a_side_over_the_size_limit_is_refused_at_once() {
        let line = "three civilians were killed in Raqqa ".repeat(MAX_DOCUMENT_BYTES / 37 + 1);
        let error = ArticlePair::build("t", "قتل ثلاثة مدنيين.", &line, &PairOptions::default()).unwrap_err();
        assert!(matches!(error, PairError::TooLarge { side: "target", .. }), "{error}");
    }
}
