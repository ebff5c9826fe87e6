//! Passes wasio's `insecure-seed` adapter (`wit/adapters/insecure-seed.wasm`) to the component
//! linker, as wasio's own build script does for its examples: std's `RandomState` (linked by the
//! `http` crate's `HeaderMap`) imports `wasi:random/insecure-seed`, outside the proxy world; the
//! adapter provides it from `wasi:random/random` (README, "HTTP components").

use std::env;
use std::path::PathBuf;

/// The `insecure-seed` interface versions Rust's std may import (an unused adapter is ignored).
const SEED_VERSIONS: &[&str] = &["0.2.0", "0.2.3", "0.2.4", "0.2.12"];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if env::var("TARGET").as_deref() != Ok("wasm32-wasip2") {
        return;
    }
    let Some(dir) = env::var_os("CARGO_MANIFEST_DIR") else {
        return;
    };
    let adapter = PathBuf::from(dir).join("../../../wit/adapters/insecure-seed.wasm");
    println!("cargo:rerun-if-changed={}", adapter.display());
    for v in SEED_VERSIONS {
        println!(
            "cargo:rustc-link-arg=--adapt=wasi:random/insecure-seed@{v}={}",
            adapter.display()
        );
    }
}
