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
//! `poll_io` checks for I/O without blocking (the runner calls it on turns that leave tasks ready,
//! so busy tasks cannot starve I/O), and `can_wake_without_timer` says whether an idle loop could
//! still be woken by I/O or another thread (if not, `Runner::run` reports a deadlock instead of
//! hanging). Hosts without a reactor make the first a no-op.
//!
//! `CAN_BLOCK` says whether [`Runner::run`](crate::Runner::run) may block the thread.
//! A new host is one more module here and nothing else changes.

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub(crate) mod browser;
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub(crate) use browser::{
    can_wake_without_timer, net, now_nanos, park, poll_io, request_tick, LoopWaker, CAN_BLOCK,
};

#[cfg(all(target_arch = "wasm32", target_os = "wasi"))]
pub(crate) mod wasi;
#[cfg(all(target_arch = "wasm32", target_os = "wasi"))]
pub(crate) use wasi::{
    can_wake_without_timer, net, now_nanos, park, poll_io, request_tick, LoopWaker, CAN_BLOCK,
};

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(not(target_arch = "wasm32"))]
pub(crate) use native::{
    can_wake_without_timer, net, now_nanos, park, poll_io, request_tick, LoopWaker, CAN_BLOCK,
};

/// A boxed, `!Send` future, as the host's network functions return them.
#[allow(dead_code)]
pub(crate) type LocalBoxFuture<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T>>>;
