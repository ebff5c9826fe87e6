//! HTTP, one module per host's backend.
//!
//! * **WASI components** (`wasm32-wasip2`): a server on `wasi:http/incoming-handler`
//!   (`http_server!`, `serve`) and a `Client` on `wasi:http/outgoing-handler`, in the `http`
//!   crate's types with `IncomingBody`/`OutgoingBody` streams (`wasi/`).
//! * **Browser and Node**: the same `Client` (`client.rs`), `IncomingBody` and `OutgoingBody`
//!   over `fetch` (`fetch_client.rs`), on `Request`, `Response` and a `Body` that streams
//!   (`fetch.rs`; also re-exported from `wasio::browser`, where they began).
//!
//! # Layout
//!
//! On the browser the types are plain data plus a body source; the backend (`backend`, chosen by
//! target) sends a request and supplies the source. It provides two things:
//!
//! * `send(Request) -> io::Result<Response>`, building the response with `Response::new` and
//!   `Body::new`;
//! * `Source`, the body's source, with `poll_chunk(&mut self, cx) -> Poll<io::Result<Option<Vec<u8>>>>`
//!   (the next non-empty chunk, `None` at the end); dropping it before the end aborts the request.

// First: its macro serves the modules declared after it.
#[cfg(any(
    all(target_arch = "wasm32", target_os = "unknown"),
    all(target_os = "wasi", target_env = "p2")
))]
#[macro_use]
mod shared_impls;

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod body;
#[cfg(any(
    all(target_arch = "wasm32", target_os = "unknown"),
    all(target_os = "wasi", target_env = "p2")
))]
mod chunk;
mod client;
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod fetch;
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod fetch_client;
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod request;
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod response;
#[cfg(all(target_os = "wasi", target_env = "p2"))]
mod wasi;

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
use fetch as backend;

#[cfg(all(target_os = "wasi", target_env = "p2"))]
pub use self::wasi::*;
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub use body::Body;
pub use client::Client;
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub use fetch_client::{IncomingBody, OutgoingBody};
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub use request::{fetch, Request};
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub use response::Response;
