//! The queue's typed errors.

use std::fmt;

/// A queue operation failed because the queue was shut down ([`shutdown`](super::GenericQueue::shutdown)).
/// For a put, it gives the item back.
///
/// # Examples
///
/// ```
/// wasio::run(async {
///     let q = wasio::queue::Queue::new(0);
///     q.shutdown(false);
///     assert_eq!(q.put("x").await, Err(wasio::queue::QueueShutDown("x")));
/// });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueShutDown<T = ()>(pub T);

impl<T> QueueShutDown<T> {
    /// The item that was not put.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(wasio::queue::QueueShutDown(5).into_inner(), 5);
    /// ```
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Display for QueueShutDown<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the queue is shut down")
    }
}

impl<T: fmt::Debug> std::error::Error for QueueShutDown<T> {}

/// Why [`put_nowait`](super::GenericQueue::put_nowait) failed; it gives the item back.
///
/// # Examples
///
/// ```
/// use wasio::queue::{Queue, TryPutError};
/// let q = Queue::new(1);
/// q.put_nowait(1).unwrap();
/// assert_eq!(q.put_nowait(2), Err(TryPutError::Full(2)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TryPutError<T> {
    /// The queue is full (asyncio's `QueueFull`): every slot holds an item or is promised to a
    /// woken putter.
    Full(T),
    /// The queue was shut down (asyncio's `QueueShutDown`).
    ShutDown(T),
}

impl<T> TryPutError<T> {
    /// The item that was not put.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(wasio::queue::TryPutError::Full(3).into_inner(), 3);
    /// ```
    pub fn into_inner(self) -> T {
        match self {
            TryPutError::Full(t) | TryPutError::ShutDown(t) => t,
        }
    }
}

impl<T> fmt::Display for TryPutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryPutError::Full(_) => f.write_str("the queue is full"),
            TryPutError::ShutDown(_) => f.write_str("the queue is shut down"),
        }
    }
}

impl<T: fmt::Debug> std::error::Error for TryPutError<T> {}

/// Why [`get_nowait`](super::GenericQueue::get_nowait) failed.
///
/// # Examples
///
/// ```
/// use wasio::queue::{Queue, TryGetError};
/// let q = Queue::<u8>::new(0);
/// assert_eq!(q.get_nowait(), Err(TryGetError::Empty));
/// q.shutdown(false);
/// assert_eq!(q.get_nowait(), Err(TryGetError::ShutDown));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TryGetError {
    /// No item is available (asyncio's `QueueEmpty`): the queue is empty, or its items are
    /// already handed to woken getters.
    Empty,
    /// The queue was shut down and has no item left (asyncio's `QueueShutDown`).
    ShutDown,
}

impl fmt::Display for TryGetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryGetError::Empty => f.write_str("the queue is empty"),
            TryGetError::ShutDown => f.write_str("the queue is shut down and empty"),
        }
    }
}

impl std::error::Error for TryGetError {}

/// [`task_done`](super::GenericQueue::task_done) was called more times than items were put
/// (asyncio raises `ValueError`). Nothing changed.
///
/// # Examples
///
/// ```
/// let q = wasio::queue::Queue::<u8>::new(0);
/// assert_eq!(q.task_done(), Err(wasio::queue::TaskDoneUnderflow));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskDoneUnderflow;

crate::macros::unit_error!(
    TaskDoneUnderflow,
    "task_done() called more times than items were put"
);
