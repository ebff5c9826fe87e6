//! The `fetch` backend of [`Client`](super::Client), and the browser's [`IncomingBody`] and
//! [`OutgoingBody`] (the same names and methods as on WASI).
//!
//! # Data structure
//!
//! An [`IncomingBody`] is the `fetch` response's streaming [`Body`] plus two optional timers:
//! `deadline` (the client's total timeout, shared with the wait for the headers) and `pause`
//! (the between-bytes timeout: armed when a read starts waiting, dropped when a chunk arrives).
//! When either fires, the read fails with `TimedOut` and the body is dropped, which aborts the
//! request. An [`OutgoingBody`] is bytes (`fetch` sends a request body whole).

use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use http::header::{HeaderName, HeaderValue};
use http::HeaderMap;

use super::chunk::{self, Buffered};
use super::{Body, Client, Request};
use crate::stream::transport::TransportRead;
use crate::stream::StreamReader;
use crate::time::{sleep, sleep_until, Instant, Sleep};

fn timed_out(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::TimedOut,
        format!("the request's {what} timeout expired"),
    )
}

/// Sends `request` with `fetch` (see [`Client::send`]).
pub(crate) async fn send(
    client: &Client,
    request: http::Request<OutgoingBody>,
) -> io::Result<http::Response<IncomingBody>> {
    let start = Instant::now();
    let total = client.total.map(|d| start + d);
    let headers_by = match (client.connect, client.first_byte) {
        (Some(c), Some(f)) => Some(c + f),
        (c, f) => c.or(f),
    }
    .map(|d| start + d);
    let wait_until = match (headers_by, total) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let (parts, body) = request.into_parts();
    if parts.uri.scheme().is_none() || parts.uri.authority().is_none() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the request URI must have a scheme and an authority",
        ));
    }
    let mut js = Request::new(parts.method.as_str(), parts.uri.to_string());
    for (name, value) in &parts.headers {
        let value = value.to_str().map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("header {name}: not text"),
            )
        })?;
        js = js.header(name.as_str(), value);
    }
    if !body.bytes.is_empty() {
        js = js.body(body.bytes);
    }
    let response = match wait_until {
        Some(t) => crate::time::timeout_at(t, js.send()).await.map_err(|_| {
            timed_out(if Some(t) == total {
                "total"
            } else {
                "first-byte"
            })
        })??,
        None => js.send().await?,
    };
    let status = http::StatusCode::from_u16(response.status())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "invalid status"))?;
    let mut headers = HeaderMap::new();
    for (name, value) in response.headers() {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.append(n, v);
        }
    }
    let body = IncomingBody {
        body: response.into_body(),
        between: client.between_bytes,
        deadline: total.map(sleep_until),
        pause: None,
        chunk: Buffered::default(),
    };
    let mut r = http::Response::new(body);
    *r.status_mut() = status;
    *r.headers_mut() = headers;
    Ok(r)
}

/// An HTTP body arriving from `fetch`, under the client's between-bytes and total timeouts.
/// Read it with [`chunk`](IncomingBody::chunk), [`bytes`](IncomingBody::bytes), as a
/// [`StreamReader`] or a `futures_io::AsyncRead`. Dropping it before the end aborts the request.
///
/// # Examples
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// let response = wasio::http::Client::new().get("http://127.0.0.1:8080/").await?;
/// let mut body = response.into_body();
/// while let Some(chunk) = body.chunk().await? {
///     let _ = chunk.len();
/// }
/// # Ok(()) }
/// ```
pub struct IncomingBody {
    body: Body,
    between: Option<std::time::Duration>,
    deadline: Option<Sleep>,
    pause: Option<Sleep>,
    chunk: Buffered,
}

impl fmt::Debug for IncomingBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IncomingBody")
            .field("body", &self.body)
            .finish_non_exhaustive()
    }
}

impl IncomingBody {
    fn poll_timed(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Option<Vec<u8>>>> {
        if !self.chunk.is_empty() {
            return Poll::Ready(Ok(Some(self.chunk.take())));
        }
        if let Some(t) = self.deadline.as_mut() {
            if !self.body.is_done() && Pin::new(t).poll(cx).is_ready() {
                return Poll::Ready(Err(timed_out("total")));
            }
        }
        match self.body.poll_chunk(cx) {
            Poll::Ready(r) => {
                self.pause = None;
                Poll::Ready(r)
            }
            Poll::Pending => {
                if let Some(d) = self.between {
                    let pause = self.pause.get_or_insert_with(|| sleep(d));
                    if Pin::new(pause).poll(cx).is_ready() {
                        return Poll::Ready(Err(timed_out("between-bytes")));
                    }
                }
                Poll::Pending
            }
        }
    }

    /// The next chunk of the body, or `None` at its end.
    ///
    /// Errors: `TimedOut` when the client's between-bytes or total timeout expires; the fetch
    /// backend's errors.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a chunk that arrives after the future is dropped is returned by the next call.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn demo(mut body: wasio::http::IncomingBody) -> std::io::Result<()> {
    /// while let Some(chunk) = body.chunk().await? {}
    /// # Ok(()) }
    /// ```
    pub async fn chunk(&mut self) -> io::Result<Option<Vec<u8>>> {
        poll_fn(|cx| self.poll_timed(cx)).await
    }

    /// The whole body, if it is at most `limit` bytes (else `InvalidData`).
    ///
    /// # Cancel safety
    ///
    /// Not cancel safe: the bytes read so far are lost with the future.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn demo(body: wasio::http::IncomingBody) -> std::io::Result<()> {
    /// let all = body.bytes(1 << 20).await?;
    /// # Ok(()) }
    /// ```
    pub async fn bytes(mut self, limit: usize) -> io::Result<Vec<u8>> {
        chunk::read_to_limit(&mut self, limit, IncomingBody::poll_timed).await
    }

    /// The trailers after the body: `fetch` gives none, so `None` once the rest of the body is
    /// read (and discarded).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn demo(mut body: wasio::http::IncomingBody) -> std::io::Result<()> {
    /// assert!(body.trailers().await?.is_none());
    /// # Ok(()) }
    /// ```
    pub async fn trailers(&mut self) -> io::Result<Option<HeaderMap>> {
        while self.chunk().await?.is_some() {}
        Ok(None)
    }

    /// Whether the whole body has been read.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn demo(mut body: wasio::http::IncomingBody) -> std::io::Result<()> {
    /// while body.chunk().await?.is_some() {}
    /// assert!(body.is_done());
    /// # Ok(()) }
    /// ```
    pub fn is_done(&self) -> bool {
        self.body.is_done() && self.chunk.is_empty()
    }

    /// This body as a [`StreamReader`].
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn demo(body: wasio::http::IncomingBody) -> std::io::Result<()> {
    /// let line = body.into_reader().readline().await;
    /// # Ok(()) }
    /// ```
    pub fn into_reader(self) -> StreamReader {
        StreamReader::new(Box::new(self))
    }
}

impl TransportRead for IncomingBody {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        chunk::poll_read(self, cx, buf, |b| &mut b.chunk, IncomingBody::poll_timed)
    }
}

async_read_via_transport!(IncomingBody);

/// The body of a request the client sends with `fetch`: bytes, sent whole.
///
/// # Examples
///
/// ```
/// let body = wasio::http::OutgoingBody::from("hello");
/// assert_eq!(body.len(), Some(5));
/// ```
#[derive(Debug, Default)]
pub struct OutgoingBody {
    bytes: Vec<u8>,
}

impl OutgoingBody {
    /// No body.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(wasio::http::OutgoingBody::empty().len(), Some(0));
    /// ```
    pub fn empty() -> OutgoingBody {
        OutgoingBody::default()
    }

    /// The body's length (always known here).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(wasio::http::OutgoingBody::from(vec![1u8, 2]).len(), Some(2));
    /// ```
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> Option<usize> {
        Some(self.bytes.len())
    }
}

impl From<Vec<u8>> for OutgoingBody {
    fn from(bytes: Vec<u8>) -> Self {
        OutgoingBody { bytes }
    }
}

outgoing_body_from!();
