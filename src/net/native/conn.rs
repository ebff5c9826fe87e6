//! One TCP connection: a blocking `std::net::TcpStream`, a helper thread per direction, and the
//! two transport halves the loop owns ([`TcpRead`], [`TcpWrite`]). See the module docs of
//! `native` for the design; this file is its data structure.
//!
//! # Data structure
//!
//! `Conn` is shared (`Arc`) by the two halves and the two threads:
//!
//! * `inbound` (a mutex, and the condvar its reader thread sleeps on): `bytes` the reader thread
//!   has read and the loop has not taken yet, never more than [`READ_CAP`]; `end`, how the stream
//!   ended (end of stream, or the error that ended it), reported once `bytes` is empty; `waker`,
//!   the task waiting in `poll_read`; `thread_waiting`, set while the thread sleeps on a full
//!   buffer; `gone`, set when the read half is dropped.
//! * `outbound` (a mutex, and the condvar its writer thread sleeps on): `bytes` accepted by
//!   `poll_write` and not yet taken by the writer thread, never more than [`WRITE_CAP`];
//!   `sending`, set while the thread writes a batch it took; `finish`, the shutdown asked for
//!   once everything is sent (half-close, close) and `finished`, set when the thread did it (or
//!   ended without it); `error`, the failure that ended the direction; `aborted`; `waker`, the
//!   task waiting in `poll_write`, `poll_flush` or a shutdown; `thread_waiting`.
//!
//! Invariants: only the reader thread reads the socket and only the writer thread writes it; a
//! lock is never held across a call that may block (`read`, `write`) or a wake (wakers are taken
//! out, the lock released, then woken); every wait on a condvar re-checks its condition, and the
//! loop side signals a condvar only when `thread_waiting` says its thread sleeps on it. A thread ends when its direction
//! is over (end of stream, an error, the shutdown done, the half dropped, an abort) and drops its
//! `Arc`; the socket closes when the last holder lets go.

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use crate::net::ip_text::socket_addr_string;
use crate::stream::transport::{Connection, TransportInfo, TransportRead, TransportWrite};

/// How many read bytes wait for the loop at most: the reader thread stops reading (and the
/// kernel's window closes on the peer) while the buffer is full. asyncio's default read limit.
pub(crate) const READ_CAP: usize = 64 * 1024;

/// How many written bytes the write half accepts before `poll_write` is `Pending` (the writer
/// thread may hold one more batch of at most this much, in the kernel call).
pub(crate) const WRITE_CAP: usize = 64 * 1024;

/// A helper thread's stack: the threads only move bytes between a heap buffer and a socket.
const STACK: usize = 128 * 1024;

/// A failure kept to report again (the kind and the message).
#[derive(Clone)]
struct Failure(io::ErrorKind, String);

impl Failure {
    fn of(e: &io::Error) -> Failure {
        Failure(e.kind(), e.to_string())
    }
    fn error(&self) -> io::Error {
        io::Error::new(self.0, self.1.clone())
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave the plain data behind it invalid.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn wait<'a, T>(cv: &Condvar, g: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
    cv.wait(g).unwrap_or_else(|e| e.into_inner())
}

/// Stores `cx`'s waker in `slot` (keeping the one there if it wakes the same task).
fn register(slot: &mut Option<Waker>, cx: &Context<'_>) {
    match slot {
        Some(w) if w.will_wake(cx.waker()) => {}
        _ => *slot = Some(cx.waker().clone()),
    }
}

#[derive(Default)]
struct Inbound {
    bytes: VecDeque<u8>,
    end: Option<Result<(), Failure>>,
    waker: Option<Waker>,
    thread_waiting: bool,
    gone: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Finish {
    /// Nothing asked: keep sending.
    Open,
    /// Half-close once everything is sent.
    WriteEof,
    /// Shut both directions once everything is sent.
    Close,
}

struct Outbound {
    bytes: Vec<u8>,
    sending: bool,
    finish: Finish,
    finished: bool,
    error: Option<Failure>,
    aborted: bool,
    waker: Option<Waker>,
    thread_waiting: bool,
}

/// Marks the write half finished (the writer thread is ending) and wakes the task waiting on it,
/// after the lock is released (no wake under a lock).
fn finish_and_wake(mut s: MutexGuard<'_, Outbound>) {
    s.finished = true;
    let w = s.waker.take();
    drop(s);
    if let Some(w) = w {
        w.wake();
    }
}

struct Conn {
    socket: TcpStream,
    inbound: Mutex<Inbound>,
    /// The reader thread waits here for room in `inbound.bytes` (or for the half to go).
    room: Condvar,
    outbound: Mutex<Outbound>,
    /// The writer thread waits here for bytes, a finish, or an abort.
    work: Condvar,
    info: TransportInfo,
}

/// Spawns a helper thread running `f`.
pub(super) fn spawn(name: &str, stack: usize, f: impl FnOnce() + Send + 'static) -> io::Result<()> {
    #[cfg(test)]
    let f = {
        let guard = super::tests::exit_guard();
        move || {
            f();
            drop(guard);
        }
    };
    std::thread::Builder::new()
        .name(name.into())
        .stack_size(stack)
        .spawn(f)
        .map(drop)
}

/// Makes a connection of a connected socket: starts its two threads.
///
/// # Errors
///
/// When a thread cannot be started (the process is out of threads or memory); the socket is
/// closed then.
pub(crate) fn connection(socket: TcpStream) -> io::Result<Connection> {
    // Sent at once, as asyncio does (its transports set TCP_NODELAY): the writer thread batches
    // what the loop wrote while it was busy, so small writes are not a flood of packets anyway.
    let _ = socket.set_nodelay(true);
    let info = TransportInfo {
        peer: socket.peer_addr().ok().map(|a| socket_addr_string(&a)),
        local: socket.local_addr().ok().map(|a| socket_addr_string(&a)),
    };
    let conn = Arc::new(Conn {
        socket,
        inbound: Mutex::new(Inbound::default()),
        room: Condvar::new(),
        outbound: Mutex::new(Outbound {
            bytes: Vec::new(),
            sending: false,
            finish: Finish::Open,
            finished: false,
            error: None,
            aborted: false,
            waker: None,
            thread_waiting: false,
        }),
        work: Condvar::new(),
        info,
    });
    let c = conn.clone();
    spawn("wasio-tcp-read", STACK, move || read_loop(&c))?;
    let c = conn.clone();
    if let Err(e) = spawn("wasio-tcp-write", STACK, move || write_loop(&c)) {
        // Ends the reader thread too.
        let _ = conn.socket.shutdown(Shutdown::Both);
        lock(&conn.inbound).gone = true;
        conn.room.notify_one();
        return Err(e);
    }
    Ok(Connection {
        read: Box::new(TcpRead(conn.clone())),
        write: Box::new(TcpWrite(conn)),
    })
}

/// The reader thread: reads while there is room, hands bytes over, wakes the reading task.
fn read_loop(conn: &Conn) {
    let mut chunk = vec![0u8; READ_CAP];
    loop {
        let room = {
            let mut s = lock(&conn.inbound);
            loop {
                if s.gone {
                    return;
                }
                let room = READ_CAP - s.bytes.len();
                if room > 0 {
                    s.thread_waiting = false;
                    break room;
                }
                s.thread_waiting = true;
                s = wait(&conn.room, s);
            }
        };
        let got = (&conn.socket).read(&mut chunk[..room]);
        let mut s = lock(&conn.inbound);
        let over = match got {
            Ok(0) => {
                s.end = Some(Ok(()));
                true
            }
            Ok(n) => {
                s.bytes.extend(&chunk[..n]);
                false
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => false,
            Err(e) => {
                s.end = Some(Err(Failure::of(&e)));
                true
            }
        };
        let waker = s.waker.take();
        drop(s);
        if let Some(w) = waker {
            w.wake();
        }
        if over {
            return;
        }
    }
}

/// The writer thread: sends batches, performs the requested shutdown, then ends.
fn write_loop(conn: &Conn) {
    let mut batch = Vec::new();
    loop {
        let waker;
        {
            let mut s = lock(&conn.outbound);
            s.sending = false;
            loop {
                if s.aborted || s.error.is_some() {
                    s.finished = true;
                    return;
                }
                if !s.bytes.is_empty() {
                    std::mem::swap(&mut s.bytes, &mut batch);
                    s.sending = true;
                    s.thread_waiting = false;
                    break;
                }
                if s.finish != Finish::Open {
                    let how = match s.finish {
                        Finish::WriteEof => Shutdown::Write,
                        _ => Shutdown::Both,
                    };
                    // Not connected any more (the peer reset) is as good as shut.
                    if let Err(e) = conn.socket.shutdown(how) {
                        if e.kind() != io::ErrorKind::NotConnected {
                            s.error = Some(Failure::of(&e));
                        }
                    }
                    finish_and_wake(s);
                    return;
                }
                // Everything is sent: a task waiting in `poll_flush` may go on.
                if let Some(w) = s.waker.take() {
                    drop(s);
                    w.wake();
                    s = lock(&conn.outbound);
                    continue;
                }
                s.thread_waiting = true;
                s = wait(&conn.work, s);
            }
            // The batch made room: a task waiting in `poll_write` may write again.
            waker = s.waker.take();
        }
        if let Some(w) = waker {
            w.wake();
        }
        let sent = (&conn.socket).write_all(&batch);
        batch.clear();
        if let Err(e) = sent {
            let mut s = lock(&conn.outbound);
            s.error = Some(Failure::of(&e));
            s.sending = false;
            s.bytes = Vec::new();
            finish_and_wake(s);
            return;
        }
    }
}

/// The read half of a native TCP connection.
pub(crate) struct TcpRead(Arc<Conn>);

impl TransportRead for TcpRead {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        let conn = &*self.0;
        let mut s = lock(&conn.inbound);
        if !s.bytes.is_empty() {
            // `Read for VecDeque<u8>` copies from the front and removes what it copied.
            let n = s.bytes.read(buf).unwrap_or(0);
            let notify = s.thread_waiting;
            drop(s);
            if notify {
                conn.room.notify_one();
            }
            return Poll::Ready(Ok(n));
        }
        match &s.end {
            Some(Ok(())) => Poll::Ready(Ok(0)),
            Some(Err(f)) => Poll::Ready(Err(f.error())),
            None => {
                register(&mut s.waker, cx);
                Poll::Pending
            }
        }
    }
}

impl Drop for TcpRead {
    fn drop(&mut self) {
        let conn = &*self.0;
        let blocked = {
            let mut s = lock(&conn.inbound);
            s.gone = true;
            s.end.is_none() && !s.thread_waiting
        };
        conn.room.notify_one();
        if blocked {
            // The thread may be blocked in `read`: a read shutdown ends that call (end of stream).
            let _ = conn.socket.shutdown(Shutdown::Read);
        }
    }
}

/// The write half of a native TCP connection.
pub(crate) struct TcpWrite(Arc<Conn>);

impl TcpWrite {
    /// Asks the writer thread for `finish` once everything is sent, and waits until it is done.
    fn poll_finish(&mut self, cx: &mut Context<'_>, finish: Finish) -> Poll<io::Result<()>> {
        let conn = &*self.0;
        let mut s = lock(&conn.outbound);
        if let Some(f) = &s.error {
            return Poll::Ready(Err(f.error()));
        }
        if s.aborted {
            return Poll::Ready(Ok(()));
        }
        if s.finished {
            if s.finish == Finish::WriteEof && finish == Finish::Close {
                // Half-closed already: shut the read side too (the thread has ended).
                drop(s);
                return Poll::Ready(match conn.socket.shutdown(Shutdown::Read) {
                    Err(e) if e.kind() != io::ErrorKind::NotConnected => Err(e),
                    _ => Ok(()),
                });
            }
            return Poll::Ready(Ok(()));
        }
        if s.finish == Finish::Open || finish == Finish::Close {
            s.finish = finish;
        }
        register(&mut s.waker, cx);
        let notify = s.thread_waiting;
        drop(s);
        if notify {
            conn.work.notify_one();
        }
        Poll::Pending
    }
}

impl TransportWrite for TcpWrite {
    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let conn = &*self.0;
        let mut s = lock(&conn.outbound);
        if let Some(f) = &s.error {
            return Poll::Ready(Err(f.error()));
        }
        if s.aborted || s.finish != Finish::Open {
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "write after close",
            )));
        }
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        let room = WRITE_CAP - s.bytes.len().min(WRITE_CAP);
        if room == 0 {
            register(&mut s.waker, cx);
            return Poll::Pending;
        }
        let n = room.min(buf.len());
        s.bytes.extend_from_slice(&buf[..n]);
        let notify = s.thread_waiting;
        drop(s);
        if notify {
            conn.work.notify_one();
        }
        Poll::Ready(Ok(n))
    }

    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let mut s = lock(&self.0.outbound);
        if let Some(f) = &s.error {
            return Poll::Ready(Err(f.error()));
        }
        if s.aborted || s.finished || (s.bytes.is_empty() && !s.sending) {
            return Poll::Ready(Ok(()));
        }
        register(&mut s.waker, cx);
        Poll::Pending
    }

    fn can_write_eof(&self) -> bool {
        true
    }

    fn poll_write_eof(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_finish(cx, Finish::WriteEof)
    }

    fn poll_close(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_finish(cx, Finish::Close)
    }

    fn abort(&mut self) {
        let conn = &*self.0;
        {
            let mut s = lock(&conn.outbound);
            if s.aborted {
                return;
            }
            s.aborted = true;
            s.bytes = Vec::new();
        }
        conn.work.notify_one();
        // Ends a `write` blocked on a peer that does not read (it fails with a broken pipe), and a
        // blocked `read` (end of stream). The peer sees the connection end, or a reset if it had
        // sent bytes nobody read.
        let _ = conn.socket.shutdown(Shutdown::Both);
    }

    fn info(&self) -> TransportInfo {
        self.0.info.clone()
    }
}

impl Drop for TcpWrite {
    fn drop(&mut self) {
        // Dropped without a close (a `StreamWriter` closes first; this is a writer torn down with
        // its loop): what was accepted is still sent, then the connection is shut, by the thread.
        let conn = &*self.0;
        let notify = {
            let mut s = lock(&conn.outbound);
            if s.finish == Finish::Open {
                s.finish = Finish::Close;
            }
            s.waker = None;
            s.thread_waiting
        };
        if notify {
            conn.work.notify_one();
        }
    }
}
