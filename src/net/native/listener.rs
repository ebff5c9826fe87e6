//! A listening TCP socket: a blocking `std::net::TcpListener` served by an accept thread.
//!
//! # Data structure
//!
//! `Shared` (an `Arc` held by the loop's [`TcpListener`] and the accept thread) is a mutex over
//! `queue`, the sockets the thread accepted and the loop has not taken yet (at most [`QUEUE`];
//! the kernel's backlog holds the rest), or an accept error to report; `waker`, the accept loop's
//! task; `closed`; `thread_waiting` and `error_queued`; and the condvar the thread sleeps on while
//! the queue is full or holds an error (so a failing `accept`, out of descriptors say, is retried
//! once per server backoff, not in a loop).
//!
//! Accepted sockets become connections (their two threads start) when the loop takes them, in
//! `poll_accept`. Closing sets `closed`, drops the queued sockets (their peers see the connection
//! end), and wakes the thread out of its blocking `accept`: on Linux by shutting the listening
//! socket down, which also stops it listening at once (a connect after `close` is refused);
//! elsewhere by connecting to it once.

use std::collections::VecDeque;
use std::io;
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use super::conn;
use crate::stream::transport::{Connection, Listener};

/// Accepted sockets waiting for the loop, at most.
const QUEUE: usize = 16;

#[derive(Default)]
struct State {
    queue: VecDeque<io::Result<TcpStream>>,
    waker: Option<Waker>,
    closed: bool,
    thread_waiting: bool,
    error_queued: bool,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    room: Condvar,
}

fn lock(m: &Mutex<State>) -> MutexGuard<'_, State> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A listening TCP socket (see the module docs).
pub(crate) struct TcpListener {
    shared: Arc<Shared>,
    /// A second handle to the listening socket, to wake the accept thread on close.
    socket: Option<std::net::TcpListener>,
    local: SocketAddr,
}

impl TcpListener {
    /// Serves `listener` from a new accept thread.
    pub(crate) fn start(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        let local = listener.local_addr()?;
        let socket = listener.try_clone()?;
        let shared = Arc::new(Shared::default());
        let s = shared.clone();
        conn::spawn("wasio-tcp-accept", 128 * 1024, move || {
            accept_loop(&s, &listener)
        })?;
        Ok(TcpListener {
            shared,
            socket: Some(socket),
            local,
        })
    }
}

fn accept_loop(shared: &Shared, listener: &std::net::TcpListener) {
    loop {
        {
            let mut s = lock(&shared.state);
            loop {
                if s.closed {
                    return;
                }
                if s.queue.len() < QUEUE && !s.error_queued {
                    s.thread_waiting = false;
                    break;
                }
                s.thread_waiting = true;
                s = shared.room.wait(s).unwrap_or_else(|e| e.into_inner());
            }
        }
        let got = listener.accept();
        let mut s = lock(&shared.state);
        if s.closed {
            return;
        }
        match got {
            Ok((socket, _)) => s.queue.push_back(Ok(socket)),
            // The peer gave up before we accepted, or a signal: take the next one.
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::Interrupted
                        | io::ErrorKind::ConnectionAborted
                        | io::ErrorKind::ConnectionReset
                ) =>
            {
                continue
            }
            Err(e) => {
                s.error_queued = true;
                s.queue.push_back(Err(e));
            }
        }
        let waker = s.waker.take();
        drop(s);
        if let Some(w) = waker {
            w.wake();
        }
    }
}

impl Listener for TcpListener {
    fn poll_accept(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Connection>> {
        let mut s = lock(&self.shared.state);
        if s.closed {
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::NotConnected,
                "the listener is closed",
            )));
        }
        let Some(got) = s.queue.pop_front() else {
            match &s.waker {
                Some(w) if w.will_wake(cx.waker()) => {}
                _ => s.waker = Some(cx.waker().clone()),
            }
            return Poll::Pending;
        };
        if got.is_err() {
            s.error_queued = false;
        }
        let notify = s.thread_waiting;
        drop(s);
        if notify {
            self.shared.room.notify_one();
        }
        // A connection whose threads cannot start is a transient accept failure: the server backs
        // off and accepts again.
        Poll::Ready(got.and_then(conn::connection))
    }

    fn local_addr(&self) -> String {
        crate::net::ip_text::socket_addr_string(&self.local)
    }

    fn close(&mut self) {
        let queued = {
            let mut s = lock(&self.shared.state);
            if s.closed {
                return;
            }
            s.closed = true;
            s.waker = None;
            std::mem::take(&mut s.queue)
        };
        drop(queued);
        self.shared.room.notify_one();
        if let Some(socket) = self.socket.take() {
            wake_accept(socket, self.local);
        }
    }
}

impl Drop for TcpListener {
    fn drop(&mut self) {
        self.close();
    }
}

/// Ends the accept thread's blocking `accept` (it then sees `closed` and ends, closing the socket).
#[cfg(any(target_os = "linux", target_os = "android"))]
fn wake_accept(socket: std::net::TcpListener, _local: SocketAddr) {
    // Linux shuts a listening socket down: it stops listening at once (connects are refused from
    // here on) and `accept` fails in the thread. `std` has no `shutdown` for listeners, but the
    // same descriptor as a `TcpStream` has.
    let as_stream = TcpStream::from(std::os::fd::OwnedFd::from(socket));
    let _ = as_stream.shutdown(std::net::Shutdown::Both);
}

/// Ends the accept thread's blocking `accept` (it then sees `closed` and ends, closing the socket).
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn wake_accept(socket: std::net::TcpListener, local: SocketAddr) {
    // Other systems do not wake `accept` on a shutdown: connect once, from a short-lived thread
    // (a connect may wait). The listening socket closes when the accept thread ends.
    drop(socket);
    let mut to = local;
    if to.ip().is_unspecified() {
        to.set_ip(match to {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    let _ = conn::spawn("wasio-tcp-close", 128 * 1024, move || {
        let _ = TcpStream::connect(to);
    });
}
