//! [`Queue`]: first in, first out, over a `VecDeque`.

use std::collections::VecDeque;

use super::{GenericQueue, Storage};

/// First-in, first-out storage (a `VecDeque`), the order of [`Queue`].
///
/// # Examples
///
/// ```
/// use wasio::queue::{Fifo, Storage};
/// let mut s = Fifo::default();
/// s.push('a');
/// s.push('b');
/// assert_eq!(s.pop(), Some('a'));
/// ```
#[derive(Debug)]
pub struct Fifo<T>(VecDeque<T>);

impl<T> Default for Fifo<T> {
    fn default() -> Self {
        Fifo(VecDeque::new())
    }
}

impl<T> Storage<T> for Fifo<T> {
    #[inline]
    fn push(&mut self, item: T) {
        self.0.push_back(item)
    }
    #[inline]
    fn pop(&mut self) -> Option<T> {
        self.0.pop_front()
    }
    #[inline]
    fn push_returned(&mut self, item: T) {
        self.0.push_front(item)
    }
    #[inline]
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// asyncio's `Queue`: items leave in the order they were put.
///
/// # Examples
///
/// ```
/// let q = wasio::queue::Queue::new(0);
/// q.put_nowait(1).unwrap();
/// q.put_nowait(2).unwrap();
/// assert_eq!(q.get_nowait(), Ok(1));
/// ```
pub type Queue<T> = GenericQueue<T, Fifo<T>>;
