//! The native host's transports for `crate::net`: none yet (only `mem://` works here).

use std::io;

use super::LocalBoxFuture;
use crate::stream::transport::{Connection, Listener};

/// Connects to `address`, or `None` if this host has no transport for its scheme.
pub(crate) fn connect(_address: &str) -> Option<LocalBoxFuture<io::Result<Connection>>> {
    None
}

/// Listens on `address`, or `None` if this host has no transport for its scheme.
pub(crate) fn listen(_address: &str) -> Option<LocalBoxFuture<io::Result<Box<dyn Listener>>>> {
    None
}
/// TCP listening, for `net::start_tcp_server`: not on this host.
pub(crate) async fn listen_tcp(_address: &str) -> io::Result<Box<dyn Listener>> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "TCP listening needs WASI preview 2 (wasm32-wasip2)",
    ))
}
