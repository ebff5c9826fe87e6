//! # wasio-js: the `wasio` npm package's bindings
//!
//! wasm-bindgen exports over the wasio crate's public API, for the hand-written JS layer in
//! `www/src/`. The JS layer validates arguments, turns `AbortSignal`s into wait cancellations and
//! gives every export its JS shape; the semantics (FIFO hand-off, nothing lost on cancellation,
//! timers, the loop) are the crate's.
//!
//! # How JS code runs as a wasio task
//!
//! A JS task ([`tasks`]) is a wasio task whose first poll calls the user's function, so its
//! synchronous part runs inside the task's poll. After its first `await` the function runs in JS
//! microtasks, outside any poll. Every wait the function starts (a sleep, a lock acquisition, a
//! queue get: [`waits`]) is then *adopted* by the task that owns it and polled inside that task's
//! polls, so the trace shows the wait on the task's lane instead of on a helper task. A wait on a
//! primitive is also polled where it starts, and a hand-off polls its waiter inside the releasing
//! call, so the waiter's promise settles without a loop turn (see [`waits`]). The owner is
//! the task whose `AbortSignal` the wait was given, or the task whose synchronous part is running;
//! a wait with neither goes to the loop's `main` task, which holds all such waits.
//!
//! Nothing here is compiled for other targets: the crate is an empty library off
//! `wasm32-unknown-unknown`, so `cargo check --workspace` stays green everywhere.

#![warn(missing_docs)]

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod hooks;
#[cfg(all(target_arch = "wasm32", target_os = "unknown", feature = "full"))]
mod queue;
#[cfg(all(target_arch = "wasm32", target_os = "unknown", feature = "full"))]
mod streams;
#[cfg(all(target_arch = "wasm32", target_os = "unknown", feature = "full"))]
mod sync;
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod tasks;
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod time;
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod trace;
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod waits;

/// The allocator: wasio's size-class heap (www/alloc) instead of Rust's default dlmalloc (less
/// code, and a few instructions for the many small allocations a wait or a task makes).
#[cfg(all(
    target_arch = "wasm32",
    target_os = "unknown",
    not(target_feature = "atomics")
))]
#[global_allocator]
static ALLOC: wasio_alloc::ClassAlloc = wasio_alloc::ClassAlloc::new();
