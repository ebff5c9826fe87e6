//! The runtime's trace events, handed to one JS callback (the JS layer fans them out to its
//! subscribers).
//!
//! Each event reaches JS as `(kind, task, detail, time, by)`: `kind` a small number (see `KINDS`
//! in `www/src/trace.js`), `task` the wasio task id (-1 when none), `detail` the spawn's name, a
//! pending poll's wait reason (`"sleep"`, `"lock"`... or `true` when the poll ended the task), or a
//! timer's deadline in loop milliseconds, `time` the event's loop time in milliseconds, and `by`
//! the task that spawned or woke it (-1 when none).

use js_sys::Function;
use wasio::trace::{self, Event, EventKind};
use wasio::TaskId;
use wasm_bindgen::prelude::*;

fn id(t: Option<TaskId>) -> f64 {
    t.map_or(-1.0, |t| t.as_u64() as f64)
}

/// Sends every runtime event to `callback` (replacing any earlier one).
#[wasm_bindgen]
pub fn trace_subscribe(callback: Function) {
    trace::set_subscriber(move |e: &Event| {
        let ms = |i: wasio::Instant| JsValue::from(i.since_origin().as_secs_f64() * 1000.0);
        let (kind, detail, by) = match &e.kind {
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
            _ => (99, JsValue::UNDEFINED, None),
        };
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

/// Stops sending events.
#[wasm_bindgen]
pub fn trace_clear() {
    trace::clear_subscriber();
}
