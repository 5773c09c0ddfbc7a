//! The cost of a bead: −log of how likely it is, in nats.
//!
//! cost = shape prior + length cost (Gale–Church on characters without
//! spaces, capped) − anchor bonus (each kind capped; numbers found on one
//! side only count against) ± punctuation marks + paragraph terms − the
//! clause joints of a 1-N bead's single sentence (which also widen its
//! length's variance). Omissions
//! (0-1, 1-0) cost their prior only.
//! Every term is bounded, so no single piece of evidence can dominate and
//! no cell is ever reset to zero.

use super::features::{Anchor, AnchorKind, Unit};

/// English/Arabic characters-without-spaces ratio in news when a document
/// pair gives no usable estimate (measured on the fixtures: 1.11–1.34).
pub(crate) const DEFAULT_RATIO: f64 = 1.15;
/// Weight of [`DEFAULT_RATIO`] in the per-document estimate, in source
/// characters (about thirty sentences).
pub(crate) const RATIO_PRIOR_CHARACTERS: f64 = 3000.0;
/// Per-document estimates are clamped to this range: outside it the texts
/// are probably not (complete) translations and the estimate is noise.
pub(crate) const RATIO_RANGE: (f64, f64) = (0.8, 1.7);
/// Variance of the length difference per character (Gale–Church s²),
/// measured on 4,083 1-1 pairs of the fixtures (mean 2.75–3.5).
const VARIANCE: f64 = 3.5;
/// Upper bound of the length cost: beyond this the length says "wrong" and
/// more mismatch is no more informative (heavy tails in real translations).
const LENGTH_CAP: f64 = 14.0;

/// Caps on the bonus per anchor kind (see [`super::features::kind_weight`]).
fn kind_cap(kind: AnchorKind) -> f64 {
    match kind {
        AnchorKind::Number => 6.0,
        AnchorKind::Latin => 5.0,
        AnchorKind::Glossary => 4.0,
        AnchorKind::Name => 6.0,
        AnchorKind::Lexicon => 4.0,
        AnchorKind::Dictionary => 4.0,
    }
}

/// The bead shapes allowed and their −log prior probabilities.
#[derive(Debug, Clone)]
pub(crate) struct Shapes {
    /// (source sentences, target sentences), never (0, 0).
    pub(crate) shapes: Vec<(usize, usize)>,
    pub(crate) priors: Vec<f64>,
}

impl Shapes {
    /// Sentence beads: 0-1, 1-0, 1-1, 1-2, 2-1, 2-2, and 1-N / N-1 up to
    /// `max_bead`. An Arabic sentence often becomes several English ones,
    /// so 1-N is likelier than N-1.
    pub(crate) fn sentences(max_bead: usize) -> Shapes {
        let max_bead = max_bead.max(1);
        let mut list = vec![((1, 1), 0.82), ((1, 0), 0.025), ((0, 1), 0.025)];
        if max_bead >= 2 {
            list.extend([((1, 2), 0.07), ((2, 1), 0.035), ((2, 2), 0.005)]);
        }
        for n in 3..=max_bead {
            // Each step up is about three times rarer.
            let one_to_n = 0.025 / 3f64.powi(n as i32 - 3);
            list.push(((1, n), one_to_n));
            list.push(((n, 1), one_to_n / 4.0));
        }
        Shapes::from_list(&list)
    }

    /// Paragraph beads: translators keep paragraphs, sometimes split or
    /// merge them, rarely drop one.
    pub(crate) fn paragraphs() -> Shapes {
        Shapes::from_list(&[
            ((1, 1), 0.9),
            ((1, 0), 0.005),
            ((0, 1), 0.005),
            ((1, 2), 0.03),
            ((2, 1), 0.03),
            ((2, 2), 0.005),
            ((1, 3), 0.01),
            ((3, 1), 0.01),
        ])
    }

    fn from_list(list: &[((usize, usize), f64)]) -> Shapes {
        Shapes {
            shapes: list.iter().map(|&(shape, _)| shape).collect(),
            priors: list.iter().map(|&(_, p)| -f64::ln(p)).collect(),
        }
    }
}

/// The length model of one document pair.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LengthModel {
    /// Expected target characters per source character.
    ratio: f64,
    inverse_ratio: f64,
}

/// δ² beyond which the length cost is at its cap (δ ≈ 4.93): lets the
/// lattice skip the square root and logarithm for most wrong shapes.
const CAPPED_DELTA_SQUARED: f64 = 24.31;

impl LengthModel {
    pub(crate) fn new(ratio: f64) -> LengthModel {
        LengthModel { ratio, inverse_ratio: 1.0 / ratio }
    }

    /// Gale–Church δ: the length difference in standard deviations.
    pub(crate) fn delta(&self, source_len: u64, target_len: u64) -> f64 {
        let (ls, lt) = (source_len as f64, target_len as f64);
        let mean = ((ls + lt / self.ratio) / 2.0).max(1.0);
        (lt - self.ratio * ls) / (VARIANCE * mean).sqrt()
    }

    /// −log P(|δ| at least this large), capped. Interpolated in a table
    /// over |δ| (no logarithm, no division): this is the inner loop of the
    /// lattice, and the table is exact to about 0.001 nats.
    #[inline]
    pub(crate) fn cost(&self, source_len: u64, target_len: u64) -> f64 {
        self.cost_with(source_len, target_len, 0.0)
    }

    /// [`Self::cost`] with `extra` characters² added to the variance (a
    /// spread that does not grow with the length).
    #[inline]
    pub(crate) fn cost_with(&self, source_len: u64, target_len: u64, extra: f64) -> f64 {
        let (ls, lt) = (source_len as f64, target_len as f64);
        let variance = VARIANCE * ((ls + lt * self.inverse_ratio) / 2.0).max(1.0) + extra;
        let difference = lt - self.ratio * ls;
        let squared = difference * difference;
        if squared >= CAPPED_DELTA_SQUARED * variance {
            return LENGTH_CAP;
        }
        let delta_squared = squared / variance;
        let table = tail_cost_table();
        let position = delta_squared.sqrt() * TABLE_STEPS_PER_DELTA;
        let index = (position as usize).min(TABLE_SIZE - 2);
        let fraction = position - index as f64;
        (table[index] + fraction * (table[index + 1] - table[index])).min(LENGTH_CAP)
    }
}

const TABLE_STEPS_PER_DELTA: f64 = 256.0;
/// Covers |δ| up to 5.0, past the cap.
const TABLE_SIZE: usize = 5 * 256 + 2;

/// [`neg_log_two_tailed`] at |δ| = k / TABLE_STEPS_PER_DELTA.
fn tail_cost_table() -> &'static [f64; TABLE_SIZE] {
    static TABLE: std::sync::OnceLock<[f64; TABLE_SIZE]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| std::array::from_fn(|k| neg_log_two_tailed(k as f64 / TABLE_STEPS_PER_DELTA)))
}

/// −ln(2·(1 − Φ(|δ|))) = −ln erfc(|δ|/√2), with the erfc approximation of
/// Numerical Recipes (relative error < 1.2e-7) taken in log space, so that
/// large δ costs one `ln`, not an underflowing `exp`.
fn neg_log_two_tailed(delta: f64) -> f64 {
    let z = delta.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -1.26551223
        + t * (1.00002368
            + t * (0.37409196
                + t * (0.09678418
                    + t * (-0.18628806
                        + t * (0.27886807
                            + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
    (z * z - poly - t.ln()).max(0.0)
}

/// The largest anchor bonus any bead can get (all kinds at their caps).
pub(crate) const MAX_ANCHOR_BONUS: f64 = 6.0 + 5.0 + 4.0 + 6.0 + 4.0 + 4.0;

/// Anchors that a translation keeps count against a bead when found on one
/// side only, as (factor of the anchor's weight, cap per bead): numbers
/// (half a match's worth), learned word pairs (they were learned from beads
/// where both sides have them) and, weakly, names (a name is often left
/// out, or a common word's skeleton looks like one), and dictionary pairs
/// (a translator paraphrases, so a missing match says less than a
/// learned pair's, but a sentence full of unmatched words is a sign: the
/// cap is high). Latin tokens and glossary concepts only count for:
/// measured on the generated cases, a penalty for them does not help.
/// The dictionary's figures were tuned on the generated tico19 and flores200
/// cases (no penalty: flores strict F1 96.6; (0.3, 1.5): 97.8; (0.4, 3.0):
/// 98.2, with the fewest wrong beads over both corpora).
fn mismatch_penalty(kind: AnchorKind) -> Option<(f64, f64)> {
    match kind {
        AnchorKind::Number => Some((0.5, 3.0)),
        AnchorKind::Lexicon => Some((0.5, 2.0)),
        AnchorKind::Dictionary => Some((0.4, 3.0)),
        AnchorKind::Name => Some((0.15, 2.0)),
        AnchorKind::Latin | AnchorKind::Glossary => None,
    }
}

/// Net bonus (to subtract from the cost) for the anchors of two groups:
/// shared anchors, each kind capped, minus the penalty for anchors that a
/// translation keeps found on one side only (see [`mismatch_penalty`]). An
/// anchor counts once per bead however often it occurs. Never more than
/// [`MAX_ANCHOR_BONUS`]. Allocation-free after the first call on a thread:
/// this runs for every cell and shape of the lattice.
pub(crate) fn anchor_bonus(source: &[Unit], target: &[Unit]) -> f64 {
    let mut sums = [0f64; AnchorKind::ALL.len()];
    let mut unmatched = [0f64; AnchorKind::ALL.len()];
    if let ([source], [target]) = (source, target) {
        // 1-1, most cells: one merge of the two sorted lists.
        one_to_one_sums(&source.anchors, &target.anchors, &mut sums, &mut unmatched);
        return net_bonus(&sums, &unmatched);
    }
    // A group's distinct anchors, merged into one sorted list, compare like
    // one unit's. The order in which weights are added does not change the
    // sums: they are `f32` values of at least 2⁻¹⁷ (a kind's weight over a
    // sentence count) added in `f64`, where every partial sum below 2¹⁶ is
    // exact.
    GROUP_ANCHORS.with_borrow_mut(|buffers| {
        let [source_union, target_union, spare] = buffers;
        let source_anchors = group_anchors(source, source_union, spare);
        let target_anchors = group_anchors(target, target_union, spare);
        one_to_one_sums(source_anchors, target_anchors, &mut sums, &mut unmatched);
    });
    net_bonus(&sums, &unmatched)
}

thread_local! {
    /// Scratch lists of [`anchor_bonus`]: the source group's anchors, the
    /// target group's, and one for merging.
    static GROUP_ANCHORS: std::cell::RefCell<[Vec<Anchor>; 3]> = const {
        std::cell::RefCell::new([Vec::new(), Vec::new(), Vec::new()])
    };
}

/// The distinct anchors of a group of units, sorted by id: the unit's own
/// list for a single unit, else merged into `union`.
fn group_anchors<'a>(units: &'a [Unit], union: &'a mut Vec<Anchor>, spare: &mut Vec<Anchor>) -> &'a [Anchor] {
    if let [unit] = units {
        return &unit.anchors;
    }
    union.clear();
    for unit in units {
        if union.is_empty() {
            union.extend_from_slice(&unit.anchors);
            continue;
        }
        spare.clear();
        let (mut x, mut y) = (union.as_slice(), unit.anchors.as_slice());
        while let (Some(a), Some(b)) = (x.first(), y.first()) {
            if a.id <= b.id {
                spare.push(*a);
                x = &x[1..];
                if a.id == b.id {
                    y = &y[1..];
                }
            } else {
                spare.push(*b);
                y = &y[1..];
            }
        }
        spare.extend_from_slice(x);
        spare.extend_from_slice(y);
        std::mem::swap(union, spare);
    }
    union
}

/// [`anchor_bonus`] of one source and one target unit, both sorted by id.
fn one_to_one_sums(
    source: &[Anchor],
    target: &[Anchor],
    sums: &mut [f64; AnchorKind::ALL.len()],
    unmatched: &mut [f64; AnchorKind::ALL.len()],
) {
    let mut at = 0;
    for anchor in source {
        while at < target.len() && target[at].id < anchor.id {
            at += 1;
        }
        if at < target.len() && target[at].id == anchor.id {
            sums[anchor.kind.index()] += f64::from(anchor.weight);
        } else if mismatch_penalty(anchor.kind).is_some() {
            unmatched[anchor.kind.index()] += f64::from(anchor.weight);
        }
    }
    let mut at = 0;
    for anchor in target.iter().filter(|a| mismatch_penalty(a.kind).is_some()) {
        while at < source.len() && source[at].id < anchor.id {
            at += 1;
        }
        if !(at < source.len() && source[at].id == anchor.id) {
            unmatched[anchor.kind.index()] += f64::from(anchor.weight);
        }
    }
}

/// Each kind's bonus capped, minus its capped mismatch penalty.
fn net_bonus(sums: &[f64; AnchorKind::ALL.len()], unmatched: &[f64; AnchorKind::ALL.len()]) -> f64 {
    AnchorKind::ALL
        .iter()
        .map(|&kind| {
            let bonus = sums[kind.index()].min(kind_cap(kind));
            let penalty = mismatch_penalty(kind)
                .map_or(0.0, |(factor, cap)| (factor * unmatched[kind.index()]).min(cap));
            bonus - penalty
        })
        .sum()
}

/// The anchor ids shared by two groups (for evidence).
pub(crate) fn shared_anchors(source: &[Unit], target: &[Unit]) -> Vec<Anchor> {
    let (mut left, mut right) = (Vec::new(), Vec::new());
    collect(source, &mut left);
    collect(target, &mut right);
    left.into_iter().filter(|x| right.binary_search_by_key(&x.id, |y| y.id).is_ok()).collect()
}

fn collect(units: &[Unit], into: &mut Vec<Anchor>) {
    into.clear();
    for unit in units {
        into.extend_from_slice(&unit.anchors);
    }
    if units.len() > 1 {
        into.sort_unstable_by_key(|anchor| anchor.id);
        into.dedup_by_key(|anchor| anchor.id);
    }
}

/// Soft paragraph evidence inside a region: a bead that starts a paragraph
/// on both sides is rewarded; one that straddles a paragraph boundary is
/// penalised (per boundary crossed), since translators rarely move a
/// sentence across a paragraph break.
pub(crate) const PARAGRAPH_START_BONUS: f64 = 1.5;
pub(crate) const PARAGRAPH_CROSSING_PENALTY: f64 = 2.0;
/// What leaving out a sentence that is a whole paragraph costs beyond a
/// sentence's omission, in soft regions where both sides have as many
/// paragraphs and the other side's paragraph of the same number has at most
/// `SHORT_PARAGRAPH_UNITS` sentences (pairs pasted one a paragraph, #15.2).
/// Without it an acronym spelt out in Arabic made a pair's lengths disagree
/// by up to the length cap (14 nats), dearer than two omissions (7.4), and
/// the next sentences paired across the break. 4.0 aligns every window of
/// `tests/align_paragraphs.rs`; on every whole-paragraph omission (no
/// short-paragraph condition) it cost tico19 raw-text link F1 89.0 -> 88.1.
pub(crate) const PARAGRAPH_OMISSION_COST: f64 = 4.0;
/// See `PARAGRAPH_OMISSION_COST`: 1 left FLORES-200 window 13 (raw text,
/// a paragraph of two segments) misaligned; 2 and 3 measure the same.
pub(crate) const SHORT_PARAGRAPH_UNITS: usize = 2;

/// What each English sentence break of a 1-N bead is worth when the Arabic
/// sentence has a clause joint for it ([`super::features::clause_joints`]).
/// Arabic prose chains clauses with `، و…`, `، كما…` where an English
/// translator starts a new sentence, so a sentence with k joints is a likely
/// 1-(k+1) bead. Only a bonus: translators also split where there is no
/// joint (raqqa-2017's 900-character sentence has one joint and became five
/// English sentences), so a break without one costs nothing (a penalty of 1
/// a break took that bead's confidence from 0.81 to 0.62, and 0.25 gained
/// nothing). Measured on the freer cases with the adaptive lexicon: bonus 1,
/// 1.5, 2, 3: link F1 77.9/76.9, 78.3/75.5, 78.7/76.8, 77.2/76.5 (50% / 80%
/// rows); small next to the length cost (up to 14 nats).
pub(crate) const CLAUSE_JOINT_BONUS: f64 = 2.0;
/// Variance (characters²) a 1-N bead's length difference gains for each
/// English break at a clause joint: an English sentence made of an Arabic
/// clause restates what the clause left implicit (its subject, "He added
/// that", "The ministry also") or drops a connective, so its length strays
/// from the clause's by a roughly fixed amount, not one in proportion to
/// its length (sd ≈ 20 characters). Tied to the joints: on every 1-N bead
/// of splitting documents it cost tico19 raw-text link F1 89.0 → 88.0, where
/// the segmenter leaves Arabic segments long. Measured on the freer cases:
/// 400 gains 0.5 / 2.9 points (50% / 80% rows); 550 and more moved a
/// FLORES-200 news case (strict F1 94.7 → 94.4).
pub(crate) const CLAUSE_JOINT_VARIANCE: f64 = 400.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_anchor_bonus_is_the_sum_of_the_caps() {
        let sum: f64 = AnchorKind::ALL.iter().map(|&kind| kind_cap(kind)).sum();
        assert_eq!(sum, MAX_ANCHOR_BONUS);
    }

    #[test]
    fn tail_cost_matches_the_normal_distribution() {
        // 2·(1 − Φ(1.96)) = 0.05
        assert!((neg_log_two_tailed(1.96) - (-f64::ln(0.05))).abs() < 1e-3);
        assert!(neg_log_two_tailed(0.0).abs() < 1e-6);
        // Monotone, finite far in the tail.
        let far = neg_log_two_tailed(40.0);
        assert!(far.is_finite() && far > neg_log_two_tailed(10.0));
    }

    #[test]
    fn the_capped_shortcut_agrees_with_the_formula() {
        assert!(neg_log_two_tailed(CAPPED_DELTA_SQUARED.sqrt()) >= LENGTH_CAP);
        assert!(neg_log_two_tailed(CAPPED_DELTA_SQUARED.sqrt() - 0.05) < LENGTH_CAP);
    }

    #[test]
    fn the_table_matches_the_formula() {
        let model = LengthModel::new(1.0);
        for (ls, lt) in [(100, 100), (100, 101), (100, 110), (100, 125), (40, 60), (300, 250), (10, 30)] {
            let exact = neg_log_two_tailed(model.delta(ls, lt)).min(LENGTH_CAP);
            assert!(
                (model.cost(ls, lt) - exact).abs() < 0.002,
                "{ls} {lt}: {} vs {exact}",
                model.cost(ls, lt)
            );
        }
    }

    #[test]
    fn length_cost_prefers_the_expected_ratio_and_is_capped() {
        let model = LengthModel::new(1.2);
        assert!(model.cost(100, 120) < 0.05);
        assert!(model.cost(100, 200) > model.cost(100, 150));
        assert_eq!(model.cost(1000, 10), LENGTH_CAP);
    }

    #[test]
    fn extra_variance_forgives_a_length_difference() {
        let model = LengthModel::new(1.0);
        assert_eq!(model.cost_with(200, 260, 0.0), model.cost(200, 260));
        assert!(model.cost_with(200, 260, CLAUSE_JOINT_VARIANCE) < model.cost(200, 260) - 0.5);
        assert!(model.cost_with(200, 200, CLAUSE_JOINT_VARIANCE) < 0.01);
    }

    #[test]
    fn shape_priors_order_the_bead_kinds() {
        let shapes = Shapes::sentences(5);
        let prior = |shape| shapes.priors[shapes.shapes.iter().position(|&s| s == shape).unwrap()];
        assert!(prior((1, 1)) < prior((1, 2)));
        assert!(prior((1, 2)) < prior((2, 1)));
        assert!(prior((1, 3)) < prior((1, 5)));
        assert!(prior((1, 5)) < prior((5, 1)));
        assert!(!shapes.shapes.contains(&(1, 6)));
        assert_eq!(Shapes::sentences(1).shapes, vec![(1, 1), (1, 0), (0, 1)]);
    }
}
