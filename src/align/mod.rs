//! Sentence alignment of a source document and its translation.
//!
//! Owns: [`Bead`] and [`Alignment`], the aligner, and the beads file format
//! (`6<TAB>6,7,8,9,10`, one bead a line) that editors correct by hand.
//!
//! Pure: no I/O.

use crate::segment::Segment;

/// What supported a bead.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Evidence {
    /// `number`, `latin`, `quote`, `glossary`, `paragraph`.
    pub kind: String,
    /// The anchor as found (e.g. `70`, `ISIS`, `الرقة → Raqqa`).
    pub text: String,
}

/// A group of source sentences aligned with a group of target sentences.
/// Either side may be empty (an omission or an addition).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Bead {
    /// 0-based document-wide source sentence indices, ascending.
    pub source: Vec<usize>,
    /// 0-based document-wide target sentence indices, ascending.
    pub target: Vec<usize>,
    /// In [0, 1]: how sure the aligner is of this bead.
    pub confidence: f64,
    pub evidence: Vec<Evidence>,
}

/// Glossary concepts found in each sentence, supplied by the caller (the
/// `glossary` module recognizes them); a concept shared by a source and a
/// target sentence is an anchor. `source[i]` lists the concept ids found in
/// source sentence `i`.
#[derive(Debug, Clone, Default)]
pub struct TermAnchors {
    pub source: Vec<Vec<String>>,
    pub target: Vec<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct AlignOptions {
    /// Largest N in a 1-N or N-1 bead.
    pub max_bead: usize,
    pub terms: Option<TermAnchors>,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions { max_bead: 5, terms: None }
    }
}

/// The result of aligning two documents.
#[derive(Debug, Clone, Default)]
pub struct Alignment {
    /// In document order; every sentence of both sides is in exactly one bead.
    pub beads: Vec<Bead>,
    /// Things the user should know (one side empty, length ratio far off).
    pub warnings: Vec<String>,
}

/// Aligns `source` with `target`.
///
/// PLACEHOLDER until the aligner lands: pairs sentences 1-1 in order.
pub fn align(source: &[Segment], target: &[Segment], _options: &AlignOptions) -> Alignment {
    let n = source.len().max(target.len());
    let beads = (0..n)
        .map(|i| Bead {
            source: if i < source.len() { vec![i] } else { vec![] },
            target: if i < target.len() { vec![i] } else { vec![] },
            confidence: 0.5,
            evidence: vec![],
        })
        .collect();
    Alignment { beads, warnings: vec![] }
}
