//! The native host's transport for `crate::net`: TCP for `host:port` (and `tcp://host:port`),
//! over blocking `std::net` sockets served by helper threads.
//!
//! # Design
//!
//! `std` has no readiness API (no epoll, kqueue or IOCP) and the crate takes no dependency for
//! one, so each socket stays blocking and a thread blocks on it for the loop, which never blocks
//! on a socket itself:
//!
//! * **A connection** ([`conn`]) has a reader thread and a writer thread. Each hands bytes to the
//!   loop through a bounded buffer behind a mutex, and wakes the waiting task with its
//!   [`Waker`](std::task::Waker): a task waker is thread-safe, and waking it from another thread
//!   goes through the executor's injection queue and unparks the loop (the path
//!   `LoopHandle::call_soon_threadsafe` uses). Nothing polls: a thread sleeps in the kernel or on
//!   a condvar, the loop parks until woken.
//! * **Backpressure** both ways: the reader thread stops reading while its buffer holds
//!   [`READ_CAP`](conn::READ_CAP) unread bytes (the kernel's window then closes on the peer), and
//!   `poll_write` accepts nothing while [`WRITE_CAP`](conn::WRITE_CAP) bytes wait for the writer
//!   thread, so a `StreamWriter`'s `drain` waits on a peer that does not read.
//! * **Cancellation** loses nothing: `poll_read` copies bytes out of the buffer synchronously, so
//!   a read dropped while pending leaves every byte for the next one.
//! * **Ends**: a half-close or close is done by the writer thread once everything before it is
//!   sent (`shutdown(Write)`, or both directions for a close), and the thread ends; the reader
//!   thread ends at end of stream, an error, or when its half is dropped (a read shutdown wakes it
//!   out of a blocking `read`). `abort` shuts both directions down at once, which ends a write
//!   blocked on a peer that stopped reading. `std` cannot send a reset on purpose (no
//!   `SO_LINGER`), so as on WASI the peer sees an orderly end, or a reset if it had sent bytes
//!   nobody read.
//! * **A listener** ([`listener`]) has an accept thread that queues accepted sockets (a few; the
//!   kernel's backlog holds the rest); **a connect** runs name resolution and the blocking
//!   connect on a short-lived thread, whose result comes back through a oneshot channel
//!   (dropping the connect future lets that thread finish and close what it opened).
//!
//! Alternatives weighed: one poller thread over non-blocking sockets needs `poll`/`epoll`,
//! which `std` does not expose (a `libc` dependency and `unsafe`); non-blocking sockets retried
//! on a loop timer would be busy polling; the loop writing a blocking socket itself could block
//! the loop on a peer that stops reading (and `O_NONBLOCK` cannot be set for the writer alone: it
//! belongs to the socket, which the reader thread blocks on); one thread per socket cannot block
//! in `read` and `write` at once.
//!
//! Costs: two threads per connection (small stacks, 128 KiB each) and one per listener; a
//! byte crosses one extra copy each way. Addresses are read by `crate::net::host_port`, the
//! parser the WASI transport uses, so an address means the same on both hosts; errors are
//! `std`'s, with the kinds users match on (`ConnectionRefused`, `AddrInUse`, `ConnectionReset`,
//! `BrokenPipe`), `NotFound` for a name that does not resolve, and messages naming the address.

mod conn;
mod listener;
#[cfg(test)]
mod tests;

use std::io;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};

use super::host_port::{self, tcp_address, Target};
use super::LocalBoxFuture;
use crate::stream::transport::{Connection, Listener};

/// Connects to `address`, or `None` if this host has no transport for its scheme.
pub(crate) fn connect(address: &str) -> Option<LocalBoxFuture<io::Result<Connection>>> {
    let address = tcp_address(address)?.to_string();
    Some(Box::pin(async move { tcp_connect(&address).await }))
}

/// Listens on `address`, or `None` if this host has no transport for its scheme.
pub(crate) fn listen(address: &str) -> Option<LocalBoxFuture<io::Result<Box<dyn Listener>>>> {
    let address = tcp_address(address)?.to_string();
    Some(Box::pin(async move { tcp_listen(&address).await }))
}

/// Listens on TCP `address` (`host:port`, with an optional `tcp://`), for
/// `net::start_tcp_server`.
pub(crate) async fn listen_tcp(address: &str) -> io::Result<Box<dyn Listener>> {
    tcp_listen(address.strip_prefix("tcp://").unwrap_or(address)).await
}

/// `e`, with what was being done to which address in front of its message.
fn doing(e: io::Error, what: &str, to: &SocketAddr) -> io::Error {
    let to = super::ip_text::socket_addr_string(to);
    io::Error::new(e.kind(), format!("{what} {to}: {e}"))
}

/// The addresses `target` names (blocking, for a name: run it off the loop).
fn resolve(target: &Target) -> io::Result<Vec<SocketAddr>> {
    match target {
        Target::Ip(sa) => Ok(vec![*sa]),
        Target::Name(name, port) => match (name.as_str(), *port).to_socket_addrs() {
            Ok(found) => {
                let found: Vec<SocketAddr> = found.collect();
                if found.is_empty() {
                    Err(io::Error::new(
                        io::ErrorKind::NotFound,
                        format!("{name}: the name has no address"),
                    ))
                } else {
                    Ok(found)
                }
            }
            Err(e) => Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{name}: the name does not resolve ({e})"),
            )),
        },
    }
}

/// Runs `f` on a helper thread and waits for its answer without blocking the loop.
async fn off_loop<T: Send + 'static>(
    name: &str,
    f: impl FnOnce() -> io::Result<T> + Send + 'static,
) -> io::Result<T> {
    let (tx, rx) = futures_channel::oneshot::channel();
    // Name resolution may need more stack than the byte-moving threads.
    conn::spawn(name, 512 * 1024, move || {
        let _ = tx.send(f());
    })?;
    rx.await.unwrap_or_else(|_| {
        Err(io::Error::other(
            "the helper thread ended without an answer",
        ))
    })
}

async fn tcp_connect(address: &str) -> io::Result<Connection> {
    let target = host_port::parse(address)?;
    let socket = off_loop("wasio-tcp-connect", move || {
        let mut last = None;
        for sa in resolve(&target)? {
            match TcpStream::connect(sa) {
                Ok(s) => return Ok(s),
                Err(e) => last = Some(doing(e, "connect to", &sa)),
            }
        }
        Err(last.unwrap_or_else(|| io::Error::from(io::ErrorKind::NotFound)))
    })
    .await?;
    conn::connection(socket)
}

fn bind_first(addrs: Vec<SocketAddr>) -> io::Result<std::net::TcpListener> {
    let mut last = None;
    for sa in addrs {
        match std::net::TcpListener::bind(sa) {
            Ok(l) => return Ok(l),
            Err(e) => last = Some(doing(e, "listen on", &sa)),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::from(io::ErrorKind::NotFound)))
}

async fn tcp_listen(address: &str) -> io::Result<Box<dyn Listener>> {
    let target = host_port::parse(address)?;
    let socket = match target {
        // Binding an address does not wait: done here.
        Target::Ip(sa) => bind_first(vec![sa])?,
        // A name resolves first, which may wait: off the loop. A name listens on its first
        // address that binds.
        Target::Name(..) => {
            off_loop("wasio-tcp-listen", move || bind_first(resolve(&target)?)).await?
        }
    };
    Ok(Box::new(listener::TcpListener::start(socket)?))
}
