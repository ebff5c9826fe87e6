//! [`Condition`]: wait for a notification with a [`Mutex`] released, then take it again.
//!
//! # Data structure
//!
//! A [`Mutex<T>`] and a [`WaitList`] of waiters. A wait goes through three states:
//!
//! 1. **Registered**: on its first poll it joins the wait list, then releases the guard's lock
//!    (in that order, so no notification can slip between the two).
//! 2. **Notified**: [`notify`](Condition::notify) hands the oldest `n` waiters a notification; a
//!    notified waiter then queues for the lock like any other locker (FIFO).
//! 3. **Relocked**: it returns the guard.
//!
//! A wait dropped after it was notified passes the notification on to the next waiter, whether it
//! had not yet taken the notification or was already queueing for the lock again, so `notify(1)`
//! is never swallowed by a cancelled task (asyncio notifies one more waiter whenever `wait` exits
//! by an exception; the extra wake-up may be spurious, which condition waiters must allow anyway).
//! A wait dropped while queueing for the lock also leaves the lock's line (and passes the lock on
//! if it had been handed it).
//!
//! These states and drops are `WaitCore`, one state machine over a handle of the lock (`&RawLock`
//! here, `Rc<RawLock>` for [`LockCondition`](super::LockCondition), whose wait joins the line and
//! releases its `Lock` when it is created rather than at its first poll).

use crate::trace::wait::{pending, WaitReason};
use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::mutex::{MutexGuard, MutexInner, MutexLock, RawLock};
use super::waiters::{wake_all, WaitList};
use super::Mutex;

pub(super) type Waiters = Rc<RefCell<WaitList<()>>>;

/// asyncio's `Condition`: tasks wait (with the lock released) until another task notifies them,
/// then hold the lock again.
///
/// It owns a [`Mutex<T>`] ([`Condition::lock`]); [`wait`](Condition::wait) takes that mutex's
/// guard, releases the lock while waiting, and gives the guard back once notified and relocked.
/// A cheap handle: clones share the mutex and the line of waiters.
///
/// # Examples
///
/// ```
/// use wasio::sync::Condition;
/// wasio::run(async {
///     let cond = Condition::new(Vec::<u32>::new());
///     let consumer = wasio::spawn({
///         let cond = cond.clone();
///         async move {
///             let items = cond.wait_for(cond.lock().await, |v| !v.is_empty()).await;
///             items[0]
///         }
///     });
///     wasio::yield_now().await;
///     cond.lock().await.push(7);
///     cond.notify_all();
///     assert_eq!(consumer.await.unwrap(), 7);
/// });
/// ```
pub struct Condition<T> {
    mutex: Mutex<T>,
    waiters: Waiters,
}

impl<T> Clone for Condition<T> {
    fn clone(&self) -> Self {
        Condition {
            mutex: self.mutex.clone(),
            waiters: self.waiters.clone(),
        }
    }
}

impl<T: Default> Default for Condition<T> {
    fn default() -> Self {
        Condition::new(T::default())
    }
}

impl<T> fmt::Debug for Condition<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Condition")
            .field("locked", &self.mutex.is_locked())
            .field("waiting", &self.waiting())
            .finish_non_exhaustive()
    }
}

impl<T> Condition<T> {
    /// A condition over a new mutex holding `value`.
    ///
    /// # Examples
    ///
    /// ```
    /// let cond = wasio::sync::Condition::new(0);
    /// assert!(!cond.mutex().is_locked());
    /// ```
    pub fn new(value: T) -> Condition<T> {
        Condition::with_mutex(Mutex::new(value))
    }

    /// A condition over an existing mutex (asyncio's `Condition(lock)`).
    ///
    /// # Examples
    ///
    /// ```
    /// let m = wasio::sync::Mutex::new(0);
    /// let cond = wasio::sync::Condition::with_mutex(m.clone());
    /// assert!(cond.mutex().ptr_eq(&m));
    /// ```
    pub fn with_mutex(mutex: Mutex<T>) -> Condition<T> {
        Condition {
            mutex,
            waiters: Rc::new(RefCell::new(WaitList::new())),
        }
    }

    /// The mutex this condition uses.
    ///
    /// # Examples
    ///
    /// ```
    /// let cond = wasio::sync::Condition::new(1);
    /// assert_eq!(*cond.mutex().try_lock().unwrap(), 1);
    /// ```
    pub fn mutex(&self) -> &Mutex<T> {
        &self.mutex
    }

    /// Locks the condition's mutex (the same as `self.mutex().lock()`).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, as [`Mutex::lock`].
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let cond = wasio::sync::Condition::new(5);
    ///     assert_eq!(*cond.lock().await, 5);
    /// });
    /// ```
    pub fn lock(&self) -> MutexLock<'_, T> {
        self.mutex.lock()
    }

    /// Releases `guard`'s lock, waits for a notification, then waits (FIFO) for the lock again and
    /// returns the guard. Wake-ups can be for other reasons than the one you wait for: check your
    /// condition in a loop, or use [`wait_for`](Condition::wait_for).
    ///
    /// The guard normally comes from this condition's mutex; a guard of another `Mutex<T>` works
    /// too (that mutex is the one released and retaken).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe in the sense that nothing is lost: dropped while waiting, the task leaves the
    /// line, passing on a notification it had been handed; dropped while retaking the lock, it
    /// leaves the lock's line and also passes its notification on to the next waiter (as asyncio
    /// does), so no wake-up is lost. The guard given to `wait` is not returned: the lock stays
    /// released.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let cond = wasio::sync::Condition::new(false);
    ///     let t = wasio::spawn({
    ///         let cond = cond.clone();
    ///         async move {
    ///             let mut g = cond.lock().await;
    ///             while !*g {
    ///                 g = cond.wait(g).await;
    ///             }
    ///         }
    ///     });
    ///     wasio::yield_now().await;
    ///     *cond.lock().await = true;
    ///     assert_eq!(cond.notify(1), 1);
    ///     t.await.unwrap();
    /// });
    /// ```
    pub fn wait<'a>(&self, guard: MutexGuard<'a, T>) -> ConditionWait<'a, T> {
        let mutex = guard.mutex;
        ConditionWait {
            guard: Some(guard),
            mutex,
            core: WaitCore::new(self.waiters.clone(), &mutex.raw),
        }
    }

    /// Waits until `predicate` holds of the guarded value, checking it first and again after each
    /// notification (with the lock held), and returns the guard.
    ///
    /// # Cancel safety
    ///
    /// As [`wait`](Condition::wait).
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let cond = wasio::sync::Condition::new(3);
    ///     let g = cond.wait_for(cond.lock().await, |n| *n == 3).await; // already true
    ///     assert_eq!(*g, 3);
    /// });
    /// ```
    pub async fn wait_for<'a, P>(
        &self,
        mut guard: MutexGuard<'a, T>,
        mut predicate: P,
    ) -> MutexGuard<'a, T>
    where
        P: FnMut(&mut T) -> bool,
    {
        while !predicate(&mut guard) {
            guard = self.wait(guard).await;
        }
        guard
    }

    /// Wakes up to `n` waiting tasks, oldest first, and returns how many it woke. (asyncio requires
    /// the lock to be held here; wasio does not, but holding it is how to avoid missed updates.)
    ///
    /// # Examples
    ///
    /// ```
    /// let cond = wasio::sync::Condition::new(());
    /// assert_eq!(cond.notify(2), 0); // nobody is waiting
    /// ```
    pub fn notify(&self, n: usize) -> usize {
        notify(&self.waiters, n)
    }

    /// Wakes every waiting task and returns how many it woke.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(wasio::sync::Condition::new(()).notify_all(), 0);
    /// ```
    pub fn notify_all(&self) -> usize {
        notify_all(&self.waiters)
    }

    /// How many tasks wait for a notification.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(wasio::sync::Condition::new(()).waiting(), 0);
    /// ```
    pub fn waiting(&self) -> usize {
        self.waiters.borrow().len()
    }
}

pub(super) fn notify(waiters: &Waiters, n: usize) -> usize {
    let mut woken = 0;
    while woken < n {
        let handed = waiters.borrow_mut().notify_one(());
        match handed {
            Ok(w) => {
                woken += 1;
                if let Some(w) = w {
                    w.wake();
                }
            }
            Err(()) => break,
        }
    }
    woken
}

pub(super) fn notify_all(waiters: &Waiters) -> usize {
    let mut wakers = Vec::new();
    let n = {
        let mut w = waiters.borrow_mut();
        let n = w.len();
        w.notify_all(&mut wakers, || ());
        n
    };
    wake_all(wakers);
    n
}

/// Where a condition wait stands (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    /// Not polled yet: the lock is still held by the caller.
    Start,
    /// In the condition's line under this key, with the lock released.
    Waiting(usize),
    /// Notified; queueing for the lock again (under this key of the lock's line, once there).
    Relock(Option<usize>),
    /// Returned.
    Done,
}

/// The state machine of a condition wait, shared by [`ConditionWait`] (over a `Mutex<T>`) and
/// [`LockConditionWait`](super::LockConditionWait) (over a `Lock`): both wrap it and add only how
/// the held lock comes in and goes out.
///
/// `L` reaches the lock: `&RawLock` for a mutex's (borrowed, as its guard is), `Rc<RawLock>` for
/// a [`Lock`](super::Lock)'s (owned, so the wait is `'static`).
pub(super) struct WaitCore<L: Deref<Target = RawLock>> {
    pub(super) waiters: Waiters,
    pub(super) raw: L,
    pub(super) phase: Phase,
}

impl<L: Deref<Target = RawLock>> WaitCore<L> {
    /// A wait not yet in line: its first poll joins the line and releases the lock.
    pub(super) fn new(waiters: Waiters, raw: L) -> Self {
        WaitCore {
            waiters,
            raw,
            phase: Phase::Start,
        }
    }

    /// A wait that joins the line now and releases the lock (which must be held on its behalf),
    /// before its first poll.
    pub(super) fn started(waiters: Waiters, raw: L) -> Self {
        let key = waiters.borrow_mut().push_unpolled();
        raw.unlock();
        WaitCore {
            waiters,
            raw,
            phase: Phase::Waiting(key),
        }
    }

    /// Polls the wait; `Ready` once notified and holding the lock again. The first poll must come
    /// with the lock held on the wait's behalf: it joins the line, then releases the lock (in that
    /// order, so no notification can slip between the two).
    pub(super) fn poll(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        loop {
            match &mut self.phase {
                Phase::Start => {
                    let key = self.waiters.borrow_mut().push(cx.waker());
                    self.raw.unlock();
                    self.phase = Phase::Waiting(key);
                    return pending(WaitReason::Condition);
                }
                Phase::Waiting(key) => {
                    if self.waiters.borrow_mut().poll(*key, cx.waker()).is_none() {
                        return pending(WaitReason::Condition);
                    }
                    self.phase = Phase::Relock(None);
                }
                Phase::Relock(key) => {
                    std::task::ready!(self.raw.poll_acquire(key, cx));
                    self.phase = Phase::Done;
                    return Poll::Ready(());
                }
                Phase::Done => panic!("a condition wait polled after completion"),
            }
        }
    }

    pub(super) fn state_name(&self) -> &'static str {
        match self.phase {
            Phase::Start => "start",
            Phase::Waiting(_) => "waiting",
            Phase::Relock(_) => "relocking",
            Phase::Done => "done",
        }
    }
}

impl<L: Deref<Target = RawLock>> Drop for WaitCore<L> {
    fn drop(&mut self) {
        match self.phase {
            Phase::Waiting(key) => {
                let handed = self.waiters.borrow_mut().remove(key);
                if handed.is_some() {
                    notify(&self.waiters, 1);
                }
            }
            // Notified, but dropped before it got the lock back: the wake-up it took is passed
            // on (asyncio notifies one more waiter whenever `wait` exits by an exception), then
            // it leaves the lock's line (passing the lock on if it had been handed it).
            Phase::Relock(key) => {
                notify(&self.waiters, 1);
                self.raw.cancel_acquire(key);
            }
            Phase::Start | Phase::Done => {}
        }
    }
}

/// The future of [`Condition::wait`].
///
/// # Examples
///
/// ```
/// use wasio::sync::{Condition, ConditionWait};
/// wasio::run(async {
///     let cond = Condition::new(0);
///     let waiter = wasio::spawn({
///         let cond = cond.clone();
///         async move {
///             let wait: ConditionWait<'_, i32> = cond.wait(cond.lock().await);
///             *wait.await
///         }
///     });
///     wasio::yield_now().await;
///     *cond.lock().await = 9;
///     cond.notify(1);
///     assert_eq!(waiter.await.unwrap(), 9);
/// });
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct ConditionWait<'a, T> {
    /// The guard given to `wait`, until the first poll (dropping it releases the lock).
    guard: Option<MutexGuard<'a, T>>,
    mutex: &'a MutexInner<T>,
    core: WaitCore<&'a RawLock>,
}

impl<T> fmt::Debug for ConditionWait<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConditionWait")
            .field("state", &self.core.state_name())
            .finish()
    }
}

impl<'a, T> Future for ConditionWait<'a, T> {
    type Output = MutexGuard<'a, T>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<MutexGuard<'a, T>> {
        let this = self.get_mut();
        if let Some(guard) = this.guard.take() {
            // The lock stays held, now on the core's behalf: its first poll releases it.
            guard.into_held();
        }
        std::task::ready!(this.core.poll(cx));
        Poll::Ready(MutexGuard::new(this.mutex))
    }
}
