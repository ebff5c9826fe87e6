//! Runtime events handed to a JS function: the one encoding of [`crate::trace`] events that JS
//! front ends (the npm package, the Python interpreter's browser build) read.
//!
//! Each event is one call `callback(kind, task, detail, time, by)`, all numbers but `detail`:
//!
//! | `kind` | event | `detail` |
//! |---|---|---|
//! | 0 | spawn | the task's name, or `undefined` |
//! | 1 | wake | — |
//! | 2 | poll begin | — |
//! | 3 | poll end | `true` when the poll ended the task, else the wait reason's name (`"sleep"`, `"queue_get"`…) or `undefined` |
//! | 4 | complete | — |
//! | 5 | cancel requested | — |
//! | 6 | cancelled | — |
//! | 7 | timer armed | the deadline, loop milliseconds |
//! | 8 | timer fired | the deadline, loop milliseconds |
//!
//! `task` is the task's id (-1: none), `time` the event's loop time in milliseconds (virtual on the
//! simulated clock), and `by` the task that spawned or woke it (-1: none).

use js_sys::Function;
use wasm_bindgen::JsValue;

use crate::trace::{self, Event, EventKind};
use crate::{Instant, TaskId};

/// Sends every runtime event on this thread's loop to `callback(kind, task, detail, time, by)`,
/// replacing any earlier subscriber (see the module docs for the encoding;
/// [`trace::clear_subscriber`] stops it).
///
/// # Examples
///
/// ```no_run
/// use wasio::browser::{js_sys::Function, subscribe_trace};
/// // (kind, task, detail, time, by) => console.log(...)
/// let log = Function::new_with_args("k, t, d, time, by", "console.log(k, t, d, time, by)");
/// subscribe_trace(log);
/// wasio::spawn(async {});
/// ```
pub fn subscribe_trace(callback: Function) {
    trace::set_subscriber(move |e: &Event| {
        let (kind, detail, by) = encode(&e.kind);
        let args = js_sys::Array::of5(
            &JsValue::from(kind),
            &JsValue::from(id(e.task())),
            &detail,
            &ms(e.time),
            &JsValue::from(id(by)),
        );
        let _ = callback.apply(&JsValue::UNDEFINED, &args);
    });
}

fn encode(kind: &EventKind) -> (u8, JsValue, Option<TaskId>) {
    match kind {
        EventKind::Spawn { name, by, .. } => (
            0,
            name.as_deref().map_or(JsValue::UNDEFINED, JsValue::from),
            *by,
        ),
        EventKind::Wake { by, .. } => (1, JsValue::UNDEFINED, *by),
        EventKind::PollBegin { .. } => (2, JsValue::UNDEFINED, None),
        EventKind::PollEnd { ready, reason, .. } => (
            3,
            match reason {
                _ if *ready => JsValue::TRUE,
                Some(r) => JsValue::from(r.name()),
                None => JsValue::UNDEFINED,
            },
            None,
        ),
        EventKind::Complete { .. } => (4, JsValue::UNDEFINED, None),
        EventKind::CancelRequested { .. } => (5, JsValue::UNDEFINED, None),
        EventKind::Cancelled { .. } => (6, JsValue::UNDEFINED, None),
        EventKind::TimerArmed { deadline } => (7, ms(*deadline), None),
        EventKind::TimerFired { deadline } => (8, ms(*deadline), None),
    }
}

fn ms(t: Instant) -> JsValue {
    JsValue::from(t.since_origin().as_secs_f64() * 1000.0)
}

fn id(t: Option<TaskId>) -> f64 {
    t.map_or(-1.0, |t| t.as_u64() as f64)
}
