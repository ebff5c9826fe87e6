//! The transport seam under [`StreamReader`](super)/`StreamWriter`: what a host (or the in-memory
//! network) must supply to carry a byte stream.
//!
//! A connection is two halves, owned separately by the reader and the writer:
//!
//! * [`TransportRead`]: `poll_read` fills a buffer with whatever bytes have arrived; `Ok(0)` means
//!   end of stream (the peer closed or half-closed). Message transports (WebSocket) hand out frame
//!   payloads as bytes, keeping any remainder for the next call.
//! * [`TransportWrite`]: `poll_write` accepts as many bytes as the transport can take right now and
//!   is `Pending` when it can take none (that is the backpressure `drain` waits on); `poll_flush`
//!   waits until accepted bytes have left the process's buffers; `poll_write_eof` half-closes where
//!   [`TransportWrite::can_write_eof`] says it can; `poll_close` closes gracefully; `abort` drops the
//!   connection at once (a reset).
//!
//! Errors are `std::io::Error` with the kinds users match on: `ConnectionRefused`,
//! `ConnectionReset`, `BrokenPipe`, `NotConnected`, `TimedOut`, `Unsupported`, `PermissionDenied`,
//! `InvalidInput` (bad address).

use std::io;
use std::task::{Context, Poll};

/// The read half of a connection.
pub trait TransportRead: 'static {
    /// Reads available bytes into `buf`; `Ok(0)` (with a non-empty `buf`) is end of stream.
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>>;
}

/// The write half of a connection.
pub trait TransportWrite: 'static {
    /// Hands bytes to the transport; returns how many it took (at least one unless `buf` is empty),
    /// or `Pending` while it can take none.
    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>>;
    /// Waits until everything accepted has been handed to the peer or the host.
    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>>;
    /// Whether [`TransportWrite::poll_write_eof`] is supported (half-close).
    fn can_write_eof(&self) -> bool;
    /// Half-closes: the peer reads end of stream, and may still send.
    fn poll_write_eof(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>>;
    /// Closes the connection gracefully (after flushing).
    fn poll_close(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>>;
    /// Drops the connection at once; the peer sees a reset. Buffered data is discarded.
    fn abort(&mut self);
    /// Addresses of the two ends, as strings in the transport's own form (`mem://name#3`,
    /// `127.0.0.1:8080`, `wss://host/path`).
    fn info(&self) -> TransportInfo;
}

/// Addresses of a connection's two ends (asyncio's `get_extra_info('peername'/'sockname')`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransportInfo {
    /// The peer's address, if known.
    pub peer: Option<String>,
    /// This end's address, if known.
    pub local: Option<String>,
}

/// A connected pair of halves, as a connector or a listener produces it.
pub struct Connection {
    /// The read half.
    pub read: Box<dyn TransportRead>,
    /// The write half.
    pub write: Box<dyn TransportWrite>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("info", &self.write.info())
            .finish()
    }
}

/// A bound listening endpoint that yields incoming connections (used by `start_server`).
pub trait Listener: 'static {
    /// Waits for the next incoming connection.
    fn poll_accept(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Connection>>;
    /// The bound address (with the actual port when 0 was asked for).
    fn local_addr(&self) -> String;
    /// Stops listening; later `poll_accept` calls fail with `NotConnected`.
    fn close(&mut self);
}
