//! The runtime's trace events, handed to one JS callback (the JS layer fans them out to its
//! subscribers) as `(kind, task, detail, time, by)`: the crate's encoding, documented at
//! `wasio::browser::subscribe_trace` (`kind` numbers are `KINDS` in `www/src/trace.js`).

use std::cell::Cell;

use js_sys::Function;
use wasio::trace;
use wasm_bindgen::prelude::*;

thread_local! {
    static ON: Cell<bool> = const { Cell::new(false) };
}

/// Whether a JS callback receives the events (the waits then also show on their owners' lanes
/// when they are polled outside them: see [`crate::waits`]).
pub(crate) fn on() -> bool {
    ON.with(Cell::get)
}

/// Sends every runtime event to `callback(kind, task, detail, time, by)` (replacing any earlier
/// one), in the crate's encoding: [`wasio::browser::subscribe_trace`].
#[wasm_bindgen]
pub fn trace_subscribe(callback: Function) {
    wasio::browser::subscribe_trace(callback);
    ON.with(|on| on.set(true));
}

/// Stops sending events.
#[wasm_bindgen]
pub fn trace_clear() {
    trace::clear_subscriber();
    ON.with(|on| on.set(false));
}
