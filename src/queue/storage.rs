//! [`Storage`]: the order in which a queue's items leave it.

/// Where a queue keeps its items, and so the order they leave in: [`Fifo`](super::Fifo) (first in,
/// first out), [`Lifo`](super::Lifo) (last in, first out), [`Priority`](super::Priority) (smallest
/// first). The queue logic (waiting, hand-off, shutdown, `task_done`) is the same for all of them;
/// implement this trait for another order.
///
/// # Examples
///
/// ```
/// use wasio::queue::{Fifo, Storage};
/// let mut s = Fifo::default();
/// s.push(1);
/// s.push(2);
/// assert_eq!((s.len(), s.pop()), (2, Some(1)));
/// ```
pub trait Storage<T>: Default {
    /// Adds an item.
    fn push(&mut self, item: T);
    /// Removes the next item to leave, if any.
    fn pop(&mut self) -> Option<T>;
    /// Puts back an item that left before every stored item (it was handed to a getter that was
    /// cancelled before it ran), where it would have been: at the front of a FIFO, the bottom of a
    /// LIFO. The default pushes it normally, which is right for orders that do not depend on
    /// arrival (a priority heap).
    fn push_returned(&mut self, item: T) {
        self.push(item)
    }
    /// How many items are stored.
    fn len(&self) -> usize;
    /// Whether no item is stored.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
