//! [`Body`]: a response body that streams, chunk by chunk.
//!
//! # Data structure
//!
//! A `Body` owns its backend's source (`backend::Source`: on the browser, the `fetch` response's
//! `ReadableStream` reader) and the one chunk the source last delivered, kept in `chunk` (a
//! `chunk::Buffered`: the chunk and how far it was read) until copied out; `done` is set once the
//! source ended (or failed). The whole body is never buffered (unless the caller asks for it with [`Response::bytes`](super::Response::bytes)). A
//! read in flight lives in the source, not in a caller's future, so cancelling a read loses
//! nothing: the next read picks it up.

use std::fmt;
use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::backend::Source;
use super::chunk::Buffered;
use crate::stream::transport::TransportRead;
use crate::stream::StreamReader;

/// A response body streaming from `fetch`'s `ReadableStream`: read it with [`Body::chunk`], as
/// bytes through [`TransportRead`], or as a `futures_io::AsyncRead`.
///
/// Dropping it before the end aborts the request.
///
/// # Examples
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// let mut body = wasio::browser::fetch("http://127.0.0.1:8080/").await?.into_body();
/// let mut total = 0;
/// while let Some(chunk) = body.chunk().await? {
///     total += chunk.len();
/// }
/// # Ok(()) }
/// ```
pub struct Body {
    source: Source,
    chunk: Buffered,
    done: bool,
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Body")
            .field("buffered", &self.chunk.len())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl Body {
    /// A body that streams from `source`; `done` if the response has no body at all.
    pub(crate) fn new(source: Source, done: bool) -> Body {
        Body {
            source,
            chunk: Buffered::default(),
            done,
        }
    }

    /// The next chunk, as [`chunk`](Body::chunk) (for the client's timed body).
    pub(crate) fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Option<Vec<u8>>>> {
        match self.poll_fill(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Ready(Ok(false)) => Poll::Ready(Ok(None)),
            Poll::Ready(Ok(true)) => Poll::Ready(Ok(Some(self.chunk.take()))),
        }
    }

    /// Waits for the next chunk from the stream into `self.chunk`; `false` at the end.
    fn poll_fill(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<bool>> {
        if !self.chunk.is_empty() {
            return Poll::Ready(Ok(true));
        }
        if self.done {
            return Poll::Ready(Ok(false));
        }
        match self.source.poll_chunk(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Ok(Some(chunk))) => {
                self.chunk.set(chunk);
                Poll::Ready(Ok(true))
            }
            Poll::Ready(Ok(None)) => {
                self.done = true;
                Poll::Ready(Ok(false))
            }
            Poll::Ready(Err(e)) => {
                self.done = true;
                Poll::Ready(Err(e))
            }
        }
    }

    /// The next chunk as the stream delivered it, or `None` at the end of the body.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a chunk that arrives after the future is dropped is returned by the next call.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let mut body = wasio::browser::fetch("http://127.0.0.1:8080/").await?.into_body();
    /// while let Some(chunk) = body.chunk().await? { /* process chunk */ }
    /// # Ok(()) }
    /// ```
    pub async fn chunk(&mut self) -> io::Result<Option<Vec<u8>>> {
        poll_fn(|cx| self.poll_chunk(cx)).await
    }

    /// This body as a [`StreamReader`].
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let body = wasio::browser::fetch("http://127.0.0.1:8080/").await?.into_body();
    /// let mut reader = body.into_reader();
    /// let header = reader.readexactly(4).await;
    /// # Ok(()) }
    /// ```
    pub fn into_reader(self) -> StreamReader {
        StreamReader::new(Box::new(self))
    }

    /// Whether the whole body has been received.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let mut body = wasio::browser::fetch("http://127.0.0.1:8080/").await?.into_body();
    /// while body.chunk().await?.is_some() {}
    /// assert!(body.is_done());
    /// # Ok(()) }
    /// ```
    pub fn is_done(&self) -> bool {
        self.done && self.chunk.is_empty()
    }
}

impl TransportRead for Body {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        match self.poll_fill(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Ready(Ok(false)) => Poll::Ready(Ok(0)),
            Poll::Ready(Ok(true)) => Poll::Ready(Ok(self.chunk.copy_to(buf))),
        }
    }
}

async_read_via_transport!(Body);
