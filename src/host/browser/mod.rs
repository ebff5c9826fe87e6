//! Browser and Node host: the JS event loop drives wasio.
//!
//! # Pieces
//!
//! * [`driver`]: when the loop runs. A wake-up queues one microtask; that turn runs the loop step
//!   under a time budget, continues in a macrotask when the budget is spent, and keeps exactly one
//!   `setTimeout` armed for the earliest deadline.
//! * [`clock`]: `performance.now()` as the loop clock.
//! * [`glue`]: the few lines of JS no binding expresses (exception guard, promise hook, the
//!   microtask and macrotask primitives).
//! * `recovery` (the `recover` feature only): the panic recorder and the guard's error handler,
//!   which end a task whose poll trapped and let the loop drive on.
//!
//! The platform services of this host live above the executor: `crate::browser` (JS promises,
//! WebSocket, the public module) and `crate::http`'s fetch backend.

pub(crate) mod clock;
pub(crate) mod driver;
pub(crate) mod glue;
#[cfg(feature = "recover")]
mod recovery;

use super::{Blocking, Host, Wake};

/// The browser and Node host (see [`Host`]).
pub(crate) struct Browser;

impl Host for Browser {
    type LoopWaker = LoopWaker;

    /// The JS event loop can never be blocked: `Runner::run` reports `RunError::CannotBlock`.
    const BLOCKING: Option<Blocking> = None;

    fn now_nanos() -> u64 {
        clock::now_nanos()
    }

    fn request_turn() {
        driver::request_turn()
    }
}

/// Single-threaded: no other thread can wake this loop, so waking is a no-op (wakes from JS
/// callbacks go through `request_turn`).
pub(crate) struct LoopWaker;

impl Wake for LoopWaker {
    fn for_current_thread() -> LoopWaker {
        LoopWaker
    }
    fn wake(&self) {}
}
