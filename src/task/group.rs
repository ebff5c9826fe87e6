//! [`TaskGroup`]: structured concurrency (`asyncio.TaskGroup`).
//!
//! # Data structure
//!
//! The group and each child share one `Rc<Inner>`: the count of children still alive, the handles
//! used to cancel them, the failures seen so far, and the waker of whoever awaits
//! [`TaskGroup::join`]. Each child is wrapped in a [`Child`] future that records a failure (an `Err`
//! output or a panic) in the group and, when it is dropped for any reason (finished, failed,
//! cancelled), decrements the live count and wakes the joiner. The first failure cancels every
//! other child. Dropping the group before `join` returns cancels every child still alive.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::{poll_fn, Future};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::{spawn, Task, TaskRef};

/// Why a child of a [`TaskGroup`] failed.
pub enum ChildFailure<E> {
    /// The child returned `Err`.
    Error(E),
    /// The child panicked.
    Panic(Box<dyn Any + Send>),
}

impl<E: fmt::Debug> fmt::Debug for ChildFailure<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChildFailure::Error(e) => f.debug_tuple("Error").field(e).finish(),
            ChildFailure::Panic(_) => f.write_str("Panic(..)"),
        }
    }
}

impl<E> ChildFailure<E> {
    /// The error, if the child returned one.
    pub fn error(&self) -> Option<&E> {
        match self {
            ChildFailure::Error(e) => Some(e),
            ChildFailure::Panic(_) => None,
        }
    }
}

/// Every failure a [`TaskGroup`] saw, in the order they happened (asyncio's `ExceptionGroup`).
#[derive(Debug)]
pub struct GroupError<E> {
    /// The failures, first one first.
    pub failures: Vec<ChildFailure<E>>,
}

impl<E: fmt::Debug> fmt::Display for GroupError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} task(s) of the group failed: {:?}",
            self.failures.len(),
            self.failures
        )
    }
}

impl<E: fmt::Debug> std::error::Error for GroupError<E> {}

struct Inner<E> {
    live: Cell<usize>,
    children: RefCell<Vec<TaskRef>>,
    failures: RefCell<Vec<ChildFailure<E>>>,
    joiner: Cell<Option<Waker>>,
}

impl<E> Inner<E> {
    fn fail(&self, f: ChildFailure<E>) {
        let first = self.failures.borrow().is_empty();
        self.failures.borrow_mut().push(f);
        if first {
            self.cancel_all();
        }
    }
    fn cancel_all(&self) {
        let children = std::mem::take(&mut *self.children.borrow_mut());
        for c in &children {
            c.cancel();
        }
    }
}

/// A group of tasks that ends together: the first failure cancels the siblings, and
/// [`join`](TaskGroup::join) returns only once every child has ended, with every failure it saw.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use wasio::{sleep, TaskGroup};
/// wasio::testing::run(async {
///     let group = TaskGroup::new();
///     let slow = group.spawn(async { sleep(Duration::from_secs(60)).await; Ok(1) });
///     group.spawn(async { sleep(Duration::from_secs(1)).await; Err::<u32, _>("bad input") });
///     let err = group.join().await.unwrap_err();
///     assert_eq!(err.failures[0].error(), Some(&"bad input"));
///     assert!(slow.await.unwrap_err().is_cancelled()); // the sibling was cancelled
///     assert_eq!(wasio::Instant::now().since_origin(), Duration::from_secs(1));
/// });
/// ```
pub struct TaskGroup<E> {
    inner: Rc<Inner<E>>,
    joined: bool,
}

impl<E: 'static> Default for TaskGroup<E> {
    fn default() -> Self {
        TaskGroup::new()
    }
}

impl<E> fmt::Debug for TaskGroup<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskGroup")
            .field("live", &self.inner.live.get())
            .finish()
    }
}

impl<E: 'static> TaskGroup<E> {
    /// An empty group.
    pub fn new() -> Self {
        TaskGroup {
            inner: Rc::new(Inner {
                live: Cell::new(0),
                children: RefCell::new(Vec::new()),
                failures: RefCell::new(Vec::new()),
                joiner: Cell::new(None),
            }),
            joined: false,
        }
    }

    /// Spawns a child. Its handle gives `Some(value)` on success and `None` if the child failed (its
    /// failure goes to the group); awaiting a child cancelled by a sibling's failure gives a
    /// cancellation error. If the group already failed, the child is cancelled at once.
    pub fn spawn<T, F>(&self, future: F) -> Task<Option<T>>
    where
        F: Future<Output = Result<T, E>> + 'static,
        T: 'static,
    {
        self.inner.live.set(self.inner.live.get() + 1);
        let task = spawn(Child {
            future: Box::pin(future),
            group: self.inner.clone(),
        });
        if self.inner.failures.borrow().is_empty() {
            let mut children = self.inner.children.borrow_mut();
            if children.len() >= 64 && children.len().is_power_of_two() {
                children.retain(|c| !c.is_done());
            }
            children.push(task.as_ref());
        } else {
            task.cancel();
        }
        task
    }

    /// How many children are still alive.
    pub fn live(&self) -> usize {
        self.inner.live.get()
    }

    /// Cancels every child still alive.
    pub fn cancel_all(&self) {
        self.inner.cancel_all();
    }

    /// Waits until every child has ended (children spawned meanwhile included), then returns the
    /// failures, if any.
    ///
    /// # Cancel safety
    ///
    /// Dropping the join cancels every child still alive (structured concurrency).
    pub async fn join(mut self) -> Result<(), GroupError<E>> {
        let inner = self.inner.clone();
        poll_fn(|cx| {
            if inner.live.get() == 0 {
                Poll::Ready(())
            } else {
                inner.joiner.set(Some(cx.waker().clone()));
                Poll::Pending
            }
        })
        .await;
        self.joined = true;
        let failures = std::mem::take(&mut *inner.failures.borrow_mut());
        if failures.is_empty() {
            Ok(())
        } else {
            Err(GroupError { failures })
        }
    }
}

impl<E> Drop for TaskGroup<E> {
    fn drop(&mut self) {
        if !self.joined {
            self.inner.cancel_all();
        }
    }
}

struct Child<F, E> {
    future: Pin<Box<F>>,
    group: Rc<Inner<E>>,
}

impl<T, E, F: Future<Output = Result<T, E>>> Future for Child<F, E> {
    type Output = Option<T>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let polled = catch_unwind(AssertUnwindSafe(|| self.future.as_mut().poll(cx)));
        match polled {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(Ok(v))) => Poll::Ready(Some(v)),
            Ok(Poll::Ready(Err(e))) => {
                self.group.fail(ChildFailure::Error(e));
                Poll::Ready(None)
            }
            Err(p) => {
                self.group.fail(ChildFailure::Panic(p));
                Poll::Ready(None)
            }
        }
    }
}

impl<F, E> Drop for Child<F, E> {
    fn drop(&mut self) {
        self.group.live.set(self.group.live.get() - 1);
        if self.group.live.get() == 0 {
            if let Some(w) = self.group.joiner.take() {
                w.wake();
            }
        }
    }
}
