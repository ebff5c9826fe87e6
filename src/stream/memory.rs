//! The in-memory transport: a real byte pipe, with a socket's backpressure and close semantics.
//!
//! # Data structure
//!
//! A connection is two one-way `Pipe`s, `a → b` and `b → a`, each an `Rc<RefCell<Pipe>>` shared by
//! the sending end's write half and the receiving end's read half (the loop is single-threaded, so
//! no locks). A pipe holds:
//!
//! * `buf`: the bytes sent and not yet received, never more than `cap` (the bounded buffer: a
//!   sender facing a full pipe gets `Pending` and is woken when the receiver takes bytes — the
//!   backpressure `StreamWriter::drain` waits on);
//! * `shut`: the sender will send no more (write_eof, close, or its write half dropped); the
//!   receiver reads the buffered bytes, then end of stream;
//! * `reset`: the sender aborted; the buffer was discarded and the receiver's reads fail with
//!   `ConnectionReset`;
//! * `receiver_closed`: the receiving end closed (`BrokenPipe`) or aborted (`ConnectionReset`);
//!   sends fail with that kind, and the receiving end's own reads give the bytes that had already
//!   arrived (after a close; nothing after an abort), then end of stream;
//! * one waker for the receiver and one for the sender (each half has a single owner).
//!
//! Invariants: `buf.len() <= cap`; once `reset` is set `buf` stays empty; flags only ever go from
//! false to true (`receiver_closed` from `None` to `Some`). Every change a peer could be waiting on
//! wakes that peer's waker.
//!
//! # Close semantics, as for a TCP socket
//!
//! | this end does | peer's reads | peer's writes |
//! |---|---|---|
//! | `write_eof` | buffered bytes, then EOF | still work |
//! | `close` / drop the write half | buffered bytes, then EOF | `BrokenPipe` |
//! | `abort` | `ConnectionReset` | `ConnectionReset` |
//! | drop the read half | — | `BrokenPipe` |

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::transport::{
    store_waker as store, Connection, TransportInfo, TransportRead, TransportWrite,
};

/// The default capacity of each direction of an in-memory connection, in bytes.
///
/// # Examples
///
/// ```
/// let (a, _b) = wasio::stream::memory::pair();
/// let mut w = wasio::StreamWriter::new(a.write);
/// w.write(&vec![0; wasio::stream::memory::DEFAULT_CAPACITY + 1]).unwrap();
/// assert_eq!(w.write_buffer_size(), 1); // the pipe took the rest
/// ```
pub const DEFAULT_CAPACITY: usize = 64 * 1024;

struct Pipe {
    buf: VecDeque<u8>,
    cap: usize,
    shut: bool,
    reset: bool,
    receiver_closed: Option<io::ErrorKind>,
    read_waker: Option<Waker>,
    write_waker: Option<Waker>,
}

impl Pipe {
    fn new(cap: usize) -> Rc<RefCell<Pipe>> {
        Rc::new(RefCell::new(Pipe {
            buf: VecDeque::new(),
            cap,
            shut: false,
            reset: false,
            receiver_closed: None,
            read_waker: None,
            write_waker: None,
        }))
    }

    #[cfg_attr(target_family = "wasm", inline(never))]
    fn wake_reader(&mut self) {
        if let Some(w) = self.read_waker.take() {
            w.wake();
        }
    }

    #[cfg_attr(target_family = "wasm", inline(never))]
    fn wake_writer(&mut self) {
        if let Some(w) = self.write_waker.take() {
            w.wake();
        }
    }
}

/// Creates a connected pair of in-memory connections, each direction buffering up to
/// [`DEFAULT_CAPACITY`] bytes.
///
/// What one end writes, the other reads; the pipe has a socket's backpressure and close semantics
/// (see the [module docs](self)).
///
/// # Examples
///
/// ```
/// use wasio::stream::{memory, StreamReader, StreamWriter};
/// wasio::run(async {
///     let (a, b) = memory::pair();
///     let mut w = StreamWriter::new(a.write);
///     let mut r = StreamReader::new(b.read);
///     w.write(b"ping\n").unwrap();
///     assert_eq!(r.readline().await.unwrap(), b"ping\n");
/// });
/// ```
pub fn pair() -> (Connection, Connection) {
    pair_with(
        DEFAULT_CAPACITY,
        TransportInfo::default(),
        TransportInfo::default(),
    )
}

/// Like [`pair`], with `capacity` bytes of buffer in each direction.
///
/// # Errors
///
/// `InvalidInput` if `capacity` is 0 (nothing could ever be sent).
///
/// # Examples
///
/// ```
/// let (a, b) = wasio::stream::memory::pair_with_capacity(16).unwrap();
/// assert!(wasio::stream::memory::pair_with_capacity(0).is_err());
/// ```
pub fn pair_with_capacity(capacity: usize) -> io::Result<(Connection, Connection)> {
    if capacity == 0 {
        return Err(crate::io_message::error(
            io::ErrorKind::InvalidInput,
            "memory pipe capacity must be positive",
        ));
    }
    Ok(pair_with(
        capacity,
        TransportInfo::default(),
        TransportInfo::default(),
    ))
}

/// A connected pair whose ends report the given addresses.
pub(crate) fn pair_with(
    cap: usize,
    a_info: TransportInfo,
    b_info: TransportInfo,
) -> (Connection, Connection) {
    let ab = Pipe::new(cap);
    let ba = Pipe::new(cap);
    (end(ba.clone(), ab.clone(), a_info), end(ab, ba, b_info))
}

/// One end of a pair: reads `incoming`, writes `outgoing` (one copy of this code for both ends).
#[inline(never)]
fn end(
    incoming: Rc<RefCell<Pipe>>,
    outgoing: Rc<RefCell<Pipe>>,
    info: TransportInfo,
) -> Connection {
    Connection {
        read: Box::new(MemRead {
            incoming: incoming.clone(),
        }),
        write: Box::new(MemWrite {
            outgoing,
            incoming,
            info,
            done: false,
        }),
    }
}

/// The read half of an in-memory connection.
struct MemRead {
    incoming: Rc<RefCell<Pipe>>,
}

impl TransportRead for MemRead {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        let mut p = self.incoming.borrow_mut();
        if p.reset {
            return Poll::Ready(Err(crate::io_message::error(
                io::ErrorKind::ConnectionReset,
                "connection reset by peer",
            )));
        }
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        if !p.buf.is_empty() {
            let n = buf.len().min(p.buf.len());
            let (front, back) = p.buf.as_slices();
            let k = n.min(front.len());
            buf[..k].copy_from_slice(&front[..k]);
            if n > k {
                buf[k..n].copy_from_slice(&back[..n - k]);
            }
            p.buf.drain(..n);
            p.wake_writer();
            return Poll::Ready(Ok(n));
        }
        if p.shut || p.receiver_closed.is_some() {
            return Poll::Ready(Ok(0));
        }
        store(&mut p.read_waker, cx);
        Poll::Pending
    }
}

impl Drop for MemRead {
    fn drop(&mut self) {
        let mut p = self.incoming.borrow_mut();
        p.receiver_closed.get_or_insert(io::ErrorKind::BrokenPipe);
        p.buf = VecDeque::new();
        p.wake_writer();
    }
}

/// The write half of an in-memory connection.
struct MemWrite {
    outgoing: Rc<RefCell<Pipe>>,
    incoming: Rc<RefCell<Pipe>>,
    info: TransportInfo,
    /// Closed or aborted already.
    done: bool,
}

impl MemWrite {
    fn check(p: &Pipe) -> io::Result<()> {
        if let Some(kind) = p.receiver_closed {
            let msg = if kind == io::ErrorKind::ConnectionReset {
                "connection reset by peer"
            } else {
                "the peer closed the connection"
            };
            return Err(crate::io_message::error(kind, msg));
        }
        if p.shut || p.reset {
            return Err(crate::io_message::error(
                io::ErrorKind::BrokenPipe,
                "write after end of stream",
            ));
        }
        Ok(())
    }
}

impl MemWrite {
    /// Closes this end: the peer reads the end of the stream, and its writes fail with
    /// `BrokenPipe`. For `poll_close` and the drop (one copy for both).
    fn close(&mut self) {
        if self.done {
            return;
        }
        self.done = true;
        {
            let mut out = self.outgoing.borrow_mut();
            out.shut = true;
            out.wake_reader();
        }
        let mut inc = self.incoming.borrow_mut();
        inc.receiver_closed.get_or_insert(io::ErrorKind::BrokenPipe);
        inc.wake_writer();
        inc.wake_reader();
    }
}

impl TransportWrite for MemWrite {
    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let mut p = self.outgoing.borrow_mut();
        Self::check(&p)?;
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        let space = p.cap - p.buf.len();
        if space == 0 {
            store(&mut p.write_waker, cx);
            return Poll::Pending;
        }
        let n = space.min(buf.len());
        p.buf.extend(&buf[..n]);
        p.wake_reader();
        Poll::Ready(Ok(n))
    }

    fn poll_flush(&mut self, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let p = self.outgoing.borrow();
        match p.receiver_closed {
            Some(io::ErrorKind::ConnectionReset) => Poll::Ready(Self::check(&p)),
            _ => Poll::Ready(Ok(())),
        }
    }

    fn can_write_eof(&self) -> bool {
        true
    }

    fn poll_write_eof(&mut self, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let mut p = self.outgoing.borrow_mut();
        if p.reset {
            return Poll::Ready(Err(crate::io_message::error(
                io::ErrorKind::NotConnected,
                "connection aborted",
            )));
        }
        p.shut = true;
        p.wake_reader();
        Poll::Ready(Ok(()))
    }

    fn poll_close(&mut self, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.close();
        Poll::Ready(Ok(()))
    }

    fn abort(&mut self) {
        if self.done {
            return;
        }
        self.done = true;
        {
            let mut out = self.outgoing.borrow_mut();
            out.reset = true;
            out.buf = VecDeque::new();
            out.wake_reader();
            out.wake_writer();
        }
        let mut inc = self.incoming.borrow_mut();
        inc.receiver_closed = Some(io::ErrorKind::ConnectionReset);
        inc.buf = VecDeque::new();
        inc.wake_writer();
        inc.wake_reader();
    }

    fn info(&self) -> TransportInfo {
        self.info.clone()
    }
}

impl Drop for MemWrite {
    fn drop(&mut self) {
        self.close();
    }
}
