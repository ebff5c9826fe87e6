//! WASI-only public API: async standard input and output, and `UdpSocket` (preview 2 only).
//!
//! TCP needs nothing WASI-specific: `wasio::net::open_connection` and `start_server` use
//! `wasi:sockets` on wasm32-wasip2 for `host:port` addresses (IPv4, `[v6]:port`, or a DNS name,
//! resolved asynchronously). **Preview 1** (wasm32-wasip1) has no sockets: those calls fail with
//! `ErrorKind::Unsupported`, and `UdpSocket` does not exist there; timers and stdio work on both.
//!
//! Components that open or accept sockets need wasmtime's grants:
//! `wasmtime run -Sinherit-network,allow-ip-name-lookup app.wasm`. Without them, calls fail with
//! `ErrorKind::PermissionDenied` and a message naming the flag (they never hang).

//! # Layout
//!
//! This module is the WASI host's platform services, above the executor; they wait on I/O through
//! the host seam (`host::wasi`: the p2 reactor's `Registration`, p1's fd waiters).
//!
//! | concern | p2 file | p1 |
//! |---|---|---|
//! | TCP (connect, listen) for `crate::net` | `net.rs`, `tcp.rs` over `streams.rs` | unsupported: `Unsupported` error |
//! | DNS | `dns.rs` | — |
//! | UDP | `udp.rs` | — |
//! | stdio | `stdio.rs` over `streams.rs`; `stdout.rs` (both) | `stdio_p1.rs`; `stdout.rs` (both) |
//! | addresses and errors | `addr.rs`, `error.rs` | — |

#[cfg(not(target_env = "p1"))]
mod addr;
#[cfg(not(target_env = "p1"))]
mod dns;
#[cfg(not(target_env = "p1"))]
pub(crate) mod error;
pub(crate) mod net;
#[cfg(not(target_env = "p1"))]
mod stdio;
#[cfg(target_env = "p1")]
mod stdio_p1;
mod stdout;
#[cfg(not(target_env = "p1"))]
pub(crate) mod streams;
#[cfg(not(target_env = "p1"))]
mod tcp;
#[cfg(all(test, not(target_env = "p1")))]
mod tests;
#[cfg(all(test, not(target_env = "p1")))]
pub(crate) use tcp::connect_output;
#[cfg(not(target_env = "p1"))]
mod udp;

use crate::stream::{StreamReader, StreamWriter};

#[cfg(not(target_env = "p1"))]
#[cfg_attr(docsrs, doc(cfg(not(target_env = "p1"))))]
pub use udp::UdpSocket;

#[cfg(not(target_env = "p1"))]
use stdio as host_stdio;
#[cfg(target_env = "p1")]
use stdio_p1 as host_stdio;

/// Standard input as a [`StreamReader`]: `readline`, `readexactly`, `read` wait for input without
/// blocking other tasks (p2: the stdin pollable in `wasi:io/poll`; p1: `poll_oneoff` on fd 0).
///
/// Make one reader and keep it: two readers would split the input between them.
///
/// # Examples
///
/// ```no_run
/// # #[cfg(target_os = "wasi")]
/// wasio::run(async {
///     let mut input = wasio::wasi::stdin();
///     let line = input.readline().await.unwrap();
///     println!("read {} bytes", line.len());
/// });
/// ```
pub fn stdin() -> StreamReader {
    StreamReader::new(Box::new(host_stdio::stdin()))
}

/// Standard output as a [`StreamWriter`] (`write` then `drain`; `close` flushes).
///
/// # Examples
///
/// ```
/// # #[cfg(target_os = "wasi")]
/// wasio::run(async {
///     let mut out = wasio::wasi::stdout();
///     out.write(b"hello\n").unwrap();
///     out.drain().await.unwrap();
/// });
/// ```
pub fn stdout() -> StreamWriter {
    StreamWriter::new(Box::new(host_stdio::stdout()))
}

/// Standard error as a [`StreamWriter`].
///
/// # Examples
///
/// ```
/// # #[cfg(target_os = "wasi")]
/// wasio::run(async {
///     let mut err = wasio::wasi::stderr();
///     err.write(b"warning\n").unwrap();
///     err.drain().await.unwrap();
/// });
/// ```
pub fn stderr() -> StreamWriter {
    StreamWriter::new(Box::new(host_stdio::stderr()))
}
