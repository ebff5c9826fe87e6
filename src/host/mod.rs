//! The host seam: the only module that names `wasm_bindgen`, `js_sys`, `web_sys` or `wasi`.
//!
//! The executor needs four things of a host, chosen at compile time by target:
//!
//! | need | function | browser / Node | WASI p2 | WASI p1 | native |
//! |---|---|---|---|---|---|
//! | now | [`now_nanos`] | `performance.now()` | monotonic-clock | `clock_time_get` | `std::time::Instant` |
//! | wake the loop | [`request_tick`], [`LoopWaker`] | one microtask per turn | nothing | nothing | unpark |
//! | arm the earliest deadline | [`park`]'s timeout / the browser's one `setTimeout` | `setTimeout` | clock pollable | clock subscription | park timeout |
//! | wait for I/O | [`park`] | JS callbacks wake tasks | `wasi:io/poll.poll` | `poll_oneoff` | park |
//!
//! Hosts that carry byte streams also provide `net::connect(address)` and `net::listen(address)`,
//! each `None` when the address's scheme is not theirs (see `crate::net`).
//!
//! `CAN_BLOCK` says whether [`Runner::run`](crate::Runner::run) may block the thread.
//! A new host is one more module here and nothing else changes.

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub(crate) mod browser;
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub(crate) use browser::{net, now_nanos, park, request_tick, LoopWaker, CAN_BLOCK};

#[cfg(all(target_arch = "wasm32", target_os = "wasi"))]
pub(crate) mod wasi;
#[cfg(all(target_arch = "wasm32", target_os = "wasi"))]
pub(crate) use wasi::{net, now_nanos, park, request_tick, LoopWaker, CAN_BLOCK};

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(not(target_arch = "wasm32"))]
pub(crate) use native::{net, now_nanos, park, request_tick, LoopWaker, CAN_BLOCK};

/// Checks for I/O without blocking and wakes the tasks it concerns (hosts without a reactor: nothing
/// to do). The runner calls it on turns that leave tasks ready, so busy tasks cannot starve I/O.
#[cfg(not(all(target_arch = "wasm32", target_os = "wasi")))]
pub(crate) fn poll_io() {}
#[cfg(all(target_arch = "wasm32", target_os = "wasi"))]
pub(crate) use wasi::poll_io;

/// Whether anything but a timer could still wake a loop that is idle: I/O a task waits on, or
/// (natively) another thread holding a waker. When it is `false`, no task is ready and no timer is
/// armed, the loop can never make progress again: `Runner::run` reports a deadlock instead of
/// hanging.
#[cfg(not(all(target_arch = "wasm32", target_os = "wasi")))]
pub(crate) fn can_wake_without_timer() -> bool {
    true
}
#[cfg(all(target_arch = "wasm32", target_os = "wasi"))]
pub(crate) use wasi::can_wake_without_timer;

/// A boxed, `!Send` future, as the host's network functions return them.
#[allow(dead_code)]
pub(crate) type LocalBoxFuture<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T>>>;
