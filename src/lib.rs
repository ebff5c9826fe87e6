//! # wasio: asyncio for WebAssembly
//!
//! One cooperative, single-threaded executor, driven by the host's own event loop (JS microtasks in
//! browsers and Node, `wasi:io/poll` in wasmtime, thread parking natively), with the toolkit Python's
//! asyncio gives: tasks with cancellation, timeouts, `gather`/`wait`/`as_completed`, `shield`,
//! [`TaskGroup`], locks, queues and streams.
//!
//! ```
//! use std::time::Duration;
//! use wasio::{gather, sleep, spawn, timeout};
//!
//! wasio::testing::run(async {
//!     let slow = spawn(async { sleep(Duration::from_secs(10)).await; "slow" });
//!     let fast = spawn(async { sleep(Duration::from_secs(1)).await; "fast" });
//!     let (a, b) = gather((slow, fast)).await;
//!     assert_eq!((a.unwrap(), b.unwrap()), ("slow", "fast"));
//!     assert!(timeout(Duration::from_secs(1), sleep(Duration::from_secs(2))).await.is_err());
//! });
//! ```
//!
//! The crate is organised as data flows: user code → the platform services ([`net`], and per host
//! `browser`, `http`, `wasi`) → [`task`], [`time`](mod@time), [`sync`], [`queue`], [`stream`] → the
//! executor → the host seam (clock, turns, waiting for I/O). Only the seam and the platform
//! services name a host API.

#![warn(missing_docs, unreachable_pub)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(unsafe_code)]

mod borrow;
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
#[cfg_attr(docsrs, doc(cfg(all(target_arch = "wasm32", target_os = "unknown"))))]
pub mod browser;
// Its users: `net::ip_text` (WASI preview 2, and natively) and `http::wasi` (preview 2).
#[cfg(any(
    all(target_os = "wasi", not(target_env = "p1")),
    not(target_arch = "wasm32")
))]
mod decimal;
mod executor;
mod host;
#[cfg(any(
    all(target_arch = "wasm32", target_os = "unknown"),
    all(target_os = "wasi", target_env = "p2")
))]
pub mod http;
mod io_message;
mod macros;
pub mod net;
pub mod queue;
mod slab;
pub mod stream;
pub mod sync;
pub mod task;
pub mod testing;
pub mod time;
pub mod trace;
#[cfg(target_os = "wasi")]
#[cfg_attr(docsrs, doc(cfg(target_os = "wasi")))]
pub mod wasi;

pub use executor::{run, try_run, RunError, Runner};
pub use net::{open_connection, start_server, Server};
pub use queue::{LifoQueue, PriorityQueue, Queue};
pub use stream::{IncompleteReadError, LimitOverrunError, ReadError, StreamReader, StreamWriter};
pub use sync::{
    Barrier, BoundedSemaphore, Condition, Event, Lock, LockCondition, Mutex, Semaphore,
};
pub use task::{
    as_completed, call_at, call_later, call_soon, current_task, gather, shield, spawn, spawn_named,
    task_count, try_gather, wait, CallHandle, JoinError, LoopHandle, ReturnWhen, Task, TaskGroup,
    TaskId, TaskRef,
};
pub use time::{
    interval, sleep, sleep_until, time, timeout, timeout_at, yield_now, Elapsed, Instant,
};
