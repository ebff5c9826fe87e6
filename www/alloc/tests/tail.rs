//! `TailAlloc` as the global allocator of a wasm test binary: its first blocks come from the free
//! tail of the initial memory (between `__heap_base` and the initial end), without growing memory;
//! past the tail it grows memory and goes on, with std's collections intact.
//!
//! Runs in Node and Chromium (wasm-bindgen-test-runner), where nothing else allocates from that
//! tail. Not on WASI commands (wasmtime p1, p2): there the C library's `malloc` serves its own
//! start-up (arguments, environment, preopened directories) from the same tail, which is exactly
//! what `TailAlloc::new`'s contract rules out. Its WASI use, a `wasi:http` component that runs
//! no such start-up, is tested by scripts/test-http.sh (examples/http_hello.rs and http_echo.rs,
//! including 100 MiB echoed). Natively the allocator does not exist (tests/heap.rs covers
//! `Heap::give`'s logic there).
#![cfg(all(
    target_arch = "wasm32",
    target_os = "unknown",
    not(target_feature = "atomics")
))]

use std::collections::BTreeMap;

use wasm_bindgen_test::wasm_bindgen_test;

// SAFETY: nothing else in this test binary allocates from the memory after `__heap_base` (no C
// library on wasm32-unknown-unknown).
#[global_allocator]
static ALLOC: wasio_alloc::TailAlloc = unsafe { wasio_alloc::TailAlloc::new() };

extern "C" {
    static __heap_base: u8;
}

fn heap_base() -> usize {
    core::ptr::addr_of!(__heap_base) as usize
}

#[wasm_bindgen_test]
fn small_blocks_come_from_the_initial_memory_tail() {
    let b = Box::new(7u64);
    let at = &*b as *const u64 as usize;
    assert!(
        at >= heap_base(),
        "{at:#x} below __heap_base {:#x}",
        heap_base()
    );
    // Memory may have grown since start-up (the test harness allocates too), but a block of the
    // tail lies below wherever the first growth began, which is at most the current end.
    assert!(at < core::arch::wasm32::memory_size(0) * wasio_alloc::PAGE);
}

#[wasm_bindgen_test]
fn past_the_tail_it_grows_memory_and_keeps_every_byte() {
    let pages = core::arch::wasm32::memory_size(0);
    let boxes: Vec<Box<u64>> = (0..50_000u64).map(Box::new).collect();
    let mut tree = BTreeMap::new();
    for i in 0..10_000u32 {
        tree.insert(i, vec![i as u8; (i % 61) as usize]);
    }
    let big = vec![3u8; 8 << 20];
    assert!(core::arch::wasm32::memory_size(0) > pages);
    assert!(boxes.iter().enumerate().all(|(i, b)| **b == i as u64));
    assert!(tree
        .iter()
        .all(|(k, v)| v.len() == (k % 61) as usize && v.iter().all(|&b| b == *k as u8)));
    assert!(big.iter().all(|&b| b == 3));
}
