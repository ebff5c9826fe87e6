//! Installing and removing the thread's trace subscriber.

use std::rc::Rc;

use super::Event;

/// Reports every runtime event on this thread's loop to `subscriber`, replacing any previous one.
///
/// The subscriber runs synchronously inside the loop: it must not block, and it should not
/// spawn or wake tasks (it may, but the events those cause are reported from inside it).
///
/// # Examples
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
/// use wasio::trace::{self, Event, EventKind};
/// let events = Rc::new(RefCell::new(Vec::new()));
/// let sink = events.clone();
/// trace::set_subscriber(move |e: &Event| sink.borrow_mut().push(e.clone()));
/// wasio::run(async { wasio::spawn(async {}).await.unwrap() });
/// trace::clear_subscriber();
/// assert!(matches!(events.borrow()[0].kind, EventKind::Spawn { .. }));
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
