//! `wasi:io/streams` input and output streams as the two halves of a transport.
//!
//! Shared by TCP connections and stdio. Each half owns its stream and one [`Registration`] of the
//! stream's pollable, made once when the half is built:
//!
//! * [`InputHalf`]: `read` returns what has arrived (an empty read means "nothing yet": arm and wait);
//!   `closed` is end of stream.
//! * [`OutputHalf`]: `check-write` says how many bytes the stream takes now (0: arm and wait, that is
//!   the backpressure `drain` waits on); `flush` starts a flush, which is done when `check-write`
//!   is non-zero again. `flushing` remembers a started flush across polls.
//!
//! Field order is drop order: the pollable goes before its stream, and the stream before the
//! resource it came from (`owner`, e.g. the TCP socket).

use std::any::Any;
use std::io;
use std::rc::Rc;
use std::task::{Context, Poll};

use wasi::io::streams::{InputStream, OutputStream, StreamError};

use super::error::stream_error;
use super::reactor::Registration;

/// Smallest and largest read asked of the host (see `InputHalf::hint`).
const MIN_READ: usize = 8 * 1024;
const MAX_READ: usize = 64 * 1024;

/// The read side of a WASI stream.
pub(crate) struct InputHalf {
    reg: Registration,
    stream: InputStream,
    /// How many bytes to ask for: wasmtime allocates and zeroes the full requested length on every
    /// read (an empty 64 KiB read costs three times an empty 1 KiB one), so the request follows
    /// what arrives: doubled after a read that filled it, halved after one that used an eighth.
    hint: usize,
    _owner: Option<Rc<dyn Any>>,
}

impl InputHalf {
    pub(crate) fn new(stream: InputStream, owner: Option<Rc<dyn Any>>) -> InputHalf {
        InputHalf {
            reg: Registration::new(stream.subscribe()),
            stream,
            hint: MIN_READ,
            _owner: owner,
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
                self.reg.arm(cx);
                Poll::Pending
            }
            Ok(bytes) => {
                let n = bytes.len().min(ask);
                buf[..n].copy_from_slice(&bytes[..n]);
                if n == ask {
                    self.hint = (self.hint * 2).min(MAX_READ);
                } else if n < ask / 8 {
                    self.hint = (self.hint / 2).max(MIN_READ);
                }
                Poll::Ready(Ok(n))
            }
            Err(StreamError::Closed) => Poll::Ready(Ok(0)),
            Err(StreamError::LastOperationFailed(e)) => Poll::Ready(Err(stream_error(&e, "read"))),
        }
    }
}

/// The write side of a WASI stream.
pub(crate) struct OutputHalf {
    reg: Registration,
    stream: OutputStream,
    flushing: bool,
    _owner: Option<Rc<dyn Any>>,
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
    pub(crate) fn new(stream: OutputStream, owner: Option<Rc<dyn Any>>) -> OutputHalf {
        OutputHalf {
            reg: Registration::new(stream.subscribe()),
            stream,
            flushing: false,
            _owner: owner,
        }
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
                self.reg.arm(cx);
                Poll::Pending
            }
            Ok(n) => {
                let n = buf.len().min(usize::try_from(n).unwrap_or(usize::MAX));
                match self.stream.write(&buf[..n]) {
                    Ok(()) => {
                        self.flushing = false;
                        Poll::Ready(Ok(n))
                    }
                    Err(e) => Poll::Ready(Err(write_err(e, "write"))),
                }
            }
            Err(e) => Poll::Ready(Err(write_err(e, "write"))),
        }
    }

    /// Waits until everything written has left the stream's buffers.
    pub(crate) fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if !self.flushing {
            if let Err(e) = self.stream.flush() {
                return Poll::Ready(Err(write_err(e, "flush")));
            }
            self.flushing = true;
        }
        match self.stream.check_write() {
            Ok(0) => {
                self.reg.arm(cx);
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
