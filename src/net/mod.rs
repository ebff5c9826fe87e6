//! [`open_connection`] / [`start_server`]: the address picks the transport.
//!
//! * `mem://name` — the in-memory network, on every host: a real byte pipe
//!   per connection, with a socket's backpressure and close semantics (see
//!   [`stream::memory`](crate::stream::memory)). Names live per thread; `mem://` alone, given to
//!   [`start_server`], binds a fresh name;
//! * `ws://…`, `wss://…` — WebSocket, in the browser and Node (`crate::browser`);
//! * `host:port` (or `tcp://host:port`) — TCP, on WASI p2 (`crate::wasi`) and natively
//!   (`native/` here: blocking `std::net` sockets served by helper threads).
//!
//! Each host's backend plugs in as `backend` (`connect`, `listen`, `listen_tcp`), each returning
//! `None` for an address that is not theirs: `crate::browser::net`, `crate::wasi::net`, or
//! `native/` here; this module only parses and routes (`host_port.rs` reads `host:port` for both
//! TCP hosts). An address no transport of this
//! host takes fails with `Unsupported` (and an empty one with `InvalidInput`), naming the address.

#[cfg(any(not(target_arch = "wasm32"), target_os = "wasi"))]
pub(crate) mod host_port;
// The TCP hosts read addresses with it (WASI p2, native); p1 has no sockets. Native unit tests
// check it against `std::net`.
#[cfg(any(
    all(target_os = "wasi", not(target_env = "p1")),
    not(target_arch = "wasm32")
))]
pub(crate) mod ip_text;
mod memnet;
#[cfg(not(target_arch = "wasm32"))]
mod native;
mod server;

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
use crate::browser::net as backend;
#[cfg(all(target_arch = "wasm32", target_os = "wasi"))]
use crate::wasi::net as backend;
#[cfg(not(target_arch = "wasm32"))]
use native as backend;

use std::io;

pub use server::{start_server, start_tcp_server, Server};

use crate::stream::transport::{Connection, Listener};
use crate::stream::{StreamReader, StreamWriter};

/// A boxed, `!Send` future, as the backends' network functions return them.
pub(crate) type LocalBoxFuture<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T>>>;

const MEM_SCHEME: &str = "mem://";

fn no_transport(address: &str) -> io::Error {
    if address.is_empty() {
        return crate::io_message::error(io::ErrorKind::InvalidInput, "empty network address");
    }
    crate::io_message::error(
        io::ErrorKind::Unsupported,
        format!("no transport for address '{address}' on this host (mem:// works everywhere)"),
    )
}

/// Connects to `address` with the transport its form picks.
/// Connects to `address`: one future type over every address form (`mem://`, the host's), polled
/// in place (no nested futures): a `mem://` connect polls [`memnet::poll_connect`], any other the
/// host's boxed connect future, made here (call it where the connect starts, as `open_connection`
/// does at its first poll).
pub(crate) fn connect(
    address: &str,
) -> impl std::future::Future<Output = io::Result<Connection>> + '_ {
    let mem = address.strip_prefix(MEM_SCHEME);
    let mut host = match mem {
        None if !address.is_empty() => backend::connect(address),
        _ => None,
    };
    std::future::poll_fn(move |cx| {
        let r = match (mem, &mut host) {
            (Some(name), _) => memnet::poll_connect(name, cx),
            (None, Some(fut)) => fut.as_mut().poll(cx),
            (None, None) => std::task::Poll::Ready(Err(no_transport(address))),
        };
        if r.is_pending() {
            crate::trace::wait::waiting_io(crate::trace::WaitReason::Connect);
        }
        r
    })
}

/// Listens on `address`: like [`connect`], one future over the address forms. A `mem://` name is
/// bound here, at once (call it where the listen starts, as `start_server` does at its first poll);
/// any other address polls the host's boxed listen future.
pub(crate) fn listen(
    address: &str,
) -> impl std::future::Future<Output = io::Result<Box<dyn Listener>>> + '_ {
    let mut now = None;
    let mut host = None;
    match address.strip_prefix(MEM_SCHEME) {
        Some(name) => now = Some(memnet::listen(name)),
        None if address.is_empty() => {}
        None => host = backend::listen(address),
    }
    std::future::poll_fn(move |cx| match (now.take(), &mut host) {
        (Some(r), _) => std::task::Poll::Ready(r),
        (None, Some(fut)) => fut.as_mut().poll(cx),
        (None, None) => std::task::Poll::Ready(Err(no_transport(address))),
    })
}

/// Opens a connection to `address` and returns its reader and writer (asyncio's
/// `open_connection`). The reader has the default limit; change it with
/// [`StreamReader::set_limit`].
///
/// # Errors
///
/// `ConnectionRefused` when nothing listens at the address (for `mem://`, a name nobody bound);
/// `Unsupported` for an address no transport of this host takes, `InvalidInput` for an empty or
/// malformed one; the host's error otherwise.
///
/// # Cancel safety
///
/// Cancel safe: dropping the future before it completes leaves no connection open (an in-memory
/// connect waits only while the listener's backlog is full, and enqueues nothing until it
/// completes; a native TCP connect already under way on its helper thread finishes there and is
/// closed at once).
///
/// # Examples
///
/// ```
/// wasio::run(async {
///     let e = wasio::net::open_connection("mem://nobody").await.unwrap_err();
///     assert_eq!(e.kind(), std::io::ErrorKind::ConnectionRefused);
///     let e = wasio::net::open_connection("gopher://old").await.unwrap_err();
///     assert_eq!(e.kind(), std::io::ErrorKind::Unsupported);
/// });
/// ```
///
/// Over TCP (natively and on WASI preview 2), to a server on a port the host picked:
///
/// ```
/// # #[cfg(any(not(target_arch = "wasm32"), all(target_os = "wasi", not(target_env = "p1"))))]
/// wasio::run(async {
///     let echo = |mut r: wasio::StreamReader, mut w: wasio::StreamWriter| async move {
///         let _ = wasio::stream::copy(&mut r, &mut w).await;
///     };
///     let server = wasio::start_server(echo, "127.0.0.1:0").await.unwrap();
///     let (mut r, mut w) = wasio::open_connection(server.local_addr()).await.unwrap();
///     w.write(b"ping\n").unwrap();
///     assert_eq!(r.readline().await.unwrap(), b"ping\n");
/// });
/// ```
pub async fn open_connection(address: &str) -> io::Result<(StreamReader, StreamWriter)> {
    let conn = connect(address).await?;
    Ok((StreamReader::new(conn.read), StreamWriter::new(conn.write)))
}
