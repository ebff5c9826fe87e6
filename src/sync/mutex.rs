//! [`Mutex<T>`] (an async lock around a value) and [`Lock`] (asyncio's data-less form).
//!
//! # Data structure
//!
//! Both are built on `RawLock`: a one-byte `state` and a [`WaitList`] of tasks waiting for it.
//!
//! * `UNLOCKED`: nobody holds the lock, and nobody waits (invariant: a Waiting entry exists only
//!   while the lock is held).
//! * `LOCKED`: one owner — a guard, a forgotten guard (explicit `release` later), or a waiter that
//!   has been handed the lock and not yet run — and nobody waits.
//! * `CONTENDED`: locked, and the wait list has at least one Waiting entry.
//!
//! Releasing in `CONTENDED` does not unlock: it hands the lock to the oldest waiter (Notified), so
//! a task that releases and immediately locks again queues behind it (no barging). A waiter dropped
//! after it was handed the lock releases it again, which hands it on. The uncontended path is one
//! compare-and-store of `state` to lock and one to unlock: no waker clone, no allocation, no
//! borrow of the wait list.
//!
//! `Mutex<T>` keeps the value in an `UnsafeCell<T>`, reachable only through a [`MutexGuard`], and
//! a guard exists only while the lock is held on its behalf: the lock state is the borrow flag, so
//! `Deref`/`DerefMut` check nothing. (The two `unsafe` blocks this takes are measured: a
//! `RefCell<T>` borrowed by the guard kept the uncontended lock+unlock above 2x a bare `RefCell`
//! borrow in `benches/benches/sync.rs`.)

use crate::trace::wait::{pending, WaitReason};
use std::cell::{Cell, RefCell, UnsafeCell};
use std::fmt;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::waiters::WaitList;

const UNLOCKED: u8 = 0;
const LOCKED: u8 = 1;
const CONTENDED: u8 = 2;

/// The lock state shared by [`Mutex`], [`Lock`] and [`Condition`](super::Condition).
pub(crate) struct RawLock {
    state: Cell<u8>,
    waiters: RefCell<WaitList<()>>,
}

impl RawLock {
    pub(crate) const fn new() -> Self {
        RawLock {
            state: Cell::new(UNLOCKED),
            waiters: RefCell::new(WaitList::new()),
        }
    }

    #[inline]
    pub(crate) fn is_locked(&self) -> bool {
        self.state.get() != UNLOCKED
    }

    /// Takes the lock if it is free (then nobody is waiting, by the invariant).
    #[inline]
    pub(crate) fn try_lock(&self) -> bool {
        if self.state.get() == UNLOCKED {
            self.state.set(LOCKED);
            true
        } else {
            false
        }
    }

    /// Releases the lock: hands it to the oldest waiter, or unlocks if nobody waits.
    #[inline]
    pub(crate) fn unlock(&self) {
        if self.state.get() == LOCKED {
            self.state.set(UNLOCKED);
        } else {
            self.hand_off();
        }
    }

    #[cold]
    #[inline(never)]
    fn hand_off(&self) {
        let (handed, left) = {
            let mut list = self.waiters.borrow_mut();
            (list.notify_one(()), list.len())
        };
        match handed {
            Ok(w) => {
                self.state.set(if left == 0 { LOCKED } else { CONTENDED });
                if let Some(w) = w {
                    w.wake();
                }
            }
            Err(()) => self.state.set(UNLOCKED),
        }
    }

    fn waiting(&self) -> usize {
        self.waiters.borrow().len()
    }

    /// One poll of an acquisition whose wait-list key (if registered) is in `key`.
    #[inline]
    pub(crate) fn poll_acquire(&self, key: &mut Option<usize>, cx: &mut Context<'_>) -> Poll<()> {
        if key.is_none() && self.try_lock() {
            return Poll::Ready(());
        }
        self.poll_acquire_slow(key, cx)
    }

    #[cold]
    #[inline(never)]
    fn poll_acquire_slow(&self, key: &mut Option<usize>, cx: &mut Context<'_>) -> Poll<()> {
        match *key {
            None => {
                *key = Some(self.waiters.borrow_mut().push(cx.waker()));
                self.state.set(CONTENDED);
                pending(WaitReason::Lock)
            }
            Some(k) => match self.waiters.borrow_mut().poll(k, cx.waker()) {
                Some(()) => {
                    *key = None;
                    Poll::Ready(())
                }
                None => pending(WaitReason::Lock),
            },
        }
    }

    /// Drop of an unfinished acquisition: leave the line; pass the lock on if it had been handed.
    #[inline]
    pub(crate) fn cancel_acquire(&self, key: Option<usize>) {
        if let Some(k) = key {
            self.leave(k);
        }
    }

    #[cold]
    #[inline(never)]
    fn leave(&self, key: usize) {
        let (handed, left) = {
            let mut list = self.waiters.borrow_mut();
            (list.remove(key), list.len())
        };
        if left == 0 && self.state.get() == CONTENDED {
            self.state.set(LOCKED);
        }
        if handed.is_some() {
            self.unlock();
        }
    }
}

/// Why [`Mutex::try_lock`] or [`Lock::try_acquire`] failed: the lock is held (or was just handed
/// to a waiter that has not run yet).
///
/// # Examples
///
/// ```
/// let m = wasio::sync::Mutex::new(());
/// let _g = m.try_lock().unwrap();
/// assert_eq!(m.try_lock().unwrap_err().to_string(), "the lock is held");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TryLockError;

crate::macros::unit_error!(TryLockError, "the lock is held");

/// Why [`Lock::release`] failed: the lock was not held (asyncio raises `RuntimeError`).
///
/// # Examples
///
/// ```
/// assert_eq!(wasio::sync::Lock::new().release(), Err(wasio::sync::NotLocked));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotLocked;

crate::macros::unit_error!(NotLocked, "release of a lock that is not held");

// ----- Mutex<T> ----------------------------------------------------------------------------------

pub(crate) struct MutexInner<T: ?Sized> {
    pub(crate) raw: RawLock,
    data: UnsafeCell<T>,
}

/// An async mutual-exclusion lock around a value: one task at a time holds the
/// [`MutexGuard`], the others wait in line (FIFO) in [`Mutex::lock`].
///
/// A `Mutex` is a cheap handle: clones share one lock and one value. It is for tasks on one loop
/// (single-threaded, `!Send`), and uses no atomics.
///
/// # Examples
///
/// ```
/// use wasio::sync::Mutex;
/// wasio::run(async {
///     let m = Mutex::new(0);
///     let tasks: Vec<_> = (0..3)
///         .map(|_| {
///             let m = m.clone();
///             wasio::spawn(async move {
///                 let mut n = m.lock().await;
///                 wasio::yield_now().await; // others queue up meanwhile
///                 *n += 1;
///             })
///         })
///         .collect();
///     for t in tasks {
///         t.await.unwrap();
///     }
///     assert_eq!(*m.lock().await, 3);
/// });
/// ```
pub struct Mutex<T: ?Sized> {
    inner: Rc<MutexInner<T>>,
}

impl<T: ?Sized> Clone for Mutex<T> {
    fn clone(&self) -> Self {
        Mutex {
            inner: self.inner.clone(),
        }
    }
}

impl<T: Default> Default for Mutex<T> {
    fn default() -> Self {
        Mutex::new(T::default())
    }
}

impl<T: ?Sized> fmt::Debug for Mutex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mutex")
            .field("locked", &self.is_locked())
            .field("waiting", &self.inner.raw.waiting())
            .finish_non_exhaustive()
    }
}

impl<T> Mutex<T> {
    /// A new, unlocked mutex holding `value`.
    ///
    /// # Examples
    ///
    /// ```
    /// let m = wasio::sync::Mutex::new(vec![1, 2]);
    /// assert!(!m.is_locked());
    /// ```
    pub fn new(value: T) -> Mutex<T> {
        Mutex {
            inner: Rc::new(MutexInner {
                raw: RawLock::new(),
                data: UnsafeCell::new(value),
            }),
        }
    }
}

impl<T: ?Sized> Mutex<T> {
    /// Waits for the lock and returns a guard that gives access to the value and releases the
    /// lock when dropped. Waiters are served in the order they started waiting.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `lock()` future leaves the line; if the lock had already been
    /// handed to it, it passes the lock on to the next waiter (or releases it).
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let m = wasio::sync::Mutex::new(String::from("a"));
    ///     m.lock().await.push('b');
    ///     assert_eq!(*m.lock().await, "ab");
    /// });
    /// ```
    pub fn lock(&self) -> MutexLock<'_, T> {
        MutexLock {
            mutex: &self.inner,
            key: None,
        }
    }

    /// Takes the lock now if it is free and nobody is waiting for it.
    ///
    /// # Examples
    ///
    /// ```
    /// let m = wasio::sync::Mutex::new(1);
    /// let g = m.try_lock().unwrap();
    /// assert_eq!(m.try_lock().unwrap_err(), wasio::sync::TryLockError);
    /// drop(g);
    /// assert!(m.try_lock().is_ok());
    /// ```
    #[inline]
    pub fn try_lock(&self) -> Result<MutexGuard<'_, T>, TryLockError> {
        if self.inner.raw.try_lock() {
            Ok(MutexGuard::new(&self.inner))
        } else {
            Err(TryLockError)
        }
    }

    /// Whether the lock is held (or handed to a waiter that has not run yet).
    ///
    /// # Examples
    ///
    /// ```
    /// let m = wasio::sync::Mutex::new(());
    /// let g = m.try_lock().unwrap();
    /// assert!(m.is_locked());
    /// drop(g);
    /// assert!(!m.is_locked());
    /// ```
    #[doc(alias = "locked")]
    pub fn is_locked(&self) -> bool {
        self.inner.raw.is_locked()
    }

    /// How many tasks are waiting for the lock.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(wasio::sync::Mutex::new(0).waiting(), 0);
    /// ```
    pub fn waiting(&self) -> usize {
        self.inner.raw.waiting()
    }

    /// Whether two handles share one mutex.
    ///
    /// # Examples
    ///
    /// ```
    /// let m = wasio::sync::Mutex::new(0);
    /// assert!(m.ptr_eq(&m.clone()));
    /// assert!(!m.ptr_eq(&wasio::sync::Mutex::new(0)));
    /// ```
    pub fn ptr_eq(&self, other: &Mutex<T>) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

/// The future of [`Mutex::lock`].
///
/// # Examples
///
/// ```
/// let m = wasio::sync::Mutex::new(5);
/// let lock: wasio::sync::MutexLock<'_, i32> = m.lock();
/// assert_eq!(*wasio::run(lock), 5);
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct MutexLock<'a, T: ?Sized> {
    mutex: &'a MutexInner<T>,
    key: Option<usize>,
}

impl<T: ?Sized> fmt::Debug for MutexLock<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MutexLock")
            .field("waiting", &self.key.is_some())
            .finish()
    }
}

impl<'a, T: ?Sized> Future for MutexLock<'a, T> {
    type Output = MutexGuard<'a, T>;
    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<MutexGuard<'a, T>> {
        let this = self.get_mut();
        match this.mutex.raw.poll_acquire(&mut this.key, cx) {
            Poll::Ready(()) => Poll::Ready(MutexGuard::new(this.mutex)),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: ?Sized> Drop for MutexLock<'_, T> {
    fn drop(&mut self) {
        self.mutex.raw.cancel_acquire(self.key);
    }
}

/// Access to a [`Mutex`]'s value; the lock is released (handed to the next waiter) on drop.
///
/// # Examples
///
/// ```
/// wasio::run(async {
///     let m = wasio::sync::Mutex::new(1);
///     let mut g = m.lock().await;
///     *g += 1;
///     assert_eq!(*g, 2);
/// });
/// ```
pub struct MutexGuard<'a, T: ?Sized> {
    pub(crate) mutex: &'a MutexInner<T>,
}

impl<'a, T: ?Sized> MutexGuard<'a, T> {
    /// The caller has just acquired the lock for this guard.
    #[inline]
    pub(crate) fn new(mutex: &'a MutexInner<T>) -> Self {
        MutexGuard { mutex }
    }

    /// Forgets the guard with the lock still held: the caller (a condition wait) now owns it.
    pub(crate) fn into_held(self) {
        std::mem::forget(self);
    }
}

// Measured (benches/benches/sync.rs, uncontended lock+unlock): with a `RefCell<T>` borrowed by the
// guard the lock cost 1.4 ns/op against 0.5 for a bare RefCell borrow; without, 1.0. The lock
// state already guarantees what the RefCell flag would check.
#[allow(unsafe_code)]
impl<T: ?Sized> Deref for MutexGuard<'_, T> {
    type Target = T;
    #[inline]
    fn deref(&self) -> &T {
        // SAFETY: a `MutexGuard` exists only while its lock is held on its behalf (it is created
        // right after `try_lock` succeeds or the lock is handed to its acquisition, and the lock
        // is released only by its drop or `unlock`), so at most one guard per mutex is alive, and
        // the value is reachable only through a guard. `&self` then excludes a `&mut` through
        // this same guard.
        unsafe { &*self.mutex.data.get() }
    }
}

#[allow(unsafe_code)]
impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`: this guard is the only one, and `&mut self` makes this the only
        // reference derived from it.
        unsafe { &mut *self.mutex.data.get() }
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized> Drop for MutexGuard<'_, T> {
    #[inline]
    fn drop(&mut self) {
        self.mutex.raw.unlock();
    }
}

// ----- Lock --------------------------------------------------------------------------------------

/// asyncio's `Lock`: a mutex with no value. Hold it with the guard from [`Lock::acquire`], or
/// explicitly: [`LockGuard::forget`] keeps it held and [`Lock::release`] releases it.
///
/// # Examples
///
/// ```
/// use wasio::sync::Lock;
/// wasio::run(async {
///     let lock = Lock::new();
///     let g = lock.acquire().await;
///     assert!(lock.locked());
///     drop(g);
///     assert!(!lock.locked());
/// });
/// ```
#[derive(Clone, Default)]
pub struct Lock {
    raw: Rc<RawLock>,
}

impl Default for RawLock {
    fn default() -> Self {
        RawLock::new()
    }
}

impl fmt::Debug for Lock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lock")
            .field("locked", &self.locked())
            .field("waiting", &self.raw.waiting())
            .finish()
    }
}

impl Lock {
    pub(crate) fn raw_rc(&self) -> Rc<RawLock> {
        self.raw.clone()
    }

    /// Whether `self` and `other` are handles of the same lock.
    ///
    /// # Examples
    ///
    /// ```
    /// let a = wasio::sync::Lock::new();
    /// assert!(a.ptr_eq(&a.clone()));
    /// assert!(!a.ptr_eq(&wasio::sync::Lock::new()));
    /// ```
    pub fn ptr_eq(&self, other: &Lock) -> bool {
        Rc::ptr_eq(&self.raw, &other.raw)
    }

    /// A new, unlocked lock.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!wasio::sync::Lock::new().locked());
    /// ```
    pub fn new() -> Lock {
        Lock::default()
    }

    /// Waits for the lock (FIFO) and returns a guard that releases it on drop.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `acquire()` leaves the line, and passes the lock on if it had
    /// already been handed to it.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let lock = wasio::sync::Lock::new();
    ///     let _g = lock.acquire().await;
    ///     assert!(lock.try_acquire().is_err());
    /// });
    /// ```
    pub fn acquire(&self) -> Acquire<'_> {
        Acquire {
            raw: &self.raw,
            key: None,
        }
    }

    /// Takes the lock now if it is free and nobody waits for it.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = wasio::sync::Lock::new();
    /// let g = lock.try_acquire().unwrap();
    /// assert!(lock.try_acquire().is_err());
    /// drop(g);
    /// ```
    #[inline]
    pub fn try_acquire(&self) -> Result<LockGuard<'_>, TryLockError> {
        if self.raw.try_lock() {
            Ok(LockGuard { raw: &self.raw })
        } else {
            Err(TryLockError)
        }
    }

    /// Whether the lock is held (or handed to a waiter that has not run yet).
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = wasio::sync::Lock::new();
    /// lock.try_acquire().unwrap().forget();
    /// assert!(lock.locked());
    /// ```
    #[doc(alias = "is_locked")]
    pub fn locked(&self) -> bool {
        self.raw.is_locked()
    }

    /// How many tasks are waiting for the lock.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(wasio::sync::Lock::new().waiting(), 0);
    /// ```
    pub fn waiting(&self) -> usize {
        self.raw.waiting()
    }

    /// Releases a lock held without a guard (see [`LockGuard::forget`]), handing it to the oldest
    /// waiter. Releasing a lock that is not held is an error, as in asyncio.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = wasio::sync::Lock::new();
    /// assert_eq!(lock.release(), Err(wasio::sync::NotLocked));
    /// lock.try_acquire().unwrap().forget();
    /// assert_eq!(lock.release(), Ok(()));
    /// assert!(!lock.locked());
    /// ```
    pub fn release(&self) -> Result<(), NotLocked> {
        if self.raw.is_locked() {
            self.raw.unlock();
            Ok(())
        } else {
            Err(NotLocked)
        }
    }
}

/// The future of [`Lock::acquire`].
///
/// # Examples
///
/// ```
/// let lock = wasio::sync::Lock::new();
/// let acquire: wasio::sync::Acquire<'_> = lock.acquire();
/// let guard = wasio::run(acquire);
/// assert!(lock.locked());
/// drop(guard);
/// ```
#[must_use = "futures do nothing unless awaited"]
#[derive(Debug)]
pub struct Acquire<'a> {
    raw: &'a RawLock,
    key: Option<usize>,
}

impl fmt::Debug for RawLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawLock")
            .field("locked", &self.is_locked())
            .finish()
    }
}

impl<'a> Future for Acquire<'a> {
    type Output = LockGuard<'a>;
    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<LockGuard<'a>> {
        let this = self.get_mut();
        match this.raw.poll_acquire(&mut this.key, cx) {
            Poll::Ready(()) => Poll::Ready(LockGuard { raw: this.raw }),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Drop for Acquire<'_> {
    fn drop(&mut self) {
        self.raw.cancel_acquire(self.key);
    }
}

/// Holds a [`Lock`]; releases it on drop.
///
/// # Examples
///
/// ```
/// let lock = wasio::sync::Lock::new();
/// {
///     let _g = lock.try_acquire().unwrap();
///     assert!(lock.locked());
/// }
/// assert!(!lock.locked());
/// ```
#[derive(Debug)]
#[must_use = "dropping the guard releases the lock at once"]
pub struct LockGuard<'a> {
    raw: &'a RawLock,
}

impl LockGuard<'_> {
    /// Keeps the lock held without a guard; release it later with [`Lock::release`].
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = wasio::sync::Lock::new();
    /// lock.try_acquire().unwrap().forget();
    /// assert!(lock.locked());
    /// lock.release().unwrap();
    /// ```
    pub fn forget(self) {
        std::mem::forget(self);
    }
}

impl Drop for LockGuard<'_> {
    #[inline]
    fn drop(&mut self) {
        self.raw.unlock();
    }
}
