//! The global allocator of wasio's browser modules: the npm package's bindings (`wasio-js`), the
//! Python front end (`wasio-py`) and the playground's module that links both.
//!
//! The data structure, in [`Heap`]: size classes (8, 16, 24, 32 bytes, then four per doubling),
//! one free list per class, and a bump region cut from linear memory. A request gets a block of
//! the smallest class that holds it; freeing a block pushes it on its class's list, and the next
//! request of that class pops it. Blocks never split or merge. That is less code than Rust's
//! default dlmalloc (about 7 KB of wasm) and a handful of instructions per call, which suits a
//! single-threaded loop that makes many small, short-lived allocations (a task, a waiter, a timer
//! entry).
//!
//! `ClassAlloc` is that heap over wasm linear memory (`memory.grow`), to install with
//! `#[global_allocator]`; it exists on wasm32 without the `atomics` target feature (no threads).
//! [`Heap`] itself takes its memory from any [`Memory`], so its logic is tested natively over a
//! plain byte region (tests/heap.rs) as well as in wasm.
//!
//! # Examples
//!
//! ```
//! #[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
//! #[global_allocator]
//! static ALLOC: wasio_alloc::ClassAlloc = wasio_alloc::ClassAlloc::new();
//! ```

#![no_std]

mod heap;
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod wasm;

pub use heap::{Heap, Memory, MAX_ALIGN, PAGE};
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
pub use wasm::{ClassAlloc, LinearMemory, TailAlloc};
