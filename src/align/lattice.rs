//! The dynamic programme over beads, in time and memory linear in the
//! length of the documents.
//!
//! Cell `(i, j)` means "the first `i` source and `j` target units are
//! aligned". A bead of shape `(a, b)` moves from `(i, j)` to `(i+a, j+b)`.
//! The best path is found by a beam Viterbi: row by row, only the cells
//! reachable from the surviving cells of the last rows are computed, and a
//! cell more than [`BEAM`] nats worse than the best of its row is dropped.
//! The rows thus follow the alignment wherever it goes (a band that moves
//! with the path, as wide as the evidence leaves room for), without a guide
//! or a second pass. Bead confidences are posterior probabilities from
//! forward–backward in a narrow band around the path found.

use super::cost::Shapes;

/// The cost of one bead, except its shape prior (which the lattice adds).
pub(crate) trait BeadCost: Sync {
    /// Cost of the bead covering source units `i..i+a` and target units
    /// `j..j+b`. When the cost is certainly at least `budget`, an
    /// implementation may stop early and return any value `>= budget`
    /// (Viterbi passes what the bead must beat; posteriors pass infinity).
    fn cost(&self, i: usize, j: usize, a: usize, b: usize, budget: f64) -> f64;
}

/// One bead of the best path, in local unit indices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PathBead {
    pub(crate) i: usize,
    pub(crate) j: usize,
    pub(crate) a: usize,
    pub(crate) b: usize,
    /// Posterior probability that the alignment contains exactly this bead.
    pub(crate) posterior: f64,
}

/// Viterbi keeps only cells within this many nats of the best cell of their
/// row (a dozen omissions' worth: the right path never falls that far
/// behind a wrong one for long).
const BEAM: f64 = 50.0;
/// However flat the costs (texts that are not translations), a row keeps at
/// most this many cells beyond the reach of the rows before it.
const MAX_ROW_HALF_WIDTH: usize = 256;
/// Half-width of the forward–backward band around the best path.
const POSTERIOR_HALF_WIDTH: usize = 8;
/// Posterior temperature: > 1 flattens overconfident posteriors.
const TEMPERATURE: f64 = 1.0;

/// Rows `0..=n`; row `i` holds columns `lo[i]..=hi[i]`, both nondecreasing.
#[derive(Debug, Clone)]
struct Band {
    lo: Vec<usize>,
    hi: Vec<usize>,
    offset: Vec<usize>,
}

impl Band {
    fn from_bounds(lo: Vec<usize>, hi: Vec<usize>) -> Band {
        let mut offset = Vec::with_capacity(lo.len() + 1);
        let mut total = 0;
        for (l, h) in lo.iter().zip(&hi) {
            offset.push(total);
            total += h - l + 1;
        }
        offset.push(total);
        Band { lo, hi, offset }
    }

    /// Cells within `half_width` columns of a monotone path of cells
    /// (from the path's row and the rows next to it), made monotone and
    /// connected: `hi[i] >= lo[i+1]`, so a 1-0 step always leads on.
    fn around(path: &[(usize, usize)], n: usize, m: usize, half_width: usize) -> Band {
        let mut lo = vec![usize::MAX; n + 1];
        let mut hi = vec![0usize; n + 1];
        for &(pi, pj) in path {
            for row in pi.saturating_sub(1)..=(pi + 1).min(n) {
                lo[row] = lo[row].min(pj.saturating_sub(half_width));
                hi[row] = hi[row].max((pj + half_width).min(m));
            }
        }
        for i in (0..n).rev() {
            lo[i] = lo[i].min(lo[i + 1]);
        }
        lo[0] = 0;
        hi[n] = m;
        for i in 1..=n {
            hi[i] = hi[i].max(hi[i - 1]);
        }
        for i in 0..=n {
            lo[i] = lo[i].min(m);
            hi[i] = hi[i].max(lo[i]);
        }
        Band::from_bounds(lo, hi)
    }

    fn cells(&self) -> usize {
        self.offset[self.offset.len() - 1]
    }

    fn index(&self, i: usize, j: usize) -> Option<usize> {
        let (lo, hi) = (*self.lo.get(i)?, self.hi[i]);
        (lo..=hi).contains(&j).then(|| self.offset[i] + j - lo)
    }
}

/// The best path found, and how hard it was to find.
#[derive(Debug, Clone)]
pub(crate) struct Search {
    pub(crate) path: Vec<PathBead>,
    /// The plain beam lost every path to the end (the cells it kept were
    /// all far from the diagonal the documents' sentence counts imply, as
    /// when a translator renders most sentences as several): the search
    /// was run again with a beam that ranks cells by their distance from
    /// that diagonal too. Worth a warning: such texts align less surely.
    pub(crate) widened: bool,
}

/// The best path from `(0, 0)` to `(n, m)` with a posterior per bead.
pub(crate) fn best_path(n: usize, m: usize, shapes: &Shapes, scorer: &impl BeadCost) -> Search {
    search(n, m, shapes, scorer, BEAM)
}

/// The best path without the beam: every reachable cell (quadratic; for
/// tests that check the beam loses nothing).
#[cfg(test)]
pub(crate) fn exhaustive_path(n: usize, m: usize, shapes: &Shapes, scorer: &impl BeadCost) -> Vec<PathBead> {
    search(n, m, shapes, scorer, f64::INFINITY).path
}

/// In the guided beam, each sentence a cell lies off the diagonal costs
/// this many nats more: a little less than what the cheapest bead shape
/// pays per extra sentence (a 1-5 bead, about 1.4 nats a sentence over a
/// 1-1), so that a cell far off the diagonal must earn its place with
/// evidence, and a cell that merely skipped the 1-N beads a free
/// translation needs no longer looks cheapest.
const DIAGONAL_PULL: f64 = 1.2;

fn search(n: usize, m: usize, shapes: &Shapes, scorer: &impl BeadCost, beam: f64) -> Search {
    if n == 0 && m == 0 {
        return Search { path: Vec::new(), widened: false };
    }
    // Cells of a row have consumed different numbers of target units, so the
    // plain beam favours the ones that skipped the dear 1-N beads; when that
    // loses the end, the guided beam corrects for it; when even that loses
    // the end, the last row keeps all its cells, so some path always ends
    // there (null beads at worst, never all of them).
    let (path, widened) = match viterbi(n, m, shapes, scorer, beam, Guide::None) {
        Some(path) => (path, false),
        None => {
            let guided = Guide::Diagonal { slope: m as f64 / n.max(1) as f64 };
            let path = viterbi(n, m, shapes, scorer, beam, guided)
                .or_else(|| viterbi(n, m, shapes, scorer, beam, Guide::KeepLastRow))
                .unwrap_or_else(|| fallback_path(n, m));
            (path, true)
        }
    };
    let band = Band::around(&cells_of(&path), n, m, POSTERIOR_HALF_WIDTH);
    Search { path: posteriors(&band, n, m, shapes, scorer, path), widened }
}

/// How the beam ranks the cells of a row.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Guide {
    /// By their cost.
    None,
    /// By their cost plus [`DIAGONAL_PULL`] per target unit away from
    /// `i * slope`.
    Diagonal { slope: f64 },
    /// By their cost, but the last row is never pruned.
    KeepLastRow,
}

impl Guide {
    fn penalty(self, i: usize, j: usize) -> f64 {
        match self {
            Guide::Diagonal { slope } => DIAGONAL_PULL * (j as f64 - i as f64 * slope).abs(),
            Guide::None | Guide::KeepLastRow => 0.0,
        }
    }
}

/// Path cells: the start and end of every bead.
fn cells_of(path: &[PathBead]) -> Vec<(usize, usize)> {
    let mut cells = vec![(0, 0)];
    cells.extend(path.iter().map(|bead| (bead.i + bead.a, bead.j + bead.b)));
    cells
}

/// Only reached if a shape set lacked 0-1: everything as null beads.
fn fallback_path(n: usize, m: usize) -> Vec<PathBead> {
    let sources = (0..n).map(|i| PathBead { i, j: 0, a: 1, b: 0, posterior: 0.0 });
    let targets = (0..m).map(|j| PathBead { i: n, j, a: 0, b: 1, posterior: 0.0 });
    sources.chain(targets).collect()
}

/// The cells computed so far: row `i` holds columns `lo[i]..` for
/// `offset[i + 1] - offset[i]` cells.
struct Rows {
    lo: Vec<usize>,
    offset: Vec<usize>,
    best: Vec<f64>,
    back: Vec<u8>,
}

impl Rows {
    /// The index of a cell of a finished row, if it was computed.
    fn index(&self, i: usize, j: usize) -> Option<usize> {
        let (lo, start, end) = (*self.lo.get(i)?, self.offset[i], *self.offset.get(i + 1)?);
        (j >= lo && j - lo < end - start).then(|| start + j - lo)
    }
}

fn viterbi(
    n: usize,
    m: usize,
    shapes: &Shapes,
    scorer: &impl BeadCost,
    beam: f64,
    guide: Guide,
) -> Option<Vec<PathBead>> {
    let max_rows = shapes.shapes.iter().map(|&(a, _)| a).max().unwrap_or(1);
    let max_columns = shapes.shapes.iter().map(|&(_, b)| b).max().unwrap_or(1);
    let mut rows =
        Rows { lo: Vec::with_capacity(n + 1), offset: vec![0], best: Vec::new(), back: Vec::new() };
    for i in 0..=n {
        // The columns reachable from the surviving cells of the last rows.
        let mut window = if i == 0 { (0, 0) } else { (usize::MAX, 0) };
        for r in i.saturating_sub(max_rows)..i {
            let cells = &rows.best[rows.offset[r]..rows.offset[r + 1]];
            if let (Some(first), Some(last)) =
                (cells.iter().position(|c| c.is_finite()), cells.iter().rposition(|c| c.is_finite()))
            {
                window = (window.0.min(rows.lo[r] + first), window.1.max(rows.lo[r] + last));
            }
        }
        if window.0 == usize::MAX {
            return None;
        }
        let lo = window.0;
        let row_start = rows.best.len();
        let mut row_best = f64::INFINITY;
        rows.lo.push(lo);
        for j in lo..=m {
            // Beyond the window only 0-1 beads lead on, each dearer than the
            // last: stop once they fall out of the beam (the last row goes on
            // to the end cell).
            if j > window.1 + max_columns && i < n {
                let previous = rows.best.last().copied().unwrap_or(f64::INFINITY) + guide.penalty(i, j - 1);
                if previous > row_best + beam || j - window.1 > MAX_ROW_HALF_WIDTH {
                    break;
                }
            }
            let (mut best_cost, mut best_shape) =
                (if i == 0 && j == 0 { 0.0 } else { f64::INFINITY }, u8::MAX);
            for (s, &(a, b)) in shapes.shapes.iter().enumerate() {
                if a > i || b > j {
                    continue;
                }
                let from = if a == 0 {
                    // Same row, not finished yet.
                    (j - b >= lo).then(|| row_start + j - b - lo)
                } else {
                    rows.index(i - a, j - b)
                };
                let Some(start) = from.map(|k| rows.best[k]).filter(|c| c.is_finite()) else { continue };
                let budget = best_cost - start - shapes.priors[s];
                let total = start + shapes.priors[s] + scorer.cost(i - a, j - b, a, b, budget);
                if total < best_cost {
                    best_cost = total;
                    best_shape = s as u8;
                }
            }
            row_best = row_best.min(best_cost + guide.penalty(i, j));
            rows.best.push(best_cost);
            rows.back.push(best_shape);
        }
        rows.offset.push(rows.best.len());
        // Beam: cells far behind the best of their row are dropped, so that
        // the next rows do not compute their successors (the end cell stays).
        if i == n && guide == Guide::KeepLastRow {
            continue;
        }
        for (k, cell) in rows.best[row_start..].iter_mut().enumerate() {
            if *cell + guide.penalty(i, lo + k) > row_best + beam && !(i == n && lo + k == m) {
                *cell = f64::INFINITY;
            }
        }
    }
    let mut path = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let cell = rows.index(i, j)?;
        if !rows.best[cell].is_finite() {
            return None;
        }
        let &(a, b) = shapes.shapes.get(rows.back[cell] as usize)?;
        i -= a;
        j -= b;
        path.push(PathBead { i, j, a, b, posterior: 0.0 });
    }
    path.reverse();
    Some(path)
}

/// The log-weights of the edges into the cells of `rows` of the band
/// (`edge`: those rows' part of the edge array, `shapes` entries a cell).
fn edge_weights(
    band: &Band,
    rows: std::ops::Range<usize>,
    shapes: &Shapes,
    scorer: &impl BeadCost,
    edge: &mut [f64],
) {
    let count = shapes.shapes.len();
    let Some(&first_cell) = band.offset.get(rows.start) else { return };
    for i in rows {
        for j in band.lo[i]..=band.hi[i] {
            if i == 0 && j == 0 {
                continue;
            }
            let here = band.offset[i] + j - band.lo[i] - first_cell;
            for (s, &(a, b)) in shapes.shapes.iter().enumerate() {
                if a > i || b > j || band.index(i - a, j - b).is_none() {
                    continue;
                }
                let cost = shapes.priors[s] + scorer.cost(i - a, j - b, a, b, f64::INFINITY);
                edge[here * count + s] = -cost / TEMPERATURE;
            }
        }
    }
}

/// ln Σ exp(values), stable.
fn log_sum_exp(values: &[f64]) -> f64 {
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if max == f64::NEG_INFINITY {
        return max;
    }
    max + values.iter().map(|v| (v - max).exp()).sum::<f64>().ln()
}

fn posteriors(
    band: &Band,
    n: usize,
    m: usize,
    shapes: &Shapes,
    scorer: &impl BeadCost,
    mut path: Vec<PathBead>,
) -> Vec<PathBead> {
    let count = shapes.shapes.len();
    // Log-weight of the edge of shape `s` into each cell, computed before
    // the forward pass (the rows in two halves, on two threads) and reused
    // by the backward pass and the posteriors; −∞ where the edge is absent
    // or starts at an unreachable cell. The forward pass adds the weights
    // as computed, the backward pass and the posteriors as `f32` (as when
    // they were stored as `f32`).
    let mut edge = vec![f64::NEG_INFINITY; band.cells() * count];
    let middle = n.div_ceil(2);
    let (front, back) = edge.split_at_mut(band.offset[middle] * count);
    super::parallel::join(
        band.cells(),
        || edge_weights(band, 0..middle, shapes, scorer, front),
        || edge_weights(band, middle..n + 1, shapes, scorer, back),
    );
    // An edge from a cell that (0, 0) does not reach is no edge (its
    // forward weight would be −∞): with those gone, the forward and the
    // backward pass are independent, and run on two threads.
    let mut reachable = vec![false; band.cells()];
    if let Some(origin) = band.index(0, 0) {
        reachable[origin] = true;
    }
    for i in 0..=n {
        for j in band.lo[i]..=band.hi[i] {
            let here = band.offset[i] + j - band.lo[i];
            for (s, &(a, b)) in shapes.shapes.iter().enumerate() {
                let weight = &mut edge[here * count + s];
                // A finite weight means the start is in the band.
                if *weight == f64::NEG_INFINITY {
                    continue;
                }
                match band.index(i - a, j - b) {
                    Some(from) if reachable[from] => reachable[here] = true,
                    _ => *weight = f64::NEG_INFINITY,
                }
            }
        }
    }
    let (alpha, beta) = super::parallel::join(
        band.cells(),
        || forward(band, n, shapes, &edge),
        || backward(band, n, m, shapes, &edge),
    );

    let total = band.index(n, m).map_or(f64::NEG_INFINITY, |end| alpha[end]);
    for bead in &mut path {
        let s = shapes.shapes.iter().position(|&shape| shape == (bead.a, bead.b));
        let (Some(s), Some(from), Some(to)) =
            (s, band.index(bead.i, bead.j), band.index(bead.i + bead.a, bead.j + bead.b))
        else {
            continue;
        };
        let log_p = alpha[from] + f64::from(edge[to * count + s] as f32) + beta[to] - total;
        bead.posterior = if log_p.is_finite() { log_p.exp().clamp(0.0, 1.0) } else { 0.0 };
    }
    path
}

/// Log-probability of reaching each cell of the band from (0, 0) (`edge`:
/// the edge weights of [`posteriors`], without edges from unreachable cells).
fn forward(band: &Band, n: usize, shapes: &Shapes, edge: &[f64]) -> Vec<f64> {
    let count = shapes.shapes.len();
    let mut terms = Vec::with_capacity(count);
    let mut alpha = vec![f64::NEG_INFINITY; band.cells()];
    if let Some(origin) = band.index(0, 0) {
        alpha[origin] = 0.0;
    }
    for i in 0..=n {
        for j in band.lo[i]..=band.hi[i] {
            if i == 0 && j == 0 {
                continue;
            }
            let here = band.offset[i] + j - band.lo[i];
            terms.clear();
            for (s, &(a, b)) in shapes.shapes.iter().enumerate() {
                let weight = edge[here * count + s];
                if weight == f64::NEG_INFINITY {
                    continue;
                }
                let Some(from) = band.index(i - a, j - b) else { continue };
                terms.push(alpha[from] + weight);
            }
            alpha[here] = log_sum_exp(&terms);
        }
    }
    alpha
}

/// Log-probability of reaching (n, m) from each cell of the band. The edge
/// weights are read as `f32`, as they were stored before (so that the
/// posteriors stay exactly what they were).
fn backward(band: &Band, n: usize, m: usize, shapes: &Shapes, edge: &[f64]) -> Vec<f64> {
    let count = shapes.shapes.len();
    let mut terms = Vec::with_capacity(count);
    let mut beta = vec![f64::NEG_INFINITY; band.cells()];
    if let Some(end) = band.index(n, m) {
        beta[end] = 0.0;
    }
    for i in (0..=n).rev() {
        for j in (band.lo[i]..=band.hi[i]).rev() {
            if i == n && j == m {
                continue;
            }
            terms.clear();
            for (s, &(a, b)) in shapes.shapes.iter().enumerate() {
                let Some(to) = band.index(i + a, j + b) else { continue };
                let weight = edge[to * count + s] as f32;
                if beta[to] == f64::NEG_INFINITY || weight == f32::NEG_INFINITY {
                    continue;
                }
                terms.push(beta[to] + f64::from(weight));
            }
            beta[band.offset[i] + j - band.lo[i]] = log_sum_exp(&terms);
        }
    }
    beta
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lengths only: a 1-1 bead costs the squared length difference.
    struct Lengths<'a> {
        source: &'a [u32],
        target: &'a [u32],
    }

    impl BeadCost for Lengths<'_> {
        fn cost(&self, i: usize, j: usize, a: usize, b: usize, _budget: f64) -> f64 {
            if a == 0 || b == 0 {
                return 4.0;
            }
            let ls: u32 = self.source[i..i + a].iter().sum();
            let lt: u32 = self.target[j..j + b].iter().sum();
            let d = (f64::from(lt) - f64::from(ls)) / f64::from(ls + lt).sqrt();
            (d * d).min(40.0)
        }
    }

    fn shapes_of(path: &[PathBead]) -> Vec<(usize, usize)> {
        path.iter().map(|bead| (bead.a, bead.b)).collect()
    }

    #[test]
    fn finds_merges_and_omissions() {
        let source = [50, 200, 30, 80];
        let target = [50, 100, 100, 30, 140, 80];
        let path = best_path(4, 6, &Shapes::sentences(5), &Lengths { source: &source, target: &target }).path;
        assert_eq!(shapes_of(&path), vec![(1, 1), (1, 2), (1, 1), (0, 1), (1, 1)]);
        for bead in &path {
            assert!((0.0..=1.0).contains(&bead.posterior));
        }
        assert!(path[0].posterior > 0.9, "{path:?}");
    }

    #[test]
    fn posterior_band_is_connected_for_any_aspect_ratio() {
        for (n, m) in [(1, 500), (500, 1), (7, 300), (300, 7)] {
            let longer = n.max(m);
            let path: Vec<(usize, usize)> = (0..=longer).map(|k| (k * n / longer, k * m / longer)).collect();
            let band = Band::around(&path, n, m, 2);
            assert_eq!(band.lo[0], 0);
            assert_eq!(band.hi[n], m);
            for i in 1..=n {
                assert!(band.lo[i] <= band.hi[i - 1], "rows {} and {i} disconnected for {n}x{m}", i - 1);
            }
        }
    }

    #[test]
    fn one_side_empty_is_all_null_beads() {
        let source = [10, 20];
        let path = best_path(2, 0, &Shapes::sentences(5), &Lengths { source: &source, target: &[] }).path;
        assert_eq!(shapes_of(&path), vec![(1, 0), (1, 0)]);
    }
}
