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
//!   `poll_splice` optionally moves bytes from a read half straight into the write half, where
//!   the host can copy them itself (WASI's `output-stream.splice`); [`copy`](fn@super::copy) uses it.
//!
//! Errors are `std::io::Error` with the kinds users match on: `ConnectionRefused`,
//! `ConnectionReset`, `BrokenPipe`, `NotConnected`, `TimedOut`, `Unsupported`, `PermissionDenied`,
//! `InvalidInput` (bad address).

use std::any::Any;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

/// Keeps `cx`'s waker in `slot` (a transport half's one waiting task), unless the one there
/// already wakes the same task. One out-of-line copy for the memory pipe, the `mem://` listener,
/// the WebSocket transport and the stream writer, where each site inlined its own (in wasm).
#[cfg_attr(target_family = "wasm", inline(never))]
pub(crate) fn store_waker(slot: &mut Option<Waker>, cx: &Context<'_>) {
    match slot {
        Some(w) if w.will_wake(cx.waker()) => {}
        _ => *slot = Some(cx.waker().clone()),
    }
}

/// How long a server waits after a transient accept failure before accepting again, by default
/// (asyncio waits 1 s).
pub(crate) const ACCEPT_RETRY_DELAY: Duration = Duration::from_millis(100);

/// The read half of a connection.
///
/// (`Any` lets a write half recognise a read half it can splice from, see
/// [`TransportWrite::poll_splice`]; every `'static` type is `Any`.)
///
/// # Examples
///
/// A transport of your own (here: bytes already in memory) under a [`StreamReader`](super::StreamReader):
///
/// ```
/// use std::io;
/// use std::task::{Context, Poll};
/// use wasio::stream::transport::TransportRead;
///
/// struct Canned(&'static [u8]);
///
/// impl TransportRead for Canned {
///     fn poll_read(&mut self, _: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
///         let n = buf.len().min(self.0.len());
///         buf[..n].copy_from_slice(&self.0[..n]);
///         self.0 = &self.0[n..];
///         Poll::Ready(Ok(n)) // 0 once everything was read: end of stream
///     }
/// }
///
/// wasio::run(async {
///     let mut r = wasio::StreamReader::new(Box::new(Canned(b"one\ntwo\n")));
///     assert_eq!(r.readline().await.unwrap(), b"one\n");
///     assert_eq!(r.readline().await.unwrap(), b"two\n");
///     assert_eq!(r.read(16).await.unwrap(), b""); // end of stream
/// });
/// ```
pub trait TransportRead: Any {
    /// Reads available bytes into `buf`; `Ok(0)` (with a non-empty `buf`) is end of stream.
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>>;
}

/// The write half of a connection.
///
/// # Examples
///
/// The in-memory pipe's write half under a [`StreamWriter`](super::StreamWriter) (any
/// `TransportWrite` plugs in the same way):
///
/// ```
/// wasio::run(async {
///     let (a, b) = wasio::stream::memory::pair();
///     let mut w = wasio::StreamWriter::new(a.write);
///     let mut r = wasio::StreamReader::new(b.read);
///     w.write(b"hello").unwrap();
///     w.drain().await.unwrap();
///     assert_eq!(r.read(16).await.unwrap(), b"hello");
/// });
/// ```
pub trait TransportWrite: Any {
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
    /// Moves up to `max` (at least 1) bytes that have arrived on `src` straight into this
    /// transport, without passing them through the caller (WASI: `output-stream.splice`, the
    /// host copies). `None` when this transport cannot take bytes from `src` that way (the
    /// default): the caller reads from `src` and writes instead.
    ///
    /// Otherwise it behaves as a read from `src` whose bytes went to
    /// [`poll_write`](TransportWrite::poll_write): `Ready(Ok(n))` moved `n >= 1` bytes,
    /// `Ready(Ok(0))` is the end of `src`, and `Pending` waits until `src` has bytes and this
    /// transport takes them (backpressure as for `poll_write`). The error says which side failed.
    fn poll_splice(
        &mut self,
        cx: &mut Context<'_>,
        src: &mut dyn TransportRead,
        max: usize,
    ) -> Option<Poll<Result<usize, SpliceError>>> {
        let _ = (cx, src, max);
        None
    }
}

/// Why [`TransportWrite::poll_splice`] failed: the error, and which side it belongs to.
///
/// # Examples
///
/// ```
/// use wasio::stream::transport::SpliceError;
/// let e = SpliceError::Read(std::io::ErrorKind::ConnectionReset.into());
/// // A copy loop reports the error of whichever side failed:
/// let (SpliceError::Read(io) | SpliceError::Write(io)) = e;
/// assert_eq!(io.kind(), std::io::ErrorKind::ConnectionReset);
/// ```
#[derive(Debug)]
pub enum SpliceError {
    /// Reading the source failed (for example `ConnectionReset`); the source is unusable.
    Read(io::Error),
    /// Writing failed; the write half is unusable.
    Write(io::Error),
}

/// Addresses of a connection's two ends (asyncio's `get_extra_info('peername'/'sockname')`).
///
/// # Examples
///
/// ```
/// use wasio::stream::transport::TransportInfo;
/// // What a TCP transport reports (a bare pipe knows neither address: both `None`).
/// let info = TransportInfo { peer: Some("127.0.0.1:40000".into()), local: Some("127.0.0.1:8080".into()) };
/// assert_ne!(info, TransportInfo::default());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransportInfo {
    /// The peer's address, if known.
    pub peer: Option<String>,
    /// This end's address, if known.
    pub local: Option<String>,
}

/// A connected pair of halves, as a connector or a listener produces it.
///
/// # Examples
///
/// ```
/// wasio::run(async {
///     let (a, b): (wasio::stream::transport::Connection, _) = wasio::stream::memory::pair();
///     let (mut w, mut r) = (wasio::StreamWriter::new(a.write), wasio::StreamReader::new(b.read));
///     w.write(b"ping\n").unwrap();
///     assert_eq!(r.readline().await.unwrap(), b"ping\n");
/// });
/// ```
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
///
/// # Examples
///
/// A listener that hands out in-memory connections queued up front:
///
/// ```
/// use std::collections::VecDeque;
/// use std::io;
/// use std::task::{Context, Poll};
/// use wasio::stream::transport::{Connection, Listener};
///
/// struct Queued(VecDeque<Connection>, bool);
///
/// impl Listener for Queued {
///     fn poll_accept(&mut self, _: &mut Context<'_>) -> Poll<io::Result<Connection>> {
///         match self.0.pop_front() {
///             Some(c) if !self.1 => Poll::Ready(Ok(c)),
///             _ => Poll::Ready(Err(io::ErrorKind::NotConnected.into())),
///         }
///     }
///     fn local_addr(&self) -> String {
///         "queued".into()
///     }
///     fn close(&mut self) {
///         self.1 = true;
///     }
/// }
///
/// let (a, _b) = wasio::stream::memory::pair();
/// let mut l = Queued(VecDeque::from([a]), false);
/// let mut cx = Context::from_waker(std::task::Waker::noop());
/// assert!(matches!(l.poll_accept(&mut cx), Poll::Ready(Ok(_))));
/// l.close();
/// assert!(matches!(l.poll_accept(&mut cx), Poll::Ready(Err(e)) if e.kind() == io::ErrorKind::NotConnected));
/// ```
pub trait Listener: 'static {
    /// Waits for the next incoming connection.
    fn poll_accept(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Connection>>;
    /// The bound address (with the actual port when 0 was asked for).
    fn local_addr(&self) -> String;
    /// Stops listening; later `poll_accept` calls fail with `NotConnected`.
    fn close(&mut self);
    /// What a server waits for after `poll_accept` failed with a transient error (any error but
    /// `NotConnected`: out of descriptors, say) before it accepts again.
    ///
    /// Provided: a 100 ms [`sleep`](crate::sleep) on the loop's timer. A host transport may wait
    /// on a host clock instead: WASI's TCP listener waits on a `wasi:clocks` pollable, so a
    /// server that sleeps nowhere else links no timer code.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::io;
    /// # use std::task::{Context, Poll};
    /// # use wasio::stream::transport::{Connection, Listener};
    /// struct Never;
    /// impl Listener for Never {
    ///     fn poll_accept(&mut self, _: &mut Context<'_>) -> Poll<io::Result<Connection>> {
    ///         Poll::Pending
    ///     }
    ///     fn local_addr(&self) -> String {
    ///         "never".into()
    ///     }
    ///     fn close(&mut self) {}
    /// }
    /// wasio::testing::run(async {
    ///     let start = wasio::Instant::now();
    ///     Never.backoff().await;
    ///     assert_eq!(start.elapsed(), std::time::Duration::from_millis(100));
    /// });
    /// ```
    fn backoff(&mut self) -> Pin<Box<dyn Future<Output = ()>>> {
        Box::pin(crate::time::sleep(ACCEPT_RETRY_DELAY))
    }
}
