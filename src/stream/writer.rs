//! [`StreamWriter`]: asyncio's buffered writer over a [`TransportWrite`].
//!
//! # Data structure
//!
//! The writer is a handle to a shared `Core` (`Rc<RefCell<_>>`) holding the transport's write half
//! and `pending`, the bytes written but not yet accepted by the transport (`pending[pstart..]`).
//!
//! Who moves bytes to the transport:
//!
//! * [`write`](StreamWriter::write) hands the bytes straight to the transport when nothing is
//!   pending, as far as it accepts them without waiting (the fast path: nothing is copied into
//!   `pending`). What it does not accept is appended to `pending`.
//! * Whenever work is left that cannot finish at once (pending bytes, a requested `write_eof` or
//!   `close`), a *driver* task is spawned (at most one per writer, `driver` says whether it runs).
//!   It pushes `pending` as the transport accepts it, then performs the half-close and the close,
//!   in that order, and ends when nothing is left to do. Like asyncio's transport, it flushes in the
//!   background: bytes below the high-water mark move without anyone calling `drain`.
//! * [`drain`](StreamWriter::drain) only waits: while `pending` is above the high-water mark, until
//!   the driver brings it to the low-water mark or below.
//!
//! States: `Open` → (`close`) `Closing` → `Closed`; `abort` or a transport error go to `Closed` at
//! once (an error is kept in `error` and reported by every later call). `eof` goes `No` →
//! `Requested` → `Done`. Invariants: while work is left and the writer is not `Closed`, a driver
//! runs (or is about to be spawned by the call that created the work); once `Closed`, `pending` is
//! empty and the transport is not touched again.
//!
//! The one waker slot, `waiter`, belongs to the writer's single in-progress call (`drain`,
//! `wait_closed` or an `AsyncWrite` poll: all take `&mut self`). The driver wakes it when `pending`
//! reaches the low-water mark, when it empties, and on every state change.
//!
//! A server keeps a weak handle to each connection's core to close or abort it, and a hook that runs
//! once, when the core closes or is dropped (the connection has ended).

use std::cell::{RefCell, RefMut};
use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll, Waker};

use super::error::{self, StoredError};
use super::transport::{store_waker, SpliceError, TransportInfo, TransportRead, TransportWrite};
use crate::borrow::{borrow, borrow_mut};

/// The default high-water mark of a writer's buffer: 64 KiB (asyncio's).
///
/// # Examples
///
/// ```
/// let (a, _b) = wasio::stream::memory::pair();
/// let w = wasio::StreamWriter::new(a.write);
/// assert_eq!(w.write_buffer_limits().0, wasio::stream::DEFAULT_HIGH_WATER);
/// ```
pub const DEFAULT_HIGH_WATER: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Open,
    Closing,
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Eof {
    No,
    Requested,
    Done,
}

pub(crate) struct Core {
    transport: Box<dyn TransportWrite>,
    pending: Vec<u8>,
    pstart: usize,
    high: usize,
    low: usize,
    state: State,
    eof: Eof,
    aborted: bool,
    error: Option<StoredError>,
    driver: bool,
    waiter: Option<Waker>,
    on_closed: Option<Box<dyn FnOnce()>>,
}

fn err(kind: io::ErrorKind, msg: &'static str) -> io::Error {
    crate::io_message::error(kind, msg)
}

impl Core {
    fn pending_len(&self) -> usize {
        self.pending.len() - self.pstart
    }

    fn has_work(&self) -> bool {
        self.state != State::Closed
            && (self.pending_len() > 0
                || self.eof == Eof::Requested
                || self.state == State::Closing)
    }

    #[cfg_attr(target_family = "wasm", inline(never))]
    fn wake(&mut self) {
        if let Some(w) = self.waiter.take() {
            w.wake();
        }
    }

    #[cfg_attr(target_family = "wasm", inline(never))]
    fn park(&mut self, cx: &Context<'_>) {
        crate::trace::wait::waiting_io(crate::trace::WaitReason::Write);
        store_waker(&mut self.waiter, cx);
    }

    fn stored_error(&self) -> Option<io::Error> {
        self.error.as_ref().map(error::replay)
    }

    /// The error a write or drain reports, if any.
    fn check_usable(&self) -> io::Result<()> {
        if let Some(e) = self.stored_error() {
            return Err(e);
        }
        if self.aborted {
            return Err(err(
                io::ErrorKind::ConnectionAborted,
                "the stream writer was aborted",
            ));
        }
        Ok(())
    }

    /// The error a write reports, if any.
    #[cfg_attr(target_family = "wasm", inline(never))]
    fn check_writable(&self) -> io::Result<()> {
        self.check_usable()?;
        if self.state != State::Open {
            return Err(err(io::ErrorKind::BrokenPipe, "write after close"));
        }
        if self.eof != Eof::No {
            return Err(err(io::ErrorKind::BrokenPipe, "write after write_eof"));
        }
        Ok(())
    }

    /// The transport failed: keep the error, drop what is pending, and stop.
    fn fail(&mut self, e: io::Error) {
        self.error = Some(error::store(&e));
        self.pending = Vec::new();
        self.pstart = 0;
        self.state = State::Closed;
        self.wake();
    }

    /// Does what work it can without waiting; `Ready` when nothing is left.
    fn progress(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.state == State::Closed {
            return Poll::Ready(());
        }
        while self.pending_len() > 0 {
            match self.transport.poll_write(cx, &self.pending[self.pstart..]) {
                Poll::Ready(Ok(n)) => {
                    let before = self.pending_len();
                    self.pstart += n.min(before);
                    if self.pending_len() == 0 {
                        self.pending.clear();
                        self.pstart = 0;
                        self.wake();
                    } else if self.pending_len() <= self.low {
                        self.wake();
                    }
                    if n == 0 {
                        self.fail(err(
                            io::ErrorKind::WriteZero,
                            "the transport accepted no bytes",
                        ));
                        return Poll::Ready(());
                    }
                }
                Poll::Ready(Err(e)) if e.kind() == io::ErrorKind::Interrupted => {}
                Poll::Ready(Err(e)) => {
                    self.fail(e);
                    return Poll::Ready(());
                }
                Poll::Pending => {
                    // Keep the buffer compact: drop what was sent once it is most of it.
                    if self.pstart > 0 && self.pstart >= self.pending.len() / 2 {
                        self.pending.drain(..self.pstart);
                        self.pstart = 0;
                    }
                    return Poll::Pending;
                }
            }
        }
        if self.eof == Eof::Requested {
            match self.transport.poll_write_eof(cx) {
                Poll::Ready(Ok(())) => {
                    self.eof = Eof::Done;
                    self.wake();
                }
                Poll::Ready(Err(e)) => {
                    self.fail(e);
                    return Poll::Ready(());
                }
                Poll::Pending => return Poll::Pending,
            }
        }
        if self.state == State::Closing {
            match self.transport.poll_close(cx) {
                Poll::Ready(r) => {
                    if let Err(e) = r {
                        self.error = Some(error::store(&e));
                    }
                    self.state = State::Closed;
                    self.wake();
                }
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(())
    }

    fn take_hook_if_closed(&mut self) -> Option<Box<dyn FnOnce()>> {
        if self.state == State::Closed {
            self.on_closed.take()
        } else {
            None
        }
    }
}

/// Ends a borrow of the core, then runs the on-closed hook if the writer is now closed (outside
/// the borrow: the hook may reenter the writer).
#[cfg_attr(target_family = "wasm", inline(never))]
fn release(mut c: RefMut<'_, Core>) {
    let hook = c.take_hook_if_closed();
    drop(c);
    if let Some(hook) = hook {
        hook();
    }
}

/// Records a transport error as the writer's, releases the borrow, and returns a copy to report.
fn fail(mut c: RefMut<'_, Core>, e: io::Error) -> io::Error {
    let report = error::replay(&error::store(&e));
    c.fail(e);
    release(c);
    report
}

impl Drop for Core {
    fn drop(&mut self) {
        if let Some(hook) = self.on_closed.take() {
            hook();
        }
    }
}

/// The background task that moves a writer's pending bytes and performs its half-close and close.
struct Driver {
    core: Rc<RefCell<Core>>,
}

impl Future for Driver {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut c = borrow_mut(&self.core);
        let r = c.progress(cx);
        if r.is_ready() {
            c.driver = false;
        } else {
            crate::trace::wait::waiting_io(crate::trace::WaitReason::Write);
        }
        release(c);
        r
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The core is never borrowed while its driver is dropped (every borrow is released before
        // a wake, a spawn or a hook). A failed borrow is a bug: it panics rather than leave
        // `driver` set, which would keep the writer from ever restarting its driver.
        borrow_mut(&self.core).driver = false;
    }
}

/// Tries to finish the writer's work at once, and spawns the driver for what is left.
fn kick(core: &Rc<RefCell<Core>>) {
    let mut c = borrow_mut(core);
    let mut spawn = false;
    if !c.driver && c.has_work() {
        let ready = c
            .progress(&mut Context::from_waker(Waker::noop()))
            .is_ready();
        spawn = !ready && crate::executor::try_with(|_| ()).is_some();
        c.driver = spawn;
    }
    // Work is left only while the writer is open, so the hook (run at close) and a spawn never
    // happen together.
    release(c);
    if spawn {
        crate::task::spawn_detached(Driver { core: core.clone() });
    }
}

/// Closes or aborts a writer from elsewhere (a server's `close_clients` / `abort_clients`).
#[derive(Clone)]
pub(crate) struct WriterHandle(Weak<RefCell<Core>>);

impl WriterHandle {
    pub(crate) fn close(&self) {
        if let Some(core) = self.0.upgrade() {
            close_core(&core);
        }
    }

    pub(crate) fn abort(&self) {
        if let Some(core) = self.0.upgrade() {
            abort_core(&core);
        }
    }
}

fn close_core(core: &Rc<RefCell<Core>>) {
    {
        let mut c = borrow_mut(core);
        if c.state != State::Open {
            return;
        }
        c.state = State::Closing;
        c.wake();
    }
    kick(core);
}

fn abort_core(core: &Rc<RefCell<Core>>) {
    let mut c = borrow_mut(core);
    if c.state != State::Closed {
        c.transport.abort();
        c.aborted = true;
        c.pending = Vec::new();
        c.pstart = 0;
        c.state = State::Closed;
        c.wake();
    }
    release(c);
}

/// Writes to a connection (asyncio's `StreamWriter`).
///
/// [`write`](Self::write) never waits: it hands bytes to the transport or buffers them, and a
/// background task sends the buffer as the transport accepts it. Call [`drain`](Self::drain) after
/// writing to wait while the buffer is above the high-water mark (flow control), and
/// [`close`](Self::close) then [`wait_closed`](Self::wait_closed) to finish. Dropping the writer
/// closes it gracefully (the buffered bytes are still sent, by the background task, while the loop
/// runs).
///
/// # Examples
///
/// ```
/// use wasio::stream::{memory, StreamReader, StreamWriter};
/// wasio::run(async {
///     let (a, b) = memory::pair();
///     let mut w = StreamWriter::new(a.write);
///     let mut r = StreamReader::new(b.read);
///     w.writelines([&b"GET / HTTP/1.0\r\n"[..], b"\r\n"]).unwrap();
///     w.drain().await.unwrap();
///     w.close();
///     w.wait_closed().await.unwrap();
///     assert_eq!(r.read_to_end().await.unwrap(), b"GET / HTTP/1.0\r\n\r\n");
/// });
/// ```
pub struct StreamWriter {
    core: Rc<RefCell<Core>>,
    info: TransportInfo,
}

impl fmt::Debug for StreamWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = borrow(&self.core);
        f.debug_struct("StreamWriter")
            .field("info", &self.info)
            .field("buffered", &c.pending_len())
            .field("state", &c.state)
            .field("error", &c.error)
            .finish()
    }
}

impl StreamWriter {
    /// A writer over `transport`, with the default water marks (high 64 KiB, low 16 KiB).
    ///
    /// # Examples
    ///
    /// ```
    /// let (a, _b) = wasio::stream::memory::pair();
    /// let w = wasio::stream::StreamWriter::new(a.write);
    /// assert_eq!(w.write_buffer_limits(), (65536, 16384));
    /// ```
    pub fn new(transport: Box<dyn TransportWrite>) -> StreamWriter {
        let info = transport.info();
        let core = Core {
            transport,
            pending: Vec::new(),
            pstart: 0,
            high: DEFAULT_HIGH_WATER,
            low: DEFAULT_HIGH_WATER / 4,
            state: State::Open,
            eof: Eof::No,
            aborted: false,
            error: None,
            driver: false,
            waiter: None,
            on_closed: None,
        };
        StreamWriter {
            core: Rc::new(RefCell::new(core)),
            info,
        }
    }

    pub(crate) fn handle(&self) -> WriterHandle {
        WriterHandle(Rc::downgrade(&self.core))
    }

    /// Sets the hook run once when this writer's connection ends (closed, aborted, failed or
    /// dropped).
    pub(crate) fn set_on_closed(&self, hook: Box<dyn FnOnce()>) {
        borrow_mut(&self.core).on_closed = Some(hook);
    }

    /// Buffers `data` for sending (handing as much as the transport accepts to it at once). Never
    /// waits; follow with [`drain`](Self::drain) for flow control.
    ///
    /// # Errors
    ///
    /// `BrokenPipe` after [`close`](Self::close) or [`write_eof`](Self::write_eof),
    /// `ConnectionAborted` after [`abort`](Self::abort), and the transport's error (for example
    /// `ConnectionReset`) once a send has failed. Nothing of `data` was buffered then.
    ///
    /// # Examples
    ///
    /// ```
    /// let (a, _b) = wasio::stream::memory::pair();
    /// let mut w = wasio::stream::StreamWriter::new(a.write);
    /// w.write(b"hello").unwrap();
    /// w.close();
    /// assert_eq!(w.write(b"late").unwrap_err().kind(), std::io::ErrorKind::BrokenPipe);
    /// ```
    pub fn write(&mut self, data: &[u8]) -> io::Result<()> {
        self.write_up_to(data, usize::MAX).map(drop)
    }

    /// Hands `data` to the transport as far as it takes it at once and buffers at most `room` bytes
    /// of the rest; returns how many bytes were taken.
    fn write_up_to(&mut self, data: &[u8], room: usize) -> io::Result<usize> {
        let mut c = borrow_mut(&self.core);
        c.check_writable()?;
        let mut rest = data;
        if c.pending_len() == 0 && !c.driver {
            let mut cx = Context::from_waker(Waker::noop());
            while !rest.is_empty() {
                match c.transport.poll_write(&mut cx, rest) {
                    Poll::Ready(Ok(0)) => break,
                    Poll::Ready(Ok(n)) => rest = &rest[n.min(rest.len())..],
                    Poll::Ready(Err(e)) if e.kind() == io::ErrorKind::Interrupted => {}
                    Poll::Ready(Err(e)) => return Err(fail(c, e)),
                    Poll::Pending => break,
                }
            }
        }
        let buffered = rest.len().min(room);
        if buffered > 0 {
            c.pending.extend_from_slice(&rest[..buffered]);
            drop(c);
            kick(&self.core);
        }
        Ok(data.len() - rest.len() + buffered)
    }

    /// The splice fast path of [`copy`](fn@super::copy): lets the transport move bytes from `src`
    /// itself, as a `write` of them would. `None` when it cannot, or when bytes are still buffered
    /// here (they must go first): then the caller reads and writes. Errors are those `write`
    /// reports; a write-side transport error is recorded as the writer's.
    pub(crate) fn poll_splice_from(
        &mut self,
        cx: &mut Context<'_>,
        src: &mut dyn TransportRead,
        max: usize,
    ) -> Option<Poll<Result<usize, SpliceError>>> {
        let mut c = borrow_mut(&self.core);
        if let Err(e) = c.check_writable() {
            return Some(Poll::Ready(Err(SpliceError::Write(e))));
        }
        if c.pending_len() > 0 || c.driver {
            return None;
        }
        match c.transport.poll_splice(cx, src, max)? {
            Poll::Ready(Err(SpliceError::Write(e))) => {
                Some(Poll::Ready(Err(SpliceError::Write(fail(c, e)))))
            }
            other => Some(other),
        }
    }

    /// Writes each buffer of `data` in turn (asyncio's `writelines`).
    ///
    /// # Errors
    ///
    /// As [`write`](Self::write); the buffers before the failing one were written.
    ///
    /// # Examples
    ///
    /// ```
    /// let (a, _b) = wasio::stream::memory::pair();
    /// let mut w = wasio::stream::StreamWriter::new(a.write);
    /// w.writelines(["a\n", "b\n"].map(str::as_bytes)).unwrap();
    /// ```
    pub fn writelines<I, B>(&mut self, data: I) -> io::Result<()>
    where
        I: IntoIterator<Item = B>,
        B: AsRef<[u8]>,
    {
        for b in data {
            self.write(b.as_ref())?;
        }
        Ok(())
    }

    /// Waits while the buffer is above the high-water mark, until it is at the low-water mark or
    /// below; returns at once when it is not above the high-water mark.
    ///
    /// # Errors
    ///
    /// The transport's error once a send has failed (`ConnectionReset` for a peer that aborted,
    /// `BrokenPipe` for a peer that closed): a dead peer is reported, never waited on.
    /// `ConnectionAborted` after [`abort`](Self::abort).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it only waits; the buffered bytes keep being sent.
    ///
    /// # Examples
    ///
    /// ```
    /// use wasio::stream::{memory, StreamReader, StreamWriter};
    /// wasio::run(async {
    ///     let (a, b) = memory::pair();
    ///     let mut w = StreamWriter::new(a.write);
    ///     let reader = wasio::spawn(async move { StreamReader::new(b.read).read_to_end().await });
    ///     for _ in 0..100 {
    ///         w.write(&[7; 4096]).unwrap();
    ///         w.drain().await.unwrap(); // waits for the reader whenever the buffer is full
    ///         assert!(w.write_buffer_size() <= 65536);
    ///     }
    ///     w.close();
    ///     assert_eq!(reader.await.unwrap().unwrap().len(), 409600);
    /// });
    /// ```
    pub fn drain(&mut self) -> impl Future<Output = io::Result<()>> + '_ {
        let mut waiting = false;
        poll_fn(move |cx| {
            let mut c = borrow_mut(&self.core);
            c.check_usable()?;
            if !waiting && c.pending_len() > c.high {
                waiting = true;
            }
            if waiting {
                if c.pending_len() > c.low {
                    c.park(cx);
                    return Poll::Pending;
                }
                waiting = false;
            }
            if c.pending_len() == 0 && !c.driver && c.state == State::Open && c.eof == Eof::No {
                // Nothing pending: ask the transport whether the peer is still there.
                if let Poll::Ready(Err(e)) = c.transport.poll_flush(cx) {
                    return Poll::Ready(Err(fail(c, e)));
                }
            }
            Poll::Ready(Ok(()))
        })
    }

    /// Whether the transport supports [`write_eof`](Self::write_eof) (half-close).
    ///
    /// # Examples
    ///
    /// ```
    /// let (a, _b) = wasio::stream::memory::pair();
    /// assert!(wasio::stream::StreamWriter::new(a.write).can_write_eof());
    /// ```
    pub fn can_write_eof(&self) -> bool {
        borrow(&self.core).transport.can_write_eof()
    }

    /// Half-closes after the buffered bytes: the peer reads them, then the end of the stream, and
    /// may still send to us.
    ///
    /// # Errors
    ///
    /// `Unsupported` if the transport cannot half-close ([`can_write_eof`](Self::can_write_eof)),
    /// `BrokenPipe` after [`close`](Self::close), or the stored transport error.
    ///
    /// # Examples
    ///
    /// ```
    /// use wasio::stream::{memory, StreamReader, StreamWriter};
    /// wasio::run(async {
    ///     let (a, b) = memory::pair();
    ///     let (mut ar, mut aw) = (StreamReader::new(a.read), StreamWriter::new(a.write));
    ///     let (mut br, mut bw) = (StreamReader::new(b.read), StreamWriter::new(b.write));
    ///     aw.write(b"request").unwrap();
    ///     aw.write_eof().unwrap();
    ///     let req = br.read_to_end().await.unwrap();
    ///     bw.write(&req).unwrap(); // the other direction still works
    ///     bw.close();
    ///     assert_eq!(ar.read_to_end().await.unwrap(), b"request");
    /// });
    /// ```
    pub fn write_eof(&mut self) -> io::Result<()> {
        {
            let mut c = borrow_mut(&self.core);
            c.check_usable()?;
            if !c.transport.can_write_eof() {
                return Err(err(
                    io::ErrorKind::Unsupported,
                    "this transport cannot half-close",
                ));
            }
            if c.state != State::Open {
                return Err(err(io::ErrorKind::BrokenPipe, "write_eof after close"));
            }
            if c.eof != Eof::No {
                return Ok(());
            }
            c.eof = Eof::Requested;
        }
        kick(&self.core);
        Ok(())
    }

    /// Starts closing: the buffered bytes are sent, then the transport is closed. Returns at once;
    /// [`wait_closed`](Self::wait_closed) waits for the end. Calling it again does nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// let (a, _b) = wasio::stream::memory::pair();
    /// let mut w = wasio::stream::StreamWriter::new(a.write);
    /// assert!(!w.is_closing());
    /// w.close();
    /// assert!(w.is_closing());
    /// ```
    pub fn close(&mut self) {
        close_core(&self.core);
    }

    /// Drops the connection at once, discarding the buffered bytes; the peer sees a reset.
    ///
    /// # Examples
    ///
    /// ```
    /// use wasio::stream::{memory, StreamReader, StreamWriter};
    /// wasio::run(async {
    ///     let (a, b) = memory::pair();
    ///     let mut w = StreamWriter::new(a.write);
    ///     w.abort();
    ///     let e = StreamReader::new(b.read).read(10).await.unwrap_err();
    ///     assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset);
    /// });
    /// ```
    pub fn abort(&mut self) {
        abort_core(&self.core);
    }

    /// Whether the writer is closing or closed (by [`close`](Self::close), [`abort`](Self::abort)
    /// or a transport error).
    ///
    /// # Examples
    ///
    /// ```
    /// let (a, _b) = wasio::stream::memory::pair();
    /// let mut w = wasio::stream::StreamWriter::new(a.write);
    /// w.abort();
    /// assert!(w.is_closing());
    /// ```
    pub fn is_closing(&self) -> bool {
        borrow(&self.core).state != State::Open
    }

    /// Waits until the writer is closed: after [`close`](Self::close), once the buffered bytes are
    /// sent and the transport closed; at once after [`abort`](Self::abort). If neither was called
    /// it waits until one is (or a transport error closes the writer).
    ///
    /// # Errors
    ///
    /// The transport error that closed the writer, or that closing met.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: it only waits.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let (a, _b) = wasio::stream::memory::pair();
    ///     let mut w = wasio::stream::StreamWriter::new(a.write);
    ///     w.write(b"bye").unwrap();
    ///     w.close();
    ///     w.wait_closed().await.unwrap();
    /// });
    /// ```
    pub fn wait_closed(&mut self) -> impl Future<Output = io::Result<()>> + '_ {
        poll_fn(|cx| self.poll_closed(cx))
    }

    /// Ready once the connection is closed, with the error that ended it, if any.
    fn poll_closed(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let mut c = borrow_mut(&self.core);
        if c.state != State::Closed {
            c.park(cx);
            return Poll::Pending;
        }
        match c.stored_error() {
            Some(e) => Poll::Ready(Err(e)),
            None => Poll::Ready(Ok(())),
        }
    }

    /// How many bytes are buffered: written and not yet accepted by the transport.
    ///
    /// # Examples
    ///
    /// ```
    /// let (a, _b) = wasio::stream::memory::pair_with_capacity(4).unwrap();
    /// let mut w = wasio::stream::StreamWriter::new(a.write);
    /// w.write(b"abcdef").unwrap(); // the pipe takes 4 bytes
    /// assert_eq!(w.write_buffer_size(), 2);
    /// ```
    pub fn write_buffer_size(&self) -> usize {
        borrow(&self.core).pending_len()
    }

    /// The high- and low-water marks, in bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// let (a, _b) = wasio::stream::memory::pair();
    /// assert_eq!(wasio::stream::StreamWriter::new(a.write).write_buffer_limits(), (65536, 16384));
    /// ```
    pub fn write_buffer_limits(&self) -> (usize, usize) {
        let c = borrow(&self.core);
        (c.high, c.low)
    }

    /// Sets the high- and low-water marks that [`drain`](Self::drain) uses.
    ///
    /// # Errors
    ///
    /// `InvalidInput` if `low > high` (asyncio: "high must be >= low must be >= 0").
    ///
    /// # Examples
    ///
    /// ```
    /// let (a, _b) = wasio::stream::memory::pair();
    /// let mut w = wasio::stream::StreamWriter::new(a.write);
    /// w.set_write_buffer_limits(1024, 256).unwrap();
    /// assert!(w.set_write_buffer_limits(10, 20).is_err());
    /// assert_eq!(w.write_buffer_limits(), (1024, 256));
    /// ```
    pub fn set_write_buffer_limits(&mut self, high: usize, low: usize) -> io::Result<()> {
        if low > high {
            return Err(err(
                io::ErrorKind::InvalidInput,
                "the low-water mark must not exceed the high-water mark",
            ));
        }
        let mut c = borrow_mut(&self.core);
        c.high = high;
        c.low = low;
        c.wake();
        Ok(())
    }

    /// The peer's address, if the transport knows it (asyncio's `get_extra_info('peername')`).
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let server = wasio::net::start_server(|_r, _w| async {}, "mem://peer-doc").await.unwrap();
    ///     let (_r, w) = wasio::net::open_connection("mem://peer-doc").await.unwrap();
    ///     assert_eq!(w.peer_addr(), Some("mem://peer-doc"));
    ///     server.close();
    /// });
    /// ```
    pub fn peer_addr(&self) -> Option<&str> {
        self.info.peer.as_deref()
    }

    /// This end's address, if the transport knows it (asyncio's `get_extra_info('sockname')`).
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let server = wasio::net::start_server(|_r, _w| async {}, "mem://local-doc").await.unwrap();
    ///     let (_r, w) = wasio::net::open_connection("mem://local-doc").await.unwrap();
    ///     assert!(w.local_addr().unwrap().starts_with("mem://local-doc#"));
    ///     server.close();
    /// });
    /// ```
    pub fn local_addr(&self) -> Option<&str> {
        self.info.local.as_deref()
    }

    /// Both addresses, as the transport reported them.
    ///
    /// # Examples
    ///
    /// ```
    /// let (a, _b) = wasio::stream::memory::pair();
    /// let w = wasio::stream::StreamWriter::new(a.write);
    /// assert_eq!(w.info().peer, None);
    /// ```
    pub fn info(&self) -> &TransportInfo {
        &self.info
    }

    fn poll_until(
        &mut self,
        cx: &mut Context<'_>,
        done: impl Fn(&Core) -> bool,
    ) -> Poll<io::Result<()>> {
        let mut c = borrow_mut(&self.core);
        c.check_usable()?;
        if done(&c) {
            return Poll::Ready(Ok(()));
        }
        c.park(cx);
        Poll::Pending
    }
}

impl Drop for StreamWriter {
    fn drop(&mut self) {
        close_core(&self.core);
    }
}

impl futures_io::AsyncWrite for StreamWriter {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if buf.is_empty() {
            return this.poll_until(cx, |_| true).map_ok(|()| 0);
        }
        match this.poll_until(cx, |c| c.pending_len() <= c.high) {
            Poll::Ready(Ok(())) => {}
            other => return other.map_ok(|()| 0),
        }
        // Buffer no further than the high-water mark, so the buffer stays bounded (but at least one
        // byte when none is pending, so that the driver runs and wakes us).
        let room = {
            let c = borrow(&this.core);
            (c.high - c.pending_len()).max(usize::from(c.pending_len() == 0))
        };
        match this.write_up_to(buf, room)? {
            0 => {
                borrow_mut(&this.core).park(cx);
                Poll::Pending
            }
            n => Poll::Ready(Ok(n)),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match this.poll_until(cx, |c| c.pending_len() == 0 && !c.driver) {
            Poll::Ready(Ok(())) => {}
            other => return other,
        }
        let mut c = borrow_mut(&this.core);
        if c.state == State::Closed {
            return Poll::Ready(Ok(()));
        }
        c.transport.poll_flush(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.close();
        this.poll_closed(cx)
    }
}
