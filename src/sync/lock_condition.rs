//! [`LockCondition`]: asyncio's `Condition(lock)`, over a [`Lock`] held without a guard.
//!
//! # Data structure
//!
//! A [`Lock`] and the same wait list of waiters as [`Condition`](super::Condition); a wait is the
//! same state machine too (`WaitCore` in `condition.rs`: registered, notified, relocked), so FIFO
//! order and the passing on of a notification a cancelled waiter took live in one place. The only
//! difference is how the held lock comes in and goes out: `Condition` takes and returns a
//! [`MutexGuard`](super::MutexGuard) and joins the line at its first poll; `LockCondition::wait`
//! checks that its lock is held (asyncio raises `RuntimeError`, wasio returns [`NotLocked`]),
//! joins the line and releases the lock at once, and its future completes with the lock held,
//! for an explicit [`Lock::release`] later: the shape the JS and Python front ends need.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::condition::{notify, notify_all, WaitCore, Waiters};
use super::mutex::{Acquire, Lock, NotLocked, RawLock};
use super::waiters::WaitList;

/// asyncio's `Condition(lock)`: tasks that hold the [`Lock`] wait for a notification with it
/// released, then hold it again.
///
/// Unlike [`Condition<T>`](super::Condition), which passes a mutex guard in and out, the lock is
/// held the asyncio way, without a guard: take it with `acquire().await.forget()` (or
/// [`LockGuard::forget`](super::LockGuard::forget) on any guard), release it with
/// [`release`](LockCondition::release). A cheap handle: clones share the lock and the line of
/// waiters.
///
/// # Examples
///
/// ```
/// use std::{cell::Cell, rc::Rc};
/// use wasio::sync::LockCondition;
/// wasio::run(async {
///     let cond = LockCondition::new();
///     let ready = Rc::new(Cell::new(false));
///     let consumer = wasio::spawn({
///         let (cond, ready) = (cond.clone(), ready.clone());
///         async move {
///             cond.acquire().await.forget();
///             cond.wait_for(|| ready.get()).await.unwrap();
///             assert!(cond.locked()); // held again
///             cond.release().unwrap();
///         }
///     });
///     wasio::yield_now().await;
///     cond.acquire().await.forget();
///     ready.set(true);
///     cond.notify(1);
///     cond.release().unwrap();
///     consumer.await.unwrap();
/// });
/// ```
#[doc(alias = "Condition")]
#[derive(Clone)]
pub struct LockCondition {
    lock: Lock,
    waiters: Waiters,
}

impl Default for LockCondition {
    fn default() -> Self {
        LockCondition::new()
    }
}

impl fmt::Debug for LockCondition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LockCondition")
            .field("locked", &self.locked())
            .field("waiting", &self.waiting())
            .finish()
    }
}

impl LockCondition {
    /// A condition over a new lock (asyncio's `Condition()`).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!wasio::sync::LockCondition::new().locked());
    /// ```
    pub fn new() -> LockCondition {
        LockCondition::with_lock(Lock::new())
    }

    /// A condition over an existing lock (asyncio's `Condition(lock)`).
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = wasio::sync::Lock::new();
    /// let cond = wasio::sync::LockCondition::with_lock(lock.clone());
    /// assert!(cond.lock().ptr_eq(&lock));
    /// ```
    pub fn with_lock(lock: Lock) -> LockCondition {
        LockCondition {
            lock,
            waiters: Rc::new(RefCell::new(WaitList::new())),
        }
    }

    /// The lock this condition uses.
    ///
    /// # Examples
    ///
    /// ```
    /// let cond = wasio::sync::LockCondition::new();
    /// cond.lock().try_acquire().unwrap().forget();
    /// assert!(cond.locked());
    /// ```
    pub fn lock(&self) -> &Lock {
        &self.lock
    }

    /// Waits for the lock (the same as `self.lock().acquire()`).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, as [`Lock::acquire`].
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let cond = wasio::sync::LockCondition::new();
    ///     cond.acquire().await.forget();
    ///     assert!(cond.locked());
    /// });
    /// ```
    pub fn acquire(&self) -> Acquire<'_> {
        self.lock.acquire()
    }

    /// Releases the lock (the same as `self.lock().release()`).
    ///
    /// # Examples
    ///
    /// ```
    /// let cond = wasio::sync::LockCondition::new();
    /// assert_eq!(cond.release(), Err(wasio::sync::NotLocked));
    /// ```
    pub fn release(&self) -> Result<(), NotLocked> {
        self.lock.release()
    }

    /// Whether the lock is held (or handed to a waiter that has not run yet).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!wasio::sync::LockCondition::new().locked());
    /// ```
    pub fn locked(&self) -> bool {
        self.lock.locked()
    }

    /// Joins the line of waiters and releases the lock, now; the returned future then waits
    /// (FIFO) for a notification, waits (FIFO, with other lockers) for the lock again, and
    /// completes with it held. Wake-ups can be for other reasons than the one you wait for: check
    /// your condition in a loop, or use [`wait_for`](LockCondition::wait_for). While it waits for
    /// the notification, the trace shows the task waiting on `condition` (then on `lock`).
    ///
    /// The lock must be held (wasio cannot tell by which task, nor can asyncio): if it is not,
    /// `wait` returns [`NotLocked`] and changes nothing. The release happens in `wait` itself,
    /// not at the first poll, so that once `wait` has returned `Ok` the lock is known to be
    /// released, whatever happens to the future (asyncio's `wait()` also releases the lock as soon
    /// as it runs).
    ///
    /// # Cancel safety
    ///
    /// A dropped wait loses nothing, but it cannot await the lock as asyncio does on
    /// cancellation: the lock stays **released**. The wait leaves the line, and a notification it
    /// had been handed (whether or not it was already queueing for the lock again) is passed on
    /// to the next waiter, as asyncio does; if it had been handed the lock, the lock passes on
    /// too. For asyncio's behaviour, acquire the lock again after the drop
    /// (`cond.acquire().await.forget()`), as the JS and Python front ends do.
    ///
    /// # Examples
    ///
    /// ```
    /// use wasio::sync::{LockCondition, NotLocked};
    /// wasio::run(async {
    ///     let cond = LockCondition::new();
    ///     assert_eq!(cond.wait().err(), Some(NotLocked));
    ///     let waiter = wasio::spawn({
    ///         let cond = cond.clone();
    ///         async move {
    ///             cond.acquire().await.forget();
    ///             cond.wait().unwrap().await;
    ///             cond.release().unwrap();
    ///         }
    ///     });
    ///     wasio::yield_now().await;
    ///     assert_eq!(cond.waiting(), 1);
    ///     assert_eq!(cond.notify(1), 1);
    ///     waiter.await.unwrap();
    /// });
    /// ```
    pub fn wait(&self) -> Result<LockConditionWait, NotLocked> {
        if !self.locked() {
            return Err(NotLocked);
        }
        Ok(LockConditionWait {
            core: WaitCore::started(self.waiters.clone(), self.lock.raw_rc()),
        })
    }

    /// Waits until `predicate` returns true, checking it first and again after each notification
    /// (with the lock held). The lock must be held, as for [`wait`](LockCondition::wait).
    ///
    /// # Cancel safety
    ///
    /// As [`wait`](LockCondition::wait): dropped while waiting, it leaves the lock released.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let cond = wasio::sync::LockCondition::new();
    ///     cond.acquire().await.forget();
    ///     cond.wait_for(|| true).await.unwrap(); // already true: no wait
    ///     assert!(cond.locked());
    /// });
    /// ```
    pub async fn wait_for<P>(&self, mut predicate: P) -> Result<(), NotLocked>
    where
        P: FnMut() -> bool,
    {
        if !self.locked() {
            return Err(NotLocked);
        }
        while !predicate() {
            self.wait()?.await;
        }
        Ok(())
    }

    /// Wakes up to `n` waiting tasks, oldest first, and returns how many it woke. (asyncio requires
    /// the lock to be held here; wasio does not, but holding it is how to avoid missed updates.)
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(wasio::sync::LockCondition::new().notify(2), 0); // nobody is waiting
    /// ```
    pub fn notify(&self, n: usize) -> usize {
        notify(&self.waiters, n)
    }

    /// Wakes every waiting task and returns how many it woke.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(wasio::sync::LockCondition::new().notify_all(), 0);
    /// ```
    pub fn notify_all(&self) -> usize {
        notify_all(&self.waiters)
    }

    /// How many tasks wait for a notification.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(wasio::sync::LockCondition::new().waiting(), 0);
    /// ```
    pub fn waiting(&self) -> usize {
        self.waiters.borrow().len()
    }
}

/// The future of [`LockCondition::wait`]: completes once notified, with the lock held again.
/// It owns handles of the condition's parts, so it is `'static`.
///
/// # Examples
///
/// ```
/// use wasio::sync::{LockCondition, LockConditionWait};
/// let cond = LockCondition::new();
/// cond.lock().try_acquire().unwrap().forget();
/// let wait: LockConditionWait = cond.wait().unwrap();
/// assert!(!cond.locked()); // released by `wait`
/// assert_eq!(cond.notify(1), 1);
/// wasio::run(wait);
/// assert!(cond.locked()); // held again
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct LockConditionWait {
    core: WaitCore<Rc<RawLock>>,
}

impl fmt::Debug for LockConditionWait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LockConditionWait")
            .field("state", &self.core.state_name())
            .finish()
    }
}

impl Future for LockConditionWait {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.get_mut().core.poll(cx)
    }
}
