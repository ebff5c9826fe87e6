//! Runtime events for timelines and debugging.
//!
//! # Data structure
//!
//! The loop keeps at most one subscriber per thread (a `Fn(&Event)`), installed with
//! [`set_subscriber`] and removed with [`clear_subscriber`]. While one is set, the loop reports
//! every [`Event`] to it synchronously, on the loop's thread, in the order things happen. Each
//! event carries the loop clock's reading ([`Event::time`]: virtual time on the simulated clock)
//! and an [`EventKind`]:
//!
//! * a task's life: [`Spawn`](EventKind::Spawn), [`Complete`](EventKind::Complete),
//!   [`CancelRequested`](EventKind::CancelRequested), [`Cancelled`](EventKind::Cancelled);
//! * its scheduling: [`Wake`](EventKind::Wake) (queued to run, `by` the task that was running,
//!   if any), [`PollBegin`](EventKind::PollBegin), and [`PollEnd`](EventKind::PollEnd), which
//!   says, when the task is still pending, what it now waits on (a [`WaitReason`]);
//! * timers: [`TimerArmed`](EventKind::TimerArmed), [`TimerFired`](EventKind::TimerFired).
//!
//! So a timeline is one lane per task: *ready* from `Wake` to `PollBegin`, *running* from
//! `PollBegin` to `PollEnd`, *waiting on the reason* from a pending `PollEnd` to the next `Wake`.
//!
//! The wait reason is collected during the poll: each primitive, on the path where it returns
//! `Pending`, records what it waits on in one per-thread byte, which the loop reads when the
//! poll ends. The first record in a poll wins (a `timeout` around a queue `get` waits on the queue,
//! not the timer), except that the I/O front ends (stream read and write, accept, connect) name
//! the wait over whatever their transport recorded.
//!
//! # Cost
//!
//! With no subscriber, every event site in the loop and every wait-reason site in a primitive is
//! one predictable branch: the event and its time are built only in a cold function reached when
//! a subscriber is set (see the core benchmark's trace row).

mod event;
mod subscriber;
pub(crate) mod wait;

pub use event::{Event, EventKind};
pub use subscriber::{clear_subscriber, set_subscriber};
pub use wait::WaitReason;

/// Records that the poll in progress waits on `reason`, for futures outside the crate: a front
/// end's own wait (the npm package's tasks, whose waits are JS promises) names it as wasio's
/// primitives do. As for theirs, the first reason recorded in a poll wins, and with no subscriber
/// it does nothing (one branch). Call it on the path that returns `Pending`.
///
/// # Examples
///
/// ```
/// use std::{cell::RefCell, rc::Rc, task::Poll};
/// use wasio::trace::{self, EventKind, WaitReason};
/// let reasons = Rc::new(RefCell::new(Vec::new()));
/// let sink = reasons.clone();
/// trace::set_subscriber(move |e| {
///     if let EventKind::PollEnd { reason: Some(r), .. } = e.kind {
///         sink.borrow_mut().push(r);
///     }
/// });
/// wasio::testing::run(async {
///     let mut first = true;
///     let t = wasio::spawn(std::future::poll_fn(move |cx| {
///         if std::mem::take(&mut first) {
///             trace::record_wait(WaitReason::Promise); // waiting on something of our own
///             cx.waker().wake_by_ref();
///             return Poll::Pending;
///         }
///         Poll::Ready(())
///     }));
///     t.await.unwrap();
/// });
/// trace::clear_subscriber();
/// assert_eq!(*reasons.borrow(), [WaitReason::Promise]);
/// ```
pub fn record_wait(reason: WaitReason) {
    wait::waiting(reason);
}
