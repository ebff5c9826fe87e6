//! Standard input and output on preview 2: `wasi:cli/stdin|stdout|stderr` streams as transport
//! halves. Reading stdin waits on its pollable in the reactor, so other tasks run meanwhile; writes
//! take what the host's stream accepts and wait on its pollable for the rest.

use std::io;
use std::task::{Context, Poll};

use super::stdout::{Sink, StdoutWrite};
use super::streams::{input_half, InputHalf, OutputHalf};
use crate::stream::transport::{SpliceError, TransportRead};

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

impl StdinRead {
    pub(crate) fn input(&mut self) -> &mut InputHalf {
        &mut self.0
    }
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
    fn poll_splice(
        &mut self,
        cx: &mut Context<'_>,
        src: &mut dyn TransportRead,
        max: usize,
    ) -> Option<Poll<Result<usize, SpliceError>>> {
        let input = input_half(src)?;
        Some(OutputHalf::poll_splice(self, cx, input, max))
    }
}
