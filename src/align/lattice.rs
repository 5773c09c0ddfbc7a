//! The dynamic programme over beads, banded so that time and memory grow
//! linearly with document length.
//!
//! Cell `(i, j)` means "the first `i` source and `j` target units are
//! aligned". A bead of shape `(a, b)` moves from `(i, j)` to `(i+a, j+b)`.
//! The best path is found by Viterbi inside a band around the diagonal; if
//! the path comes near the band's edge the band is doubled and the search
//! repeated (up to the full matrix). Bead confidences are posterior
//! probabilities from forward–backward in a narrow band around that path.

use super::cost::Shapes;

/// The cost of one bead, except its shape prior (which the lattice adds).
pub(crate) trait BeadCost {
    /// Cost of the bead covering source units `i..i+a` and target units
    /// `j..j+b`.
    fn cost(&mut self, i: usize, j: usize, a: usize, b: usize) -> f64;
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
/// Initial half-width of the band, in units of the longer side.
const INITIAL_HALF_WIDTH: usize = 24;
/// A path this close to a band edge (that is not the matrix edge) may have
/// been pushed there by the band: widen and search again.
const EDGE_MARGIN: usize = 3;
/// Half-width of the forward–backward band around the best path.
const POSTERIOR_HALF_WIDTH: usize = 8;
/// Posterior temperature: > 1 flattens overconfident posteriors.
fn temperature() -> f64 {
    super::cost::tune("TEMP", 1.0)
}

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

    /// Cells with |j·n − i·m| ≤ half_width·max(n, m): a band of constant
    /// width in normalized coordinates, connected for any aspect ratio.
    fn diagonal(n: usize, m: usize, half_width: usize) -> Band {
        if n == 0 || m == 0 {
            return Band::full(n, m);
        }
        let reach = (half_width * n.max(m)) as i128;
        let (n_, m_) = (n as i128, m as i128);
        let mut lo = Vec::with_capacity(n + 1);
        let mut hi = Vec::with_capacity(n + 1);
        for i in 0..=n as i128 {
            let low = (i * m_ - reach + n_ - 1).div_euclid(n_).clamp(0, m_);
            let high = (i * m_ + reach).div_euclid(n_).clamp(0, m_);
            lo.push(low as usize);
            hi.push(high as usize);
        }
        Band::from_bounds(lo, hi)
    }

    /// Every cell within `half_width` rows and columns of a path cell, made
    /// monotone so that the band stays connected.
    fn around(path: &[(usize, usize)], n: usize, m: usize, half_width: usize) -> Band {
        let mut lo = vec![usize::MAX; n + 1];
        let mut hi = vec![0usize; n + 1];
        for &(pi, pj) in path {
            for row in pi.saturating_sub(half_width)..=(pi + half_width).min(n) {
                lo[row] = lo[row].min(pj.saturating_sub(half_width));
                hi[row] = hi[row].max((pj + half_width).min(m));
            }
        }
        for i in (0..n).rev() {
            lo[i] = lo[i].min(lo[i + 1]);
        }
        for i in 1..=n {
            hi[i] = hi[i].max(hi[i - 1]);
        }
        lo[0] = 0;
        hi[n] = m;
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

    fn is_full(&self, m: usize) -> bool {
        self.lo.iter().all(|&l| l == 0) && self.hi.iter().all(|&h| h == m)
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
pub(crate) fn best_path(n: usize, m: usize, shapes: &Shapes, scorer: &mut impl BeadCost) -> Vec<PathBead> {
    search(n, m, shapes, scorer, INITIAL_HALF_WIDTH, FULL_SEARCH_CELLS)
}

fn search(
    n: usize,
    m: usize,
    shapes: &Shapes,
    scorer: &mut impl BeadCost,
    initial_half_width: usize,
    full_search_cells: usize,
) -> Vec<PathBead> {
    if n == 0 && m == 0 {
        return Vec::new();
    }
    let longer = n.max(m);
    let mut half_width = initial_half_width.max(1);
    let path = loop {
        let band = if (n + 1).saturating_mul(m + 1) <= full_search_cells || half_width >= longer {
            Band::full(n, m)
        } else {
            Band::diagonal(n, m, half_width)
        };
        match viterbi(&band, n, m, shapes, scorer) {
            Some(path) if band.is_full(m) || !band.touches_edge(&cells_of(&path), m) => break path,
            Some(_) | None if !band.is_full(m) => half_width = half_width.saturating_mul(2),
            // The full matrix always has a path (0-1 and 1-0 beads exist).
            _ => break fallback_path(n, m, shapes),
        }
    };
    let cells = cells_of(&path);
    let max_rows = shapes.shapes.iter().map(|&(a, b)| a.max(b)).max().unwrap_or(1);
    let band = Band::around(&cells, n, m, POSTERIOR_HALF_WIDTH.max(max_rows));
    posteriors(&band, n, m, shapes, scorer, path)
}

/// Path cells: the start and end of every bead.
fn cells_of(path: &[PathBead]) -> Vec<(usize, usize)> {
    let mut cells = vec![(0, 0)];
    cells.extend(path.iter().map(|bead| (bead.i + bead.a, bead.j + bead.b)));
    cells
}

/// Only reachable if a shape set lacks 1-0/0-1: everything as null beads.
fn fallback_path(n: usize, m: usize, _shapes: &Shapes) -> Vec<PathBead> {
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
                let total = start + shapes.priors[s] + scorer.cost(i - a, j - b, a, b);
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
    let weight = |s: usize, cost: f64| -(shapes.priors[s] + cost) / temperature();
    let mut terms = Vec::with_capacity(shapes.shapes.len());

    let mut alpha = vec![f64::NEG_INFINITY; band.cells()];
    if let Some(origin) = band.index(0, 0) {
        alpha[origin] = 0.0;
    }
    for i in 0..=n {
        for j in band.lo[i]..=band.hi[i] {
            if i == 0 && j == 0 {
                continue;
            }
            terms.clear();
            for (s, &(a, b)) in shapes.shapes.iter().enumerate() {
                if a > i || b > j {
                    continue;
                }
                let Some(from) = band.index(i - a, j - b) else { continue };
                if alpha[from] == f64::NEG_INFINITY {
                    continue;
                }
                terms.push(alpha[from] + weight(s, scorer.cost(i - a, j - b, a, b)));
            }
            alpha[band.offset[i] + j - band.lo[i]] = log_sum_exp(&terms);
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
                if beta[to] == f64::NEG_INFINITY {
                    continue;
                }
                terms.push(beta[to] + weight(s, scorer.cost(i, j, a, b)));
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
        let log_p = alpha[from] + weight(s, scorer.cost(bead.i, bead.j, bead.a, bead.b)) + beta[to] - total;
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
        fn cost(&mut self, i: usize, j: usize, a: usize, b: usize) -> f64 {
            if a == 0 || b == 0 {
                return 6.0;
            }
            let ls: u32 = self.source[i..i + a].iter().sum();
            let lt: u32 = self.target[j..j + b].iter().sum();
            let d = (f64::from(lt) - f64::from(ls)) / f64::from(ls + lt).sqrt();
            (d * d).min(12.0)
        }
    }

    fn shapes_of(path: &[PathBead]) -> Vec<(usize, usize)> {
        path.iter().map(|bead| (bead.a, bead.b)).collect()
    }

    #[test]
    fn finds_merges_and_omissions() {
        let source = [50, 200, 30, 80];
        let target = [50, 100, 100, 30, 140, 80];
        let path = best_path(4, 6, &Shapes::sentences(5), &mut Lengths { source: &source, target: &target });
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
        let full = search(source.len(), target.len(), &shapes, &mut scorer, usize::MAX, usize::MAX);
        let banded = search(source.len(), target.len(), &shapes, &mut scorer, 2, 0);
        let shapes_only = |path: &[PathBead]| path.iter().map(|b| (b.i, b.j, b.a, b.b)).collect::<Vec<_>>();
        assert_eq!(shapes_only(&banded), shapes_only(&full));
        assert!(full.iter().skip(60).all(|bead| (bead.a, bead.b) == (1, 1)));
    }

    #[test]
    fn band_is_connected_for_any_aspect_ratio() {
        for (n, m) in [(1, 500), (500, 1), (7, 300), (300, 7)] {
            let band = Band::diagonal(n, m, 2);
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
        let path = best_path(2, 0, &Shapes::sentences(5), &mut Lengths { source: &source, target: &[] });
        assert_eq!(shapes_of(&path), vec![(1, 0), (1, 0)]);
    }
}
