//! When the aligner's independent pieces of work (the source side's
//! anchors, the two sides of the lexicon, the edge weights and the forward
//! and backward passes of the posteriors, the regions of the first pass,
//! the stretches of the second, the evidence) run in parallel, on rayon's
//! thread pool: a 10,000-sentence pair is mostly work that splits.
//!
//! Results are put together in input order, so the output is the same
//! whether the work ran on one core or several. Small jobs stay on the
//! calling thread, where handing them over would cost more than it saves.

use rayon::prelude::*;

/// Below this much work (in sentences) a job is not worth another thread.
const MIN_PARALLEL_WORK: usize = 400;

/// `(first(), second())`, possibly on two threads when `work` (an estimate
/// in sentences) is large enough.
pub(crate) fn join<A: Send, B: Send>(
    work: usize,
    first: impl FnOnce() -> A + Send,
    second: impl FnOnce() -> B + Send,
) -> (A, B) {
    if work < MIN_PARALLEL_WORK {
        return (first(), second());
    }
    rayon::join(first, second)
}

/// `items.iter().map(map)`, in order, in parallel when the items' total
/// `weight` (sentences) is large enough.
pub(crate) fn map<T: Sync, R: Send>(
    items: &[T],
    weight: impl Fn(&T) -> usize,
    map: impl Fn(&T) -> R + Sync + Send,
) -> Vec<R> {
    let total: usize = items.iter().map(&weight).sum();
    if items.len() < 2 || total < MIN_PARALLEL_WORK {
        return items.iter().map(map).collect();
    }
    items.par_iter().map(map).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_keeps_the_input_order_whatever_the_split() {
        for len in [0, 1, 2, 3, 10, 1000] {
            let items: Vec<usize> = (0..len).collect();
            let squares = map(&items, |&k| k % 7 * 100, |&k| k * k);
            assert_eq!(squares, items.iter().map(|k| k * k).collect::<Vec<_>>());
        }
    }

    #[test]
    fn join_returns_both_results_in_order() {
        assert_eq!(join(0, || 1, || "two"), (1, "two"));
        assert_eq!(join(MIN_PARALLEL_WORK, || vec![1], || 2.5), (vec![1], 2.5));
    }
}
