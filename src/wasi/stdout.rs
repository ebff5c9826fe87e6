//! Standard output and error as a transport write half, on both previews. Only the byte sink
//! differs: on p2 a `wasi:io/streams` output stream that may push back (its pollable waits in the
//! reactor), on p1 `fd_write`, which does not block on wasmtime's stdio.
//!
//! The half is `Open` while it holds its sink and closed once `close` or `abort` dropped it; stdio
//! cannot half-close.

use std::io;
use std::task::{Context, Poll};

use crate::stream::transport::{SpliceError, TransportInfo, TransportRead, TransportWrite};

/// Where a preview's stdout/stderr bytes go.
pub(crate) trait Sink: 'static {
    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>>;
    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>>;
    /// As [`TransportWrite::poll_splice`]; only p2's streams can.
    fn poll_splice(
        &mut self,
        cx: &mut Context<'_>,
        src: &mut dyn TransportRead,
        max: usize,
    ) -> Option<Poll<Result<usize, SpliceError>>> {
        let _ = (cx, src, max);
        None
    }
}

/// Standard output or error as a transport write half.
pub(crate) struct StdoutWrite<S> {
    sink: Option<S>,
    name: &'static str,
}

impl<S: Sink> StdoutWrite<S> {
    pub(crate) fn new(sink: S, name: &'static str) -> Self {
        StdoutWrite {
            sink: Some(sink),
            name,
        }
    }

    /// The sink, for a write or splice: refused once closed or aborted.
    fn open_sink(&mut self) -> io::Result<&mut S> {
        self.sink
            .as_mut()
            .ok_or_else(|| io::Error::new(io::ErrorKind::BrokenPipe, "the stream is closed"))
    }
}

impl<S: Sink> TransportWrite for StdoutWrite<S> {
    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        match self.open_sink() {
            Ok(s) => s.poll_write(cx, buf),
            Err(e) => Poll::Ready(Err(e)),
        }
    }
    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.sink.as_mut() {
            Some(s) => s.poll_flush(cx),
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
        self.sink = None;
        Poll::Ready(r)
    }
    fn abort(&mut self) {
        self.sink = None;
    }
    fn info(&self) -> TransportInfo {
        TransportInfo {
            peer: None,
            local: Some(self.name.to_string()),
        }
    }
    fn poll_splice(
        &mut self,
        cx: &mut Context<'_>,
        src: &mut dyn TransportRead,
        max: usize,
    ) -> Option<Poll<Result<usize, SpliceError>>> {
        match self.open_sink() {
            Ok(s) => s.poll_splice(cx, src, max),
            Err(e) => Some(Poll::Ready(Err(SpliceError::Write(e)))),
        }
    }
}
