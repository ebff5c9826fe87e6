//! Browser and Node host: the JS event loop drives wasio.
//!
//! A wake-up asks for one microtask per turn (`request_tick`); the turn runs ready tasks under a
//! budget. `performance.now()` is the clock.

use wasm_bindgen::prelude::*;

pub(crate) const CAN_BLOCK: bool = false;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
    #[wasm_bindgen(js_name = queueMicrotask)]
    fn queue_microtask(f: &js_sys::Function);
}

pub(crate) fn now_nanos() -> u64 {
    (performance_now() * 1_000_000.0) as u64
}

/// The browser loop never blocks.
pub(crate) fn park(_timeout: Option<u64>) {}

thread_local! {
    static TURN: Closure<dyn FnMut()> = Closure::new(|| {
        crate::executor::host_turn(crate::executor::DEFAULT_BUDGET);
    });
}

pub(crate) fn request_tick() {
    TURN.with(|c| queue_microtask(c.as_ref().unchecked_ref()));
}

/// Single-threaded: nobody else can wake the loop.
pub(crate) struct LoopWaker;

impl LoopWaker {
    pub(crate) fn for_current_thread() -> LoopWaker {
        LoopWaker
    }
    pub(crate) fn wake(&self) {}
}

/// This host's transports for `crate::net` (none yet: only `mem://` works here).
pub(crate) mod net {
    use std::io;

    use crate::host::LocalBoxFuture;
    use crate::stream::transport::{Connection, Listener};

    /// Connects to `address`, or `None` if this host has no transport for its scheme.
    #[allow(dead_code)]
    pub(crate) fn connect(_address: &str) -> Option<LocalBoxFuture<io::Result<Connection>>> {
        None
    }

    /// Listens on `address`, or `None` if this host has no transport for its scheme.
    #[allow(dead_code)]
    pub(crate) fn listen(_address: &str) -> Option<LocalBoxFuture<io::Result<Box<dyn Listener>>>> {
        None
    }
}
