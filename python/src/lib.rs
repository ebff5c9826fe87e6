//! # wasio-py: Python asyncio programs on wasio
//!
//! An interpreter for the Python that asyncio programs are written in, whose `asyncio` module is
//! wasio: each coroutine runs as a wasio task, `asyncio.sleep` is wasio's timer, `asyncio.Queue`
//! is wasio's queue, `open_connection` is wasio's streams. There is no Python-level event loop.
//!
//! Source flows one way: `lexer` → `parser` (to `ast`) → the evaluators (`eval` for code that
//! cannot suspend, `aeval` for code that awaits or yields) over `value`s, with `builtins`,
//! `modules` and the `asyncio` module (`asyncio`, `asyncio_sync`, `asyncio_net`) beside them;
//! `program` runs a whole file. Only the embedding API below is public.
//!
//! ```
//! let out = wasio_py::run_source("hello.py", "import asyncio\nasync def main():\n    await asyncio.sleep(0.1)\n    print('hi')\nasyncio.run(main())\n");
//! assert_eq!(out.stdout, "hi\n");
//! assert_eq!(out.code, 0);
//! ```

#![warn(missing_docs)]

mod aeval;
mod ast;
mod asyncio;
mod asyncio_net;
mod asyncio_sync;
mod bigint;
mod builtins;
mod casemap;
mod cell;
#[rustfmt::skip]
#[allow(clippy::identity_op)]
mod casemap_table;
mod coro;
mod eval;
mod floatfmt;
mod floatparse;
mod format;
mod interp;
mod lexer;
mod methods;
mod modules;
mod ops;
mod parser;
mod program;
mod random;
mod sort;
mod strsearch;
mod value;
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub mod web;

/// The browser build allocates with wasio's size-class heap (www/alloc) instead of dlmalloc
/// (smaller).
#[cfg(all(
    feature = "global-alloc",
    target_arch = "wasm32",
    target_os = "unknown",
    not(target_feature = "atomics")
))]
#[global_allocator]
static ALLOC: wasio_alloc::ClassAlloc = wasio_alloc::ClassAlloc::new();

pub use interp::{Limits, Sink};
pub use program::{program, run_source, run_with, Config, Output};
