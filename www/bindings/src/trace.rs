//! The runtime's trace events, handed to one JS callback (the JS layer fans them out to its
//! subscribers).
//!
//! Each event reaches JS as `(kind, task, detail, time)`: `kind` a small number (see
//! `KINDS` in `www/src/trace.js`), `task` the wasio task id (-1 when none), `detail` the spawn's
//! name or a timer's deadline in loop milliseconds, `time` the loop clock in milliseconds.

use js_sys::Function;
use wasio::trace::{self, Event};
use wasm_bindgen::prelude::*;

/// Sends every runtime event to `callback` (replacing any earlier one).
#[wasm_bindgen]
pub fn trace_subscribe(callback: Function) {
    trace::set_subscriber(move |e: &Event| {
        let ms = |ns: u64| JsValue::from(ns as f64 / 1e6);
        let (kind, task, detail) = match e {
            Event::Spawn { task, name } => (
                0,
                Some(*task),
                name.as_deref()
                    .map(JsValue::from)
                    .unwrap_or(JsValue::UNDEFINED),
            ),
            Event::Wake { task } => (1, Some(*task), JsValue::UNDEFINED),
            Event::PollBegin { task } => (2, Some(*task), JsValue::UNDEFINED),
            Event::PollEnd { task, ready } => (3, Some(*task), JsValue::from(*ready)),
            Event::Complete { task } => (4, Some(*task), JsValue::UNDEFINED),
            Event::CancelRequested { task } => (5, Some(*task), JsValue::UNDEFINED),
            Event::Cancelled { task } => (6, Some(*task), JsValue::UNDEFINED),
            Event::TimerArmed { deadline } => (7, None, ms(*deadline)),
            Event::TimerFired { deadline } => (8, None, ms(*deadline)),
            _ => (99, None, JsValue::UNDEFINED),
        };
        let task = task.map_or(-1.0, |t| t.as_u64() as f64);
        let args = js_sys::Array::of4(
            &JsValue::from(kind),
            &JsValue::from(task),
            &detail,
            &JsValue::from(wasio::time() * 1000.0),
        );
        let _ = callback.apply(&JsValue::UNDEFINED, &args);
    });
}

/// Stops sending events.
#[wasm_bindgen]
pub fn trace_clear() {
    trace::clear_subscriber();
}
