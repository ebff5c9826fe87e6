//! Runtime events for timelines and debugging.
//!
//! Install a subscriber with [`set_subscriber`]; the loop then reports every [`Event`] to it
//! synchronously, on the loop's thread. With no subscriber the cost is one predictable branch per
//! event site.

use std::rc::Rc;

use crate::task::TaskId;

/// Something the runtime did.
///
/// # Examples
///
/// ```
/// use std::{cell::RefCell, rc::Rc, time::Duration};
/// use wasio::trace::{self, Event};
/// let events = Rc::new(RefCell::new(Vec::new()));
/// let sink = events.clone();
/// trace::set_subscriber(move |e: &Event| sink.borrow_mut().push(e.clone()));
/// wasio::testing::run(async { wasio::sleep(Duration::from_secs(1)).await });
/// trace::clear_subscriber();
/// let events = events.borrow();
/// let armed = events.iter().position(|e| matches!(e, Event::TimerArmed { .. })).unwrap();
/// let fired = events.iter().position(|e| matches!(e, Event::TimerFired { .. })).unwrap();
/// assert!(armed < fired);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A task was spawned.
    Spawn {
        /// The new task.
        task: TaskId,
        /// Its name, if it has one.
        name: Option<String>,
    },
    /// A task was queued to run.
    Wake {
        /// The task.
        task: TaskId,
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
    /// A timer was armed for `deadline` (loop clock, nanoseconds).
    TimerArmed {
        /// Loop clock, nanoseconds.
        deadline: u64,
    },
    /// A timer fired.
    TimerFired {
        /// Loop clock, nanoseconds.
        deadline: u64,
    },
}

/// Reports every runtime event on this thread's loop to `subscriber`, replacing any previous one.
///
/// # Examples
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
/// use wasio::trace::{self, Event};
/// let events = Rc::new(RefCell::new(Vec::new()));
/// let sink = events.clone();
/// trace::set_subscriber(move |e: &Event| sink.borrow_mut().push(e.clone()));
/// wasio::run(async { wasio::spawn(async {}).await.unwrap() });
/// trace::clear_subscriber();
/// assert!(matches!(events.borrow()[0], Event::Spawn { .. }));
/// ```
pub fn set_subscriber(subscriber: impl Fn(&Event) + 'static) {
    crate::executor::with(|ex| ex.set_tracer(Some(Rc::new(subscriber))));
}

/// Removes the subscriber.
///
/// # Examples
///
/// ```
/// use std::{cell::Cell, rc::Rc};
/// let seen = Rc::new(Cell::new(0));
/// let counter = seen.clone();
/// wasio::trace::set_subscriber(move |_| counter.set(counter.get() + 1));
/// wasio::run(async { wasio::spawn(async {}).await.unwrap() });
/// let before = seen.get();
/// assert!(before > 0);
/// wasio::trace::clear_subscriber();
/// wasio::run(async { wasio::spawn(async {}).await.unwrap() });
/// assert_eq!(seen.get(), before); // nothing reported any more
/// ```
pub fn clear_subscriber() {
    crate::executor::with(|ex| ex.set_tracer(None));
}
