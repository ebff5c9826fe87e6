//! # The playground's one wasm module
//!
//! The playground's sandbox worker runs JavaScript programs on the `wasio` npm package and Python
//! programs on the wasio-py interpreter. Each was a wasm module of its own, and each carried its
//! own copy of the wasio runtime: a visit that used both languages downloaded the runtime twice.
//! This crate links both into one module, one runtime under both: its wasm-bindgen exports are
//! the npm package's bindings (`www/bindings`, crate `wasio-js`) and the interpreter's browser
//! entry (`python/src/web.rs`), side by side (their names do not overlap). The playground bundles
//! the npm package's JS layer (`www/src`) over this module's glue instead of the package's own.
//!
//! Nothing here is code of its own: the crate only links the two, so that their exports end up
//! in one module (`scripts/build-playground.sh` builds it with wasm-bindgen and wasm-opt).

// Linked for their exports (wasm-bindgen's); nothing here names them.
use wasio_js as _;
use wasio_py as _;
