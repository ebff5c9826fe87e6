//! [`Event`]: one thing the loop did, when, and to which task.

use super::WaitReason;
use crate::task::TaskId;
use crate::time::Instant;

/// Something the runtime did, and when (see the [module docs](crate::trace)).
///
/// `time` is the loop clock's reading when it happened: on the simulated clock it is virtual
/// time, so a trace of a test is the same on every run and every host.
///
/// # Examples
///
/// ```
/// use std::{cell::RefCell, rc::Rc, time::Duration};
/// use wasio::trace::{self, Event, EventKind};
/// let events = Rc::new(RefCell::new(Vec::new()));
/// let sink = events.clone();
/// trace::set_subscriber(move |e: &Event| sink.borrow_mut().push(e.clone()));
/// wasio::testing::run(async { wasio::sleep(Duration::from_secs(1)).await });
/// trace::clear_subscriber();
/// let events = events.borrow();
/// let fired = events.iter().find(|e| matches!(e.kind, EventKind::TimerFired { .. })).unwrap();
/// assert_eq!(fired.time.since_origin(), Duration::from_secs(1)); // virtual time
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The loop clock when it happened.
    pub time: Instant,
    /// What happened.
    pub kind: EventKind,
}

impl Event {
    /// The task the event is about, if any (timer events have none).
    ///
    /// # Examples
    ///
    /// ```
    /// use wasio::trace::{Event, EventKind};
    /// let t = wasio::Instant::FAR_FUTURE;
    /// let e = Event { time: t, kind: EventKind::TimerFired { deadline: t } };
    /// assert_eq!(e.task(), None);
    /// ```
    pub fn task(&self) -> Option<TaskId> {
        self.kind.task()
    }
}

/// What happened (see the [module docs](crate::trace) for how the kinds make a timeline).
///
/// # Examples
///
/// ```
/// use std::{cell::RefCell, rc::Rc, time::Duration};
/// use wasio::trace::{self, EventKind, WaitReason};
/// let kinds = Rc::new(RefCell::new(Vec::new()));
/// let sink = kinds.clone();
/// trace::set_subscriber(move |e| sink.borrow_mut().push(e.kind.clone()));
/// wasio::testing::run(async {
///     // (The future given to `run` is not a task: spawn one to see its polls.)
///     wasio::spawn(wasio::sleep(Duration::from_secs(1))).await.unwrap();
/// });
/// trace::clear_subscriber();
/// assert!(kinds.borrow().iter().any(|k| matches!(
///     k,
///     EventKind::PollEnd { ready: false, reason: Some(WaitReason::Sleep), .. }
/// )));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventKind {
    /// A task was spawned (a [`Wake`](Self::Wake) queueing it follows).
    Spawn {
        /// The new task.
        task: TaskId,
        /// Its name, if it has one.
        name: Option<String>,
        /// The task that was running when it was spawned, if any.
        by: Option<TaskId>,
    },
    /// A task was queued to run.
    Wake {
        /// The task.
        task: TaskId,
        /// The task that was running when the wake happened (the one that released a lock, put
        /// an item, finished, or spawned it; the task itself for a yield), or `None` when a
        /// timer, I/O, a JS callback or another thread woke it.
        by: Option<TaskId>,
    },
    /// A poll of a task begins.
    PollBegin {
        /// The task.
        task: TaskId,
    },
    /// A poll of a task ended.
    PollEnd {
        /// The task.
        task: TaskId,
        /// Whether the task ended in this poll.
        ready: bool,
        /// When the task is still pending, what it waits on; `None` if it ended, or if it waits
        /// on something that does not say (a future from another crate).
        reason: Option<WaitReason>,
    },
    /// A task ended with an output (or a panic).
    Complete {
        /// The task.
        task: TaskId,
    },
    /// Cancellation of a task was requested.
    CancelRequested {
        /// The task.
        task: TaskId,
    },
    /// A task ended by cancellation.
    Cancelled {
        /// The task.
        task: TaskId,
    },
    /// A timer was armed for `deadline`.
    TimerArmed {
        /// When it is due (loop clock).
        deadline: Instant,
    },
    /// A timer fired.
    TimerFired {
        /// When it was due (loop clock).
        deadline: Instant,
    },
}

impl EventKind {
    /// A stable lower-case name for the kind (`"spawn"`, `"wake"`, `"poll_begin"`, `"poll_end"`,
    /// `"complete"`, `"cancel_requested"`, `"cancelled"`, `"timer_armed"`, `"timer_fired"`), for
    /// serialising traces.
    ///
    /// # Examples
    ///
    /// ```
    /// use wasio::trace::EventKind;
    /// let t = wasio::Instant::FAR_FUTURE;
    /// assert_eq!(EventKind::TimerArmed { deadline: t }.name(), "timer_armed");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Spawn { .. } => "spawn",
            EventKind::Wake { .. } => "wake",
            EventKind::PollBegin { .. } => "poll_begin",
            EventKind::PollEnd { .. } => "poll_end",
            EventKind::Complete { .. } => "complete",
            EventKind::CancelRequested { .. } => "cancel_requested",
            EventKind::Cancelled { .. } => "cancelled",
            EventKind::TimerArmed { .. } => "timer_armed",
            EventKind::TimerFired { .. } => "timer_fired",
        }
    }

    /// The task the event is about, if any (timer events have none).
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let t = wasio::spawn(async {});
    ///     let kind = wasio::trace::EventKind::Complete { task: t.id() };
    ///     assert_eq!(kind.task(), Some(t.id()));
    /// });
    /// ```
    pub fn task(&self) -> Option<TaskId> {
        match self {
            EventKind::Spawn { task, .. }
            | EventKind::Wake { task, .. }
            | EventKind::PollBegin { task }
            | EventKind::PollEnd { task, .. }
            | EventKind::Complete { task }
            | EventKind::CancelRequested { task }
            | EventKind::Cancelled { task } => Some(*task),
            EventKind::TimerArmed { .. } | EventKind::TimerFired { .. } => None,
        }
    }
}
