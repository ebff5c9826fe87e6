//! `ClassAlloc` as the global allocator of a wasm test binary: std's collections on it, big
//! buffers, and typed failures (never a trap) for requests it cannot serve. (Exhausted memory is tested
//! over a small region in tests/heap.rs: here the host would grant gigabytes first.) Runs in Node and
//! Chromium (wasm-bindgen-test-runner) and in wasmtime (wasip1, wasip2); the allocator exists only
//! on wasm32, so natively this file is empty and tests/heap.rs covers the logic.
#![cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]

use std::alloc::Layout;
use std::collections::{BTreeMap, HashMap};

#[global_allocator]
static ALLOC: wasio_alloc::ClassAlloc = wasio_alloc::ClassAlloc::new();

macro_rules! tests {
    ($(fn $name:ident() $body:block)*) => {$(
        #[cfg_attr(target_os = "unknown", wasm_bindgen_test::wasm_bindgen_test)]
        #[cfg_attr(not(target_os = "unknown"), test)]
        fn $name() $body
    )*};
}

tests! {
    fn std_collections_work_on_it() {
        let boxes: Vec<Box<u64>> = (0..100_000u64).map(Box::new).collect();
        assert!(boxes.iter().enumerate().all(|(i, b)| **b == i as u64));
        let mut map = HashMap::new();
        let mut tree = BTreeMap::new();
        for i in 0..20_000u32 {
            map.insert(i.to_string(), i);
            tree.insert(i, vec![i as u8; (i % 97) as usize]);
        }
        for i in (0..20_000u32).step_by(2) {
            map.remove(&i.to_string());
            tree.remove(&i);
        }
        assert_eq!(map.len(), 10_000);
        assert!(tree.iter().all(|(k, v)| k % 2 == 1 && v.len() == (k % 97) as usize));
        let mut s = String::new();
        for i in 0..10_000 {
            s.push_str(&i.to_string());
        }
        assert_eq!(s.len(), 38_890);
    }

    fn a_big_buffer_is_zeroed_and_whole() {
        let mut v = vec![0u8; 64 << 20];
        assert!(v.iter().step_by(4096).all(|&b| b == 0));
        v[(64 << 20) - 1] = 1;
        v.resize(96 << 20, 2);
        assert_eq!(v[(64 << 20) - 1], 1);
        assert_eq!(v[(96 << 20) - 1], 2);
    }

    fn what_it_cannot_serve_is_an_error_not_a_trap() {
        // A type aligned above MAX_ALIGN: its allocation fails, and std reports it as an error.
        #[repr(align(8192))]
        struct Page8K(#[allow(dead_code)] u8);
        assert!(Vec::<Page8K>::new().try_reserve(1).is_err());
        let over_aligned = Layout::from_size_align(64, 8192).unwrap();
        // SAFETY: a nonzero size; null is checked before any use.
        assert!(unsafe { std::alloc::alloc(over_aligned) }.is_null());
        // Still serving afterwards.
        let mut v = Vec::new();
        v.extend_from_slice(b"still here");
        assert_eq!(&v, b"still here");
    }
}
