//! [`Semaphore`] and [`BoundedSemaphore`]: a count of permits, and a line of tasks waiting for one.
//!
//! # Data structure
//!
//! Both share one core: `value` (permits free to take now), `unguarded` (permits taken and kept
//! without a guard, see [`SemaphorePermit::forget`], not yet given back by an explicit `release`),
//! an optional `bound` (the initial value of a `BoundedSemaphore`), and a [`WaitList`] of waiting
//! acquirers.
//!
//! Invariants:
//!
//! * A Waiting entry exists only while `value == 0`. A release with waiters does not raise `value`:
//!   it hands the permit to the oldest waiter (Notified). So a semaphore with waiters is always
//!   [`locked`](Semaphore::locked), and a task that releases and re-acquires at once queues behind
//!   the waiters (no barging).
//! * For a bounded semaphore, `value + (permits held by guards or in flight to a waiter) +
//!   unguarded == bound`. An explicit release is allowed only while `unguarded > 0`, so neither an
//!   explicit release nor a guard's drop can ever push the count above its bound.
//! * A waiter dropped after it was handed a permit gives it back, which hands it to the next waiter.
//! * **A hand-off in flight keeps the semaphore locked.** `in_flight` counts permits handed to
//!   waiters that have not run yet. While it is non-zero, `count` never goes above zero: a permit
//!   coming back with nobody waiting is parked in `spare` instead of the count. So `locked()` is
//!   true and a newcomer (`try_acquire`, or an `acquire` that releases and re-acquires) queues
//!   behind the woken waiters, as asyncio's `locked()` does while a woken waiter's future is still
//!   in its line. When the last woken waiter takes its permit (or leaves), the spare permits go to
//!   the tasks that queued meanwhile, then back to the count (asyncio's "wake up as many as are
//!   allowed" on the way out of `acquire`).
//!
//! `value` and the number of Waiting entries share one signed count (`count = value` while nobody
//! waits, `count = -waiting` otherwise: the first invariant says they are never both non-zero), so
//! the uncontended acquire is one decrement and test of `count`, and the release one increment and
//! test: no waker clone, no allocation, no borrow of the wait list. While a hand-off is in flight
//! the count holds one *phantom* waiter more (`count = -waiting - 1`): a permit given back then
//! takes the slow path like one for a real waiter, which finds only the phantom, puts it back and
//! keeps the permit as spare. So the in-flight rule costs the fast paths nothing.

use crate::trace::wait::{pending, WaitReason};
use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::waiters::WaitList;

/// The most permits a semaphore counts as free after `new` or an explicit `release`. A permit
/// coming back from a guard is added without a check: `count` then stays below `MAX_PERMITS` plus
/// the number of guards alive (each takes memory, so there are far fewer than `isize::MAX / 2`),
/// which keeps it from overflowing.
const MAX_PERMITS: usize = usize::MAX >> 2;

struct Core {
    /// Free permits when positive; minus the number of Waiting entries when negative (see the
    /// module docs).
    count: Cell<isize>,
    /// Permits handed to waiters that have not taken them yet.
    in_flight: Cell<usize>,
    /// Permits given back while `in_flight > 0` with nobody waiting: free, but held out of
    /// `count` until every hand-off in flight has landed (see the module docs).
    spare: Cell<usize>,
    unguarded: Cell<usize>,
    bound: Option<usize>,
    waiters: RefCell<WaitList<()>>,
}

impl Core {
    fn new(value: usize, bound: Option<usize>) -> Rc<Core> {
        Rc::new(Core {
            // `MAX_PERMITS` fits an `isize`.
            count: Cell::new(value.min(MAX_PERMITS) as isize),
            in_flight: Cell::new(0),
            spare: Cell::new(0),
            unguarded: Cell::new(0),
            bound: bound.map(|b| b.min(MAX_PERMITS)),
            waiters: RefCell::new(WaitList::new()),
        })
    }

    /// Takes a free permit if there is one (never while tasks wait: `count` is not positive then).
    #[inline]
    fn try_take(&self) -> bool {
        let c = self.count.get();
        if c > 0 {
            self.count.set(c - 1);
            true
        } else {
            false
        }
    }

    /// A permit taken by a guard (or handed to a waiter) comes back: to the oldest waiter, else
    /// to the count (unchecked, see [`MAX_PERMITS`]), or, while a hand-off is in flight, to the
    /// spare permits. One increment and test: the phantom waiter (see the module docs) sends the
    /// in-flight case down the slow path with the real waiters.
    #[inline]
    fn give_back(&self) {
        let c = self.count.get() + 1;
        self.count.set(c);
        if c <= 0 {
            // `count` was negative: somebody waits (a task, or the phantom).
            self.hand_off();
        }
    }

    /// An explicit release: like `give_back`, but the count saturates at [`MAX_PERMITS`].
    #[inline]
    fn release_one(&self) {
        if self.value() + self.spare.get() < MAX_PERMITS {
            self.give_back();
        }
    }

    /// A permit for whoever waits, `count` already counting one waiter fewer: the oldest task
    /// in line gets it (and the phantom joins while a hand-off is in flight); with only the
    /// phantom waiting, it is put back and the permit becomes a spare one.
    #[cold]
    #[inline(never)]
    fn hand_off(&self) {
        let handed = self.waiters.borrow_mut().notify_one(());
        match handed {
            Ok(w) => {
                let in_flight = self.in_flight.get();
                self.in_flight.set(in_flight + 1);
                if in_flight == 0 {
                    self.count.set(self.count.get() - 1); // the phantom
                }
                if let Some(w) = w {
                    w.wake();
                }
            }
            Err(()) if self.in_flight.get() > 0 => {
                self.count.set(self.count.get() - 1);
                self.spare.set(self.spare.get() + 1);
            }
            // Unreachable by the invariant (a negative count means a Waiting entry or the
            // phantom); keep the permit rather than lose it.
            Err(()) => self.count.set(self.count.get().max(0) + 1),
        }
    }

    /// A permit handed to a waiter has landed (taken, or given back by a waiter that left). Once
    /// no hand-off is in flight, the phantom leaves and the spare permits go to whoever queued
    /// meanwhile, then to the count.
    #[cold]
    #[inline(never)]
    fn landed(&self) {
        let n = self.in_flight.get() - 1;
        self.in_flight.set(n);
        if n > 0 {
            return;
        }
        self.count.set(self.count.get() + 1); // the phantom leaves
        let mut left = self.spare.replace(0);
        while left > 0 {
            if self.waiters.borrow().is_empty() {
                if self.in_flight.get() == 0 {
                    self.count.set(self.count.get() + left as isize);
                } else {
                    self.spare.set(left);
                }
                return;
            }
            left -= 1;
            self.give_back();
        }
    }

    #[inline]
    fn release_explicit(&self) -> Result<(), OverRelease> {
        let unguarded = self.unguarded.get();
        match self.bound {
            Some(bound) if unguarded == 0 => return Err(OverRelease { bound }),
            _ => self.unguarded.set(unguarded.saturating_sub(1)),
        }
        self.release_one();
        Ok(())
    }

    /// One poll of an acquisition whose wait-list key (if registered) is in `key`.
    #[inline]
    fn poll_acquire(&self, key: &mut Option<usize>, cx: &mut Context<'_>) -> Poll<()> {
        if key.is_none() {
            // Take a permit, or count this acquisition into the line (`poll_slow` registers
            // it): one decrement either way.
            let c = self.count.get() - 1;
            self.count.set(c);
            if c >= 0 {
                return Poll::Ready(());
            }
        }
        let poll = self.poll_slow(key, cx);
        if poll.is_ready() {
            // Redundant (`poll_slow` did it), but it tells the compiler what the future's `Drop`
            // will find after a slow acquisition too.
            *key = None;
        }
        poll
    }

    #[cold]
    #[inline(never)]
    fn poll_slow(&self, key: &mut Option<usize>, cx: &mut Context<'_>) -> Poll<()> {
        match *key {
            // Already counted into the line by `poll_acquire`: uncount it while registering, so
            // a panicking waker clone leaves the count as it was.
            None => {
                self.count.set(self.count.get() + 1);
                *key = Some(self.waiters.borrow_mut().push(cx.waker()));
                self.count.set(self.count.get() - 1);
                pending(WaitReason::Semaphore)
            }
            Some(k) => {
                let taken = self.waiters.borrow_mut().poll(k, cx.waker());
                match taken {
                    Some(()) => {
                        *key = None;
                        self.landed();
                        Poll::Ready(())
                    }
                    None => pending(WaitReason::Semaphore),
                }
            }
        }
    }

    #[cold]
    #[inline(never)]
    fn leave(&self, key: usize) {
        let handed = self.waiters.borrow_mut().remove(key);
        if handed.is_some() {
            // It had been handed a permit (and counted out of the line then): pass it on. The
            // count is not above zero while that hand-off was in flight, so this hands it to the
            // next waiter or parks it with the spare ones, which `landed` then settles.
            self.give_back();
            self.landed();
        } else {
            // One fewer in line.
            self.count.set(self.count.get() + 1);
        }
    }

    fn waiting(&self) -> usize {
        self.waiters.borrow().len()
    }

    #[inline]
    fn value(&self) -> usize {
        self.count.get().max(0) as usize
    }
}

/// Why [`Semaphore::try_acquire`] or [`BoundedSemaphore::try_acquire`] failed: no permit is free.
///
/// # Examples
///
/// ```
/// let sem = wasio::sync::Semaphore::new(0);
/// assert_eq!(sem.try_acquire().unwrap_err(), wasio::sync::TryAcquireError);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TryAcquireError;

crate::macros::unit_error!(TryAcquireError, "no permit is available");

/// Why [`BoundedSemaphore::release`] failed: it would raise the count above its initial value
/// (asyncio raises `ValueError`). Nothing changed.
///
/// # Examples
///
/// ```
/// let sem = wasio::sync::BoundedSemaphore::new(3);
/// assert_eq!(sem.release(), Err(wasio::sync::OverRelease { bound: 3 }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverRelease {
    /// The semaphore's initial (and maximum) value.
    pub bound: usize,
}

impl fmt::Display for OverRelease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "BoundedSemaphore released too many times (bound {})",
            self.bound
        )
    }
}

impl std::error::Error for OverRelease {}

macro_rules! common_methods {
    ($ty:ident) => {
        impl $ty {
            /// Waits (FIFO) for a permit and returns it as a guard that gives it back on drop.
            ///
            /// # Cancel safety
            ///
            /// Cancel safe: a dropped `acquire()` leaves the line; if a permit had already been
            /// handed to it, the permit goes to the next waiter (or back to the count).
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let sem = wasio::sync::", stringify!($ty), "::new(1);")]
            /// wasio::run(async {
            ///     let p = sem.acquire().await;
            ///     assert!(sem.locked());
            ///     drop(p);
            ///     assert!(!sem.locked());
            /// });
            /// ```
            pub fn acquire(&self) -> SemaphoreAcquire<'_> {
                SemaphoreAcquire {
                    core: &self.core,
                    key: None,
                }
            }

            /// Takes a permit now if one is free (never while tasks wait for one).
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let sem = wasio::sync::", stringify!($ty), "::new(1);")]
            /// let p = sem.try_acquire().unwrap();
            /// assert!(sem.try_acquire().is_err());
            /// drop(p);
            /// assert!(sem.try_acquire().is_ok());
            /// ```
            #[inline]
            pub fn try_acquire(&self) -> Result<SemaphorePermit<'_>, TryAcquireError> {
                if self.core.try_take() {
                    Ok(SemaphorePermit { core: &self.core })
                } else {
                    Err(TryAcquireError)
                }
            }

            /// Whether an acquire would wait now: no permit is free, tasks are already waiting,
            /// or a released permit is on its way to a woken waiter that has not run yet (asyncio
            /// reports that as locked too, and a newcomer queues behind that waiter).
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let sem = wasio::sync::", stringify!($ty), "::new(0);")]
            /// assert!(sem.locked());
            /// ```
            pub fn locked(&self) -> bool {
                self.core.value() == 0
            }

            /// How many permits are free to take now.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("let sem = wasio::sync::", stringify!($ty), "::new(2);")]
            /// let _p = sem.try_acquire().unwrap();
            /// assert_eq!(sem.available_permits(), 1);
            /// ```
            pub fn available_permits(&self) -> usize {
                self.core.value()
            }

            /// How many tasks are waiting for a permit.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("assert_eq!(wasio::sync::", stringify!($ty), "::new(1).waiting(), 0);")]
            /// ```
            pub fn waiting(&self) -> usize {
                self.core.waiting()
            }
        }

        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($ty))
                    .field("available", &self.available_permits())
                    .field("waiting", &self.waiting())
                    .finish()
            }
        }
    };
}

/// asyncio's `Semaphore`: a counter of permits. [`acquire`](Semaphore::acquire) waits in line for
/// a permit; the permit is a guard ([`SemaphorePermit`]) that gives it back on drop, or it can be
/// kept with [`SemaphorePermit::forget`] and given back later with [`Semaphore::release`].
///
/// A cheap handle: clones share one count.
///
/// # Examples
///
/// ```
/// use wasio::sync::Semaphore;
/// wasio::run(async {
///     let sem = Semaphore::new(2);
///     let a = sem.acquire().await;
///     let b = sem.acquire().await;
///     assert!(sem.locked());
///     drop(a);
///     assert_eq!(sem.available_permits(), 1);
///     b.forget();       // keep it without a guard...
///     sem.release();    // ...and give it back explicitly
///     assert_eq!(sem.available_permits(), 2);
/// });
/// ```
#[derive(Clone)]
pub struct Semaphore {
    core: Rc<Core>,
}

common_methods!(Semaphore);

impl Semaphore {
    /// A semaphore with `permits` free permits (at most `usize::MAX / 4`; more is clamped).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(wasio::sync::Semaphore::new(3).available_permits(), 3);
    /// ```
    pub fn new(permits: usize) -> Semaphore {
        Semaphore {
            core: Core::new(permits, None),
        }
    }

    /// Adds a permit: hands it to the oldest waiter, or adds it to the count. An unbounded
    /// semaphore may be released any number of times (as in asyncio).
    ///
    /// # Examples
    ///
    /// ```
    /// let sem = wasio::sync::Semaphore::new(0);
    /// sem.release();
    /// assert_eq!(sem.available_permits(), 1);
    /// ```
    #[inline]
    pub fn release(&self) {
        self.core.release_one();
    }
}

/// asyncio's `BoundedSemaphore`: a [`Semaphore`] whose [`release`](BoundedSemaphore::release)
/// fails with [`OverRelease`] instead of raising the count above its initial value.
///
/// # Examples
///
/// ```
/// use wasio::sync::BoundedSemaphore;
/// let sem = BoundedSemaphore::new(1);
/// assert!(sem.release().is_err()); // nothing was taken
/// sem.try_acquire().unwrap().forget();
/// assert!(sem.release().is_ok());
/// ```
#[derive(Clone)]
pub struct BoundedSemaphore {
    core: Rc<Core>,
}

common_methods!(BoundedSemaphore);

impl BoundedSemaphore {
    /// A bounded semaphore with `permits` free permits, which is also its maximum (at most
    /// `usize::MAX / 4`).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(wasio::sync::BoundedSemaphore::new(3).available_permits(), 3);
    /// ```
    pub fn new(permits: usize) -> BoundedSemaphore {
        BoundedSemaphore {
            core: Core::new(permits, Some(permits)),
        }
    }

    /// Gives back a permit held without a guard (see [`SemaphorePermit::forget`]): hands it to the
    /// oldest waiter or adds it to the count. Fails, changing nothing, if every permit is already
    /// free or held by a guard.
    ///
    /// # Examples
    ///
    /// ```
    /// let sem = wasio::sync::BoundedSemaphore::new(1);
    /// let p = sem.try_acquire().unwrap();
    /// assert!(sem.release().is_err()); // the guard still owns that permit
    /// p.forget();
    /// assert!(sem.release().is_ok());
    /// ```
    #[inline]
    pub fn release(&self) -> Result<(), OverRelease> {
        self.core.release_explicit()
    }

    /// The initial (and maximum) number of permits.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(wasio::sync::BoundedSemaphore::new(4).bound(), 4);
    /// ```
    pub fn bound(&self) -> usize {
        self.core.bound.unwrap_or(0)
    }
}

/// The future of `acquire` on a [`Semaphore`] or [`BoundedSemaphore`].
///
/// # Examples
///
/// ```
/// let sem = wasio::sync::Semaphore::new(1);
/// let acquire: wasio::sync::SemaphoreAcquire<'_> = sem.acquire();
/// let permit = wasio::run(acquire);
/// assert_eq!(sem.available_permits(), 0);
/// drop(permit);
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct SemaphoreAcquire<'a> {
    core: &'a Core,
    key: Option<usize>,
}

impl fmt::Debug for SemaphoreAcquire<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SemaphoreAcquire")
            .field("waiting", &self.key.is_some())
            .finish()
    }
}

impl<'a> Future for SemaphoreAcquire<'a> {
    type Output = SemaphorePermit<'a>;
    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<SemaphorePermit<'a>> {
        let this = self.get_mut();
        match this.core.poll_acquire(&mut this.key, cx) {
            Poll::Ready(()) => Poll::Ready(SemaphorePermit { core: this.core }),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Drop for SemaphoreAcquire<'_> {
    #[inline]
    fn drop(&mut self) {
        if let Some(k) = self.key {
            self.core.leave(k);
        }
    }
}

/// A permit of a [`Semaphore`] or [`BoundedSemaphore`]; given back on drop.
///
/// # Examples
///
/// ```
/// let sem = wasio::sync::Semaphore::new(1);
/// {
///     let _p = sem.try_acquire().unwrap();
///     assert_eq!(sem.available_permits(), 0);
/// }
/// assert_eq!(sem.available_permits(), 1);
/// ```
#[must_use = "dropping the permit gives it back at once"]
pub struct SemaphorePermit<'a> {
    core: &'a Core,
}

impl fmt::Debug for SemaphorePermit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SemaphorePermit")
    }
}

impl SemaphorePermit<'_> {
    /// Keeps the permit without a guard: the count stays lower until an explicit `release`.
    ///
    /// # Examples
    ///
    /// ```
    /// let sem = wasio::sync::Semaphore::new(1);
    /// sem.try_acquire().unwrap().forget();
    /// assert_eq!(sem.available_permits(), 0);
    /// sem.release();
    /// assert_eq!(sem.available_permits(), 1);
    /// ```
    #[inline]
    pub fn forget(self) {
        self.core.unguarded.set(self.core.unguarded.get() + 1);
        std::mem::forget(self);
    }
}

impl Drop for SemaphorePermit<'_> {
    #[inline]
    fn drop(&mut self) {
        self.core.give_back();
    }
}
