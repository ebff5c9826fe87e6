//! The runtime's trace events, handed to one JS callback (the JS layer fans them out to its
//! subscribers) as `(kind, task, detail, time, by)`: the crate's encoding, documented at
//! `wasio::browser::subscribe_trace` (`kind` numbers are `KINDS` in `www/src/trace.js`).

use js_sys::Function;
use wasio::trace;
use wasm_bindgen::prelude::*;

/// Sends every runtime event to `callback(kind, task, detail, time, by)` (replacing any earlier
/// one), in the crate's encoding: [`wasio::browser::subscribe_trace`].
#[wasm_bindgen]
pub fn trace_subscribe(callback: Function) {
    wasio::browser::subscribe_trace(callback);
}

/// Stops sending events.
#[wasm_bindgen]
pub fn trace_clear() {
    trace::clear_subscriber();
}
