//! This host's transports for `crate::net`: `ws://` and `wss://` connect through
//! [`websocket`](super::websocket). Listening is only possible on the in-memory network (`mem://`),
//! which `crate::net` serves itself: a page cannot accept connections.

use std::io;

use crate::net::LocalBoxFuture;
use crate::stream::transport::{Connection, Listener};

/// Connects to `address`, or `None` if this host has no transport for its scheme.
pub(crate) fn connect(address: &str) -> Option<LocalBoxFuture<io::Result<Connection>>> {
    let lower = address
        .get(..6)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if lower.starts_with("ws://") || lower.starts_with("wss://") {
        Some(Box::pin(super::websocket::connect(address.to_string())))
    } else {
        None
    }
}

/// Listens on `address`, or `None` if this host has no transport for its scheme (none: a page
/// cannot listen).
pub(crate) fn listen(_address: &str) -> Option<LocalBoxFuture<io::Result<Box<dyn Listener>>>> {
    None
}

/// TCP listening, for `net::start_tcp_server`: a page cannot listen.
pub(crate) async fn listen_tcp(_address: &str) -> io::Result<Box<dyn Listener>> {
    Err(crate::io_message::error(
        io::ErrorKind::Unsupported,
        "a browser page cannot listen for TCP connections (WASI preview 2 can)",
    ))
}
