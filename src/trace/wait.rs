//! [`WaitReason`], and the hooks through which a primitive says what a pending poll waits on.
//!
//! # Data structure
//!
//! One byte per thread, `WAIT`, a `const` thread-local (a plain static on wasm; natively a
//! thread-local with no initialiser or destructor to check):
//!
//! | value | meaning |
//! |---|---|
//! | `OFF` (0) | no subscriber: every hook does nothing |
//! | `EMPTY` (1) | a subscriber is set, and nothing was recorded in this poll yet |
//! | a [`WaitReason`] (2 and up) | what this poll waits on |
//!
//! The executor sets `EMPTY` or `OFF` with the subscriber, resets the byte to `EMPTY` when a poll
//! begins and takes the reason when it ends (both only while tracing, in its cold reporting path).
//! A hook is one load and one compare: [`waiting`] records only into `EMPTY` (the first reason in
//! a poll wins, so a `timeout` around a queue `get` waits on the queue), [`waiting_io`] into
//! anything but `OFF` (an I/O front end names the wait over what its transport recorded).

use std::cell::Cell;
use std::task::Poll;

const OFF: u8 = 0;
const EMPTY: u8 = 1;

thread_local! {
    static WAIT: Cell<u8> = const { Cell::new(OFF) };
}

/// What a pending task waits on, as [`EventKind::PollEnd`](super::EventKind::PollEnd) reports it.
///
/// # Examples
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
/// use wasio::trace::{self, EventKind, WaitReason};
/// let reasons = Rc::new(RefCell::new(Vec::new()));
/// let sink = reasons.clone();
/// trace::set_subscriber(move |e| {
///     if let EventKind::PollEnd { reason: Some(r), .. } = e.kind {
///         sink.borrow_mut().push(r);
///     }
/// });
/// wasio::testing::run(async {
///     let q = Rc::new(wasio::queue::Queue::new(0));
///     let q2 = q.clone();
///     let consumer = wasio::spawn(async move { q2.get().await.unwrap() });
///     let producer = wasio::spawn(async move {
///         wasio::yield_now().await; // the consumer runs first and waits on the empty queue
///         q.put(7).await.unwrap();
///     });
///     producer.await.unwrap();
///     assert_eq!(consumer.await.unwrap(), 7);
/// });
/// trace::clear_subscriber();
/// assert_eq!(reasons.borrow()[..], [WaitReason::QueueGet, WaitReason::Yield]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[repr(u8)]
pub enum WaitReason {
    /// A timer: [`sleep`](crate::sleep), [`interval`](crate::time::interval) ticks, a
    /// [`timeout`](crate::timeout) whose inner future said nothing.
    Sleep = 2,
    /// [`yield_now`](crate::yield_now) (or a zero sleep): ready again at once.
    Yield,
    /// A [`Lock`](crate::sync::Lock).
    Lock,
    /// A [`Semaphore`](crate::sync::Semaphore) permit.
    Semaphore,
    /// An [`Event`](crate::sync::Event) being set.
    Event,
    /// A [`Condition`](crate::sync::Condition) or [`LockCondition`](crate::sync::LockCondition)
    /// notification.
    Condition,
    /// A [`Barrier`](crate::sync::Barrier).
    Barrier,
    /// An item from an empty queue.
    QueueGet,
    /// Room in a full queue.
    QueuePut,
    /// A queue's `join` (every item marked done).
    QueueJoin,
    /// Another task: awaiting a [`Task`](crate::task::Task), `gather`, `wait`, a task group.
    Task,
    /// Reading a stream (TCP, WebSocket, fetch body, stdin, in-memory).
    Read,
    /// Writing a stream: its buffer above the high-water mark, a drain or a close.
    Write,
    /// A server waiting for its next connection.
    Accept,
    /// Opening a connection.
    Connect,
    /// Other host I/O (a WASI pollable: UDP, name lookup, stdio).
    Io,
    /// A JavaScript promise (a JS call, the fetch of a response or a body chunk).
    Promise,
}

impl WaitReason {
    /// Every reason, in declaration order.
    const ALL: [WaitReason; 17] = [
        WaitReason::Sleep,
        WaitReason::Yield,
        WaitReason::Lock,
        WaitReason::Semaphore,
        WaitReason::Event,
        WaitReason::Condition,
        WaitReason::Barrier,
        WaitReason::QueueGet,
        WaitReason::QueuePut,
        WaitReason::QueueJoin,
        WaitReason::Task,
        WaitReason::Read,
        WaitReason::Write,
        WaitReason::Accept,
        WaitReason::Connect,
        WaitReason::Io,
        WaitReason::Promise,
    ];

    /// A stable lower-case name (`"sleep"`, `"yield"`, `"lock"`, `"semaphore"`, `"event"`,
    /// `"condition"`, `"barrier"`, `"queue_get"`, `"queue_put"`, `"queue_join"`, `"task"`,
    /// `"read"`, `"write"`, `"accept"`, `"connect"`, `"io"`, `"promise"`), for serialising traces.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(wasio::trace::WaitReason::QueueGet.name(), "queue_get");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            WaitReason::Sleep => "sleep",
            WaitReason::Yield => "yield",
            WaitReason::Lock => "lock",
            WaitReason::Semaphore => "semaphore",
            WaitReason::Event => "event",
            WaitReason::Condition => "condition",
            WaitReason::Barrier => "barrier",
            WaitReason::QueueGet => "queue_get",
            WaitReason::QueuePut => "queue_put",
            WaitReason::QueueJoin => "queue_join",
            WaitReason::Task => "task",
            WaitReason::Read => "read",
            WaitReason::Write => "write",
            WaitReason::Accept => "accept",
            WaitReason::Connect => "connect",
            WaitReason::Io => "io",
            WaitReason::Promise => "promise",
        }
    }

    fn from_code(code: u8) -> Option<WaitReason> {
        Self::ALL.get(usize::from(code.checked_sub(2)?)).copied()
    }
}

/// Records that the current poll waits on `reason`, unless something recorded a reason first in
/// this poll (or nobody traces). Call it on the path that returns `Pending`.
#[inline]
pub(crate) fn waiting(reason: WaitReason) {
    record(reason, EMPTY);
}

/// Records `reason` if a subscriber is set and the byte holds at most `over` (`EMPTY`: only the
/// first reason of a poll; `u8::MAX`: over anything recorded).
///
/// Size: on wasm this is out of line, one copy for both hooks, so a site costs a call (6 bytes)
/// rather than the byte's load, compare and store (about 28 bytes with the component's
/// position-independent addressing; the WASI echo component has seven sites). Natively it stays
/// inline (the sync benchmarks' pending paths run without a call).
#[cfg_attr(target_arch = "wasm32", inline(never))]
#[cfg_attr(not(target_arch = "wasm32"), inline)]
fn record(reason: WaitReason, over: u8) {
    WAIT.with(|w| {
        let now = w.get();
        if now != OFF && now <= over {
            w.set(reason as u8);
        }
    });
}

/// [`waiting`], then `Pending`: `return trace::wait::pending(WaitReason::Lock);`.
#[inline]
pub(crate) fn pending<T>(reason: WaitReason) -> Poll<T> {
    waiting(reason);
    Poll::Pending
}

/// Records that the current poll waits on `reason`, over whatever was recorded before (an I/O
/// front end names the wait of the transport under it).
#[inline]
pub(crate) fn waiting_io(reason: WaitReason) {
    record(reason, u8::MAX);
}

/// A subscriber was set (`true`) or removed: the hooks record from now on, or stop.
pub(crate) fn set_tracing(on: bool) {
    WAIT.with(|w| w.set(if on { EMPTY } else { OFF }));
}

/// A poll begins (while tracing): nothing recorded yet.
pub(crate) fn begin_poll() {
    WAIT.with(|w| {
        if w.get() != OFF {
            w.set(EMPTY);
        }
    });
}

/// A poll ended (while tracing): what it recorded, if anything.
pub(crate) fn end_poll() -> Option<WaitReason> {
    WAIT.with(|w| {
        let code = w.get();
        if code == OFF {
            return None;
        }
        w.set(EMPTY);
        WaitReason::from_code(code)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_names_are_distinct() {
        for (i, r) in WaitReason::ALL.iter().enumerate() {
            assert_eq!(*r as u8, i as u8 + 2);
            assert_eq!(WaitReason::from_code(*r as u8), Some(*r));
        }
        assert_eq!(WaitReason::from_code(OFF), None);
        assert_eq!(WaitReason::from_code(EMPTY), None);
        assert_eq!(WaitReason::from_code(2 + WaitReason::ALL.len() as u8), None);
        let mut names: Vec<_> = WaitReason::ALL.iter().map(|r| r.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), WaitReason::ALL.len());
    }

    #[test]
    fn the_first_reason_wins_and_io_overrides() {
        set_tracing(true);
        begin_poll();
        waiting(WaitReason::QueueGet);
        waiting(WaitReason::Sleep);
        assert_eq!(end_poll(), Some(WaitReason::QueueGet));
        waiting(WaitReason::Io);
        waiting_io(WaitReason::Read);
        waiting(WaitReason::Sleep);
        assert_eq!(end_poll(), Some(WaitReason::Read));
        assert_eq!(end_poll(), None);
        set_tracing(false);
        waiting(WaitReason::Lock);
        waiting_io(WaitReason::Read);
        assert_eq!(end_poll(), None);
    }
}
