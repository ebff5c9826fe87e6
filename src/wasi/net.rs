//! This host's transports for `crate::net`: TCP for `host:port` (and `tcp://host:port`) on p2;
//! on p1 the same addresses fail with `Unsupported`.

use std::io;

use crate::net::host_port::tcp_address;
use crate::net::LocalBoxFuture;
use crate::stream::transport::{Connection, Listener};

#[cfg(target_env = "p1")]
fn unsupported<T>() -> io::Result<T> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "sockets need WASI preview 2: build for wasm32-wasip2 (preview 1 has no sockets)",
    ))
}

/// Connects to `address`, or `None` if this host has no transport for its scheme.
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
pub(crate) fn listen(address: &str) -> Option<LocalBoxFuture<io::Result<Box<dyn Listener>>>> {
    let address = tcp_address(address)?.to_string();
    Some(Box::pin(async move { listen_host_port(&address).await }))
}

/// Listens on TCP `address` (`host:port`, with an optional `tcp://`), for
/// `net::start_tcp_server`: no scheme dispatch, so no other transport is linked.
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
