//! The dynamic programme over beads, banded so that time and memory grow
//! linearly with document length.
//!
//! Cell `(i, j)` means "the first `i` source and `j` target units are
//! aligned". A bead of shape `(a, b)` moves from `(i, j)` to `(i+a, j+b)`.
//! The best path is found by Viterbi inside a narrow band around a guide
//! path (where cumulative lengths agree); if the path leans on the band's
//! edge, the band is re-centred on that path and the search repeated, and
//! after a few tries the band is doubled (up to the full matrix). Bead confidences are posterior
//! probabilities from forward–backward in a narrow band around that path.

use super::cost::Shapes;

/// The cost of one bead, except its shape prior (which the lattice adds).
pub(crate) trait BeadCost {
    /// Cost of the bead covering source units `i..i+a` and target units
    /// `j..j+b`. When the cost is certainly at least `budget`, an
    /// implementation may stop early and return any value `>= budget`
    /// (Viterbi passes what the bead must beat; posteriors pass infinity).
    fn cost(&mut self, i: usize, j: usize, a: usize, b: usize, budget: f64) -> f64;
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

/// Matrices up to this many cells are searched in full.
const FULL_SEARCH_CELLS: usize = 40_000;
/// Half-width of the search band, in target units on each side of the
/// guide path.
const INITIAL_HALF_WIDTH: usize = 20;
/// A path this close to a band edge (that is not the matrix edge) may have
/// been pushed there by the band: search again around it.
const EDGE_MARGIN: usize = 3;
/// How often the band is re-centred on the last path before it is widened.
const MAX_RECENTRES: usize = 2;
/// The band is widened only while it has at most this many cells per unit
/// of the documents; beyond that the path found is kept. A path that keeps
/// moving by more than the band's width is in a stretch where nothing
/// (length or anchors) tells the candidates apart, and its beads get low
/// posteriors either way.
const WIDEN_BUDGET_PER_UNIT: usize = 160;
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

    fn full(n: usize, m: usize) -> Band {
        Band::from_bounds(vec![0; n + 1], vec![m; n + 1])
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

    /// Whether a path cell lies near an edge of the band that is not an edge
    /// of the matrix.
    fn touches_edge(&self, path: &[(usize, usize)], m: usize) -> bool {
        path.iter().any(|&(i, j)| {
            let (lo, hi) = (self.lo[i], self.hi[i]);
            (lo > 0 && j < lo + EDGE_MARGIN) || (hi < m && j + EDGE_MARGIN > hi)
        })
    }
}

/// The best path from `(0, 0)` to `(n, m)` with a posterior per bead.
///
/// `guide` is a monotone path of cells from `(0, 0)` to `(n, m)` where the
/// alignment is expected (e.g. where cumulative lengths agree); the search
/// starts in a narrow band around it.
pub(crate) fn best_path(
    n: usize,
    m: usize,
    shapes: &Shapes,
    scorer: &mut impl BeadCost,
    guide: &[(usize, usize)],
) -> Vec<PathBead> {
    search(n, m, shapes, scorer, guide, INITIAL_HALF_WIDTH, FULL_SEARCH_CELLS)
}

fn search(
    n: usize,
    m: usize,
    shapes: &Shapes,
    scorer: &mut impl BeadCost,
    guide: &[(usize, usize)],
    initial_half_width: usize,
    full_search_cells: usize,
) -> Vec<PathBead> {
    if n == 0 && m == 0 {
        return Vec::new();
    }
    let mut centre: Vec<(usize, usize)> = guide.to_vec();
    let mut half_width = initial_half_width.max(1);
    let mut recentres = 0;
    let path = loop {
        let full = (n + 1).saturating_mul(m + 1) <= full_search_cells || half_width >= n.max(m);
        let band = if full { Band::full(n, m) } else { Band::around(&centre, n, m, half_width) };
        let found = viterbi(&band, n, m, shapes, scorer);
        match found {
            Some(path) if full || !band.touches_edge(&cells_of(&path), m) => break path,
            // The full matrix always has a path (0-1 and 1-0 beads exist).
            None if full => break fallback_path(n, m),
            Some(path) if recentres < MAX_RECENTRES => {
                // The path leans on the band: the band was off-centre there.
                centre = cells_of(&path);
                recentres += 1;
            }
            Some(path) if band.cells() > WIDEN_BUDGET_PER_UNIT * (n + m) / 2 => break path,
            _ => {
                half_width = half_width.saturating_mul(2);
                recentres = 0;
            }
        }
    };
    let cells = cells_of(&path);
    let band = Band::around(&cells, n, m, POSTERIOR_HALF_WIDTH);
    posteriors(&band, n, m, shapes, scorer, path)
}

/// A guide through the cells where cumulative weights agree: row `i` goes
/// to the first column whose share of the target total reaches row `i`'s
/// share of the source total. With lengths as weights this follows merges
/// and splits (a 1-5 bead keeps lengths in step); uniform weights give the
/// straight diagonal. `source_prefix` has `n + 1` entries from 0.
pub(crate) fn proportional_guide(source_prefix: &[u64], target_prefix: &[u64]) -> Vec<(usize, usize)> {
    let n = source_prefix.len().saturating_sub(1);
    let m = target_prefix.len().saturating_sub(1);
    let (source_total, target_total) = (u128::from(source_prefix[n]), u128::from(target_prefix[m]));
    let mut guide = Vec::with_capacity(n + 1);
    let mut j = 0;
    for i in 0..=n {
        if source_total == 0 || target_total == 0 {
            guide.push((i, if n == 0 { m } else { i * m / n }));
            continue;
        }
        let wanted = u128::from(source_prefix[i]) * target_total;
        while j < m && u128::from(target_prefix[j]) * source_total < wanted {
            j += 1;
        }
        guide.push((i, j));
    }
    if let Some(last) = guide.last_mut() {
        *last = (n, m);
    }
    guide
}

/// Path cells: the start and end of every bead.
fn cells_of(path: &[PathBead]) -> Vec<(usize, usize)> {
    let mut cells = vec![(0, 0)];
    cells.extend(path.iter().map(|bead| (bead.i + bead.a, bead.j + bead.b)));
    cells
}

/// Only reachable if a shape set lacks 1-0/0-1: everything as null beads.
fn fallback_path(n: usize, m: usize) -> Vec<PathBead> {
    let sources = (0..n).map(|i| PathBead { i, j: 0, a: 1, b: 0, posterior: 0.0 });
    let targets = (0..m).map(|j| PathBead { i: n, j, a: 0, b: 1, posterior: 0.0 });
    sources.chain(targets).collect()
}

fn viterbi(
    band: &Band,
    n: usize,
    m: usize,
    shapes: &Shapes,
    scorer: &mut impl BeadCost,
) -> Option<Vec<PathBead>> {
    let mut best = vec![f64::INFINITY; band.cells()];
    let mut back = vec![u8::MAX; band.cells()];
    best[band.index(0, 0)?] = 0.0;
    for i in 0..=n {
        for j in band.lo[i]..=band.hi[i] {
            if i == 0 && j == 0 {
                continue;
            }
            let here = band.offset[i] + j - band.lo[i];
            let (mut best_cost, mut best_shape) = (f64::INFINITY, u8::MAX);
            for (s, &(a, b)) in shapes.shapes.iter().enumerate() {
                if a > i || b > j {
                    continue;
                }
                let Some(from) = band.index(i - a, j - b) else { continue };
                let start = best[from];
                if !start.is_finite() {
                    continue;
                }
                let budget = best_cost - start - shapes.priors[s];
                let total = start + shapes.priors[s] + scorer.cost(i - a, j - b, a, b, budget);
                if total < best_cost {
                    best_cost = total;
                    best_shape = s as u8;
                }
            }
            best[here] = best_cost;
            back[here] = best_shape;
        }
    }
    let mut path = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let shape = back[band.index(i, j)?];
        let &(a, b) = shapes.shapes.get(shape as usize)?;
        i -= a;
        j -= b;
        path.push(PathBead { i, j, a, b, posterior: 0.0 });
    }
    path.reverse();
    Some(path)
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
    scorer: &mut impl BeadCost,
    mut path: Vec<PathBead>,
) -> Vec<PathBead> {
    let count = shapes.shapes.len();
    // Log-weight of the edge of shape `s` into each cell, computed in the
    // forward pass and reused by the backward pass and the posteriors;
    // −∞ where the edge is absent or starts at an unreachable cell.
    let mut edge = vec![f32::NEG_INFINITY; band.cells() * count];
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
                if a > i || b > j {
                    continue;
                }
                let Some(from) = band.index(i - a, j - b) else { continue };
                if alpha[from] == f64::NEG_INFINITY {
                    continue;
                }
                let cost = shapes.priors[s] + scorer.cost(i - a, j - b, a, b, f64::INFINITY);
                let weight = -cost / TEMPERATURE;
                edge[here * count + s] = weight as f32;
                terms.push(alpha[from] + weight);
            }
            alpha[here] = log_sum_exp(&terms);
        }
    }

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
                let weight = edge[to * count + s];
                if beta[to] == f64::NEG_INFINITY || weight == f32::NEG_INFINITY {
                    continue;
                }
                terms.push(beta[to] + f64::from(weight));
            }
            beta[band.offset[i] + j - band.lo[i]] = log_sum_exp(&terms);
        }
    }

    let total = band.index(n, m).map_or(f64::NEG_INFINITY, |end| alpha[end]);
    for bead in &mut path {
        let s = shapes.shapes.iter().position(|&shape| shape == (bead.a, bead.b));
        let (Some(s), Some(from), Some(to)) =
            (s, band.index(bead.i, bead.j), band.index(bead.i + bead.a, bead.j + bead.b))
        else {
            continue;
        };
        let log_p = alpha[from] + f64::from(edge[to * count + s]) + beta[to] - total;
        bead.posterior = if log_p.is_finite() { log_p.exp().clamp(0.0, 1.0) } else { 0.0 };
    }
    path
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
        fn cost(&mut self, i: usize, j: usize, a: usize, b: usize, _budget: f64) -> f64 {
            if a == 0 || b == 0 {
                return 6.0;
            }
            let ls: u32 = self.source[i..i + a].iter().sum();
            let lt: u32 = self.target[j..j + b].iter().sum();
            let d = (f64::from(lt) - f64::from(ls)) / f64::from(ls + lt).sqrt();
            (d * d).min(12.0)
        }
    }

    fn diagonal(n: usize, m: usize) -> Vec<(usize, usize)> {
        let prefix = |count: usize| (0..=count as u64).collect::<Vec<_>>();
        proportional_guide(&prefix(n), &prefix(m))
    }

    #[test]
    fn length_guide_follows_cumulative_lengths() {
        // One long source sentence translated by three short ones.
        let guide = proportional_guide(&[0, 10, 40, 50], &[0, 10, 20, 30, 40, 50]);
        assert_eq!(guide, vec![(0, 0), (1, 1), (2, 4), (3, 5)]);
        assert_eq!(proportional_guide(&[0], &[0, 5]), vec![(0, 1)]);
    }

    fn shapes_of(path: &[PathBead]) -> Vec<(usize, usize)> {
        path.iter().map(|bead| (bead.a, bead.b)).collect()
    }

    #[test]
    fn finds_merges_and_omissions() {
        let source = [50, 200, 30, 80];
        let target = [50, 100, 100, 30, 140, 80];
        let path = best_path(
            4,
            6,
            &Shapes::sentences(5),
            &mut Lengths { source: &source, target: &target },
            &diagonal(4, 6),
        );
        assert_eq!(shapes_of(&path), vec![(1, 1), (1, 2), (1, 1), (0, 1), (1, 1)]);
        for bead in &path {
            assert!((0.0..=1.0).contains(&bead.posterior));
        }
        assert!(path[0].posterior > 0.9, "{path:?}");
    }

    #[test]
    fn banded_search_agrees_with_the_full_search_on_long_inputs() {
        // 600 units, the first 40 target units missing: the path starts far
        // from the diagonal, so a narrow band must widen until it finds the
        // same path as the full search.
        let source: Vec<u32> = (0..600).map(|k| 20 + (k * 37 % 150) as u32).collect();
        let target: Vec<u32> = source[40..].to_vec();
        let shapes = Shapes::sentences(5);
        let mut scorer = Lengths { source: &source, target: &target };
        let guide = diagonal(source.len(), target.len());
        let full = search(source.len(), target.len(), &shapes, &mut scorer, &guide, usize::MAX, usize::MAX);
        let banded = search(source.len(), target.len(), &shapes, &mut scorer, &guide, 2, 0);
        let shapes_only = |path: &[PathBead]| path.iter().map(|b| (b.i, b.j, b.a, b.b)).collect::<Vec<_>>();
        assert_eq!(shapes_only(&banded), shapes_only(&full));
        assert!(full.iter().skip(60).all(|bead| (bead.a, bead.b) == (1, 1)));
    }

    #[test]
    fn band_is_connected_for_any_aspect_ratio() {
        for (n, m) in [(1, 500), (500, 1), (7, 300), (300, 7)] {
            let band = Band::around(&diagonal(n, m), n, m, 2);
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
        let path = best_path(
            2,
            0,
            &Shapes::sentences(5),
            &mut Lengths { source: &source, target: &[] },
            &diagonal(2, 0),
        );
        assert_eq!(shapes_of(&path), vec![(1, 0), (1, 0)]);
    }
}
