//! [`timeout_scope`] and [`timeout_scope_at`]: a timeout whose deadline the timed block can read
//! and move ([`TimeoutHandle`], asyncio's `asyncio.timeout()` and its `Timeout` object).
//!
//! # Data structure
//!
//! A [`TimeoutScope`] future owns the timed future, an optional [`Sleep`] (none while there is no
//! deadline) and an `Rc` of shared state that every [`TimeoutHandle`] clone points at:
//!
//! * `deadline`: the deadline as last set (`None`: no deadline);
//! * `moved`: set by [`reschedule`](TimeoutHandle::reschedule), cleared by the scope's poll when it
//!   re-arms its `Sleep` to match;
//! * `state`: running, expired (the deadline passed first: the future was dropped) or finished
//!   (the future returned first);
//! * `waker`: the scope's task, woken by a reschedule made from elsewhere, so that the new
//!   deadline is armed (a reschedule from inside the timed block is picked up after the poll that
//!   made it, before the scope returns `Pending`).
//!
//! A poll polls the future first (a ready future wins, even past its deadline, as [`timeout`]
//! does), then re-arms the sleep if the deadline moved, then polls the sleep.
//!
//! [`timeout`]: super::timeout

use std::cell::Cell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use super::{sleep_until, Elapsed, Instant, Sleep};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Running,
    Expired,
    Finished,
}

struct Shared {
    deadline: Cell<Option<Instant>>,
    moved: Cell<bool>,
    state: Cell<State>,
    waker: Cell<Option<Waker>>,
}

/// A handle to a [`timeout_scope`]'s deadline (asyncio's `Timeout`): read it with
/// [`when`](TimeoutHandle::when), move it with [`reschedule`](TimeoutHandle::reschedule), and ask
/// whether it [`expired`](TimeoutHandle::expired). Clones share the one deadline; the handle may
/// be used inside the timed block (it is passed to it) or anywhere else on the loop's thread.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use wasio::time::timeout_scope;
/// use wasio::{sleep, Instant};
/// wasio::testing::run(async {
///     // A deadline that moves with progress: each step buys two more seconds.
///     let r = timeout_scope(Some(Duration::from_secs(2)), |deadline| async move {
///         for _ in 0..5 {
///             sleep(Duration::from_secs(1)).await;
///             deadline.reschedule(Some(Instant::now() + Duration::from_secs(2))).unwrap();
///         }
///         "all steps done"
///     })
///     .await;
///     assert_eq!(r, Ok("all steps done")); // 5 s, past the first deadline
/// });
/// ```
#[derive(Clone)]
pub struct TimeoutHandle {
    shared: Rc<Shared>,
}

impl fmt::Debug for TimeoutHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimeoutHandle")
            .field("when", &self.when())
            .field("expired", &self.expired())
            .finish()
    }
}

impl TimeoutHandle {
    /// The current deadline, or `None` if there is none (asyncio's `Timeout.when()`).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// wasio::testing::run(async {
    ///     let scope = wasio::time::timeout_scope(None, |_| async {});
    ///     assert_eq!(scope.handle().when(), None);
    ///     let at = wasio::Instant::now() + Duration::from_secs(3);
    ///     let scope = wasio::time::timeout_scope_at(Some(at), |_| async {});
    ///     assert_eq!(scope.handle().when(), Some(at));
    /// });
    /// ```
    pub fn when(&self) -> Option<Instant> {
        self.shared.deadline.get()
    }

    /// Moves the deadline to `when` (`None`: no deadline; a time already past: the scope expires
    /// at its next poll, unless its future is ready then). asyncio's `Timeout.reschedule()`.
    /// After the scope has finished it changes nothing.
    ///
    /// # Errors
    ///
    /// [`Elapsed`] if the timeout has already expired (asyncio raises `RuntimeError` there): the
    /// timed future is gone and nothing changes.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use wasio::{sleep, Instant};
    /// wasio::testing::run(async {
    ///     let scope = wasio::time::timeout_scope(Some(Duration::from_secs(1)), |_| {
    ///         sleep(Duration::from_secs(10))
    ///     });
    ///     let handle = scope.handle();
    ///     handle.reschedule(None).unwrap(); // from outside the block: no deadline any more
    ///     assert_eq!(scope.await, Ok(()));
    ///     assert_eq!(Instant::now().since_origin(), Duration::from_secs(10));
    ///
    ///     let scope = wasio::time::timeout_scope(Some(Duration::ZERO), |_| sleep(Duration::from_secs(1)));
    ///     let handle = scope.handle();
    ///     assert!(scope.await.is_err());
    ///     assert!(handle.reschedule(None).is_err()); // too late
    /// });
    /// ```
    pub fn reschedule(&self, when: Option<Instant>) -> Result<(), Elapsed> {
        let s = &self.shared;
        match s.state.get() {
            State::Expired => Err(Elapsed::new()),
            State::Finished => Ok(()),
            State::Running => {
                s.deadline.set(when);
                s.moved.set(true);
                if let Some(w) = s.waker.take() {
                    w.wake();
                }
                Ok(())
            }
        }
    }

    /// Whether the deadline passed before the timed future finished (asyncio's
    /// `Timeout.expired()`).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// wasio::testing::run(async {
    ///     let scope = wasio::time::timeout_scope(Some(Duration::from_secs(1)), |_| {
    ///         wasio::sleep(Duration::from_secs(2))
    ///     });
    ///     let handle = scope.handle();
    ///     assert!(!handle.expired());
    ///     assert!(scope.await.is_err());
    ///     assert!(handle.expired());
    /// });
    /// ```
    pub fn expired(&self) -> bool {
        self.shared.state.get() == State::Expired
    }
}

/// Runs the future `block` makes for at most `delay` (`None`: no deadline until one is set),
/// handing `block` a [`TimeoutHandle`] with which it can read and move its own deadline
/// (asyncio's `async with asyncio.timeout(delay) as t:`). On expiry the future is dropped (its
/// destructors run) and `Err(Elapsed)` is returned, as [`timeout`](super::timeout) does.
///
/// # Cancel safety
///
/// As cancel safe as the future `block` makes: dropping the scope drops it.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use wasio::time::timeout_scope;
/// use wasio::{sleep, Instant};
/// wasio::testing::run(async {
///     let r = timeout_scope(Some(Duration::from_secs(10)), |t| async move {
///         // Tighten our own deadline from inside the block.
///         t.reschedule(Some(Instant::now() + Duration::from_secs(1))).unwrap();
///         sleep(Duration::from_secs(5)).await;
///     })
///     .await;
///     assert!(r.is_err());
///     assert_eq!(Instant::now().since_origin(), Duration::from_secs(1));
/// });
/// ```
pub fn timeout_scope<B, F>(delay: Option<Duration>, block: B) -> TimeoutScope<F>
where
    B: FnOnce(TimeoutHandle) -> F,
    F: Future,
{
    timeout_scope_at(delay.map(|d| Instant::now() + d), block)
}

/// Like [`timeout_scope`], with the deadline as a point on the loop clock (asyncio's
/// `asyncio.timeout_at(when)`).
///
/// # Cancel safety
///
/// As [`timeout_scope`].
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// wasio::testing::run(async {
///     let at = wasio::Instant::now() + Duration::from_secs(2);
///     let r = wasio::time::timeout_scope_at(Some(at), |t| async move {
///         assert_eq!(t.when(), Some(at));
///         wasio::sleep(Duration::from_secs(1)).await;
///         7
///     })
///     .await;
///     assert_eq!(r, Ok(7));
/// });
/// ```
pub fn timeout_scope_at<B, F>(when: Option<Instant>, block: B) -> TimeoutScope<F>
where
    B: FnOnce(TimeoutHandle) -> F,
    F: Future,
{
    let shared = Rc::new(Shared {
        deadline: Cell::new(when),
        moved: Cell::new(false),
        state: Cell::new(State::Running),
        waker: Cell::new(None),
    });
    let future = block(TimeoutHandle {
        shared: shared.clone(),
    });
    TimeoutScope {
        future,
        timer: when.map(sleep_until),
        shared,
    }
}

/// The future of [`timeout_scope`] and [`timeout_scope_at`].
///
/// # Examples
///
/// ```
/// wasio::testing::run(async {
///     let scope: wasio::time::TimeoutScope<_> = wasio::time::timeout_scope(None, |_| async { 1 });
///     assert_eq!(scope.await, Ok(1));
/// });
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct TimeoutScope<F> {
    future: F,
    timer: Option<Sleep>,
    shared: Rc<Shared>,
}

impl<F> fmt::Debug for TimeoutScope<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimeoutScope")
            .field("handle", &self.handle())
            .finish_non_exhaustive()
    }
}

impl<F> TimeoutScope<F> {
    /// Another handle to this scope's deadline, for use outside the timed block.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// wasio::testing::run(async {
    ///     let scope = wasio::time::timeout_scope(Some(Duration::from_secs(1)), |_| async {});
    ///     let h = scope.handle();
    ///     assert!(h.when().is_some() && !h.expired());
    ///     scope.await.unwrap();
    /// });
    /// ```
    pub fn handle(&self) -> TimeoutHandle {
        TimeoutHandle {
            shared: self.shared.clone(),
        }
    }
}

impl<F: Future> Future for TimeoutScope<F> {
    type Output = Result<F::Output, Elapsed>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let (future, timer, shared) = project(self);
        if shared.state.get() != State::Running {
            panic!("TimeoutScope polled after completion");
        }
        if let Poll::Ready(v) = future.poll(cx) {
            shared.state.set(State::Finished);
            return Poll::Ready(Ok(v));
        }
        if shared.moved.replace(false) {
            match (shared.deadline.get(), timer.as_mut()) {
                (None, _) => *timer = None,
                (Some(at), Some(t)) => t.reset(at),
                (Some(at), None) => *timer = Some(sleep_until(at)),
            }
        }
        if let Some(t) = timer {
            if Pin::new(t).poll(cx).is_ready() {
                shared.state.set(State::Expired);
                *timer = None;
                return Poll::Ready(Err(Elapsed::new()));
            }
        }
        let w = shared.waker.take();
        shared.waker.set(Some(match w {
            Some(w) if w.will_wake(cx.waker()) => w,
            _ => cx.waker().clone(),
        }));
        Poll::Pending
    }
}

#[allow(unsafe_code)]
fn project<F>(s: Pin<&mut TimeoutScope<F>>) -> (Pin<&mut F>, &mut Option<Sleep>, &Shared) {
    // SAFETY: `future` is structurally pinned (`TimeoutScope` has no `Drop` impl and never moves
    // it); `timer` and `shared` are `Unpin` and never pinned.
    unsafe {
        let this = s.get_unchecked_mut();
        (
            Pin::new_unchecked(&mut this.future),
            &mut this.timer,
            &this.shared,
        )
    }
}
