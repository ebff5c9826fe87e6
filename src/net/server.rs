//! [`Server`] and [`start_server`]: accept connections and run a handler task for each.
//!
//! # Data structure
//!
//! A server is a handle to a shared `ServerState` (`Rc<RefCell<_>>`):
//!
//! * `listener`: the bound listener while the server is serving; `close` takes it out and closes
//!   it. The accept task (a detached task that accepts connections and spawns a handler task for
//!   each) then ends at its next poll, finding no listener: `close` wakes it, as it waits in
//!   `waiters` too (an accept task in a listener's backoff ends when the backoff does). So the
//!   server holds no handle to it and never cancels it: stopping it costs one wake-up, and none of
//!   the task-cancellation code is linked for it (about 400 B of the WASI echo component);
//! * `conns`: the live connections, a [`Slab`] (a vector of slots with a free list, `live` counting
//!   the occupied ones): each occupied slot is a weak handle to a connection's writer (to close or
//!   abort it). A connection takes a slot at its accept and keeps it until its writer closes — by
//!   the handler, by `close_clients`/`abort_clients`, by a transport error, or by being dropped when
//!   the handler returns — as asyncio counts a connection until its transport is closed. The
//!   writer's close hook, which runs once, frees the slot: O(1) both ways, and a freed slot is
//!   reused by a later connection;
//! * `waiters`: the tasks to wake when `closed` is set or the last connection ends (the
//!   `wait_closed` and `serve_forever` calls, and the accept task while it waits for a
//!   connection): a list of wakers to wake all at once, as `sync::waiters` keeps them (see
//!   "Wakers to wake all at once" there). A woken task checks its condition again; a call dropped
//!   before the wake-up leaves only its waker, woken for nothing with the others. (The sync
//!   primitives' FIFO `WaitList` would link about 2.3 KB into a WASI echo component that uses no
//!   other wait list; these waiters need neither its order nor its hand-off.)
//!
//! Borrow rule: the state is never borrowed while a writer is closed or aborted (its hook borrows
//! the state), so `close_clients` and `abort_clients` copy the handles out first.

use std::cell::RefCell;
use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::rc::Rc;
use std::task::{Poll, Waker};

use super::LocalBoxFuture;
use crate::borrow::{borrow, borrow_mut};
use crate::slab::Slab;
use crate::stream::transport::Listener;
use crate::stream::{StreamReader, StreamWriter, WriterHandle};
use crate::sync::waiters::{register, wake_all};

struct ServerState {
    listener: Option<Box<dyn Listener>>,
    closed: bool,
    conns: Slab<Option<WriterHandle>>,
    live: usize,
    waiters: Vec<Waker>,
}

impl ServerState {
    /// Takes a slot for a new connection's writer.
    fn add_conn(&mut self, handle: WriterHandle) -> usize {
        self.live += 1;
        self.conns.insert(Some(handle))
    }

    /// Frees a connection's slot (its writer closed).
    fn remove_conn(&mut self, slot: usize) {
        if self.conns.get_mut(slot).and_then(Option::take).is_some() {
            self.live -= 1;
            self.conns.free(slot);
        }
    }

    fn take_waiters(&mut self) -> Vec<Waker> {
        std::mem::take(&mut self.waiters)
    }
}

/// A listening server, as [`start_server`] returns it (asyncio's `Server`).
///
/// Dropping the handle closes the server (it stops accepting; live connections go on), like
/// [`close`](Self::close).
///
/// # Examples
///
/// ```
/// wasio::run(async {
///     let server = wasio::net::start_server(
///         |mut r: wasio::StreamReader, mut w: wasio::StreamWriter| async move {
///             let line = r.readline().await.unwrap();
///             w.write(&line).unwrap();
///         },
///         "mem://",
///     )
///     .await
///     .unwrap();
///     let (mut r, mut w) = wasio::net::open_connection(server.local_addr()).await.unwrap();
///     w.write(b"echo me\n").unwrap();
///     assert_eq!(r.readline().await.unwrap(), b"echo me\n");
///     server.close();
///     server.wait_closed().await;
/// });
/// ```
pub struct Server {
    state: Rc<RefCell<ServerState>>,
    addr: String,
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = borrow(&self.state);
        f.debug_struct("Server")
            .field("addr", &self.addr)
            .field("serving", &!s.closed)
            .field("connections", &s.live)
            .finish()
    }
}

/// Starts a server at `address` that runs `handler(reader, writer)` as a new task for each
/// connection (asyncio's `start_server`). The server accepts at once.
///
/// The handler's return value is ignored. When it returns, the reader and writer it was given are
/// dropped, which closes the connection (after sending what the writer buffered) unless it moved
/// them elsewhere.
///
/// `address` picks the transport as [`open_connection`](super::open_connection) does; for the
/// in-memory network, `mem://` alone binds a fresh name ([`Server::local_addr`] tells which).
///
/// # Errors
///
/// `AddrInUse` if the address is bound already; `InvalidInput` or `Unsupported` for an address
/// this host cannot listen on; the host's error otherwise.
///
/// # Cancel safety
///
/// Cancel safe for the in-memory network (binding does not wait); for host transports, dropping the
/// future before it completes releases whatever it bound.
///
/// # Examples
///
/// ```
/// wasio::run(async {
///     let server = wasio::net::start_server(|_r, _w| async {}, "mem://api").await.unwrap();
///     assert_eq!(server.local_addr(), "mem://api");
///     let again = wasio::net::start_server(|_r, _w| async {}, "mem://api").await;
///     assert_eq!(again.unwrap_err().kind(), std::io::ErrorKind::AddrInUse);
/// });
/// ```
pub async fn start_server<H, F>(handler: H, address: &str) -> io::Result<Server>
where
    H: Fn(StreamReader, StreamWriter) -> F + 'static,
    F: Future + 'static,
{
    let listener = super::listen(address).await?;
    Ok(serve(listener, handler))
}

/// Starts a TCP server at `address` (`host:port`, `[v6]:port`, a DNS name, or any of these after
/// `tcp://`; port 0 picks a free port): [`start_server`] for TCP only.
///
/// The server is the same [`Server`], and connections are handled as [`start_server`] handles
/// them; the difference is what gets linked. `start_server` picks the transport by the address at
/// run time, so every transport of the host (the in-memory network too) ends up in the binary;
/// this function names TCP at compile time, so a component that only serves TCP carries nothing
/// else (the echo server component is about 5 KB smaller).
///
/// TCP listening exists natively (`std::net`, served by helper threads) and on WASI preview 2
/// (`wasi:sockets`); elsewhere (the browser, WASI preview 1) it fails with `Unsupported`.
///
/// # Errors
///
/// `InvalidInput` for an address that is not `host:port`; `AddrInUse` if the port is bound
/// already; `PermissionDenied` without the network grant (`-Sinherit-network`); `NotFound` for a
/// name that does not resolve; `Unsupported` on a host without TCP listening; the host's error
/// otherwise.
///
/// # Cancel safety
///
/// Dropping the future before it completes releases whatever it bound.
///
/// # Examples
///
/// ```
/// wasio::run(async {
///     let echo = |mut r: wasio::StreamReader, mut w: wasio::StreamWriter| async move {
///         let _ = wasio::stream::copy(&mut r, &mut w).await;
///     };
///     match wasio::net::start_tcp_server(echo, "127.0.0.1:0").await {
///         // Native, WASI preview 2: a free port was picked.
///         Ok(server) => assert!(!server.local_addr().ends_with(":0")),
///         // Hosts without TCP listening.
///         Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::Unsupported),
///     }
/// });
/// ```
pub async fn start_tcp_server<H, F>(handler: H, address: &str) -> io::Result<Server>
where
    H: Fn(StreamReader, StreamWriter) -> F + 'static,
    F: Future + 'static,
{
    let listener = super::backend::listen_tcp(address).await?;
    Ok(serve(listener, handler))
}

/// Serves `listener`: the accept task, and the handle to it.
fn serve<H, F>(listener: Box<dyn Listener>, handler: H) -> Server
where
    H: Fn(StreamReader, StreamWriter) -> F + 'static,
    F: Future + 'static,
{
    let addr = listener.local_addr();
    let state = Rc::new(RefCell::new(ServerState {
        listener: Some(listener),
        closed: false,
        conns: Slab::new(),
        live: 0,
        waiters: Vec::new(),
    }));
    // Boxed, as the connection handlers are below: one `TaskCell<LocalBoxFuture<()>>` in the binary
    // (which the handlers and the bindings' tasks share) instead of a task type per server and
    // handler type (each its own poll, end and drop code: 0.4 KB gz of the npm package's wasm).
    crate::task::spawn_detached(Box::pin(accept_loop(state.clone(), handler)) as LocalBoxFuture<()>);
    Server { state, addr }
}

/// The accept task: one `poll_fn` future (no nested ones) that accepts while connections are
/// ready, and after a transient accept failure waits out the listener's backoff first.
fn accept_loop<H, F>(state: Rc<RefCell<ServerState>>, handler: H) -> impl Future<Output = ()>
where
    H: Fn(StreamReader, StreamWriter) -> F + 'static,
    F: Future + 'static,
{
    let mut backoff: Option<LocalBoxFuture<()>> = None;
    poll_fn(move |cx| loop {
        if let Some(wait) = &mut backoff {
            if wait.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            backoff = None;
        }
        let accepted = {
            let mut s = borrow_mut(&state);
            let Some(l) = s.listener.as_mut() else {
                return Poll::Ready(());
            };
            match l.poll_accept(cx) {
                Poll::Ready(r) => r,
                Poll::Pending => {
                    // Woken by the listener, or by `close` (which takes the listener away).
                    register(&mut s.waiters, cx.waker());
                    crate::trace::wait::waiting_io(crate::trace::WaitReason::Accept);
                    return Poll::Pending;
                }
            }
        };
        match accepted {
            Ok(conn) => {
                let reader = StreamReader::new(conn.read);
                let writer = StreamWriter::new(conn.write);
                let slot = borrow_mut(&state).add_conn(writer.handle());
                let weak = Rc::downgrade(&state);
                writer.set_on_closed(Box::new(move || {
                    let Some(state) = weak.upgrade() else { return };
                    // Never borrowed here: the hook runs outside the writer's borrow, and
                    // `close_clients`/`abort_clients` copy the handles out before closing them.
                    // A failed borrow is a bug: it panics rather than leave `wait_closed` hanging.
                    let mut s = borrow_mut(&state);
                    s.remove_conn(slot);
                    let wakers = if s.live == 0 {
                        s.take_waiters()
                    } else {
                        Vec::new()
                    };
                    drop(s);
                    wake_all(wakers);
                }));
                // Called here, not in the task: the handler runs at accept time, as before.
                let handling = handler(reader, writer);
                crate::task::spawn_detached(Box::pin(async move {
                    let _ = handling.await;
                }) as LocalBoxFuture<()>);
            }
            Err(e) if e.kind() == io::ErrorKind::NotConnected => return Poll::Ready(()),
            Err(_) => {
                // A transient accept failure (out of descriptors, an aborted handshake): wait as
                // the listener says, then go on.
                match borrow_mut(&state).listener.as_mut().map(|l| l.backoff()) {
                    Some(wait) => backoff = Some(wait),
                    None => return Poll::Ready(()),
                }
            }
        }
    })
}

impl Server {
    /// The bound address (with the name or port the host picked, when it picked one).
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let server = wasio::net::start_server(|_r, _w| async {}, "mem://").await.unwrap();
    ///     assert!(server.local_addr().starts_with("mem://auto-"));
    /// });
    /// ```
    pub fn local_addr(&self) -> &str {
        &self.addr
    }

    /// Whether the server is accepting connections (it has not been closed).
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let server = wasio::net::start_server(|_r, _w| async {}, "mem://").await.unwrap();
    ///     assert!(server.is_serving());
    ///     server.close();
    ///     assert!(!server.is_serving());
    /// });
    /// ```
    pub fn is_serving(&self) -> bool {
        !borrow(&self.state).closed
    }

    /// How many connections are live (accepted, and their writer not yet closed).
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let server = wasio::net::start_server(|_r, _w| async {}, "mem://").await.unwrap();
    ///     assert_eq!(server.connection_count(), 0);
    /// });
    /// ```
    pub fn connection_count(&self) -> usize {
        borrow(&self.state).live
    }

    /// Stops accepting: the listener closes (new connects are refused) and the live connections go
    /// on. Calling it again does nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let server = wasio::net::start_server(|_r, _w| async {}, "mem://closing").await.unwrap();
    ///     server.close();
    ///     let e = wasio::net::open_connection("mem://closing").await.unwrap_err();
    ///     assert_eq!(e.kind(), std::io::ErrorKind::ConnectionRefused);
    /// });
    /// ```
    pub fn close(&self) {
        let (listener, wakers) = {
            let mut s = borrow_mut(&self.state);
            if s.closed {
                return;
            }
            s.closed = true;
            // Every waiter checks again: `serve_forever` returns, `wait_closed` waits on while
            // connections live.
            let wakers = s.take_waiters();
            (s.listener.take(), wakers)
        };
        if let Some(mut l) = listener {
            l.close();
        }
        wake_all(wakers);
    }

    fn handles(&self) -> Vec<WriterHandle> {
        borrow(&self.state)
            .conns
            .iter()
            .filter_map(|(_, c)| c.clone())
            .collect()
    }

    /// Closes every live connection gracefully (each writer sends what it buffered, then closes).
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let server = wasio::net::start_server(
    ///         |mut r: wasio::StreamReader, w| async move {
    ///             let _keep_open = w;
    ///             let _ = r.read_to_end().await;
    ///         },
    ///         "mem://",
    ///     )
    ///     .await
    ///     .unwrap();
    ///     let (mut r, _w) = wasio::net::open_connection(server.local_addr()).await.unwrap();
    ///     wasio::yield_now().await; // let the server accept
    ///     server.close();
    ///     server.close_clients();
    ///     server.wait_closed().await;
    ///     assert_eq!(r.read(10).await.unwrap(), b""); // the client reads the end of the stream
    /// });
    /// ```
    pub fn close_clients(&self) {
        for h in self.handles() {
            h.close();
        }
    }

    /// Aborts every live connection: buffered bytes are discarded and the clients see a reset.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let server = wasio::net::start_server(
    ///         |mut r: wasio::StreamReader, w| async move {
    ///             let _keep_open = w;
    ///             let _ = r.read_to_end().await;
    ///         },
    ///         "mem://",
    ///     )
    ///     .await
    ///     .unwrap();
    ///     let (mut r, _w) = wasio::net::open_connection(server.local_addr()).await.unwrap();
    ///     wasio::yield_now().await;
    ///     server.close();
    ///     server.abort_clients();
    ///     server.wait_closed().await;
    ///     assert_eq!(r.read(10).await.unwrap_err().kind(), std::io::ErrorKind::ConnectionReset);
    /// });
    /// ```
    pub fn abort_clients(&self) {
        for h in self.handles() {
            h.abort();
        }
    }

    /// Waits until the server is closed and every connection has ended.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it only waits.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let server = wasio::net::start_server(|_r, _w| async {}, "mem://").await.unwrap();
    ///     let (_r, _w) = wasio::net::open_connection(server.local_addr()).await.unwrap();
    ///     server.close();
    ///     server.wait_closed().await; // the handler returned at once, closing its connection
    ///     assert_eq!(server.connection_count(), 0);
    /// });
    /// ```
    pub fn wait_closed(&self) -> impl Future<Output = ()> + '_ {
        poll_fn(|cx| {
            let mut s = borrow_mut(&self.state);
            if s.closed && s.live == 0 {
                return Poll::Ready(());
            }
            register(&mut s.waiters, cx.waker());
            Poll::Pending
        })
    }

    /// Serves until the server is closed (asyncio's `serve_forever`). If this future is dropped
    /// first (its task cancelled), the server is closed, as asyncio closes it on cancellation.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future closes the server (live connections go on).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// wasio::testing::run(async {
    ///     let server = std::rc::Rc::new(
    ///         wasio::net::start_server(|_r, _w| async {}, "mem://").await.unwrap(),
    ///     );
    ///     let s = server.clone();
    ///     wasio::call_later(Duration::from_secs(5), move || s.close());
    ///     server.serve_forever().await;
    ///     assert_eq!(wasio::Instant::now().since_origin(), Duration::from_secs(5));
    /// });
    /// ```
    pub async fn serve_forever(&self) {
        struct CloseOnDrop<'a>(&'a Server);
        impl Drop for CloseOnDrop<'_> {
            fn drop(&mut self) {
                self.0.close();
            }
        }
        let guard = CloseOnDrop(self);
        poll_fn(|cx| {
            let mut s = borrow_mut(&self.state);
            if s.closed {
                return Poll::Ready(());
            }
            register(&mut s.waiters, cx.waker());
            Poll::Pending
        })
        .await;
        drop(guard);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.close();
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::collections::VecDeque;
    use std::io;
    use std::rc::Rc;
    use std::task::{Context, Poll};
    use std::time::Duration;

    use super::serve;
    use crate::stream::memory;
    use crate::stream::transport::{Connection, Listener};
    use crate::time::Instant;

    /// Hands out what it was given: an error, then a connection, then nothing.
    struct Scripted(VecDeque<io::Result<Connection>>);

    impl Listener for Scripted {
        fn poll_accept(&mut self, _: &mut Context<'_>) -> Poll<io::Result<Connection>> {
            self.0.pop_front().map_or(Poll::Pending, Poll::Ready)
        }
        fn local_addr(&self) -> String {
            "scripted".into()
        }
        fn close(&mut self) {}
    }

    #[test]
    fn a_transient_accept_error_waits_out_the_listeners_backoff_then_accepts() {
        crate::testing::run(async {
            let (conn, _peer) = memory::pair();
            let failure = io::Error::other("out of descriptors");
            let listener = Scripted(VecDeque::from([Err(failure), Ok(conn)]));
            let accepted_at = Rc::new(Cell::new(None));
            let at = accepted_at.clone();
            let server = serve(Box::new(listener), move |_r, _w| {
                at.set(Some(Instant::now().since_origin()));
                async {}
            });
            crate::sleep(Duration::from_secs(1)).await;
            assert_eq!(accepted_at.get(), Some(Duration::from_millis(100)));
            assert!(server.is_serving());
        });
    }
}
