//! The smallest `wasi:http` server: every request gets `Hello, world!`.
//!
//! ```text
//! cargo build --release --example http_hello --target wasm32-wasip2 && wasmtime serve --addr=127.0.0.1:8080 target/wasm32-wasip2/release/examples/http_hello.wasm
//! ```
//!
//! Then `curl http://127.0.0.1:8080/`. The component targets the `wasi:http/proxy` world only
//! (no `-S cli` needed): it is built as a library (`crate-type = ["cdylib"]` in Cargo.toml's
//! `[[example]]` entry), which makes a component that exports `wasi:http/incoming-handler`
//! instead of a command's `wasi:cli/run`.

#[cfg(all(target_os = "wasi", target_env = "p2"))]
mod app {
    /// No parameters: nothing of the request is read from the host (not its method, URI,
    /// headers or body; see `wasio::http::Handler`), which is most of what a hello request costs
    /// a handler that is given the whole `http::Request`.
    async fn hello() -> http::Response<&'static str> {
        http::Response::new("Hello, world!\n")
    }

    wasio::http_server!(hello);

    // A small global allocator (www/alloc: size classes, no splitting or merging) instead of the
    // C library's dlmalloc: 12 KB less code, and an instance that lives for one request never
    // needs dlmalloc's coalescing. Like dlmalloc it starts in the free tail of the initial memory
    // (no `memory.grow` for a small request). Optional: without these lines the component works
    // the same.
    #[global_allocator]
    // SAFETY: nothing else allocates from the memory after `__heap_base`: the C library's malloc
    // never runs (no C code here calls it; `http_server!` gives the C library a `strdup` that
    // allocates nothing).
    static ALLOC: wasio_alloc::TailAlloc = unsafe { wasio_alloc::TailAlloc::new() };
}
