//! Two-way parallelism for the aligner's independent pieces of work (the
//! source side's anchors, the two sides of the lexicon, the edge weights
//! and the forward and backward passes of the posteriors, the regions of
//! the first pass, the stretches of the second, the evidence), on scoped
//! threads: a 10,000-sentence pair is mostly work that splits in two.
//!
//! Results are put together in input order, so the output is the same
//! whether the work ran on one core or two. Small jobs stay on the calling
//! thread: starting a thread costs tens of microseconds.

/// Below this much work (in sentences) a job is not worth a thread.
const MIN_PARALLEL_WORK: usize = 400;

/// `(first(), second())`, the second on another thread when `work` (an
/// estimate in sentences) is large enough.
pub(crate) fn join<A: Send, B: Send>(
    work: usize,
    first: impl FnOnce() -> A + Send,
    second: impl FnOnce() -> B + Send,
) -> (A, B) {
    if work < MIN_PARALLEL_WORK {
        return (first(), second());
    }
    std::thread::scope(|scope| {
        let handle = scope.spawn(second);
        let a = first();
        // A panic on the other thread is re-raised here, as if it had run
        // on this one.
        let b = handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (a, b)
    })
}

/// `items.iter().map(map)`, in order; the items are split in two halves of
/// about equal `weight` (sentences) that run on two threads.
pub(crate) fn map<T: Sync, R: Send>(
    items: &[T],
    weight: impl Fn(&T) -> usize,
    map: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let total: usize = items.iter().map(&weight).sum();
    if items.len() < 2 || total < MIN_PARALLEL_WORK {
        return items.iter().map(map).collect();
    }
    let mut so_far = 0;
    let split = items
        .iter()
        .position(|item| {
            so_far += weight(item);
            2 * so_far >= total
        })
        .map_or(items.len(), |k| k + 1);
    let (front, back) = items.split_at(split);
    let map = &map;
    let (mut front, back) = join(
        total,
        || front.iter().map(map).collect::<Vec<R>>(),
        || back.iter().map(map).collect::<Vec<R>>(),
    );
    front.extend(back);
    front
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
