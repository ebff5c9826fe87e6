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
///
/// # Examples
///
/// ```
/// use wasio::task::ChildFailure;
/// wasio::testing::run(async {
///     let group = wasio::TaskGroup::<&str>::new();
///     group.spawn(async { Err::<(), _>("refused") });
///     let err = group.join().await.unwrap_err();
///     assert!(matches!(err.failures[0], ChildFailure::Error("refused")));
///
///     let group = wasio::TaskGroup::<&str>::new();
///     group.spawn(async { panic!("boom") as Result<(), &str> });
///     let err = group.join().await.unwrap_err();
///     assert!(matches!(err.failures[0], ChildFailure::Panic(_)));
/// });
/// ```
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
    ///
    /// # Examples
    ///
    /// ```
    /// use wasio::task::ChildFailure;
    /// assert_eq!(ChildFailure::Error(7).error(), Some(&7));
    /// assert_eq!(ChildFailure::<u8>::Panic(Box::new("boom")).error(), None);
    /// ```
    pub fn error(&self) -> Option<&E> {
        match self {
            ChildFailure::Error(e) => Some(e),
            ChildFailure::Panic(_) => None,
        }
    }
}

/// Every failure a [`TaskGroup`] saw, in the order they happened (asyncio's `ExceptionGroup`).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// wasio::testing::run(async {
///     let group = wasio::TaskGroup::new();
///     group.spawn(async { Err::<(), _>(404) });
///     let err: wasio::task::GroupError<u16> = group.join().await.unwrap_err();
///     assert_eq!(err.failures.len(), 1);
///     assert_eq!(err.to_string(), "1 task(s) of the group failed: [Error(404)]");
/// });
/// ```
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
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::testing::run(async {
    ///     let group = wasio::TaskGroup::<()>::new();
    ///     assert_eq!(group.live(), 0);
    ///     assert!(group.join().await.is_ok()); // nothing to wait for
    /// });
    /// ```
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
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::testing::run(async {
    ///     let group = wasio::TaskGroup::<String>::new();
    ///     let ok = group.spawn(async { Ok(2) });
    ///     let bad = group.spawn(async { Err::<u8, _>("no".to_string()) });
    ///     assert_eq!(ok.await.unwrap(), Some(2));
    ///     assert_eq!(bad.await.unwrap(), None); // its error went to the group
    ///     assert_eq!(group.join().await.unwrap_err().failures.len(), 1);
    /// });
    /// ```
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
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// wasio::testing::run(async {
    ///     let group = wasio::TaskGroup::<()>::new();
    ///     group.spawn(async { wasio::sleep(Duration::from_secs(1)).await; Ok(()) });
    ///     group.spawn(async { wasio::sleep(Duration::from_secs(2)).await; Ok(()) });
    ///     assert_eq!(group.live(), 2);
    ///     wasio::sleep(Duration::from_millis(1500)).await;
    ///     assert_eq!(group.live(), 1);
    ///     group.join().await.unwrap();
    /// });
    /// ```
    pub fn live(&self) -> usize {
        self.inner.live.get()
    }

    /// Cancels every child still alive. Cancellation is not a failure: `join` still returns `Ok`
    /// if no child failed.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// wasio::testing::run(async {
    ///     let group = wasio::TaskGroup::<()>::new();
    ///     let child = group.spawn(async { wasio::sleep(Duration::from_secs(60)).await; Ok(()) });
    ///     wasio::yield_now().await;
    ///     group.cancel_all();
    ///     assert!(group.join().await.is_ok());
    ///     assert!(child.await.unwrap_err().is_cancelled());
    ///     assert_eq!(wasio::Instant::now().since_origin(), Duration::ZERO);
    /// });
    /// ```
    pub fn cancel_all(&self) {
        self.inner.cancel_all();
    }

    /// Waits until every child has ended (children spawned meanwhile included), then returns the
    /// failures, if any.
    ///
    /// # Cancel safety
    ///
    /// Dropping the join cancels every child still alive (structured concurrency).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::cell::Cell;
    /// use std::rc::Rc;
    /// use std::time::Duration;
    /// wasio::testing::run(async {
    ///     let done = Rc::new(Cell::new(0));
    ///     let group = wasio::TaskGroup::<()>::new();
    ///     for i in 1..=3 {
    ///         let done = done.clone();
    ///         group.spawn(async move {
    ///             wasio::sleep(Duration::from_secs(i)).await;
    ///             done.set(done.get() + 1);
    ///             Ok(())
    ///         });
    ///     }
    ///     group.join().await.unwrap();
    ///     assert_eq!(done.get(), 3);
    ///     assert_eq!(wasio::Instant::now().since_origin(), Duration::from_secs(3));
    /// });
    /// ```
    pub async fn join(mut self) -> Result<(), GroupError<E>> {
        let inner = self.inner.clone();
        poll_fn(|cx| {
            if inner.live.get() == 0 {
                Poll::Ready(())
            } else {
                inner.joiner.set(Some(cx.waker().clone()));
                crate::trace::wait::pending(crate::trace::WaitReason::Task)
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
