//! Cancellation delivered at an await point: [`cancellable`], [`Cancelled`], and the task-level
//! request ([`TaskRef::request_cancel`], [`cancelling`](TaskRef::cancelling),
//! [`uncancel`](TaskRef::uncancel)) that front ends with exceptions (Python's `CancelledError`,
//! JavaScript's `AbortSignal`) build on.
//!
//! # Two kinds of cancellation
//!
//! * [`Task::cancel`](crate::Task::cancel) is Rust's: the task's future is *dropped* at its next
//!   scheduling point, destructors run, and nothing in the task gets to react. It is unchanged.
//! * A **cancel request** ([`TaskRef::request_cancel`], asyncio's `Task.cancel()`) is delivered as
//!   an *error at an await point*: the task's next [`cancellable`] await that has to wait returns
//!   `Err(`[`Cancelled`]`)` instead of waiting. The task's own code sees it, may run clean-up that
//!   itself awaits, and then re-raises (returns the error), or swallows it and carries on.
//!
//! # Data structure
//!
//! Each task's header holds one `u32` of request state: the number of requests made and not
//! withdrawn (asyncio's `cancelling()` count, low 31 bits, saturating), and an *undelivered* bit.
//!
//! * `request_cancel` adds one to the count, sets the undelivered bit and wakes the task, so that
//!   an await it is blocked in is polled again; `false` (and nothing changes) once the task has
//!   ended.
//! * A [`Cancellable`] polls its inner future first. If the inner future is ready, its output is
//!   returned (a request arriving at the same time is kept for the next await: nothing the inner
//!   future produced is lost). If it is pending and the undelivered bit of the task polling it is
//!   set, it clears the bit, drops the inner future in place (so the inner future must be cancel
//!   safe, as every wasio future documents) and returns `Err(Cancelled)`. Because the check comes
//!   after the inner poll, nested cancellable awaits deliver at the *innermost* one that waits,
//!   as a Python exception is raised at the innermost `await`.
//! * [`uncancel`](TaskRef::uncancel) takes one off the count (asyncio's `uncancel()`); when it
//!   reaches zero an undelivered request is withdrawn too. [`cancelling`](TaskRef::cancelling)
//!   reads the count. A timeout or task group that makes requests of its own compares the count
//!   after `uncancel` with the count it saw on entry, to tell its own request from one made from
//!   outside (asyncio's `timeout` and `TaskGroup` do exactly this).
//! * A task that returns while a request is still undelivered ends cancelled (its output is
//!   dropped), as an asyncio task whose coroutine returns with `_must_cancel` set does.
//!
//! Delivered requests do not end the task by themselves: a task that returns `Err(Cancelled)` as
//! its output has returned a value. To end it cancelled, as a Python coroutine raising
//! `CancelledError` does, call [`cancel`](TaskRef::cancel) on [`current_task`](crate::current_task)
//! just before returning: a task cancelled during its last poll ends cancelled.
//!
//! An await outside any task (in the future given to [`run`](crate::run), which is not a task)
//! is never interrupted.
//!
//! # For front ends
//!
//! * Python: each coroutine run as a task is a wasio task; every `await` in it goes through
//!   `cancellable`, `Task.cancel()` is [`request_cancel`](TaskRef::request_cancel), and
//!   `Err(Cancelled)` is raised as `CancelledError` at that `await`. A coroutine that lets it
//!   escape ends its task cancelled by calling `cancel()` on its own task before returning (see
//!   above). When the interrupted await was on another task (`await other`), asyncio cancels that
//!   task too: the front end passes the request on with `other.request_cancel()`.
//! * JavaScript: a call that takes an `AbortSignal` runs as a task whose wait goes through
//!   `cancellable`; the signal's `abort` event calls `request_cancel` on that task, and
//!   `Err(Cancelled)` rejects with an `AbortError`.
//!
//! # Examples
//!
//! Catch, clean up (with an await), re-raise:
//!
//! ```
//! use std::{cell::RefCell, rc::Rc, time::Duration};
//! use wasio::task::{cancellable, Cancelled};
//! use wasio::{sleep, spawn, Instant};
//!
//! wasio::testing::run(async {
//!     let log = Rc::new(RefCell::new(Vec::new()));
//!     let worker = spawn({
//!         let log = log.clone();
//!         async move {
//!             match cancellable(sleep(Duration::from_secs(60))).await {
//!                 Ok(()) => Ok("finished"),
//!                 Err(cancelled) => {
//!                     log.borrow_mut().push("cleaning up");
//!                     // The request was delivered: this await is not interrupted.
//!                     cancellable(sleep(Duration::from_secs(1))).await.unwrap();
//!                     log.borrow_mut().push("re-raising");
//!                     Err(cancelled)
//!                 }
//!             }
//!         }
//!     });
//!     sleep(Duration::from_secs(5)).await;
//!     assert!(worker.request_cancel());
//!     assert_eq!(worker.await.unwrap(), Err(Cancelled));
//!     assert_eq!(*log.borrow(), ["cleaning up", "re-raising"]);
//!     assert_eq!(Instant::now().since_origin(), Duration::from_secs(6));
//! });
//! ```
//!
//! asyncio's `timeout()` built on these pieces, as a front end would: on expiry it *requests*
//! cancellation, lets the block clean up, and on the way out takes its own request back; only if
//! no other request is left does the `Cancelled` become a timeout.
//!
//! ```
//! use std::{cell::Cell, future::Future, rc::Rc, time::Duration};
//! use wasio::task::{cancellable, Cancelled};
//! use wasio::{call_later, current_task, sleep, spawn};
//!
//! #[derive(Debug, PartialEq)]
//! enum Stop { TimedOut, Cancelled }
//!
//! async fn timeout_by_request<T>(
//!     delay: Duration,
//!     block: impl Future<Output = Result<T, Cancelled>>,
//! ) -> Result<T, Stop> {
//!     let me = current_task().expect("inside a task");
//!     let entry = me.cancelling();
//!     let fired = Rc::new(Cell::new(false));
//!     let timer = call_later(delay, {
//!         let (me, fired) = (me.clone(), fired.clone());
//!         move || {
//!             fired.set(true);
//!             me.request_cancel();
//!         }
//!     });
//!     let out = block.await;
//!     timer.cancel();
//!     // Ours alone: our request taken back leaves no more than there were on entry.
//!     let ours_alone = fired.get() && me.uncancel() <= entry;
//!     match out {
//!         Ok(v) => Ok(v),
//!         Err(Cancelled) if ours_alone => Err(Stop::TimedOut),
//!         Err(Cancelled) => Err(Stop::Cancelled),
//!     }
//! }
//!
//! wasio::testing::run(async {
//!     let slow = || cancellable(sleep(Duration::from_secs(10)));
//!     let timed_out = spawn(timeout_by_request(Duration::from_secs(1), slow()));
//!     assert_eq!(timed_out.await.unwrap(), Err(Stop::TimedOut));
//!
//!     // Cancelled from outside before the deadline: not a timeout.
//!     let outside = spawn(timeout_by_request(Duration::from_secs(5), slow()));
//!     sleep(Duration::from_secs(1)).await;
//!     outside.request_cancel();
//!     assert_eq!(outside.await.unwrap(), Err(Stop::Cancelled));
//! });
//! ```

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::TaskRef;
use crate::executor::{self, HasHeader, RawTask, UNDELIVERED};

/// A cancel request delivered at an await point (asyncio's `CancelledError`): what a
/// [`cancellable`] await returns instead of waiting, once [`TaskRef::request_cancel`] was called
/// on the task.
///
/// # Examples
///
/// ```
/// use wasio::task::{cancellable, Cancelled};
/// wasio::run(async {
///     let t = wasio::spawn(cancellable(std::future::pending::<()>()));
///     t.request_cancel();
///     let e: Cancelled = t.await.unwrap().unwrap_err();
///     assert_eq!(e.to_string(), "the task's cancellation was requested");
/// });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Cancelled;

crate::macros::unit_error!(Cancelled, "the task's cancellation was requested");

/// Awaits `future`, unless a cancel request for the task polling it arrives while it waits: then
/// `future` is dropped and the await returns `Err(Cancelled)` (see the [module docs](self)).
///
/// A request is delivered only when the inner future is pending: if it is ready, its output is
/// returned and the request stays pending for the task's next `cancellable` await.
///
/// # Cancel safety
///
/// As cancel safe as `future`, which a delivered request drops. Dropping the `Cancellable` itself
/// drops `future` and leaves any request undelivered.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use wasio::task::{cancellable, Cancelled};
/// wasio::testing::run(async {
///     let t = wasio::spawn(async {
///         let first = cancellable(wasio::sleep(Duration::from_secs(10))).await;
///         // Swallow the cancellation and carry on (asyncio: catch it, then `uncancel()`).
///         let me = wasio::current_task().unwrap();
///         assert_eq!(me.uncancel(), 0);
///         let second = cancellable(async { 7 }).await;
///         (first, second)
///     });
///     wasio::sleep(Duration::from_secs(1)).await;
///     t.request_cancel();
///     assert_eq!(t.await.unwrap(), (Err(Cancelled), Ok(7)));
/// });
/// ```
pub fn cancellable<F: Future>(future: F) -> Cancellable<F> {
    Cancellable {
        future: Some(future),
    }
}

/// The future of [`cancellable`].
///
/// # Examples
///
/// ```
/// wasio::run(async {
///     let c: wasio::task::Cancellable<_> = wasio::task::cancellable(async { 1 });
///     assert_eq!(c.await, Ok(1));
/// });
/// ```
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct Cancellable<F> {
    future: Option<F>,
}

impl<F: Future> Future for Cancellable<F> {
    type Output = Result<F::Output, Cancelled>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slot = project(self);
        let Some(future) = slot.as_mut().as_pin_mut() else {
            panic!("Cancellable polled after completion");
        };
        if let Poll::Ready(v) = future.poll(cx) {
            slot.set(None);
            return Poll::Ready(Ok(v));
        }
        if take_undelivered() {
            slot.set(None);
            return Poll::Ready(Err(Cancelled));
        }
        Poll::Pending
    }
}

#[allow(unsafe_code)]
fn project<F>(c: Pin<&mut Cancellable<F>>) -> Pin<&mut Option<F>> {
    // SAFETY: `future` is structurally pinned: `Cancellable` has no `Drop` impl, never moves the
    // inner future out, and drops it only in place (`Pin::set`).
    unsafe { c.map_unchecked_mut(|c| &mut c.future) }
}

/// Clears the undelivered bit of the task being polled; `true` if it was set.
fn take_undelivered() -> bool {
    let Some(task) = executor::with(|ex| ex.current()) else {
        return false;
    };
    let requests = &task.header().requests;
    let r = requests.get();
    if r & UNDELIVERED == 0 {
        return false;
    }
    requests.set(r & !UNDELIVERED);
    true
}

/// See [`TaskRef::request_cancel`].
pub(crate) fn request(task: &TaskRef) -> bool {
    let raw = task.raw();
    let h = raw.header();
    if h.is_done() {
        return false;
    }
    let count = (h.requests.get() & !UNDELIVERED)
        .saturating_add(1)
        .min(!UNDELIVERED);
    h.requests.set(count | UNDELIVERED);
    // Wake it, so that an await it is blocked in sees the request (a spurious poll for any other
    // future, which futures allow).
    let raw = raw.clone();
    executor::with(|ex| ex.schedule(raw));
    true
}

/// See [`TaskRef::cancelling`].
pub(crate) fn cancelling(task: &dyn RawTask) -> u32 {
    task.header().requests.get() & !UNDELIVERED
}

/// See [`TaskRef::uncancel`].
pub(crate) fn uncancel(task: &dyn RawTask) -> u32 {
    let requests = &task.header().requests;
    let r = requests.get();
    let count = r & !UNDELIVERED;
    if count == 0 {
        return 0;
    }
    let left = count - 1;
    // The last request withdrawn takes an undelivered one with it (asyncio 3.13).
    requests.set(if left == 0 {
        0
    } else {
        left | (r & UNDELIVERED)
    });
    left
}
