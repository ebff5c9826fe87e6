//! [`IncomingBody`]: a `wasi:http` incoming body (a server's request body, a client's response
//! body) that streams, then its trailers.
//!
//! # Data structure
//!
//! Three phases, in order (a server's request body starts one step earlier, `Unopened`); each
//! owns the host resources it needs and drops them in the order `wasi:http` requires (a child
//! before its parent):
//!
//! * `Unopened(request)`: a server's request body that nobody has read yet: the request is
//!   consumed at the first read. A handler that never reads its body (hello) saves the
//!   `consume` call and the body's resource (two host calls per request);
//! * `Streaming { input, body }`: the body's `input-stream` (as an [`InputHalf`], registered with
//!   the reactor once) and the `incoming-body` resource it came from. `input` is declared first, so
//!   it is dropped first.
//! * `Trailers(reg, future)`: the stream ended; `incoming-body.finish` gave a `future-trailers`,
//!   until its value is taken. Its pollable is registered with the reactor (`reg`) at the first
//!   look, before any `get`: wasmtime's `get` answers "not yet" until that pollable has been found
//!   ready (its readiness check takes the trailers from the body), so a `get` first was one wasted
//!   host call per body. A caller that nothing else on the loop waits for (the server's forwarded
//!   body) blocks in `poll` on that pollable alone instead (`blocking_trailers`).
//! * `Done(Option<HeaderMap>)`: the trailers (if any) are here; nothing of the host is left.
//!
//! `request` (a server's consumed `incoming-request`) or `_parent` (a client's
//! `incoming-response`) keeps the resource the body belongs to alive until the body is dropped. `link` is the server's view of the
//! connection: a read that fails (the client went away mid-body) marks it gone, which cancels the
//! handler (see `serve.rs`).

use std::any::Any;
use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use http::HeaderMap;
use wasi::http::types::{
    ErrorCode, Fields, FutureTrailers, IncomingBody as WasiBody, IncomingRequest,
};
use wasi::io::poll::poll;

use super::error::{body_error, http_error};
use super::fields::header_map;
use super::serve::Link;
use crate::host::wasi::reactor::Registration;
use crate::http::chunk::{self, Buffered};
use crate::stream::transport::TransportRead;
use crate::stream::StreamReader;
use crate::time::Sleep;
use crate::wasi::streams::InputHalf;

/// What `future-trailers.get` gives once the trailers are there.
type TrailersResult = Result<Result<Option<Fields>, ErrorCode>, ()>;

/// A body's trailers as taken for forwarding: the host's own `fields` (handed on to the
/// outgoing body as they are: no string enters the component, and no `HeaderMap` is filled,
/// which would link std's `RandomState` and with it the `insecure-seed` import), or a map.
pub(crate) enum Trailers {
    /// As the host gave them.
    Host(Fields),
    /// Already read into a map.
    Map(HeaderMap),
}

impl Trailers {
    /// The trailers as a `HeaderMap` (the host's read now, if not yet).
    fn into_map(self) -> HeaderMap {
        match self {
            Trailers::Host(fields) => header_map(&fields),
            Trailers::Map(map) => map,
        }
    }
}

/// The largest chunk one read asks the host for.
const MAX_CHUNK: usize = 64 * 1024;

enum Phase {
    /// A server's request, not consumed until the body is first read.
    Unopened(IncomingRequest),
    /// `input` is `None` until the first read (a body nobody reads costs no stream).
    Streaming {
        input: Option<InputHalf>,
        body: WasiBody,
    },
    Trailers(Option<Registration>, FutureTrailers),
    Done(Option<HeaderMap>),
    Failed,
}

/// An HTTP body arriving from the host: the request body in a server's handler (and, on WASI, a
/// response body in the client). Read it chunk by chunk with [`chunk`](IncomingBody::chunk), all
/// at once with [`bytes`](IncomingBody::bytes), as a [`StreamReader`] or a
/// `futures_io::AsyncRead`; then its [`trailers`](IncomingBody::trailers).
///
/// Nothing is buffered beyond the chunk being read: the sender is held back (flow control) until
/// the body is read.
///
/// # Examples
///
/// ```no_run
/// # #[cfg(all(target_os = "wasi", target_env = "p2"))]
/// async fn count(mut body: wasio::http::IncomingBody) -> std::io::Result<usize> {
///     let mut total = 0;
///     while let Some(chunk) = body.chunk().await? {
///         total += chunk.len();
///     }
///     Ok(total)
/// }
/// ```
pub struct IncomingBody {
    phase: Phase,
    /// Bytes of a chunk already read, not yet handed out (through `TransportRead`).
    chunk: Buffered,
    link: Option<Rc<Link>>,
    /// A client's whole-request deadline: a read after it fails with `TimedOut`.
    deadline: Option<Sleep>,
    /// A server's request, once consumed: the body's parent, dropped after it (a field of its
    /// own rather than in `_parent`: no `Rc`, and no drop through a vtable, whose first call
    /// costs `wasmtime serve` a lazy table fill at every request).
    request: Option<IncomingRequest>,
    _parent: Option<Rc<dyn Any>>,
}

impl fmt::Debug for IncomingBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let phase = match &self.phase {
            Phase::Unopened(_) | Phase::Streaming { .. } => "streaming",
            Phase::Trailers(..) => "trailers",
            Phase::Done(_) => "done",
            Phase::Failed => "failed",
        };
        f.debug_struct("IncomingBody")
            .field("phase", &phase)
            .finish_non_exhaustive()
    }
}

impl IncomingBody {
    /// The body of a request or response; `parent` is kept alive until the body is dropped.
    pub(crate) fn new(
        body: WasiBody,
        parent: Option<Rc<dyn Any>>,
        link: Option<Rc<Link>>,
    ) -> io::Result<IncomingBody> {
        // (`io::Result` for the backends' sake: opening the stream is deferred to the first read.)
        Ok(IncomingBody {
            phase: Phase::Streaming { input: None, body },
            chunk: Buffered::default(),
            link,
            deadline: None,
            request: None,
            _parent: parent,
        })
    }

    /// The body of a server's `request`, consumed when it is first read (see the module docs).
    pub(crate) fn unopened(request: IncomingRequest, link: Rc<Link>) -> IncomingBody {
        IncomingBody {
            phase: Phase::Unopened(request),
            chunk: Buffered::default(),
            link: Some(link),
            deadline: None,
            request: None,
            _parent: None,
        }
    }

    /// An `Unopened` body becomes `Streaming`: the request is consumed and kept alive as the
    /// body's parent (`request`, dropped after it). Consuming fails only if the body was taken already,
    /// which this module never does: the body is then `Failed`.
    fn open(&mut self) {
        if !matches!(self.phase, Phase::Unopened(_)) {
            return;
        }
        let Phase::Unopened(request) = std::mem::replace(&mut self.phase, Phase::Failed) else {
            return;
        };
        if let Ok(body) = request.consume() {
            self.phase = Phase::Streaming { input: None, body };
            self.request = Some(request);
        }
    }

    /// A failed read: the body is over, and a server's client is gone.
    pub(crate) fn fail(&mut self, e: io::Error) -> io::Error {
        self.phase = Phase::Failed;
        if let Some(link) = &self.link {
            link.set_gone();
        }
        e
    }

    /// Sets the deadline after which reads fail with `TimedOut` (a client's total timeout).
    pub(crate) fn set_deadline(&mut self, deadline: Option<Sleep>) {
        self.deadline = deadline;
    }

    /// The next chunk straight from the host (ignores `self.chunk`).
    fn poll_host_chunk(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Option<Vec<u8>>>> {
        if let Some(t) = self.deadline.as_mut() {
            let streaming = matches!(self.phase, Phase::Unopened(_) | Phase::Streaming { .. });
            if streaming && Pin::new(t).poll(cx).is_ready() {
                let e = io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the request's total timeout expired",
                );
                return Poll::Ready(Err(self.fail(e)));
            }
        }
        self.open();
        let Phase::Streaming { input, body } = &mut self.phase else {
            return Poll::Ready(match self.phase {
                Phase::Failed => Err(io::Error::new(
                    io::ErrorKind::ConnectionReset,
                    "the body failed earlier",
                )),
                _ => Ok(None),
            });
        };
        let input = match input {
            Some(i) => i,
            None => match body.stream() {
                Ok(stream) => input.insert(InputHalf::bulk(stream, None)),
                Err(()) => {
                    let e = io::Error::other("the body's stream was already taken");
                    return Poll::Ready(Err(self.fail(e)));
                }
            },
        };
        match input.poll_chunk(cx, MAX_CHUNK, body_error) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Ok(Some(c))) => Poll::Ready(Ok(Some(c))),
            Poll::Ready(Ok(None)) => {
                self.end_stream();
                Poll::Ready(Ok(None))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(self.fail(e))),
        }
    }

    /// The stream ended: drop it, finish the body, and register the trailers' future.
    fn end_stream(&mut self) {
        if let Phase::Streaming { input, body } = std::mem::replace(&mut self.phase, Phase::Failed)
        {
            drop(input);
            let future = WasiBody::finish(body);
            self.phase = Phase::Trailers(None, future);
        }
    }

    /// The input half while the body streams (for splicing it into a response).
    pub(crate) fn input(&mut self) -> Option<&mut InputHalf> {
        self.open();
        match &mut self.phase {
            Phase::Streaming { input, body } if self.chunk.is_empty() => match input {
                Some(i) => Some(i),
                None => body
                    .stream()
                    .ok()
                    .map(|stream| input.insert(InputHalf::bulk(stream, None))),
            },
            _ => None,
        }
    }

    /// Marks the stream ended after a splice saw its end.
    pub(crate) fn spliced_to_end(&mut self) {
        self.end_stream();
    }

    /// Bytes already taken from the host but not handed out yet (before a splice).
    pub(crate) fn take_buffered(&mut self) -> Vec<u8> {
        self.chunk.take()
    }

    /// The next chunk of the body as the host delivered it (at most 64 KiB), or `None` at its end.
    ///
    /// Errors: the connection failed mid-body (`ConnectionReset` and kin: a server's client went
    /// away, which also cancels its handler).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: nothing is taken from the host until a chunk is returned.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # #[cfg(all(target_os = "wasi", target_env = "p2"))]
    /// # async fn demo(mut body: wasio::http::IncomingBody) -> std::io::Result<()> {
    /// while let Some(chunk) = body.chunk().await? {
    ///     let _ = chunk.len();
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn chunk(&mut self) -> io::Result<Option<Vec<u8>>> {
        poll_fn(|cx| self.poll_chunk(cx)).await
    }

    /// Poll form of [`chunk`](IncomingBody::chunk).
    pub(crate) fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Option<Vec<u8>>>> {
        if !self.chunk.is_empty() {
            return Poll::Ready(Ok(Some(self.take_buffered())));
        }
        self.poll_host_chunk(cx)
    }

    /// The whole body, if it is at most `limit` bytes.
    ///
    /// Errors: `InvalidData` when the body is longer than `limit` (the rest is not read); the
    /// errors of [`chunk`](IncomingBody::chunk).
    ///
    /// # Cancel safety
    ///
    /// Not cancel safe: the bytes read so far are lost with the future.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # #[cfg(all(target_os = "wasi", target_env = "p2"))]
    /// # async fn demo(body: wasio::http::IncomingBody) -> std::io::Result<()> {
    /// let json = body.bytes(64 * 1024).await?;
    /// # Ok(()) }
    /// ```
    pub async fn bytes(mut self, limit: usize) -> io::Result<Vec<u8>> {
        chunk::read_to_limit(&mut self, limit, IncomingBody::poll_chunk).await
    }

    /// The trailers sent after the body (`None` if there were none). Reads and discards what is
    /// left of the body first.
    ///
    /// Errors: those of [`chunk`](IncomingBody::chunk), and the host's error if the trailers
    /// could not be received.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: calling it again continues where the dropped call stopped.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # #[cfg(all(target_os = "wasi", target_env = "p2"))]
    /// # async fn demo(mut body: wasio::http::IncomingBody) -> std::io::Result<()> {
    /// while body.chunk().await?.is_some() {}
    /// if let Some(trailers) = body.trailers().await? {
    ///     let _ = trailers.get("x-checksum");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn trailers(&mut self) -> io::Result<Option<HeaderMap>> {
        poll_fn(|cx| self.poll_trailers(cx)).await
    }

    /// Poll form of [`trailers`](IncomingBody::trailers); takes them (a second call gives `None`).
    pub(crate) fn poll_trailers(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<Option<HeaderMap>>> {
        self.poll_host_trailers(cx)
            .map(|r| r.map(|t| t.map(Trailers::into_map)))
    }

    /// [`poll_trailers`](Self::poll_trailers) for forwarding: the host's `fields` as they are.
    pub(crate) fn poll_host_trailers(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<Option<Trailers>>> {
        loop {
            match &mut self.phase {
                Phase::Unopened(_) | Phase::Streaming { .. } => {
                    self.chunk.clear();
                    match self.poll_host_chunk(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                        Poll::Ready(Ok(_)) => continue,
                    }
                }
                Phase::Trailers(reg, future) => {
                    // Wait first, then `get`: wasmtime's `get` answers "not yet" until the
                    // future's pollable has been found ready (its readiness check is what
                    // takes the trailers from the body), so a first look would be a wasted call.
                    let Some(reg) = reg else {
                        *reg = Some(Registration::new(future.subscribe()));
                        if let Some(r) = reg {
                            r.arm(cx);
                        }
                        return Poll::Pending;
                    };
                    let Some(got) = future.get() else {
                        reg.arm(cx);
                        return Poll::Pending;
                    };
                    return Poll::Ready(self.took_trailers(got));
                }
                Phase::Done(trailers) => {
                    return Poll::Ready(Ok(trailers.take().map(Trailers::Map)))
                }
                Phase::Failed => {
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::ConnectionReset,
                        "the body failed earlier",
                    )))
                }
            }
        }
    }

    /// The trailers as `future-trailers.get` gave them: the body is done (or failed).
    fn took_trailers(&mut self, got: TrailersResult) -> io::Result<Option<Trailers>> {
        self.phase = Phase::Done(None);
        match got {
            Ok(Ok(Some(fields))) => Ok(Some(Trailers::Host(fields))),
            Ok(Ok(None)) => Ok(None),
            Ok(Err(code)) => Err(self.fail(http_error(&code))),
            Err(()) => Ok(None),
        }
    }

    /// The trailers of a body whose stream has ended ([`spliced_to_end`](Self::spliced_to_end)),
    /// waited for by blocking the whole component in `poll` on their pollable alone: for a
    /// caller that nothing else on the loop can be waiting for (`reactor::only_main_future`),
    /// so no task, timer or other wait is delayed. Three host calls and a pollable's drop, with
    /// no turn of the loop: the forwarded response body's end.
    ///
    /// Errors: those of [`trailers`](Self::trailers); a host that has no value for the trailers
    /// once their pollable is ready (which `wasi:http` rules out) gives `Other`, as does a body
    /// that is not at its trailers and cannot give them without waiting.
    pub(crate) fn blocking_trailers(&mut self) -> io::Result<Option<Trailers>> {
        if let Phase::Trailers(None, future) = &self.phase {
            let pollable = future.subscribe();
            poll(&[&pollable]);
            drop(pollable);
            return match future.get() {
                Some(got) => self.took_trailers(got),
                None => Err(self.fail(io::Error::other(
                    "the host had no trailers once they were ready",
                ))),
            };
        }
        match self.poll_host_trailers(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(r) => r,
            Poll::Pending => Err(io::Error::other("the body is not at its trailers")),
        }
    }

    /// Whether nothing of the body has been read into the component (no chunk held here): it
    /// can be forwarded by the host alone.
    pub(crate) fn unread(&self) -> bool {
        self.chunk.is_empty()
    }

    /// Whether the whole body has been read.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # #[cfg(all(target_os = "wasi", target_env = "p2"))]
    /// # async fn demo(mut body: wasio::http::IncomingBody) -> std::io::Result<()> {
    /// while body.chunk().await?.is_some() {}
    /// assert!(body.is_done());
    /// # Ok(()) }
    /// ```
    pub fn is_done(&self) -> bool {
        matches!(self.phase, Phase::Trailers(..) | Phase::Done(_)) && self.chunk.is_empty()
    }

    /// This body as a [`StreamReader`] (`readline`, `readexactly`, …).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # #[cfg(all(target_os = "wasi", target_env = "p2"))]
    /// # async fn demo(body: wasio::http::IncomingBody) -> std::io::Result<()> {
    /// let mut lines = body.into_reader();
    /// let first = lines.readline().await;
    /// # Ok(()) }
    /// ```
    pub fn into_reader(self) -> StreamReader {
        StreamReader::new(Box::new(self))
    }
}

impl TransportRead for IncomingBody {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        chunk::poll_read(
            self,
            cx,
            buf,
            |b| &mut b.chunk,
            IncomingBody::poll_host_chunk,
        )
    }
}

async_read_via_transport!(IncomingBody);
