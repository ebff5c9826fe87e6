//! [`LifoQueue`]: last in, first out, over a `Vec`.

use super::{GenericQueue, Storage};

/// Last-in, first-out storage (a `Vec` used as a stack), the order of [`LifoQueue`].
///
/// # Examples
///
/// ```
/// use wasio::queue::{Lifo, Storage};
/// let mut s = Lifo::default();
/// s.push('a');
/// s.push('b');
/// assert_eq!(s.pop(), Some('b'));
/// ```
#[derive(Debug)]
pub struct Lifo<T>(Vec<T>);

impl<T> Default for Lifo<T> {
    fn default() -> Self {
        Lifo(Vec::new())
    }
}

impl<T> Storage<T> for Lifo<T> {
    #[inline]
    fn push(&mut self, item: T) {
        self.0.push(item)
    }
    #[inline]
    fn pop(&mut self) -> Option<T> {
        self.0.pop()
    }
    #[inline]
    fn push_returned(&mut self, item: T) {
        self.0.insert(0, item)
    }
    #[inline]
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// asyncio's `LifoQueue`: the most recently put item leaves first.
///
/// # Examples
///
/// ```
/// let q = wasio::queue::LifoQueue::new(0);
/// q.put_nowait(1).unwrap();
/// q.put_nowait(2).unwrap();
/// assert_eq!(q.get_nowait(), Ok(2));
/// ```
pub type LifoQueue<T> = GenericQueue<T, Lifo<T>>;
