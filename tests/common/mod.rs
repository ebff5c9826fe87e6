//! Shared test scaffolding: one test body, every host.
//!
//! `sim_test! { async fn name() { ... } }` defines a test that runs its body on the simulated clock:
//! natively and under wasmtime through `wasio::testing::run` (a blocking loop), and in Node and
//! Chromium as an async `wasm_bindgen_test` through `wasio::testing::simulate` (the JS event loop
//! drives it). Time in the body is virtual everywhere: no test sleeps on the wall clock.

#![allow(dead_code, unused_macros)]

// Node or Chromium is chosen by the runner's environment (see scripts/test.sh).

macro_rules! sim_test {
    ($(#[$meta:meta])* async fn $name:ident() $body:block) => {
        $(#[$meta])*
        #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
        #[test]
        fn $name() {
            wasio::testing::run(async move $body)
        }

        $(#[$meta])*
        #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
        #[wasm_bindgen_test::wasm_bindgen_test]
        async fn $name() {
            wasio::testing::simulate(async move $body).await
        }
    };
}

#[allow(unused_imports)] // a test file that uses only `payload`
pub(crate) use sim_test;

/// A deterministic pseudo-random byte stream for connection or client `id` (xorshift), so a
/// transfer's bytes can be checked without keeping a copy.
pub(crate) fn payload(id: u64, len: usize) -> Vec<u8> {
    let mut x = id.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}
