//! The runtime's trace events, handed to one JS callback (the JS layer fans them out to its
//! subscribers) as `(kind, task, detail, time, by)`: the crate's encoding, documented at
//! `wasio::browser::subscribe_trace` (`kind` numbers are `KINDS` in `www/src/trace.js`).

use std::cell::Cell;

#[cfg(feature = "full")]
use js_sys::Function;
#[cfg(feature = "full")]
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
/// one), in the crate's encoding: [`wasio::browser::subscribe_trace`]. Not in the core build
/// (without `full`), which then links none of the crate's trace encoding.
#[cfg(feature = "full")]
#[wasm_bindgen]
pub fn trace_subscribe(callback: Function) {
    wasio::browser::subscribe_trace(callback);
    ON.with(|on| on.set(true));
}

/// Stops sending events.
#[cfg(feature = "full")]
#[wasm_bindgen]
pub fn trace_clear() {
    wasio::trace::clear_subscriber();
    ON.with(|on| on.set(false));
}
