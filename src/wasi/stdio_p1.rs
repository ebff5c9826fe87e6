//! Standard input, output and error on WASI preview 1: stdin reads only after `poll_oneoff` says
//! fd 0 is readable (the host's fd waiters, `host::wasi::p1`); output is a plain `fd_write`.

use std::io::{self, Read, Write};
use std::task::{Context, Poll};

use super::stdout::{Sink, StdoutWrite};
use crate::host::wasi::p1::take_ready_or_arm;
use crate::stream::transport::TransportRead;

/// Standard input on preview 1: reads only after `poll_oneoff` says fd 0 is readable.
pub(crate) struct StdinRead;

impl TransportRead for StdinRead {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        if !take_ready_or_arm(0, false, cx) {
            return crate::trace::wait::pending(crate::trace::WaitReason::Io);
        }
        Poll::Ready(io::stdin().lock().read(buf))
    }
}

/// Standard output or error on preview 1 (`fd_write` does not block on wasmtime's stdio).
pub(crate) struct StdSink {
    err: bool,
}

pub(crate) fn stdin() -> StdinRead {
    StdinRead
}

pub(crate) fn stdout() -> StdoutWrite<StdSink> {
    StdoutWrite::new(StdSink { err: false }, "stdout")
}

pub(crate) fn stderr() -> StdoutWrite<StdSink> {
    StdoutWrite::new(StdSink { err: true }, "stderr")
}

impl Sink for StdSink {
    fn poll_write(&mut self, _cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Poll::Ready(if self.err {
            io::stderr().write(buf)
        } else {
            io::stdout().write(buf)
        })
    }
    fn poll_flush(&mut self, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(if self.err {
            io::stderr().flush()
        } else {
            io::stdout().flush()
        })
    }
}
