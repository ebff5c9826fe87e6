//! Browser and Node interop: JS promises, `fetch`, WebSocket connections, and the loop's entry.
//!
//! The JS event loop drives wasio here: [`spawn`](crate::spawn) starts the loop lazily (no setup),
//! ready tasks run in one microtask per turn, a turn that runs too long continues in a macrotask so
//! rendering and input are not starved, and one `setTimeout` serves every timer. `wasio::run`
//! cannot block on this host (it returns [`RunError::CannotBlock`](crate::RunError::CannotBlock)
//! from `try_run`): spawn instead, or hand a future to JS as a promise.
//!
//! # Entry pattern
//!
//! A browser app is a `cdylib` with its own `wasm-bindgen` dependency, pinned to the version of
//! the `wasm-bindgen` CLI that processes the build (`wasm-bindgen = "=0.2.130"`; the two must
//! match exactly), and the `web-sys` features it needs to reach the page (`Window`, `Document`,
//! `Element`, `Node`, `console`). A `#[wasm_bindgen(start)]` function runs when the page
//! initialises the module; it spawns the app and returns. `examples/browser-app` is the whole
//! thing: `Cargo.toml`, `index.html`, one build command and one serve command.
//!
//! ```no_run
//! use wasm_bindgen::prelude::*;
//! use wasio::browser::{fetch, js_sys::Promise, JsValue};
//!
//! #[wasm_bindgen(start)]
//! pub fn start() {
//!     // Not `wasio::run`: the page's loop cannot block (it would panic with `CannotBlock`).
//!     wasio::spawn(async {
//!         // A relative URL resolves against the page's address.
//!         let mut body = fetch("data.txt").await.expect("fetch").into_body();
//!         while let Some(chunk) = body.chunk().await.expect("read") {
//!             // ... process each chunk as it arrives (write to the page with web-sys)
//!             # let _ = chunk;
//!         }
//!     });
//! }
//!
//! /// Awaited by JS: `await compute(21)` gives 42.
//! #[wasm_bindgen]
//! pub fn compute(n: u32) -> Promise {
//!     wasio::browser::future_to_promise(async move {
//!         wasio::sleep(std::time::Duration::from_millis(10)).await;
//!         Ok(JsValue::from(n * 2))
//!     })
//! }
//! # fn main() {}
//! ```
//!
//! # Failures
//!
//! wasm32-unknown-unknown builds abort on panic: the panic becomes a wasm trap that unwinds out of
//! the loop's JS callback. What happens next is a choice, the crate's `recover` feature (off by
//! default), because the linker cannot tell whether an app will ever panic and so cannot drop the
//! recovery code by itself.
//!
//! **Without `recover`** (the default), a panic is a trap, as it is with wasm-bindgen-futures:
//! the panic hook runs first (so `console_error_panic_hook` prints the message and its location),
//! the trap then reaches the host as an uncaught `WebAssembly.RuntimeError` (Node ends the process
//! unless an `uncaughtException` handler is installed; a page reports it on `window.onerror`), and
//! the loop on this thread stops: no task is polled again, and the task that panicked never
//! ends. The same goes for a JS exception thrown through a task's poll (a `#[wasm_bindgen]`
//! import without `catch`). The app links none of the recovery machinery: 2 to 6 KB gzip (4.0 KB of
//! the hello world, 2.2 KB of a small app, after wasm-opt), most of it the hook's message
//! formatting, which pulls in `core::fmt`'s writer; `benches/node/run.sh` measures it.
//!
//! **With `recover`** (`wasio = { version = "…", features = ["recover"] }`), a guard around every
//! loop callback catches the trap (and any JS exception thrown through a task's poll), reports it
//! with `console.error`, ends the interrupted task as panicked — its [`Task`](crate::Task) handle
//! yields a `JoinError` whose `is_panic()` is true, and a [`future_to_promise`] promise rejects —
//! and drives on, so every other task keeps running. The console line and the `JoinError` carry
//! the panic message: the loop installs a panic hook that records it and then calls the hook
//! installed before it (so `console_error_panic_hook` and test harness hooks keep working). A
//! trap that no panic recorded (a wasm trap of its own, or any panic in a build with
//! `-C panic=immediate-abort`, which runs no hook: the npm package's wasm and the playground's
//! module) carries the trap's message instead: "task aborted by a wasm trap (unreachable)". Such
//! a build installs no recorder (it would never run). The npm package's bindings and
//! the Python front end's browser build turn it on, so a JS or Python program keeps its loop
//! when Rust code under it panics.
//!
//! What a trap leaves behind, with or without the feature: the interrupted task's future is
//! leaked, not dropped (it stopped mid-update, so running its destructors would be unsound), and
//! so is the part of the wasm shadow stack its frames used, since a trap does not restore the
//! stack pointer; std also counts the panic as never finished, so `std::thread::panicking()` is
//! true from then on. Recovering from a few panics is fine; a page that panics in a loop should
//! be reloaded. Builds with `panic=unwind` never trap: the task's panic is caught and its
//! awaiters get a `JoinError`, feature or not.
//!
//! # Layout
//!
//! This module is the browser host's platform services, above the executor: JS promise interop
//! (`promise.rs`), the WebSocket transport (`websocket.rs`) and what `crate::net` routes here
//! (`net.rs`). HTTP over `fetch` is `crate::http`'s backend on this host, re-exported here. The
//! loop driver, clock and JS glue are the host seam (`host::browser`).

pub(crate) mod net;
mod promise;
mod trace;
mod websocket;

use std::io;

pub use crate::http::{fetch, Body, Request, Response};
pub use js_sys;
pub use promise::{future_to_promise, spawn_promise, JsPromise};
pub use trace::subscribe_trace;
pub use wasm_bindgen::JsValue;
pub use websocket::WebSocketClosed;

use crate::stream::transport::Connection;

/// Opens a WebSocket to `url` (`ws://` or `wss://`) as a byte-stream [`Connection`] over binary
/// frames: the transport `open_connection` uses for WebSocket addresses.
///
/// Errors: `InvalidInput` for a malformed URL; `ConnectionRefused` (carrying a
/// [`WebSocketClosed`], usually code 1006) if the connection or handshake fails.
///
/// # Cancel safety
///
/// Dropping the future closes the half-open socket.
///
/// # Examples
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// let conn = wasio::browser::connect_websocket("ws://127.0.0.1:8080/echo").await?;
/// # Ok(()) }
/// ```
pub async fn connect_websocket(url: &str) -> io::Result<Connection> {
    websocket::connect(url.to_string()).await
}

/// How many times this thread's loop has called `setTimeout` (it keeps at most one armed, for the
/// earliest deadline): a diagnostic for timer churn.
///
/// # Examples
///
/// ```no_run
/// let before = wasio::browser::timers_armed();
/// ```
pub fn timers_armed() -> u64 {
    crate::host::browser::driver::timers_armed()
}
