//! [`Barrier`]: `parties` tasks wait for each other, then all go on together.
//!
//! # Data structure
//!
//! `parties`, a `broken` flag, and a [`WaitList`] of the tasks that have arrived, in arrival
//! order. The number of tasks waiting is the list's length: a waiter dropped before the barrier
//! trips unlinks itself, so it no longer counts and its index goes to nobody.
//!
//! When the `parties`-th task arrives, every waiter is handed its index in arrival order
//! (`0..parties-1`), the arriving task gets `parties - 1`, and the list is empty again: the barrier
//! is immediately reusable for the next round, and the indices of one round are always distinct.
//! [`reset`](Barrier::reset) hands every waiter [`BrokenBarrier`] and leaves the barrier usable;
//! [`abort`](Barrier::abort) does the same and sets `broken`, so later waits fail at once until the
//! next `reset`. A waiter dropped after it was handed its result needs nothing passed on.

use crate::trace::wait::{pending, WaitReason};
use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::waiters::{wake_all, WaitList};

/// Why [`Barrier::wait`] failed: the barrier was reset or aborted (asyncio's `BrokenBarrierError`).
///
/// # Examples
///
/// ```
/// let b = wasio::sync::Barrier::new(2).unwrap();
/// b.abort();
/// assert_eq!(wasio::run(b.wait()), Err(wasio::sync::BrokenBarrier));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrokenBarrier;

crate::macros::unit_error!(BrokenBarrier, "the barrier was reset or aborted");

/// Why [`Barrier::new`] failed: a barrier needs at least one party (asyncio raises `ValueError`).
///
/// # Examples
///
/// ```
/// assert_eq!(wasio::sync::Barrier::new(0).unwrap_err(), wasio::sync::ZeroParties);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZeroParties;

crate::macros::unit_error!(ZeroParties, "a barrier needs at least one party");

struct State {
    parties: usize,
    broken: bool,
    waiters: WaitList<Result<usize, BrokenBarrier>>,
}

/// asyncio's `Barrier`: each of `parties` tasks calls [`wait`](Barrier::wait); all of them return
/// once the last one arrives, each with a distinct index in `0..parties`.
///
/// A cheap handle: clones share one barrier.
///
/// # Examples
///
/// ```
/// use wasio::sync::Barrier;
/// wasio::run(async {
///     let barrier = Barrier::new(3).unwrap();
///     let tasks: Vec<_> = (0..3)
///         .map(|_| {
///             let b = barrier.clone();
///             wasio::spawn(async move { b.wait().await.unwrap() })
///         })
///         .collect();
///     let mut indices = Vec::new();
///     for t in tasks {
///         indices.push(t.await.unwrap());
///     }
///     assert_eq!(indices, [0, 1, 2]);
/// });
/// ```
#[derive(Clone)]
pub struct Barrier {
    inner: Rc<RefCell<State>>,
}

impl fmt::Debug for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.inner.borrow();
        f.debug_struct("Barrier")
            .field("parties", &s.parties)
            .field("waiting", &s.waiters.len())
            .field("broken", &s.broken)
            .finish()
    }
}

impl Barrier {
    /// A barrier for `parties` tasks; 0 parties is an error.
    ///
    /// # Examples
    ///
    /// ```
    /// use wasio::sync::{Barrier, ZeroParties};
    /// assert_eq!(Barrier::new(0).unwrap_err(), ZeroParties);
    /// assert_eq!(Barrier::new(2).unwrap().parties(), 2);
    /// ```
    pub fn new(parties: usize) -> Result<Barrier, ZeroParties> {
        if parties == 0 {
            return Err(ZeroParties);
        }
        Ok(Barrier {
            inner: Rc::new(RefCell::new(State {
                parties,
                broken: false,
                waiters: WaitList::new(),
            })),
        })
    }

    /// Waits until `parties` tasks are waiting, then returns this task's index (`0` for the first
    /// to arrive, `parties - 1` for the last), or [`BrokenBarrier`] if the barrier is broken or is
    /// reset or aborted meanwhile.
    ///
    /// # Cancel safety
    ///
    /// A wait dropped before the barrier trips leaves it (it no longer counts as arrived). Dropped
    /// after it tripped, its index is simply unused; the other tasks are unaffected.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let b = wasio::sync::Barrier::new(1).unwrap();
    ///     assert_eq!(b.wait().await, Ok(0)); // one party: trips at once
    /// });
    /// ```
    pub fn wait(&self) -> BarrierWait<'_> {
        BarrierWait {
            inner: &self.inner,
            key: None,
            done: false,
        }
    }

    /// Breaks the barrier for the tasks waiting now (they get [`BrokenBarrier`]) and returns it to
    /// its initial, unbroken state.
    ///
    /// # Examples
    ///
    /// ```
    /// let b = wasio::sync::Barrier::new(2).unwrap();
    /// b.abort();
    /// assert!(b.broken());
    /// b.reset();
    /// assert!(!b.broken());
    /// ```
    pub fn reset(&self) {
        self.break_waiters(false);
    }

    /// Puts the barrier in the broken state: the tasks waiting now and every later wait get
    /// [`BrokenBarrier`], until [`reset`](Barrier::reset).
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let b = wasio::sync::Barrier::new(2).unwrap();
    ///     b.abort();
    ///     assert_eq!(b.wait().await, Err(wasio::sync::BrokenBarrier));
    /// });
    /// ```
    pub fn abort(&self) {
        self.break_waiters(true);
    }

    fn break_waiters(&self, broken: bool) {
        let mut wakers = Vec::new();
        {
            let mut s = self.inner.borrow_mut();
            s.broken = broken;
            s.waiters.notify_all(&mut wakers, || Err(BrokenBarrier));
        }
        wake_all(wakers);
    }

    /// The number of tasks needed to trip the barrier.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(wasio::sync::Barrier::new(4).unwrap().parties(), 4);
    /// ```
    pub fn parties(&self) -> usize {
        self.inner.borrow().parties
    }

    /// How many tasks are waiting now.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(wasio::sync::Barrier::new(4).unwrap().n_waiting(), 0);
    /// ```
    pub fn n_waiting(&self) -> usize {
        self.inner.borrow().waiters.len()
    }

    /// Whether the barrier is broken (after [`abort`](Barrier::abort), until a reset).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!wasio::sync::Barrier::new(1).unwrap().broken());
    /// ```
    pub fn broken(&self) -> bool {
        self.inner.borrow().broken
    }
}

/// The future of [`Barrier::wait`].
///
/// # Examples
///
/// ```
/// let b = wasio::sync::Barrier::new(1).unwrap();
/// let wait: wasio::sync::BarrierWait<'_> = b.wait();
/// assert_eq!(wasio::run(wait), Ok(0));
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct BarrierWait<'a> {
    inner: &'a RefCell<State>,
    key: Option<usize>,
    done: bool,
}

impl fmt::Debug for BarrierWait<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BarrierWait")
            .field("waiting", &self.key.is_some())
            .finish()
    }
}

impl Future for BarrierWait<'_> {
    type Output = Result<usize, BrokenBarrier>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        assert!(!this.done, "BarrierWait polled after completion");
        let mut s = this.inner.borrow_mut();
        match this.key {
            None => {
                if s.broken {
                    this.done = true;
                    return Poll::Ready(Err(BrokenBarrier));
                }
                if s.waiters.len() + 1 < s.parties {
                    this.key = Some(s.waiters.push(cx.waker()));
                    return pending(WaitReason::Barrier);
                }
                // The last party: release everyone, in arrival order.
                let mut wakers = Vec::new();
                let mut next = 0;
                s.waiters.notify_all(&mut wakers, || {
                    next += 1;
                    Ok(next - 1)
                });
                let mine = s.parties - 1;
                drop(s);
                wake_all(wakers);
                this.done = true;
                Poll::Ready(Ok(mine))
            }
            Some(k) => match s.waiters.poll(k, cx.waker()) {
                Some(r) => {
                    this.key = None;
                    this.done = true;
                    Poll::Ready(r)
                }
                None => pending(WaitReason::Barrier),
            },
        }
    }
}

impl Drop for BarrierWait<'_> {
    fn drop(&mut self) {
        if let Some(k) = self.key.take() {
            self.inner.borrow_mut().waiters.remove(k);
        }
    }
}
