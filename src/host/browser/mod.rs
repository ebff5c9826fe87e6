//! Browser and Node host: the JS event loop drives wasio.
//!
//! # Pieces
//!
//! * [`driver`]: when the loop runs. A wake-up queues one microtask; that turn runs ready tasks
//!   under a time budget, continues in a macrotask when the budget is spent, and keeps exactly one
//!   `setTimeout` armed for the earliest deadline. On the simulated clock it jumps time instead.
//! * [`clock`]: `performance.now()` as the loop clock.
//! * [`promise`]: JS `Promise` ⇄ Rust future, for `#[wasm_bindgen]` exports and for awaiting JS.
//! * [`websocket`]: the `ws://` / `wss://` transport under `open_connection`.
//! * [`fetch`]: HTTP requests whose response body streams chunk by chunk.
//! * [`net`]: what `crate::net` routes here.
//! * [`glue`]: the few lines of JS no binding expresses (exception guard, promise hook, the
//!   microtask and macrotask primitives).
//! * `public.rs`: the `wasio::browser` module users see (declared in lib.rs with a `#[path]`).
//!
//! This folder is the only code in the crate that names `wasm_bindgen`, `js_sys` or `web_sys`.

pub(crate) mod clock;
pub(crate) mod driver;
pub(crate) mod fetch;
pub(crate) mod glue;
pub(crate) mod net;
pub(crate) mod promise;
pub(crate) mod websocket;

pub(crate) use clock::now_nanos;
pub(crate) use driver::request_tick;

/// The browser loop can never block the thread: `Runner::run` reports `RunError::CannotBlock`.
pub(crate) const CAN_BLOCK: bool = false;

/// The browser loop never blocks: nothing to park on.
pub(crate) fn park(_timeout: Option<u64>) {}

/// No reactor here: I/O wakes tasks from its JS callbacks.
pub(crate) fn poll_io() {}

/// The loop never blocks here (`Runner::run` cannot run), so this is never asked; JS callbacks can
/// always wake tasks.
pub(crate) fn can_wake_without_timer() -> bool {
    true
}

/// Single-threaded: no other thread can wake this loop, so waking is a no-op (wakes from JS
/// callbacks go through `request_tick`).
pub(crate) struct LoopWaker;

impl LoopWaker {
    pub(crate) fn for_current_thread() -> LoopWaker {
        LoopWaker
    }
    pub(crate) fn wake(&self) {}
}
