//! Sentence alignment of a source document and its translation.
//!
//! Owns: [`Bead`] and [`Alignment`], the aligner, and the beads file format
//! (`6<TAB>6,7,8,9,10`, one bead a line) that editors correct by hand.
//!
//! The aligner works on two levels. Paragraphs are aligned first; a 1-1
//! paragraph pair whose lengths agree and whose posterior is near 1 becomes
//! a hard anchor (its sentences are aligned only with each other). The
//! paragraphs between such anchors form one region in which paragraph
//! breaks are only soft evidence. Within each region sentences are aligned
//! by a beam dynamic programme ([`lattice`], linear in length) over beads
//! 0-1, 1-0, 1-1, 1-2, 2-1, 2-2 and 1-N / N-1 up to `max_bead`, with a cost
//! ([`cost`]) of shape prior + Gale–Church length cost − capped lexical
//! anchors ([`features`]: numbers after digit folding, identical Latin
//! tokens, names matched across scripts by consonant skeleton, glossary
//! concepts) ± punctuation that translations keep (questions, quotations,
//! parentheses); in translations that split many sentences, a 1-N bead's
//! Arabic clause joints (`، و…`) count for it. A second pass learns word
//! pairs from the first pass's confident beads ([`lexicon`]: Dice over
//! clitic-stripped Arabic and English content words) and aligns the
//! uncertain stretches again with them as anchors (a free translation,
//! still mostly unsure, gets a third). A bead's confidence is its
//! posterior probability (forward–backward). [`synth`] generates test
//! cases with gold beads.
//!
//! Pure and deterministic: no I/O, same input, same beads. Independent
//! pieces of work (the two sides of the features and the lexicon, the
//! posterior passes, the second pass's stretches, the evidence) run on two
//! threads ([`parallel`]), put together in input order.

mod beads_file;
mod cost;
mod dictionary;
pub(crate) mod features;
mod lattice;
mod lexicon;
mod parallel;
pub mod synth;

use std::ops::Range;
use std::sync::Arc;

pub use beads_file::{BeadsError, format_beads, parse_beads};
pub use dictionary::{Dictionary, DictionaryError, DictionaryProblem};

use crate::segment::Segment;
use cost::{LengthModel, Shapes};
use features::Unit;
use lattice::{BeadCost, PathBead};

/// What supported a bead.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Evidence {
    /// `number`, `latin`, `quote`, `glossary`, `punctuation`, `paragraph`.
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

impl Bead {
    /// Whether the bead should be reviewed before it is trusted: its
    /// confidence is below `min_confidence`.
    pub fn is_flagged(&self, min_confidence: f64) -> bool {
        self.confidence < min_confidence
    }

    /// A bead with an empty side (an omission or an addition).
    pub fn is_null(&self) -> bool {
        self.source.is_empty() || self.target.is_empty()
    }
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

/// The default of [`AlignOptions::min_confidence`]: beads below it are
/// flagged for review (and `ingest` keeps them out of the memory, where a
/// wrong pair would poison later fuzzy matches). On the generated test cases
/// 0.7 flags about 6% of beads, holding about half of the wrong ones, and
/// 97% of the beads above it are right (0.5 flags only 14% of the wrong
/// ones); docs/EVALUATION.md shows the trade-off at other thresholds.
pub const DEFAULT_MIN_CONFIDENCE: f64 = 0.7;

/// The largest `max_bead` accepted: the lattice grows with it.
pub const MAX_BEAD_LIMIT: usize = 10;

#[derive(Debug, Clone)]
pub struct AlignOptions {
    /// Largest N in a 1-N or N-1 bead (1 ..= [`MAX_BEAD_LIMIT`]).
    pub max_bead: usize,
    pub terms: Option<TermAnchors>,
    /// A bilingual word list whose pairs anchor the alignment (both passes).
    pub dictionary: Option<Arc<Dictionary>>,
    /// Beads with a lower confidence are flagged (see [`Bead::is_flagged`]).
    /// Does not change the alignment.
    pub min_confidence: f64,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions { max_bead: 5, terms: None, dictionary: None, min_confidence: DEFAULT_MIN_CONFIDENCE }
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

/// Outside this English/Arabic length ratio the texts are evidently not
/// translations of each other (news runs 1.1–1.35).
const IMPLAUSIBLE_RATIO: (f64, f64) = (0.5, 2.6);
/// A 1-1 paragraph pair is a hard anchor when its posterior is at least
/// this and its length difference is within this many standard deviations.
const HARD_PARAGRAPH_POSTERIOR: f64 = 0.98;
const HARD_PARAGRAPH_DELTA: f64 = 2.5;
/// The second pass realigns an uncertain bead with this many beads on
/// either side, so that a wrong bead's neighbours can change too.
const REALIGN_MARGIN: usize = 1;

/// See [`ClauseJoints::of`]: at 1.7 only a few raw-text news cases, whose
/// Arabic the segmenter left in few long segments, count joints (FLORES-200
/// raw text strict F1 93.7 → 93.9); 1.4 and 1.6 also moved presegmented
/// news beads (tico19 strict F1 95.3 → 95.2).
const SPLITTING_TRANSLATION: f64 = 1.7;

/// Aligns `source` with `target`.
pub fn align(source: &[Segment], target: &[Segment], options: &AlignOptions) -> Alignment {
    let mut warnings = Vec::new();
    if source.is_empty() || target.is_empty() {
        if !(source.is_empty() && target.is_empty()) {
            let (empty, other, count) = if source.is_empty() {
                ("source", "target", target.len())
            } else {
                ("target", "source", source.len())
            };
            warnings.push(format!(
                "the {empty} text has no sentences: all {count} {other} sentences are left unaligned"
            ));
        }
        let beads = null_beads(0..source.len(), 0..target.len(), 1.0);
        return Alignment { beads, warnings };
    }

    let (source_terms, target_terms) = match &options.terms {
        Some(terms) => (terms.source.as_slice(), terms.target.as_slice()),
        None => (&[][..], &[][..]),
    };
    let mut features = document_features(source, target, source_terms, target_terms, options);
    let length = length_model(&features.source, &features.target, &mut warnings);
    let setting = Setting {
        source,
        target,
        joints: ClauseJoints::of(source, target),
        dictionary: options.dictionary.as_deref(),
        length,
        shapes: Shapes::sentences(options.max_bead),
    };
    let aligner = setting.aligner(&features);
    let regions = aligner.regions();
    let (first_pass, mut widened): (Vec<Vec<Bead>>, Vec<Option<Widened>>) =
        parallel::map(&regions, Region::sentences, |region| aligner.align_region(region)).into_iter().unzip();
    // Second pass: the first pass's confident beads teach word pairs that
    // decide what length alone could not (lexicon.rs); only the stretches
    // the first pass was unsure of are aligned again.
    let all_first: Vec<Bead> = first_pass.iter().flatten().cloned().collect();
    let mut beads = if lexicon::learn_into(source, target, &all_first, REALIGN_MARGIN, &mut features) == 0 {
        all_first
    } else {
        setting.aligner(&features).realign_uncertain(&regions, first_pass, &mut widened)
    };
    // Third pass, for free translations only (most beads still unsure): the
    // second pass's beads, more of them right, teach a better lexicon from
    // scratch, and the unsure stretches are aligned once more. On the
    // generated freer cases: link F1 79.2 → 80.3 and 79.7 → 80.3, AUROC up;
    // a fourth pass adds 0.1–0.2. News documents rarely get here.
    if lexicon::few_confident(&beads) {
        let mut relearned = document_features(source, target, source_terms, target_terms, options);
        if lexicon::learn_into(source, target, &beads, REALIGN_MARGIN, &mut relearned) > 0 {
            features = relearned;
            let by_region = split_by_region(&regions, beads);
            beads = setting.aligner(&features).realign_uncertain(&regions, by_region, &mut widened);
        }
    }
    warn_widened(widened.into_iter().flatten(), &mut warnings);
    let aligner = setting.aligner(&features);
    let evidence =
        parallel::map(&beads, |bead| bead.source.len(), |bead| aligner.evidence(&bead.source, &bead.target));
    for (bead, evidence) in beads.iter_mut().zip(evidence) {
        bead.evidence = evidence;
    }
    Alignment { beads, warnings }
}

/// A stretch where the plain beam search lost every path to the end (see
/// [`lattice::Search::widened`]).
struct Widened {
    source: Range<usize>,
    target: Range<usize>,
}

/// One warning for all the stretches whose search had to be widened,
/// naming the first few in 1-based sentence numbers.
fn warn_widened(stretches: impl Iterator<Item = Widened>, warnings: &mut Vec<String>) {
    let mut stretches: Vec<Widened> = stretches.collect();
    if stretches.is_empty() {
        return;
    }
    stretches.sort_by_key(|w| (w.source.start, w.target.start));
    stretches.dedup_by(|a, b| a.source == b.source && a.target == b.target);
    const SHOWN: usize = 3;
    let named: Vec<String> = (stretches.iter().take(SHOWN))
        .map(|w| {
            format!(
                "source sentences {}–{} with target sentences {}–{}",
                w.source.start + 1,
                w.source.end,
                w.target.start + 1,
                w.target.end
            )
        })
        .collect();
    let more = match stretches.len().saturating_sub(SHOWN) {
        0 => String::new(),
        extra => format!(" and {extra} more"),
    };
    warnings.push(format!(
        "the translation is freer than usual ({}{more}): the aligner had to widen its search there; \
         review the low-confidence beads",
        named.join(", ")
    ));
}

/// Estimates the length ratio of this document pair and warns when the
/// texts are evidently not translations of each other.
fn length_model(source: &[Unit], target: &[Unit], warnings: &mut Vec<String>) -> LengthModel {
    let total = |units: &[Unit]| units.iter().map(|u| u64::from(u.len)).sum::<u64>();
    let (source_len, target_len) = (total(source), total(target));
    if source_len == 0 || target_len == 0 {
        return LengthModel::new(cost::DEFAULT_RATIO);
    }
    let measured = target_len as f64 / source_len as f64;
    if !(IMPLAUSIBLE_RATIO.0..=IMPLAUSIBLE_RATIO.1).contains(&measured) {
        warnings.push(format!(
            "the target is {measured:.2} times as long as the source (translations run about {:.2}): \
             these texts may not be translations of each other; check the low-confidence beads",
            cost::DEFAULT_RATIO
        ));
    }
    // Short documents say little about their ratio (one omission moves it
    // far): the estimate is shrunk towards the news average as if that
    // many characters of typical text had been seen too.
    let prior = cost::RATIO_PRIOR_CHARACTERS;
    let estimate = (target_len as f64 + cost::DEFAULT_RATIO * prior) / (source_len as f64 + prior);
    LengthModel::new(estimate.clamp(cost::RATIO_RANGE.0, cost::RATIO_RANGE.1))
}

/// A stretch of both documents aligned on its own.
struct Region {
    source: Range<usize>,
    target: Range<usize>,
    /// For a hard-anchored paragraph pair, its posterior; `None` for a
    /// region whose paragraph breaks are only soft evidence.
    anchor_posterior: Option<f64>,
}

impl Region {
    fn sentences(&self) -> usize {
        self.source.len() + self.target.len()
    }
}

/// A stretch of sentences the second pass aligns again.
struct Span {
    source: Range<usize>,
    target: Range<usize>,
    soft_paragraphs: bool,
    /// The region's anchor posterior (confidences are scaled by it).
    scale: f64,
}

impl Span {
    fn sentences(&self) -> usize {
        self.source.len() + self.target.len()
    }
}

/// The second pass's output in order: first-pass beads it keeps, and spans
/// it aligns again (on two threads, see [`parallel`]).
enum Piece {
    Kept(Vec<Bead>),
    Realigned(Span),
}

/// Each sentence's clause joints ([`features::clause_joints`]), document-wide.
struct ClauseJoints {
    source: Vec<u8>,
    target: Vec<u8>,
}

impl ClauseJoints {
    /// The joints of a side only when the other side has at least
    /// [`SPLITTING_TRANSLATION`] times as many sentences: a translation that
    /// splits many sentences, where the joints tell which ones and into how
    /// many. Where sentences are mostly kept whole (news: 1.1–1.3 English
    /// sentences an Arabic one) the joints of the sentences kept whole are
    /// noise: counted on every document they lowered the generated news
    /// cases' confidence AUROC from .892 to .866–.875 for no gain in F1.
    fn of(source: &[Segment], target: &[Segment]) -> ClauseJoints {
        let side = |of: &[Segment], other: &[Segment]| -> Vec<u8> {
            if (other.len() as f64) < SPLITTING_TRANSLATION * of.len() as f64 {
                return Vec::new();
            }
            of.iter().map(features::clause_joints).collect()
        };
        ClauseJoints { source: side(source, target), target: side(target, source) }
    }
}

/// The anchors of a document pair: its own, and the dictionary's if given.
fn document_features(
    source: &[Segment],
    target: &[Segment],
    source_terms: &[Vec<String>],
    target_terms: &[Vec<String>],
    options: &AlignOptions,
) -> features::DocumentFeatures {
    let mut features = features::extract(source, target, source_terms, target_terms);
    if let Some(dictionary) = &options.dictionary {
        dictionary::add_anchors(dictionary, source, target, &mut features);
    }
    features
}

/// What every pass aligns with but the anchors, which a pass may relearn.
struct Setting<'a> {
    source: &'a [Segment],
    target: &'a [Segment],
    joints: ClauseJoints,
    dictionary: Option<&'a Dictionary>,
    length: LengthModel,
    shapes: Shapes,
}

impl<'a> Setting<'a> {
    fn aligner<'b>(&'b self, features: &'b features::DocumentFeatures) -> Aligner<'b>
    where
        'a: 'b,
    {
        Aligner {
            source: self.source,
            target: self.target,
            features,
            joints: &self.joints,
            dictionary: self.dictionary,
            length: self.length,
            shapes: self.shapes.clone(),
        }
    }
}

struct Aligner<'a> {
    source: &'a [Segment],
    target: &'a [Segment],
    features: &'a features::DocumentFeatures,
    joints: &'a ClauseJoints,
    dictionary: Option<&'a Dictionary>,
    length: LengthModel,
    shapes: Shapes,
}

impl Aligner<'_> {
    /// Splits the documents at paragraph pairs that evidently correspond.
    fn regions(&self) -> Vec<Region> {
        let source_paragraphs = paragraphs(&self.features.source);
        let target_paragraphs = paragraphs(&self.features.target);
        let whole = || {
            vec![Region {
                source: 0..self.features.source.len(),
                target: 0..self.features.target.len(),
                anchor_posterior: None,
            }]
        };
        if source_paragraphs.len() == 1 && target_paragraphs.len() == 1 {
            return whole();
        }
        let source_units = merge_units(&self.features.source, &source_paragraphs);
        let target_units = merge_units(&self.features.target, &target_paragraphs);
        // Joints say nothing about paragraphs: none given.
        let scorer = GroupScorer::new(
            &source_units,
            &target_units,
            (&[], &[]),
            self.length,
            self.features.marks,
            false,
        );
        let path =
            lattice::best_path(source_units.len(), target_units.len(), &Shapes::paragraphs(), &scorer).path;

        let mut regions: Vec<Region> = Vec::new();
        let span = |paragraphs: &[Range<usize>], first: usize, count: usize| -> Range<usize> {
            if count == 0 {
                // An empty span sits where the next paragraph would start.
                let at =
                    paragraphs.get(first).map_or_else(|| paragraphs.last().map_or(0, |p| p.end), |p| p.start);
                return at..at;
            }
            paragraphs[first].start..paragraphs[first + count - 1].end
        };
        for bead in &path {
            let source = span(&source_paragraphs, bead.i, bead.a);
            let target = span(&target_paragraphs, bead.j, bead.b);
            let hard = (bead.a, bead.b) == (1, 1)
                && bead.posterior >= HARD_PARAGRAPH_POSTERIOR
                && self
                    .length
                    .delta(u64::from(source_units[bead.i].len), u64::from(target_units[bead.j].len))
                    .abs()
                    <= HARD_PARAGRAPH_DELTA;
            match regions.last_mut() {
                Some(last) if !hard && last.anchor_posterior.is_none() => {
                    last.source.end = source.end;
                    last.target.end = target.end;
                }
                _ => {
                    regions.push(Region { source, target, anchor_posterior: hard.then_some(bead.posterior) })
                }
            }
        }
        if regions.is_empty() { whole() } else { regions }
    }

    /// The first pass over one region (beads without evidence), and whether
    /// its search had to be widened.
    fn align_region(&self, region: &Region) -> (Vec<Bead>, Option<Widened>) {
        let mut beads = Vec::new();
        let scale = region.anchor_posterior.unwrap_or(1.0);
        let soft_paragraphs = region.anchor_posterior.is_none();
        let widened =
            self.align_span(region.source.clone(), region.target.clone(), soft_paragraphs, scale, &mut beads);
        (beads, widened)
    }

    /// Aligns source sentences `source` with target sentences `target`
    /// (from a cell of the bead lattice to a later one), appending the
    /// beads without evidence; says where the search had to be widened.
    fn align_span(
        &self,
        source_range: Range<usize>,
        target_range: Range<usize>,
        soft_paragraphs: bool,
        scale: f64,
        beads: &mut Vec<Bead>,
    ) -> Option<Widened> {
        let source = &self.features.source[source_range.clone()];
        let target = &self.features.target[target_range.clone()];
        if source.is_empty() || target.is_empty() {
            beads.extend(null_beads(source_range, target_range, scale));
            return None;
        }
        let joints = (
            self.joints.source.get(source_range.clone()).unwrap_or_default(),
            self.joints.target.get(target_range.clone()).unwrap_or_default(),
        );
        let scorer =
            GroupScorer::new(source, target, joints, self.length, self.features.marks, soft_paragraphs);
        let search = lattice::best_path(source.len(), target.len(), &self.shapes, &scorer);
        for PathBead { i, j, a, b, posterior } in search.path {
            beads.push(Bead {
                source: (source_range.start + i..source_range.start + i + a).collect(),
                target: (target_range.start + j..target_range.start + j + b).collect(),
                confidence: round_confidence(posterior * scale),
                evidence: Vec::new(),
            });
        }
        search.widened.then_some(Widened { source: source_range, target: target_range })
    }

    /// The beads of a second-pass span.
    fn span_beads(&self, span: &Span) -> (Vec<Bead>, Option<Widened>) {
        let mut beads = Vec::new();
        let widened = self.align_span(
            span.source.clone(),
            span.target.clone(),
            span.soft_paragraphs,
            span.scale,
            &mut beads,
        );
        (beads, widened)
    }

    /// A later pass: each region's beads of the pass before, the unsure
    /// stretches aligned again with the current anchors
    /// ([`Self::plan_realignment`]); notes where searches were widened.
    fn realign_uncertain(
        &self,
        regions: &[Region],
        by_region: Vec<Vec<Bead>>,
        widened: &mut Vec<Option<Widened>>,
    ) -> Vec<Bead> {
        let total = by_region.iter().map(Vec::len).sum();
        let mut pieces = Vec::new();
        for (region, before) in regions.iter().zip(by_region) {
            self.plan_realignment(region, before, &mut pieces);
        }
        let spans: Vec<&Span> = (pieces.iter())
            .filter_map(|piece| match piece {
                Piece::Realigned(span) => Some(span),
                Piece::Kept(_) => None,
            })
            .collect();
        let mut realigned =
            parallel::map(&spans, |span| span.sentences(), |span| self.span_beads(span)).into_iter();
        let mut beads: Vec<Bead> = Vec::with_capacity(total);
        for piece in pieces {
            match piece {
                Piece::Kept(kept) => beads.extend(kept),
                Piece::Realigned(_) => {
                    let (span_beads, span_widened) = realigned.next().unwrap_or_default();
                    beads.extend(span_beads);
                    widened.push(span_widened);
                }
            }
        }
        beads
    }

    /// The second pass over one region: beads of the first pass below
    /// [`lexicon::LEARN_CONFIDENCE`] are aligned again, with
    /// [`REALIGN_MARGIN`] beads around them, with the learned anchors;
    /// the confident beads elsewhere stay (they taught the lexicon, and
    /// realigning them all would double the time for nothing). Appends the
    /// region's pieces to `pieces`.
    fn plan_realignment(&self, region: &Region, first: Vec<Bead>, pieces: &mut Vec<Piece>) {
        let uncertain: Vec<usize> = (first.iter().enumerate())
            .filter(|(_, bead)| bead.confidence < lexicon::LEARN_CONFIDENCE)
            .map(|(k, _)| k)
            .collect();
        if uncertain.is_empty() {
            pieces.push(Piece::Kept(first));
            return;
        }
        // Windows of beads [start, end), merged when they touch.
        let mut windows: Vec<Range<usize>> = Vec::new();
        for k in uncertain {
            let window = k.saturating_sub(REALIGN_MARGIN)..(k + REALIGN_MARGIN + 1).min(first.len());
            match windows.last_mut() {
                Some(last) if window.start <= last.end => last.end = window.end,
                _ => windows.push(window),
            }
        }
        // Where each bead starts: a cell of the lattice.
        let mut starts = Vec::with_capacity(first.len() + 1);
        let (mut i, mut j) = (region.source.start, region.target.start);
        for bead in &first {
            starts.push((i, j));
            i += bead.source.len();
            j += bead.target.len();
        }
        starts.push((i, j));
        let scale = region.anchor_posterior.unwrap_or(1.0);
        let soft_paragraphs = region.anchor_posterior.is_none();
        let mut kept = 0;
        let mut first = first.into_iter();
        for window in windows {
            pieces.push(Piece::Kept(first.by_ref().take(window.start - kept).collect()));
            let ((i0, j0), (i1, j1)) = (starts[window.start], starts[window.end]);
            pieces.push(Piece::Realigned(Span { source: i0..i1, target: j0..j1, soft_paragraphs, scale }));
            first.by_ref().take(window.end - window.start).for_each(drop);
            kept = window.end;
        }
        pieces.push(Piece::Kept(first.collect()));
    }

    /// `word → word` for a name shared by two groups: the words of these
    /// sentences (the document-wide label may come from another sentence).
    fn name_evidence(&self, id: u32, source: &[usize], target: &[usize]) -> String {
        let skeleton = &self.features.keys[id as usize];
        let word_in = |segments: &[Segment], indices: &[usize]| -> Option<String> {
            indices.iter().find_map(|&k| {
                features::name_skeletons(&segments[k])
                    .into_iter()
                    .find(|(s, _)| s == skeleton)
                    .map(|(_, word)| word.to_string())
            })
        };
        match (word_in(self.source, source), word_in(self.target, target)) {
            (Some(s), Some(t)) => format!("{s} → {t}"),
            _ => self.features.labels[id as usize].clone(),
        }
    }

    /// `word = word` for a dictionary pair shared by two groups, as written
    /// in these sentences.
    fn dictionary_evidence(&self, id: u32, source: &[usize], target: &[usize]) -> String {
        fn texts<'s>(segments: &'s [Segment], indices: &[usize]) -> Vec<&'s str> {
            indices.iter().map(|&k| segments[k].text.as_str()).collect()
        }
        self.dictionary
            .and_then(|dictionary| {
                dictionary.evidence(
                    &self.features.keys[id as usize],
                    texts(self.source, source),
                    texts(self.target, target),
                )
            })
            .unwrap_or_else(|| self.features.labels[id as usize].clone())
    }

    /// The anchors two groups share, and whether both start a paragraph.
    fn evidence(&self, source: &[usize], target: &[usize]) -> Vec<Evidence> {
        let (Some(&first_source), Some(&first_target)) = (source.first(), target.first()) else {
            return Vec::new();
        };
        let units = |all: &'_ [Unit], indices: &[usize]| -> Vec<Unit> {
            indices.iter().map(|&k| all[k].clone()).collect()
        };
        let source_units = units(&self.features.source, source);
        let target_units = units(&self.features.target, target);
        let mut evidence: Vec<Evidence> = cost::shared_anchors(&source_units, &target_units)
            .into_iter()
            .map(|anchor| Evidence {
                kind: anchor.kind.name().to_string(),
                text: match anchor.kind {
                    features::AnchorKind::Name => self.name_evidence(anchor.id, source, target),
                    features::AnchorKind::Dictionary => self.dictionary_evidence(anchor.id, source, target),
                    _ => self.features.labels[anchor.id as usize].clone(),
                },
            })
            .collect();
        let marks_of = |all: &[Unit], indices: &[usize]| indices.iter().fold(0, |m, &k| m | all[k].marks);
        let shared_marks = marks_of(&self.features.source, source) & marks_of(&self.features.target, target);
        for mark in features::Mark::ALL {
            if shared_marks & mark.bit() != 0 {
                evidence.push(Evidence {
                    kind: mark.evidence_kind().to_string(),
                    text: mark.label().to_string(),
                });
            }
        }
        let starts_paragraph = |all: &[Unit], k: usize| k == 0 || all[k].paragraph != all[k - 1].paragraph;
        if starts_paragraph(&self.features.source, first_source)
            && starts_paragraph(&self.features.target, first_target)
        {
            evidence.push(Evidence {
                kind: "paragraph".to_string(),
                text: format!(
                    "{} ↔ {}",
                    self.features.source[first_source].paragraph,
                    self.features.target[first_target].paragraph
                ),
            });
        }
        evidence
    }
}

/// Rounded so that output is stable and readable (and 1.0 stays 1.0).
fn round_confidence(value: f64) -> f64 {
    (value.clamp(0.0, 1.0) * 10_000.0).round() / 10_000.0
}

/// Document-ordered beads cut into the regions they lie in (regions cover
/// both documents in order, and no bead crosses a region's edge).
fn split_by_region(regions: &[Region], beads: Vec<Bead>) -> Vec<Vec<Bead>> {
    let mut by_region: Vec<Vec<Bead>> = regions.iter().map(|_| Vec::new()).collect();
    let mut r = 0;
    for bead in beads {
        let inside = |region: &Region| {
            bead.source.first().is_some_and(|i| region.source.contains(i))
                || bead.target.first().is_some_and(|j| region.target.contains(j))
        };
        while r + 1 < regions.len() && !inside(&regions[r]) {
            r += 1;
        }
        by_region[r].push(bead);
    }
    by_region
}

fn null_beads(source: Range<usize>, target: Range<usize>, confidence: f64) -> Vec<Bead> {
    let confidence = round_confidence(confidence);
    let sources = source.map(|i| Bead { source: vec![i], target: vec![], confidence, evidence: vec![] });
    let targets = target.map(|j| Bead { source: vec![], target: vec![j], confidence, evidence: vec![] });
    sources.chain(targets).collect()
}

/// Consecutive runs of units with the same paragraph index.
fn paragraphs(units: &[Unit]) -> Vec<Range<usize>> {
    let mut runs: Vec<Range<usize>> = Vec::new();
    for (k, unit) in units.iter().enumerate() {
        match runs.last_mut() {
            Some(run) if units[run.start].paragraph == unit.paragraph => run.end = k + 1,
            _ => runs.push(k..k + 1),
        }
    }
    runs
}

/// One unit per paragraph: summed length, the union of anchors.
fn merge_units(units: &[Unit], runs: &[Range<usize>]) -> Vec<Unit> {
    runs.iter()
        .map(|run| {
            let members = &units[run.clone()];
            let mut anchors: Vec<_> = members.iter().flat_map(|u| u.anchors.iter().copied()).collect();
            anchors.sort_unstable_by_key(|anchor| anchor.id);
            anchors.dedup_by_key(|anchor| anchor.id);
            // Marks say little about whole paragraphs: left out.
            Unit {
                len: members.iter().map(|u| u.len).fold(0u32, u32::saturating_add),
                anchors,
                paragraph: members[0].paragraph,
                marks: 0,
            }
        })
        .collect()
}

/// The bead cost over one region's units.
struct GroupScorer<'a> {
    source: &'a [Unit],
    target: &'a [Unit],
    /// Prefix sums of lengths, for O(1) group sums.
    source_len: Vec<u64>,
    target_len: Vec<u64>,
    /// Prefix sums of each unit's anchor weight: an upper bound of the
    /// anchor bonus of any group.
    source_anchor_weight: Vec<f64>,
    target_anchor_weight: Vec<f64>,
    /// Each unit's marks, packed (the cost reads them for every group).
    source_marks: Vec<u8>,
    target_marks: Vec<u8>,
    /// `breaks[k]`: how many of units `1..k` start a paragraph.
    source_breaks: Vec<u32>,
    target_breaks: Vec<u32>,
    /// Each unit's clause joints ([`features::clause_joints`]); empty when
    /// the units are paragraphs.
    source_joints: &'a [u8],
    target_joints: &'a [u8],
    length: LengthModel,
    marks: features::MarkWeights,
    soft_paragraphs: bool,
}

impl<'a> GroupScorer<'a> {
    fn new(
        source: &'a [Unit],
        target: &'a [Unit],
        (source_joints, target_joints): (&'a [u8], &'a [u8]),
        length: LengthModel,
        marks: features::MarkWeights,
        soft_paragraphs: bool,
    ) -> Self {
        let prefix = |units: &[Unit], pick: fn(&Unit) -> u64| -> Vec<u64> {
            std::iter::once(0)
                .chain(units.iter().scan(0u64, |sum, u| {
                    *sum += pick(u);
                    Some(*sum)
                }))
                .collect()
        };
        let weight_prefix = |units: &[Unit]| -> Vec<f64> {
            std::iter::once(0.0)
                .chain(units.iter().scan(0.0, |sum, u| {
                    *sum += u.anchors.iter().map(|a| f64::from(a.weight)).sum::<f64>();
                    Some(*sum)
                }))
                .collect()
        };
        let breaks = |units: &[Unit]| -> Vec<u32> {
            std::iter::once(0)
                .chain((0..units.len()).scan(0u32, |sum, k| {
                    *sum += u32::from(k > 0 && units[k].paragraph != units[k - 1].paragraph);
                    Some(*sum)
                }))
                .collect()
        };
        GroupScorer {
            source,
            target,
            source_len: prefix(source, |u| u64::from(u.len)),
            target_len: prefix(target, |u| u64::from(u.len)),
            source_anchor_weight: weight_prefix(source),
            target_anchor_weight: weight_prefix(target),
            source_marks: source.iter().map(|u| u.marks).collect(),
            target_marks: target.iter().map(|u| u.marks).collect(),
            source_breaks: breaks(source),
            target_breaks: breaks(target),
            source_joints,
            target_joints,
            length,
            marks,
            soft_paragraphs,
        }
    }

    /// Whether unit `k` (not the first) starts a paragraph.
    fn starts_paragraph(breaks: &[u32], k: usize) -> bool {
        k + 1 < breaks.len() && breaks[k + 1] > breaks[k]
    }

    /// Whether unit `k` is a paragraph of its own.
    fn whole_paragraph(breaks: &[u32], k: usize) -> bool {
        (k == 0 || Self::starts_paragraph(breaks, k))
            && (k + 2 == breaks.len() || Self::starts_paragraph(breaks, k + 1))
    }

    /// How many units paragraph number `paragraph` (counted from 0) has.
    /// `breaks` never decreases, so two binary searches find its units: the
    /// cost asks this for every omission, and a scan would make the search
    /// quadratic in the region's length (#20).
    fn paragraph_units(breaks: &[u32], paragraph: u32) -> usize {
        let units = &breaks[1..];
        units.partition_point(|&p| p <= paragraph) - units.partition_point(|&p| p < paragraph)
    }

    /// Paragraph boundaries inside units `k..k + count` (`count` ≥ 1).
    fn crossings(breaks: &[u32], k: usize, count: usize) -> u32 {
        breaks[k + count] - breaks[k + 1]
    }
}

impl BeadCost for GroupScorer<'_> {
    fn cost(&self, i: usize, j: usize, a: usize, b: usize, budget: f64) -> f64 {
        if a == 0 || b == 0 {
            // Omissions are judged by the prior alone: a length cost would grow
            // with the sentence and, being capped like a wrong pair's, would
            // make a wrong merge always cheaper than the honest omission.
            // But leaving out a sentence that is a whole paragraph, where the
            // other side has as many paragraphs and its paragraph of that
            // number is as short (pairs pasted one a paragraph, #15.2), is
            // most likely trading a pair whose lengths disagree for two
            // omissions: see `cost::PARAGRAPH_OMISSION_COST`.
            let (breaks, k, other) = if a == 0 {
                (&self.target_breaks, j, &self.source_breaks)
            } else {
                (&self.source_breaks, i, &self.target_breaks)
            };
            let paragraph_left_out = self.soft_paragraphs
                && breaks.last() == other.last()
                && Self::whole_paragraph(breaks, k)
                && Self::paragraph_units(other, breaks[k + 1]) <= cost::SHORT_PARAGRAPH_UNITS;
            return if paragraph_left_out { cost::PARAGRAPH_OMISSION_COST } else { 0.0 };
        }
        let source_len = self.source_len[i + a] - self.source_len[i];
        let target_len = self.target_len[j + b] - self.target_len[j];
        // A 1-N bead (or N-1, Arabic on the target side): how many of its
        // sentence breaks the single sentence's clause joints account for
        // (`None` where joints are not counted). Each makes the bead likelier
        // and its length less exact (`cost::CLAUSE_JOINT_BONUS`, `_VARIANCE`).
        let counts_joints = !(self.source_joints.is_empty() && self.target_joints.is_empty());
        let joints_found = if !counts_joints {
            None
        } else if a == 1 && b >= 2 {
            self.source_joints.get(i).map(|&k| usize::from(k).min(b - 1))
        } else if b == 1 && a >= 2 {
            self.target_joints.get(j).map(|&k| usize::from(k).min(a - 1))
        } else {
            None
        };
        let mut cost = match joints_found {
            Some(found) if found > 0 => {
                let found = found as f64;
                self.length.cost_with(source_len, target_len, cost::CLAUSE_JOINT_VARIANCE * found)
                    - cost::CLAUSE_JOINT_BONUS * found
            }
            _ => self.length.cost(source_len, target_len),
        };
        let source_marks = self.source_marks[i..i + a].iter().fold(0, |m, &marks| m | marks);
        let target_marks = self.target_marks[j..j + b].iter().fold(0, |m, &marks| m | marks);
        // Most sentences have no marks: then every mark agrees in absence.
        if source_marks | target_marks != 0 {
            for (k, mark) in features::Mark::ALL.into_iter().enumerate() {
                match (source_marks & mark.bit() != 0, target_marks & mark.bit() != 0) {
                    (true, true) => cost -= self.marks.agree[k],
                    (false, false) => {}
                    _ => cost += self.marks.disagree[k],
                }
            }
        }
        if self.soft_paragraphs {
            if Self::starts_paragraph(&self.source_breaks, i)
                && Self::starts_paragraph(&self.target_breaks, j)
            {
                cost -= cost::PARAGRAPH_START_BONUS;
            }
            let crossed =
                Self::crossings(&self.source_breaks, i, a) + Self::crossings(&self.target_breaks, j, b);
            cost += cost::PARAGRAPH_CROSSING_PENALTY * f64::from(crossed);
        }
        let source_weight = self.source_anchor_weight[i + a] - self.source_anchor_weight[i];
        let target_weight = self.target_anchor_weight[j + b] - self.target_anchor_weight[j];
        if source_weight > 0.0 || target_weight > 0.0 {
            // Anchors are the expensive part: skip them when even their best
            // case (every anchor shared) cannot bring the bead under budget.
            let best_case = source_weight.min(target_weight).min(cost::MAX_ANCHOR_BONUS);
            if cost - best_case < budget {
                cost -= cost::anchor_bonus(&self.source[i..i + a], &self.target[j..j + b]);
            } else {
                cost -= best_case;
            }
        }
        cost
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use crate::segment::read_presegmented;

    fn sides(source: &str, target: &str) -> (Vec<Segment>, Vec<Segment>) {
        (read_presegmented(source, Some(Lang::Ar)), read_presegmented(target, Some(Lang::En)))
    }

    fn shape(alignment: &Alignment) -> Vec<(Vec<usize>, Vec<usize>)> {
        alignment.beads.iter().map(|b| (b.source.clone(), b.target.clone())).collect()
    }

    #[test]
    fn paragraph_units_counts_each_paragraph_and_whole_paragraphs_are_found() {
        // Units 0-1 in paragraph 0, unit 2 alone in paragraph 1, units 3-5 in 2.
        let breaks = [0, 0, 0, 1, 2, 2, 2];
        let counts: Vec<usize> = (0..4).map(|p| GroupScorer::paragraph_units(&breaks, p)).collect();
        assert_eq!(counts, vec![2, 1, 3, 0]);
        let whole: Vec<bool> = (0..6).map(|k| GroupScorer::whole_paragraph(&breaks, k)).collect();
        assert_eq!(whole, vec![false, false, true, false, false, false]);
    }

    #[test]
    fn beads_are_cut_into_their_regions() {
        let region =
            |source: Range<usize>, target: Range<usize>| Region { source, target, anchor_posterior: None };
        // The second region has no source sentence: its bead is an addition.
        let regions = [region(0..2, 0..3), region(2..2, 3..4), region(2..3, 4..5)];
        let bead = |source: Vec<usize>, target: Vec<usize>| Bead {
            source,
            target,
            confidence: 0.5,
            evidence: vec![],
        };
        let beads = vec![
            bead(vec![0], vec![0, 1]),
            bead(vec![1], vec![]),
            bead(vec![], vec![2]),
            bead(vec![], vec![3]),
            bead(vec![2], vec![4]),
        ];
        let sizes: Vec<usize> = split_by_region(&regions, beads).iter().map(Vec::len).collect();
        assert_eq!(sizes, vec![3, 1, 1]);
    }

    #[test]
    fn arabic_indic_numbers_are_anchors() {
        let (source, target) = sides(
            "قتل ٧٠ مدنياً وجرح ٣٫٥ ألف شخص في القصف.\nوقال المسؤول إن الوضع صعب.\n",
            "70 civilians were killed and 3.5 thousand people wounded in the shelling.\nThe official said the situation was difficult.\n",
        );
        let alignment = align(&source, &target, &AlignOptions::default());
        assert_eq!(shape(&alignment), vec![(vec![0], vec![0]), (vec![1], vec![1])]);
        let numbers: Vec<&str> = alignment.beads[0]
            .evidence
            .iter()
            .filter(|e| e.kind == "number")
            .map(|e| e.text.as_str())
            .collect();
        assert_eq!(numbers, vec!["70", "3.5"]);
    }

    #[test]
    fn glossary_concepts_decide_which_sentence_was_dropped() {
        // Two Arabic sentences of about the same length, one English
        // sentence: lengths alone pair it with the first.
        let (source, target) = sides(
            "ذهب الرجل إلى السوق صباحا واشترى الخبز والحليب.\nعاد الرجل إلى البيت مساءً وتناول العشاء.\n",
            "The man came back home in the evening and had dinner.\n",
        );
        let without = align(&source, &target, &AlignOptions::default());
        let terms =
            TermAnchors { source: vec![vec![], vec!["dinner".into()]], target: vec![vec!["dinner".into()]] };
        let with = align(&source, &target, &AlignOptions { terms: Some(terms), ..AlignOptions::default() });
        let expected = vec![(vec![0], vec![]), (vec![1], vec![0])];
        assert_ne!(shape(&without), expected, "lengths alone choose otherwise");
        assert_eq!(shape(&with), expected);
        assert!(with.beads[1].evidence.iter().any(|e| e.kind == "glossary" && e.text == "dinner"));
    }

    #[test]
    fn one_side_empty_gives_null_beads_and_a_warning() {
        let (source, _) = sides("جملة أولى.\nجملة ثانية.\n", "");
        let alignment = align(&source, &[], &AlignOptions::default());
        assert_eq!(shape(&alignment), vec![(vec![0], vec![]), (vec![1], vec![])]);
        assert_eq!(alignment.warnings.len(), 1);
        assert!(alignment.warnings[0].contains("target text has no sentences"));
        assert!(align(&[], &[], &AlignOptions::default()).beads.is_empty());
    }

    #[test]
    fn far_off_length_ratio_warns_but_still_aligns() {
        let (source, target) =
            sides(&"هذه جملة طويلة جدا عن أحداث كثيرة في المدينة.\n".repeat(20), "Short.\n");
        let alignment = align(&source, &target, &AlignOptions::default());
        assert!(
            alignment.warnings.iter().any(|w| w.contains("may not be translations")),
            "{:?}",
            alignment.warnings
        );
        assert_eq!(alignment.beads.iter().map(|b| b.source.len()).sum::<usize>(), 20);
        assert_eq!(alignment.beads.iter().map(|b| b.target.len()).sum::<usize>(), 1);
    }

    #[test]
    fn corresponding_paragraphs_are_hard_boundaries() {
        // Generated cases whose paragraph breaks are all on both sides: no
        // bead may straddle a paragraph break.
        let document = synth::ParallelDocument {
            name: "paragraphs".into(),
            source: (0..60).map(|k| format!("{} رقم {k}.", "كلمة ".repeat(3 + k * 7 % 11))).collect(),
            target: (0..60).map(|k| format!("{} number {k}.", "word ".repeat(4 + k * 7 % 11))).collect(),
        };
        let config = synth::SynthConfig { paragraph_break: 0.4, one_sided_break: 0.0, ..Default::default() };
        let case = synth::generate(&document, &config);
        let (source, target) = sides(&case.source_presegmented, &case.target_presegmented);
        assert!(source.last().unwrap().paragraph >= 10);
        let alignment = align(&source, &target, &AlignOptions::default());
        for bead in &alignment.beads {
            let paragraphs = |segments: &[Segment], indices: &[usize]| {
                indices
                    .iter()
                    .map(|&k| segments[k].paragraph)
                    .collect::<std::collections::BTreeSet<_>>()
                    .len()
            };
            assert!(
                paragraphs(&source, &bead.source) <= 1 && paragraphs(&target, &bead.target) <= 1,
                "{bead:?}"
            );
        }
        // Only omissions next to a 1-N bead are left to chance (lengths).
        assert!(synth::score(&case.gold, &alignment.beads).strict.f1 > 0.95);
    }

    #[test]
    fn beam_search_finds_the_exhaustive_optimum_on_real_text() {
        // Real sentences (the bundled example, then more of it), with the
        // first 25 source sentences untranslated and the generator's edits:
        // the path starts far off the diagonal.
        let read = |name: &str| std::fs::read_to_string(format!("examples/raqqa-2017/{name}")).unwrap();
        let source_lines: Vec<String> =
            read("ar.sents").lines().filter(|l| !l.is_empty()).map(String::from).collect();
        let target_lines: Vec<String> =
            read("en.sents").lines().filter(|l| !l.is_empty()).map(String::from).collect();
        let document = synth::ParallelDocument {
            name: "beam".into(),
            source: (0..240).map(|k| format!("{} ({k})", source_lines[k % 9])).collect(),
            target: (0..240).map(|k| format!("{} ({k})", target_lines[k % 9 * 2 % 17])).collect(),
        };
        let case = synth::generate(&document, &synth::SynthConfig::default());
        let (mut source, target) = sides(&case.source_presegmented, &case.target_presegmented);
        let extra = read("ar.sents")
            .lines()
            .filter(|l| !l.is_empty())
            .cycle()
            .take(25)
            .collect::<Vec<_>>()
            .join("\n");
        let mut prefixed = read_presegmented(&extra, Some(Lang::Ar));
        prefixed.append(&mut source);
        let features = features::extract(&prefixed, &target, &[], &[]);
        let length = length_model(&features.source, &features.target, &mut Vec::new());
        let no_joints = (&[][..], &[][..]);
        let scorer =
            GroupScorer::new(&features.source, &features.target, no_joints, length, features.marks, false);
        let shapes = Shapes::sentences(5);
        let beamed = lattice::best_path(features.source.len(), features.target.len(), &shapes, &scorer).path;
        let exhaustive =
            lattice::exhaustive_path(features.source.len(), features.target.len(), &shapes, &scorer);
        let cells = |path: &[PathBead]| path.iter().map(|b| (b.i, b.j, b.a, b.b)).collect::<Vec<_>>();
        assert_eq!(cells(&beamed), cells(&exhaustive));
    }

    #[test]
    fn alignment_is_deterministic() {
        let document = synth::ParallelDocument {
            name: "determinism".into(),
            source: (0..80).map(|k| format!("{} {k}.", "نص ".repeat(2 + k % 9))).collect(),
            target: (0..80).map(|k| format!("{} {k}.", "text ".repeat(2 + k % 9))).collect(),
        };
        let case = synth::generate(&document, &synth::SynthConfig::default());
        let (source, target) = sides(&case.source_presegmented, &case.target_presegmented);
        let first = align(&source, &target, &AlignOptions::default());
        let second = align(&source, &target, &AlignOptions::default());
        assert_eq!(first.beads, second.beads);
    }
}
