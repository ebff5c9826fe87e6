//! WASI host: wasmtime components (preview 2, `wasi:io/poll`) and preview 1 modules (`poll_oneoff`).
//!
//! The loop runs on the component's only thread, so waking it is never needed. Waiting is one
//! blocking host call: on p2, `wasi:io/poll.poll` over the pollables tasks wait on plus a clock for
//! the earliest deadline (see `reactor.rs`); on p1, `poll_oneoff` over stdio and a clock subscription
//! (see `p1.rs`).
//!
//! | concern | p2 file | p1 |
//! |---|---|---|
//! | clock | `clock.rs` | `p1.rs` |
//! | waiting for I/O and deadlines | `reactor.rs` | `p1.rs` |
//! | TCP (connect, listen) | `tcp.rs` over `streams.rs` | unsupported: `Unsupported` error |
//! | DNS | `dns.rs` | — |
//! | UDP | `udp.rs` | — |
//! | stdio | `stdio.rs` over `streams.rs`; `stdout.rs` (both) | `p1.rs`; `stdout.rs` (both) |
//! | addresses and errors | `addr.rs`, `error.rs` | — |
//!
//! The public WASI-only surface is [`api`], re-exported as `wasio::wasi`.

#[cfg(target_env = "p1")]
mod p1;
#[cfg(target_env = "p1")]
pub(crate) use p1::{can_wake_without_timer, now_nanos, park, poll_io};

#[cfg(not(target_env = "p1"))]
mod addr;
#[cfg(not(target_env = "p1"))]
mod clock;
#[cfg(not(target_env = "p1"))]
mod dns;
#[cfg(not(target_env = "p1"))]
mod error;
#[cfg(not(target_env = "p1"))]
mod reactor;
#[cfg(not(target_env = "p1"))]
mod stdio;
mod stdout;
#[cfg(not(target_env = "p1"))]
mod streams;
#[cfg(not(target_env = "p1"))]
mod tcp;
#[cfg(not(target_env = "p1"))]
mod udp;
#[cfg(not(target_env = "p1"))]
pub(crate) use clock::now_nanos;
#[cfg(not(target_env = "p1"))]
pub(crate) use reactor::{can_wake_without_timer, park, poll_io};

pub mod api;

#[cfg(all(test, not(target_env = "p1")))]
mod tests;

pub(crate) const CAN_BLOCK: bool = true;

/// `Runner::run` turns the loop itself; nothing to request.
pub(crate) fn request_tick() {}

/// WASI components have one thread: nobody else can wake the loop.
pub(crate) struct LoopWaker;

impl LoopWaker {
    pub(crate) fn for_current_thread() -> LoopWaker {
        LoopWaker
    }
    pub(crate) fn wake(&self) {}
}

/// This host's transports for `crate::net`: TCP for `host:port` (and `tcp://host:port`) on p2; on
/// p1 the same addresses fail with `Unsupported`.
pub(crate) mod net {
    use std::io;

    use crate::host::LocalBoxFuture;
    use crate::stream::transport::{Connection, Listener};

    /// `host:port` (with an optional `tcp://`), or `None` for other schemes.
    fn tcp_address(address: &str) -> Option<&str> {
        // A byte search: `str::split_once("://")` would link the generic two-way string searcher.
        match address.as_bytes().windows(3).position(|w| w == b"://") {
            Some(i) if address.as_bytes()[..i] == *b"tcp" => address.get(i + 3..),
            Some(_) => None,
            None => Some(address),
        }
    }

    #[cfg(target_env = "p1")]
    fn unsupported<T>() -> io::Result<T> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "sockets need WASI preview 2: build for wasm32-wasip2 (preview 1 has no sockets)",
        ))
    }

    /// Connects to `address`, or `None` if this host has no transport for its scheme.
    #[allow(dead_code)]
    pub(crate) fn connect(address: &str) -> Option<LocalBoxFuture<io::Result<Connection>>> {
        let address = tcp_address(address)?.to_string();
        #[cfg(target_env = "p1")]
        {
            drop(address);
            Some(Box::pin(async { unsupported() }))
        }
        #[cfg(not(target_env = "p1"))]
        Some(Box::pin(async move { super::tcp::connect(&address).await }))
    }

    /// Listens on `address`, or `None` if this host has no transport for its scheme.
    #[allow(dead_code)]
    pub(crate) fn listen(address: &str) -> Option<LocalBoxFuture<io::Result<Box<dyn Listener>>>> {
        let address = tcp_address(address)?.to_string();
        Some(Box::pin(async move { listen_host_port(&address).await }))
    }

    /// Listens on TCP `address` (`host:port`, with an optional `tcp://`), for
    /// `net::start_tcp_server`: no scheme dispatch, so no other transport is linked.
    #[allow(dead_code)]
    pub(crate) async fn listen_tcp(address: &str) -> io::Result<Box<dyn Listener>> {
        listen_host_port(address.strip_prefix("tcp://").unwrap_or(address)).await
    }

    async fn listen_host_port(address: &str) -> io::Result<Box<dyn Listener>> {
        #[cfg(target_env = "p1")]
        {
            let _ = address;
            unsupported()
        }
        #[cfg(not(target_env = "p1"))]
        Ok(Box::new(super::tcp::listen(address).await?))
    }
}
