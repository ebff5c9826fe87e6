//! Standard input and output on preview 2: `wasi:cli/stdin|stdout|stderr` streams as transport
//! halves. Reading stdin waits on its pollable in the reactor, so other tasks run meanwhile; writes
//! take what the host's stream accepts and wait on its pollable for the rest.

use std::io;
use std::task::{Context, Poll};

use super::streams::{InputHalf, OutputHalf};
use crate::stream::transport::{TransportInfo, TransportRead, TransportWrite};

/// Standard input as a transport read half.
pub(crate) struct StdinRead(InputHalf);

/// Standard output or error as a transport write half.
pub(crate) struct StdoutWrite {
    out: Option<OutputHalf>,
    name: &'static str,
}

pub(crate) fn stdin() -> StdinRead {
    StdinRead(InputHalf::new(wasi::cli::stdin::get_stdin(), None))
}

pub(crate) fn stdout() -> StdoutWrite {
    StdoutWrite {
        out: Some(OutputHalf::new(wasi::cli::stdout::get_stdout(), None)),
        name: "stdout",
    }
}

pub(crate) fn stderr() -> StdoutWrite {
    StdoutWrite {
        out: Some(OutputHalf::new(wasi::cli::stderr::get_stderr(), None)),
        name: "stderr",
    }
}

impl TransportRead for StdinRead {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        self.0.poll_read(cx, buf)
    }
}

fn closed() -> io::Error {
    io::Error::new(io::ErrorKind::BrokenPipe, "the stream is closed")
}

impl TransportWrite for StdoutWrite {
    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        match self.out.as_mut() {
            Some(o) => o.poll_write(cx, buf),
            None => Poll::Ready(Err(closed())),
        }
    }
    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.out.as_mut() {
            Some(o) => o.poll_flush(cx),
            None => Poll::Ready(Ok(())),
        }
    }
    fn can_write_eof(&self) -> bool {
        false
    }
    fn poll_write_eof(&mut self, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "stdio cannot half-close",
        )))
    }
    fn poll_close(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let r = std::task::ready!(self.poll_flush(cx));
        self.out = None;
        Poll::Ready(r)
    }
    fn abort(&mut self) {
        self.out = None;
    }
    fn info(&self) -> TransportInfo {
        TransportInfo {
            peer: None,
            local: Some(self.name.to_string()),
        }
    }
}
