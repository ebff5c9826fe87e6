//! Standard input and output on preview 2: `wasi:cli/stdin|stdout|stderr` streams as transport
//! halves. Reading stdin waits on its pollable in the reactor, so other tasks run meanwhile; writes
//! take what the host's stream accepts and wait on its pollable for the rest.

use std::io;
use std::task::{Context, Poll};

use super::stdout::{Sink, StdoutWrite};
use super::streams::{InputHalf, OutputHalf};
use crate::stream::transport::TransportRead;

/// Standard input as a transport read half.
pub(crate) struct StdinRead(InputHalf);

pub(crate) fn stdin() -> StdinRead {
    StdinRead(InputHalf::new(wasi::cli::stdin::get_stdin(), None))
}

pub(crate) fn stdout() -> StdoutWrite<OutputHalf> {
    StdoutWrite::new(
        OutputHalf::new(wasi::cli::stdout::get_stdout(), None),
        "stdout",
    )
}

pub(crate) fn stderr() -> StdoutWrite<OutputHalf> {
    StdoutWrite::new(
        OutputHalf::new(wasi::cli::stderr::get_stderr(), None),
        "stderr",
    )
}

impl TransportRead for StdinRead {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        self.0.poll_read(cx, buf)
    }
}

impl Sink for OutputHalf {
    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        OutputHalf::poll_write(self, cx, buf)
    }
    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        OutputHalf::poll_flush(self, cx)
    }
}
