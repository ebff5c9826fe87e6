//! Build script: one job, for wasio's own `wasm32-wasip2` example components only.
//!
//! Rust's std seeds `RandomState` with `wasi:random/insecure-seed`, which is not in the
//! `wasi:http/proxy` world, and the `http` crate's `HeaderMap` links `RandomState::new` into
//! every component that inserts a header (its hash-flooding defence, `Danger::set_red`; README,
//! "HTTP components"), so an HTTP component using the `http` crate would need `-S cli` to run. The adapter in `wit/adapters/insecure-seed.wasm` (source: `insecure-seed.wat` beside it)
//! provides that import from `wasi:random/random`; this passes it to the component linker
//! (`wasm-component-ld --adapt NAME=FILE`) for the examples, under each import name std has used
//! (an adapter that nothing imports is ignored). Other targets and the library itself are
//! untouched.

use std::env;
use std::path::PathBuf;

/// The `insecure-seed` interface versions Rust's std may import (1.95 imports 0.2.4).
const SEED_VERSIONS: &[&str] = &["0.2.0", "0.2.3", "0.2.4", "0.2.12"];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=wit/adapters/insecure-seed.wasm");
    if env::var("TARGET").as_deref() != Ok("wasm32-wasip2") {
        return;
    }
    let Some(dir) = env::var_os("CARGO_MANIFEST_DIR") else {
        return;
    };
    let adapter = PathBuf::from(dir).join("wit/adapters/insecure-seed.wasm");
    for v in SEED_VERSIONS {
        println!(
            "cargo:rustc-link-arg=--adapt=wasi:random/insecure-seed@{v}={}",
            adapter.display()
        );
    }
}
