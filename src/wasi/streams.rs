//! `wasi:io/streams` input and output streams as the two halves of a transport.
//!
//! Shared by TCP connections, stdio and HTTP bodies. Each half owns its stream and one
//! [`Registration`] of the stream's pollable, made at the half's first wait and kept until the
//! half is dropped (a half that never waits never subscribes):
//!
//! * [`InputHalf`]: `read` returns what has arrived (an empty read means "nothing yet": arm and wait);
//!   `closed` is end of stream. `hint` is how much to ask for next; `drained` records that the
//!   last splice from it got less than it asked for (the stream was empty then: wait before the
//!   next).
//! * [`OutputHalf`]: `check-write` says how many bytes the stream takes now (0: arm and wait, that is
//!   the backpressure `drain` waits on); `flush` starts a flush, which is done when `check-write`
//!   is non-zero again. `flushing` remembers a started flush across polls; `unflushed`, that bytes
//!   were spliced in since the last flush; `writable`, that a `check-write` since the last write,
//!   splice or flush found the started flush done (so waiting for it asks the host nothing).
//!
//! Splicing ([`OutputHalf::poll_splice`], behind `TransportWrite::poll_splice`): one
//! `output-stream.splice` call moves bytes from an input half to an output half inside the host
//! (it is `check-write`, `read` and `write` in one call), so they never enter the component. It
//! replaces a read, a `check-write` and a write per chunk, and the two copies through the
//! component's memory. After a short transfer it waits for input before the next splice
//! (`drained`); when a splice moves nothing, one `check-write` says which side to wait for.
//!
//! Field order is drop order: the pollable goes before its stream, and the stream before the
//! resource it came from (`owner`, e.g. the TCP socket).

use std::any::Any;
use std::cell::OnceCell;
use std::io;
use std::rc::Rc;
use std::task::{Context, Poll};

use wasi::io::streams::{InputStream, OutputStream, StreamError};

use super::error::stream_error;
use super::stdio::StdinRead;
use super::tcp::TcpRead;
use crate::host::wasi::reactor::Registration;
use crate::stream::transport::{SpliceError, TransportRead};

/// Smallest and largest read or splice asked of the host (see `InputHalf::hint`).
///
/// The largest is 256 KiB (asyncio's read size too): a splice passes on everything that has
/// arrived in one write. With 64 KiB, a large message left in pieces, and on loopback (MSS 65,483)
/// a 64 KiB write is one full segment plus a 53-byte runt; the next piece then waited for the
/// peer's delayed ACK of that runt (Nagle, which WASI 0.2 cannot turn off): the 100 KiB x10 echo
/// benchmark stalled 40 ms at its 99th percentile in half the runs, and none with 256 KiB.
const MIN_READ: usize = 8 * 1024;
const MAX_READ: usize = 256 * 1024;

/// The read side of a WASI stream.
pub(crate) struct InputHalf {
    /// The stream's pollable, registered at the first wait (see [`lazy_registration`]).
    reg: OnceCell<Registration>,
    stream: InputStream,
    /// How many bytes to ask for: wasmtime allocates a buffer of the requested length on every read
    /// or splice (an empty read asking 64 KiB or 256 KiB costs 2.3 times one asking 1 KiB, measured
    /// on wasmtime 49), so the request follows what arrives: doubled after a transfer that filled
    /// it, halved after one that used an eighth.
    hint: usize,
    /// `hint` stays at its largest (`InputHalf::bulk`).
    bulk: bool,
    /// The last splice from this stream got less than it asked for: the stream was empty then, so
    /// the next splice waits for input first.
    drained: bool,
    _owner: Option<Rc<dyn Any>>,
}

/// A half's registration, made at its first wait: a stream that never waits (a forwarded HTTP
/// body moved by `blocking-splice`, a response written at once) never calls `subscribe` nor drops
/// a pollable, two host calls fewer per stream. Once made, it stays until the half is dropped
/// (pollables are level-triggered: one per stream, not one per wait).
fn lazy_registration(
    reg: &OnceCell<Registration>,
    subscribe: impl FnOnce() -> wasi::io::poll::Pollable,
) -> &Registration {
    reg.get_or_init(|| Registration::new(subscribe()))
}

impl InputHalf {
    /// The stream's registration (made now, at the first wait).
    fn reg(&self) -> &Registration {
        lazy_registration(&self.reg, || self.stream.subscribe())
    }

    pub(crate) fn new(stream: InputStream, owner: Option<Rc<dyn Any>>) -> InputHalf {
        InputHalf {
            reg: OnceCell::new(),
            stream,
            hint: MIN_READ,
            bulk: false,
            drained: false,
            _owner: owner,
        }
    }

    /// An input half that always asks for the most ([`MAX_READ`] per read; a splice, all it may
    /// move): for streams whose host hands out what it holds without allocating the size asked
    /// for (`wasi:http` bodies, whose chunks the host already has in memory), where a small ask
    /// only costs more calls.
    pub(crate) fn bulk(stream: InputStream, owner: Option<Rc<dyn Any>>) -> InputHalf {
        InputHalf {
            hint: MAX_READ,
            bulk: true,
            ..InputHalf::new(stream, owner)
        }
    }

    /// Reads what has arrived; `Ok(0)` is end of stream.
    pub(crate) fn poll_read(
        &mut self,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        let ask = buf.len().min(self.hint);
        match self.stream.read(ask as u64) {
            Ok(bytes) if bytes.is_empty() => {
                self.reg().arm(cx);
                Poll::Pending
            }
            Ok(bytes) => {
                let n = bytes.len().min(ask);
                buf[..n].copy_from_slice(&bytes[..n]);
                self.got(n, ask);
                Poll::Ready(Ok(n))
            }
            Err(StreamError::Closed) => Poll::Ready(Ok(0)),
            Err(StreamError::LastOperationFailed(e)) => Poll::Ready(Err(stream_error(&e, "read"))),
        }
    }

    /// Reads what has arrived, at most `max` bytes, as the host delivered it; `None` is end of
    /// stream. (For HTTP bodies, which hand out owned chunks: no copy through a caller's buffer.)
    /// `error` maps a failed read's host error (an HTTP body's is an HTTP error code).
    pub(crate) fn poll_chunk(
        &mut self,
        cx: &mut Context<'_>,
        max: usize,
        error: fn(&wasi::io::error::Error) -> io::Error,
    ) -> Poll<io::Result<Option<Vec<u8>>>> {
        let ask = max.min(self.hint).max(1);
        match self.stream.read(ask as u64) {
            Ok(bytes) if bytes.is_empty() => {
                self.reg().arm(cx);
                Poll::Pending
            }
            Ok(bytes) => {
                self.got(bytes.len(), ask);
                Poll::Ready(Ok(Some(bytes)))
            }
            Err(StreamError::Closed) => Poll::Ready(Ok(None)),
            Err(StreamError::LastOperationFailed(e)) => Poll::Ready(Err(error(&e))),
        }
    }

    /// Adapts `hint` after a transfer of `n` of the `ask` bytes asked for.
    fn got(&mut self, n: usize, ask: usize) {
        if self.bulk {
            return;
        }
        if n == ask {
            self.hint = (self.hint * 2).min(MAX_READ);
        } else if n < ask / 8 {
            self.hint = (self.hint / 2).max(MIN_READ);
        }
    }
}

/// The input half under a read half that is a WASI stream (a TCP connection's, stdin's), for
/// splicing from it; `None` for any other transport.
pub(crate) fn input_half(src: &mut dyn TransportRead) -> Option<&mut InputHalf> {
    let src: &mut dyn Any = src;
    if src.is::<TcpRead>() {
        src.downcast_mut::<TcpRead>().map(TcpRead::input)
    } else {
        src.downcast_mut::<StdinRead>().map(StdinRead::input)
    }
}

/// The write side of a WASI stream.
pub(crate) struct OutputHalf {
    /// The stream's pollable, registered at the first wait (see [`lazy_registration`]).
    reg: OnceCell<Registration>,
    stream: OutputStream,
    flushing: bool,
    /// Bytes were spliced in since the last `flush`.
    unflushed: bool,
    /// A `check-write` since the last write, splice or flush found the stream taking bytes
    /// again: a started flush is done (`poll_flush` need not ask again).
    writable: bool,
    _owner: Option<Rc<dyn Any>>,
}

/// An output stream whose drop waits for its host write to end (see [`OutputHalf::release`]).
struct Held(Option<OutputHalf>);

impl Held {
    /// Waits for the write to end, then drops the stream. (A `poll_fn`, not an `async fn`: no
    /// state machine around it.)
    fn write_ended(mut self) -> impl std::future::Future<Output = ()> {
        std::future::poll_fn(move |cx| match &self.0 {
            Some(out) if out.write_in_flight() => {
                out.reg().arm(cx);
                Poll::Pending
            }
            _ => {
                drop(self.0.take());
                Poll::Ready(())
            }
        })
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Some(out) = self.0.take() {
            if out.write_in_flight() {
                out.leak();
            }
        }
    }
}

fn write_err(e: StreamError, doing: &str) -> io::Error {
    match e {
        StreamError::Closed => {
            io::Error::new(io::ErrorKind::BrokenPipe, format!("{doing}: stream closed"))
        }
        StreamError::LastOperationFailed(e) => stream_error(&e, doing),
    }
}

impl OutputHalf {
    /// The stream's registration (made now, at the first wait).
    fn reg(&self) -> &Registration {
        lazy_registration(&self.reg, || self.stream.subscribe())
    }

    pub(crate) fn new(stream: OutputStream, owner: Option<Rc<dyn Any>>) -> OutputHalf {
        OutputHalf {
            reg: OnceCell::new(),
            stream,
            flushing: false,
            unflushed: false,
            writable: false,
            _owner: owner,
        }
    }

    /// Whether the host still has a write (or flush) of this stream in flight: `check-write`
    /// answers 0 until it ends, and an error once it has failed.
    fn write_in_flight(&self) -> bool {
        matches!(self.stream.check_write(), Ok(0))
    }

    /// Drops the stream without ever blocking the component.
    ///
    /// wasmtime (49) blocks the whole component in the drop of an output stream until its
    /// background write ends: never, if the peer has stopped reading. So a stream with a write in
    /// flight goes to a small task of its own, which waits on the stream's pollable (ready once
    /// the write completes or fails: the peer read, or went away) and drops it then. If that task
    /// is cancelled first (the loop closes) or cannot be started, the stream and its owner are
    /// leaked instead: one host handle, and its socket, until the component exits.
    pub(crate) fn release(self) {
        if self.write_in_flight() {
            crate::task::spawn_detached(Held(Some(self)).write_ended());
        }
    }

    /// Lets go of the stream without dropping it (see [`release`](Self::release)); its pollable
    /// is dropped.
    fn leak(self) {
        let OutputHalf {
            reg,
            stream,
            _owner,
            ..
        } = self;
        drop(reg);
        std::mem::forget((stream, _owner));
    }

    /// Hands as many bytes as the stream takes now to it.
    pub(crate) fn poll_write(
        &mut self,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        match self.stream.check_write() {
            Ok(0) => {
                self.reg().arm(cx);
                Poll::Pending
            }
            Ok(n) => {
                let n = buf.len().min(usize::try_from(n).unwrap_or(usize::MAX));
                match self.stream.write(&buf[..n]) {
                    Ok(()) => {
                        self.flushing = false;
                        self.writable = false;
                        Poll::Ready(Ok(n))
                    }
                    Err(e) => Poll::Ready(Err(write_err(e, "write"))),
                }
            }
            Err(e) => Poll::Ready(Err(write_err(e, "write"))),
        }
    }

    /// Writes all of `buf` at once and starts a flush, when the stream takes that much:
    /// `Ready(Ok(true))`. `Ready(Ok(false))` (nothing written) when it takes some bytes now but
    /// fewer than `buf` holds; `Pending` (armed) while it takes none. For a writer that never
    /// leaves part of a chunk written (a channel body's `send`, which is cancel safe).
    pub(crate) fn poll_write_whole(
        &mut self,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<bool>> {
        match self.stream.check_write() {
            Ok(0) => {
                self.reg().arm(cx);
                Poll::Pending
            }
            Ok(n) if usize::try_from(n).unwrap_or(usize::MAX) >= buf.len() => {
                let wrote = self
                    .stream
                    .write(buf)
                    .and_then(|()| self.stream.flush())
                    .map_err(|e| write_err(e, "write"));
                self.flushing = wrote.is_ok();
                self.unflushed = false;
                self.writable = false;
                Poll::Ready(wrote.map(|()| true))
            }
            Ok(_) => Poll::Ready(Ok(false)),
            Err(e) => Poll::Ready(Err(write_err(e, "write"))),
        }
    }

    /// Moves up to `max` bytes from `input` into this stream with one `splice` (the host reads and
    /// writes; the bytes never enter the component).
    ///
    /// Right after a transfer that got less than it asked for (`drained`), the input has most
    /// likely run dry: it waits for input at once instead of asking the host again (the empty
    /// splice would cost a host call and a failed `recv` for every message of a request/response
    /// protocol). Pollables are level-triggered, so a wrong guess costs one wake-up, never a lost
    /// byte. A splice that moves nothing does not say which side held it up: `check-write` tells,
    /// the output is full (wait for it) or the input is empty (wait for that). Before waiting for
    /// input it flushes what it spliced, as a writer must before it blocks (a no-op for
    /// wasmtime's sockets).
    pub(crate) fn poll_splice(
        &mut self,
        cx: &mut Context<'_>,
        input: &mut InputHalf,
        max: usize,
    ) -> Poll<Result<usize, SpliceError>> {
        if std::mem::take(&mut input.drained) {
            return self.wait_for_input(cx, input);
        }
        // A bulk input (an HTTP body) is asked for all of `max`: the host moves what it holds
        // (the chunk the HTTP connection last read, without a copy), up to what the output
        // takes. Asking for less splits the host's chunk, whose buffer then stays alive, so the
        // connection reads its next bytes into fresh memory: a 1 MiB body forwarded in
        // `wasmtime serve` took 35 page faults asking 256 KiB, 12 asking all.
        // (Not `clamp(1, max)`, which panics for a `max` of 0.)
        let ask = if input.bulk { max } else { input.hint.min(max) }.max(1);
        match self.stream.splice(&input.stream, ask as u64) {
            Ok(0) => match self.stream.check_write() {
                Ok(0) => {
                    self.reg().arm(cx);
                    Poll::Pending
                }
                Ok(_) => self.wait_for_input(cx, input),
                Err(e) => Poll::Ready(Err(SpliceError::Write(write_err(e, "write")))),
            },
            Ok(n) => {
                let n = usize::try_from(n).unwrap_or(ask).min(ask);
                input.got(n, ask);
                input.drained = n < ask;
                self.flushing = false;
                self.unflushed = true;
                self.writable = false;
                Poll::Ready(Ok(n))
            }
            Err(e) => Poll::Ready(self.splice_failed(e)),
        }
    }

    /// Moves up to `max` bytes from `input` into this stream with one `blocking-splice`: the host
    /// waits until the output takes bytes and the input has some (or ends), moves them and
    /// flushes them. `Ok(0)` is the input's end.
    ///
    /// This blocks the whole component until bytes arrive, so it is only for a caller that
    /// nothing else on the loop can be waiting for (`reactor::only_main_future`): one host call
    /// per chunk where [`poll_splice`](Self::poll_splice) makes a `splice`, a `flush` and a
    /// `poll` (and a turn of the loop) for each chunk that has not arrived yet.
    pub(crate) fn blocking_splice(
        &mut self,
        input: &mut InputHalf,
        max: usize,
    ) -> Result<usize, SpliceError> {
        input.drained = false;
        let ask = if input.bulk { max } else { input.hint.min(max) }.max(1);
        match self.stream.blocking_splice(&input.stream, ask as u64) {
            Ok(n) => {
                let n = usize::try_from(n).unwrap_or(ask).min(ask);
                input.got(n, ask);
                // `blocking-splice` flushed what it wrote: a flush is done, so `poll_flush` only
                // checks the stream (one host call fewer at the body's end).
                self.flushing = true;
                self.unflushed = false;
                self.writable = false;
                Ok(n)
            }
            Err(e) => self.splice_failed(e),
        }
    }

    /// The result of a splice that failed with `e`. Which side failed? The output answers for
    /// itself: if it has failed too, the error is the write's (a failed write leaves the output
    /// failed or closed); a closed input is its end.
    ///
    /// A `check-write` that finds the output taking bytes also says that the flush before it is
    /// done (a `blocking-splice` flushes what it moved): [`poll_flush`](Self::poll_flush) then
    /// need not ask again, one host call fewer at the end of a forwarded body.
    fn splice_failed(&mut self, e: StreamError) -> Result<usize, SpliceError> {
        let room = self.stream.check_write();
        self.writable = matches!(room, Ok(n) if n > 0);
        match (room, e) {
            (Err(_), e) => Err(SpliceError::Write(write_err(e, "write"))),
            (Ok(_), StreamError::Closed) => Ok(0),
            (Ok(_), StreamError::LastOperationFailed(e)) => {
                Err(SpliceError::Read(stream_error(&e, "read")))
            }
        }
    }

    /// Flushes what was spliced, then arms `input`.
    fn wait_for_input(
        &mut self,
        cx: &mut Context<'_>,
        input: &mut InputHalf,
    ) -> Poll<Result<usize, SpliceError>> {
        if self.unflushed {
            self.unflushed = false;
            self.writable = false;
            if let Err(e) = self.stream.flush() {
                return Poll::Ready(Err(SpliceError::Write(write_err(e, "flush"))));
            }
        }
        input.reg().arm(cx);
        Poll::Pending
    }

    /// Blocks the component until everything written has left the stream's buffers (for a
    /// caller that nothing else on the loop waits for; see [`blocking_splice`](Self::blocking_splice)).
    /// Asks the host nothing when the flush is known to be done.
    pub(crate) fn blocking_flush(&mut self) -> io::Result<()> {
        if self.flushing && self.writable {
            return Ok(());
        }
        // An empty `blocking-write-and-flush` is a blocking flush (no `blocking-flush` import).
        self.stream
            .blocking_write_and_flush(&[])
            .map_err(|e| write_err(e, "flush"))?;
        self.flushing = true;
        self.unflushed = false;
        self.writable = true;
        Ok(())
    }

    /// Waits until everything written has left the stream's buffers.
    pub(crate) fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.flushing && self.writable {
            return Poll::Ready(Ok(()));
        }
        if !self.flushing {
            if let Err(e) = self.stream.flush() {
                return Poll::Ready(Err(write_err(e, "flush")));
            }
            self.flushing = true;
            self.unflushed = false;
            self.writable = false;
        }
        match self.stream.check_write() {
            Ok(0) => {
                self.reg().arm(cx);
                Poll::Pending
            }
            Ok(_) => Poll::Ready(Ok(())),
            Err(e) => {
                self.flushing = false;
                Poll::Ready(Err(write_err(e, "flush")))
            }
        }
    }
}
