//! [`PriorityQueue`]: smallest item first, over a `BinaryHeap`.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::{GenericQueue, Storage};

/// Smallest-first storage (a `BinaryHeap` of `Reverse<T>`), the order of [`PriorityQueue`].
///
/// # Examples
///
/// ```
/// use wasio::queue::{Priority, Storage};
/// let mut s = Priority::default();
/// s.push(3);
/// s.push(1);
/// assert_eq!(s.pop(), Some(1));
/// ```
#[derive(Debug)]
pub struct Priority<T: Ord>(BinaryHeap<Reverse<T>>);

impl<T: Ord> Default for Priority<T> {
    fn default() -> Self {
        Priority(BinaryHeap::new())
    }
}

impl<T: Ord> Storage<T> for Priority<T> {
    #[inline]
    fn push(&mut self, item: T) {
        self.0.push(Reverse(item))
    }
    #[inline]
    fn pop(&mut self) -> Option<T> {
        self.0.pop().map(|Reverse(t)| t)
    }
    #[inline]
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// asyncio's `PriorityQueue`: the smallest item leaves first (as with `heapq`). Put
/// `(priority, data)` tuples to order by priority, or wrap items in `std::cmp::Reverse` for
/// largest-first.
///
/// As in every wasio queue, an item put while a `get` waits goes straight to that getter (the
/// longest waiting), even if a smaller item arrives before the getter runs.
///
/// # Examples
///
/// ```
/// let q = wasio::queue::PriorityQueue::new(0);
/// q.put_nowait((2, "later")).unwrap();
/// q.put_nowait((1, "sooner")).unwrap();
/// assert_eq!(q.get_nowait(), Ok((1, "sooner")));
/// ```
pub type PriorityQueue<T> = GenericQueue<T, Priority<T>>;
