//! HTTP: [`Request`], [`Response`] and a [`Body`] that streams, portable, over one backend per
//! host.
//!
//! # Layout
//!
//! The types here are plain data plus a body source; a host's backend (`backend`, chosen by
//! target) sends a request and supplies the source. It provides two things:
//!
//! * `send(Request) -> io::Result<Response>`, building the response with `Response::new` and
//!   `Body::new`;
//! * `Source`, the body's source, with `poll_chunk(&mut self, cx) -> Poll<io::Result<Option<Vec<u8>>>>`
//!   (the next non-empty chunk, `None` at the end); dropping it before the end aborts the request.
//!
//! Backends: `fetch.rs` (browser and Node). Another host (`wasi:http`) is one more backend file
//! and one more `cfg` line below.
//!
//! On the browser these types are also re-exported from `wasio::browser`, where they began.

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod body;
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod fetch;
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
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub use request::{fetch, Request};
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub use response::Response;
