//! [`Event`]: a flag that tasks can wait for.
//!
//! # Data structure
//!
//! A `set` flag and a [`WaitList`] of waiters. Invariant: a Waiting entry exists only while the
//! flag is clear. [`Event::set`] raises the flag and marks every waiter Notified at once, so a
//! waiter woken by `set` returns even if `clear` runs before it is polled: the wake-up lives in its
//! entry, not in the flag. A dropped waiter unlinks itself (O(1)); a notification needs no passing
//! on, since every waiter got one.

use crate::trace::wait::{pending, WaitReason};
use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::waiters::{wake_all, WaitList};

struct Inner {
    set: Cell<bool>,
    waiters: RefCell<WaitList<()>>,
}

/// asyncio's `Event`: [`wait`](Event::wait) returns once the flag is set; [`set`](Event::set)
/// wakes every task waiting at that moment.
///
/// A cheap handle: clones share one flag.
///
/// # Examples
///
/// ```
/// use wasio::sync::Event;
/// wasio::run(async {
///     let ev = Event::new();
///     let waiter = wasio::spawn({
///         let ev = ev.clone();
///         async move { ev.wait().await; "woken" }
///     });
///     wasio::yield_now().await;
///     ev.set();
///     assert_eq!(waiter.await.unwrap(), "woken");
/// });
/// ```
#[derive(Clone)]
pub struct Event {
    inner: Rc<Inner>,
}

impl Default for Event {
    fn default() -> Self {
        Event::new()
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event")
            .field("set", &self.is_set())
            .field("waiting", &self.inner.waiters.borrow().len())
            .finish()
    }
}

impl Event {
    /// A new event, not set.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!wasio::sync::Event::new().is_set());
    /// ```
    pub fn new() -> Event {
        Event {
            inner: Rc::new(Inner {
                set: Cell::new(false),
                waiters: RefCell::new(WaitList::new()),
            }),
        }
    }

    /// Sets the flag and wakes every task waiting now. Later `wait`s return at once until
    /// [`clear`](Event::clear).
    ///
    /// # Examples
    ///
    /// ```
    /// let ev = wasio::sync::Event::new();
    /// ev.set();
    /// assert!(ev.is_set());
    /// ```
    pub fn set(&self) {
        if self.inner.set.replace(true) {
            return;
        }
        let mut wakers = Vec::new();
        self.inner
            .waiters
            .borrow_mut()
            .notify_all(&mut wakers, || ());
        wake_all(wakers);
    }

    /// Clears the flag. Tasks already woken by `set` still return.
    ///
    /// # Examples
    ///
    /// ```
    /// let ev = wasio::sync::Event::new();
    /// ev.set();
    /// ev.clear();
    /// assert!(!ev.is_set());
    /// ```
    pub fn clear(&self) {
        self.inner.set.set(false);
    }

    /// Whether the flag is set.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!wasio::sync::Event::default().is_set());
    /// ```
    pub fn is_set(&self) -> bool {
        self.inner.set.get()
    }

    /// How many tasks are waiting for the flag.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(wasio::sync::Event::new().waiting(), 0);
    /// ```
    pub fn waiting(&self) -> usize {
        self.inner.waiters.borrow().len()
    }

    /// Waits until the flag is set (returns at once if it is).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `wait()` leaves the line; other waiters are unaffected.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let ev = wasio::sync::Event::new();
    ///     ev.set();
    ///     ev.wait().await; // already set: returns at once
    /// });
    /// ```
    pub fn wait(&self) -> EventWait<'_> {
        EventWait {
            inner: &self.inner,
            key: None,
        }
    }
}

/// The future of [`Event::wait`].
///
/// # Examples
///
/// ```
/// let ev = wasio::sync::Event::new();
/// ev.set();
/// let wait: wasio::sync::EventWait<'_> = ev.wait();
/// wasio::run(wait);
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct EventWait<'a> {
    inner: &'a Inner,
    key: Option<usize>,
}

impl fmt::Debug for EventWait<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventWait")
            .field("waiting", &self.key.is_some())
            .finish()
    }
}

impl Future for EventWait<'_> {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        match this.key {
            None => {
                if this.inner.set.get() {
                    return Poll::Ready(());
                }
                this.key = Some(this.inner.waiters.borrow_mut().push(cx.waker()));
                pending(WaitReason::Event)
            }
            Some(k) => match this.inner.waiters.borrow_mut().poll(k, cx.waker()) {
                Some(()) => {
                    this.key = None;
                    Poll::Ready(())
                }
                None => pending(WaitReason::Event),
            },
        }
    }
}

impl Drop for EventWait<'_> {
    fn drop(&mut self) {
        if let Some(k) = self.key.take() {
            self.inner.waiters.borrow_mut().remove(k);
        }
    }
}
