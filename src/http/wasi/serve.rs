//! Serving `wasi:http/incoming-handler`: one call of the export is one request, run to its end on
//! a wasio loop of its own.
//!
//! # One request
//!
//! 1. The host's `incoming-request` becomes an `http::Request<IncomingBody>` (the request resource
//!    stays alive inside the body, which belongs to it).
//! 2. [`serve`] starts a loop (`wasio::try_run`) whose main future polls the handler, and
//!    watches the request's [`Link`]: a read of the request body that fails (the client went
//!    away mid-body) marks the link gone, and the main future then drops the handler future:
//!    the handler is cancelled at its await point and its destructors run.
//! 3. The response's status and headers go to the `response-outparam`; its body is written to
//!    the `outgoing-body`'s stream, then the body is finished with its trailers. A write the
//!    client cannot take any more (it went away) ends the request there.
//!
//!    `wasi:http` 0.2 tells a component that its client went away only through these streams (a
//!    read of the request body or a write of the response fails); there is no event for it. So a
//!    handler that touches neither (it sleeps, or waits on an outgoing request, before it
//!    responds) runs until it does, and is cancelled then; a streamed response (server-sent
//!    events) is cancelled at its next write.
//! 4. `try_run` returns, which cancels every task the handler spawned that is still alive: no
//!    task outlives its request, so the next request (in this instance, if the host reuses it,
//!    or in a fresh one) starts from an idle loop.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::pin::pin;
use std::rc::Rc;
use std::task::{Poll, Waker};

use http::header::CONTENT_LENGTH;
use http::uri::{Authority, PathAndQuery};
use http::StatusCode;
use wasi::http::types::{
    ErrorCode, IncomingRequest, OutgoingBody as WasiOutgoingBody, OutgoingResponse,
    ResponseOutparam, Scheme,
};

use super::error::http_error;
use super::fields::{fields, fields_with_length, header_map, method_from_wasi};
use super::incoming::Trailers;
use super::outgoing::{Kind, Source, Writing};
use super::{IncomingBody, OutgoingBody};
use crate::host::wasi::reactor::only_main_future;
use crate::stream::transport::SpliceError;
use crate::wasi::streams::OutputHalf;

/// The server's view of one request's connection: `gone` once a read of the request body failed.
///
/// `pub` only because the sealed handler traits (`handler.rs`) name it: this module is private,
/// so nothing outside the crate can name or make one.
#[derive(Default)]
pub struct Link {
    gone: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

impl Link {
    /// The client is gone: wake the request's main future, which cancels the handler.
    pub(crate) fn set_gone(&self) {
        self.gone.set(true);
        let waker = self.waker.borrow_mut().take();
        if let Some(w) = waker {
            w.wake();
        }
    }
}

/// What a handler may return: an `http::Response` whose body converts into an [`OutgoingBody`],
/// or a `Result` of one, whose error becomes a `500 Internal Server Error` with the error's text.
///
/// # Examples
///
/// ```
/// # #[cfg(all(target_os = "wasi", target_env = "p2"))] {
/// use wasio::http::IntoResponse;
/// let r = Err::<http::Response<String>, _>("no such item").into_response();
/// assert_eq!(r.status(), 500);
/// # }
/// ```
pub trait IntoResponse {
    /// The response to send.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(all(target_os = "wasi", target_env = "p2"))] {
    /// use wasio::http::IntoResponse;
    /// let r = http::Response::new("hi").into_response();
    /// assert_eq!(r.body().len(), Some(2));
    /// # }
    /// ```
    fn into_response(self) -> http::Response<OutgoingBody>;
}

impl<B: Into<OutgoingBody>> IntoResponse for http::Response<B> {
    fn into_response(self) -> http::Response<OutgoingBody> {
        self.map(Into::into)
    }
}

impl<B: Into<OutgoingBody>, E: fmt::Display> IntoResponse for Result<http::Response<B>, E> {
    fn into_response(self) -> http::Response<OutgoingBody> {
        match self {
            Ok(r) => r.into_response(),
            Err(e) => {
                let mut r = http::Response::new(OutgoingBody::from(format!("{e}\n")));
                *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
                r
            }
        }
    }
}

/// Serves one `wasi:http/incoming-handler` call with `handler`, on a wasio loop that lasts as
/// long as the request, giving it the whole request: the [`http_server!`](crate::http_server)
/// macro calls this from the export for a closure. Call it yourself from your own `Guest`
/// implementation if you export the handler with the `wasi` crate directly.
///
/// The whole request is read from the host first (method, URI, every header); a handler that
/// uses less reads less through [`serve_handler`](crate::http::serve_handler), which gives it
/// only the parts its parameters take.
///
/// A request the `http` crate cannot represent (an invalid method or URI) is answered with the
/// host's error code and never reaches `handler`.
///
/// # Examples
///
/// ```no_run
/// # #[cfg(all(target_os = "wasi", target_env = "p2"))] {
/// use wasi::exports::http::incoming_handler::Guest;
/// use wasi::http::types::{IncomingRequest, ResponseOutparam};
///
/// struct App;
/// impl Guest for App {
///     fn handle(request: IncomingRequest, out: ResponseOutparam) {
///         wasio::http::serve(request, out, |_req| async { http::Response::new("hello\n") });
///     }
/// }
/// wasi::http::proxy::export!(App);
/// # }
/// ```
pub fn serve<F, Fut>(request: IncomingRequest, out: ResponseOutparam, handler: F)
where
    F: FnOnce(http::Request<IncomingBody>) -> Fut,
    Fut: Future,
    Fut::Output: IntoResponse,
{
    let link = Rc::new(Link::default());
    match http_request(request, &link) {
        Ok(request) => run_handler(out, link, move || handler(request)),
        Err(code) => ResponseOutparam::set(out, Err(code)),
    }
}

/// Runs the handler's future (made by `handler`, on the loop) to its response and sends that
/// through `out`, unless the client goes away first (`link`).
pub(super) fn run_handler<F, Fut>(out: ResponseOutparam, link: Rc<Link>, handler: F)
where
    F: FnOnce() -> Fut,
    Fut: Future,
    Fut::Output: IntoResponse,
{
    // `Err` only if a loop is already running (a handler cannot call the export) or the handler
    // waits on nothing that can ever wake it: the outparam is then dropped unset, and the host
    // answers 500.
    let _ = crate::try_run(async move {
        let mut work = pin!(async move {
            let response = handler().await.into_response();
            respond(out, response).await;
        });
        // Until the request is served, or the client is gone: then the handler (or the
        // response's writing) is dropped where it waits, and `try_run` cancels what it spawned.
        poll_fn(|cx| {
            if !link.gone.get() && work.as_mut().poll(cx).is_ready() {
                return Poll::Ready(());
            }
            if link.gone.get() {
                return Poll::Ready(());
            }
            *link.waker.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        })
        .await;
    });
}

/// The host's request as an `http::Request`, or the error code to answer with.
pub(super) fn http_request(
    request: IncomingRequest,
    link: &Rc<Link>,
) -> Result<http::Request<IncomingBody>, ErrorCode> {
    let method = method_from_wasi(&request.method()).ok_or(ErrorCode::HttpRequestMethodInvalid)?;
    let uri = request_uri(
        request.scheme(),
        request.authority(),
        request.path_with_query(),
    )
    .ok_or(ErrorCode::HttpRequestUriInvalid)?;
    let headers = header_map(&request.headers());
    let body = IncomingBody::unopened(request, link.clone());
    let mut r = http::Request::new(body);
    *r.method_mut() = method;
    *r.uri_mut() = uri;
    *r.headers_mut() = headers;
    Ok(r)
}

/// The request's URI from its parts, each parsed alone (`Uri::from_parts`: 1 KB less code in
/// the hello component than `Uri::builder`): the path (`/` if the host gave none), and the
/// scheme and authority if the host gave both.
pub(super) fn request_uri(
    scheme: Option<Scheme>,
    authority: Option<String>,
    path: Option<String>,
) -> Option<http::Uri> {
    let mut parts = http::uri::Parts::default();
    parts.path_and_query = Some(match path {
        Some(p) => PathAndQuery::try_from(p).ok()?,
        None => PathAndQuery::from_static("/"),
    });
    if let (Some(s), Some(a)) = (scheme, authority) {
        parts.scheme = Some(match s {
            Scheme::Http => http::uri::Scheme::HTTP,
            Scheme::Https => http::uri::Scheme::HTTPS,
            Scheme::Other(s) => http::uri::Scheme::try_from(s.as_str()).ok()?,
        });
        parts.authority = Some(Authority::try_from(a).ok()?);
    }
    http::Uri::from_parts(parts).ok()
}

/// Whether a response with this status carries a body (so may get a `content-length`).
fn has_body(status: StatusCode) -> bool {
    !(status.is_informational() || status == StatusCode::NO_CONTENT || status == 304)
}

/// Sends `response` through `out`.
async fn respond(out: ResponseOutparam, response: http::Response<OutgoingBody>) {
    let (parts, body) = response.into_parts();
    let headers = parts.headers;
    let length = body
        .len()
        .filter(|_| has_body(parts.status) && !headers.contains_key(CONTENT_LENGTH));
    let fields = match fields_with_length(&headers, length) {
        Ok(f) => f,
        Err(_) => {
            let why = "invalid response header".to_string();
            ResponseOutparam::set(out, Err(ErrorCode::InternalError(Some(why))));
            return;
        }
    };
    let resp = OutgoingResponse::new(fields);
    // A new response's status is 200: one host call fewer for most responses.
    if parts.status != StatusCode::OK && resp.set_status_code(parts.status.as_u16()).is_err() {
        let why = "invalid status".to_string();
        ResponseOutparam::set(out, Err(ErrorCode::InternalError(Some(why))));
        return;
    }
    let Ok(wasi_body) = resp.body() else {
        ResponseOutparam::set(out, Err(ErrorCode::InternalError(None)));
        return;
    };
    ResponseOutparam::set(out, Ok(resp));
    // A failure here means the client is gone (or a forwarded body broke): the body is dropped
    // unfinished, which the host reports to the client as an incomplete response. Nobody is left
    // to tell why, so the known-body paths make no `io::Error`: that, and no `to_string` of one
    // in `http_request`, keeps `io::Error`'s messages and formatting out of a hello component
    // (12 KB).
    match body.kind {
        Kind::Empty => {
            let _ = WasiOutgoingBody::finish(wasi_body, None);
        }
        Kind::Bytes(b) => {
            let _ = write_known(wasi_body, &b);
        }
        Kind::Streamed(s) => {
            let _ = match s.write(wasi_body, true) {
                Writing::Done(r) => r,
                Writing::Later(f) => f.await,
            };
        }
    }
}

/// Writes a response body known in full, blocking the component until the host has taken it.
///
/// The handler has returned, so this request has nothing left to do but send these bytes, and a
/// `wasi:http` instance serves one request at a time: blocking costs nothing, and saves the
/// reactor's round trips (a small body is one `blocking-write-and-flush`; a larger one is
/// written as fast as `check-write` allows, and waits for room in a `blocking-write-and-flush`
/// of the next 4 KiB). No `subscribe`, `block` or `blocking-flush`: every function a component
/// imports costs the host work at each instantiation, which `wasmtime serve` does per request
/// (those three cost a hello request about 4,000 instructions, 1.5%, by
/// `benches/http/instructions.py`). `None` if the client went away (or the host refused the
/// body).
fn write_known(target: WasiOutgoingBody, mut bytes: &[u8]) -> Option<()> {
    let stream = target.write().ok()?;
    if bytes.len() <= BLOCKING_WRITE_MAX {
        stream.blocking_write_and_flush(bytes).ok()?;
    } else {
        while !bytes.is_empty() {
            let n = stream.check_write().ok()?;
            // No room: a blocking write of the next piece waits for it (no pollable to wait on).
            let k = if n == 0 {
                let k = bytes.len().min(BLOCKING_WRITE_MAX);
                stream.blocking_write_and_flush(&bytes[..k]).ok()?;
                k
            } else {
                let k = bytes.len().min(usize::try_from(n).unwrap_or(usize::MAX));
                stream.write(&bytes[..k]).ok()?;
                k
            };
            bytes = &bytes[k..];
        }
        // An empty blocking write-and-flush is a blocking flush.
        stream.blocking_write_and_flush(&[]).ok()?;
    }
    drop(stream);
    WasiOutgoingBody::finish(target, None).ok()
}

/// The most bytes one `blocking-write-and-flush` takes.
const BLOCKING_WRITE_MAX: usize = 4096;

/// Writes a streamed body's `source` to `target` and finishes it with the source's trailers.
pub(crate) async fn write_source_body(target: WasiOutgoingBody, source: Source) -> io::Result<()> {
    let out = body_stream(&target)?;
    let (mut out, result) = match source {
        // The writer lends its stream to the channel's sender between frames.
        Source::Channel(rx) => {
            let (out, result) = rx.write_to(out).await;
            (out, result.map(|t| t.map(Trailers::Map)))
        }
        source => {
            let mut out = out;
            let result = write_source(&mut out, source).await;
            (out, result)
        }
    };
    let result = match result {
        Ok(trailers) => poll_fn(|cx| out.poll_flush(cx)).await.map(|()| trailers),
        Err(e) => Err(e),
    };
    finish_body(target, out, result)
}

/// Forwards `from` (nothing of it read into the component yet) to `target` and finishes it with
/// `from`'s trailers, the component blocked throughout: a `blocking-splice` for each chunk,
/// `poll` on the trailers' pollable alone, a blocking flush only if the last splice's flush is
/// not known to be done. Only for a caller that nothing else on the loop can be waiting for
/// (`reactor::only_main_future`), which stays so: nothing else runs until this returns.
pub(crate) fn forward_blocking(target: WasiOutgoingBody, mut from: IncomingBody) -> io::Result<()> {
    let mut out = body_stream(&target)?;
    let result = forward_all_blocking(&mut out, &mut from);
    finish_body(target, out, result)
}

/// [`forward_blocking`]'s work: every chunk, then the trailers, then the flush; the trailers.
fn forward_all_blocking(
    out: &mut OutputHalf,
    from: &mut IncomingBody,
) -> io::Result<Option<Trailers>> {
    while moved(blocking_splice(out, from), from)? {}
    from.spliced_to_end();
    let trailers = from.blocking_trailers()?;
    out.blocking_flush()?;
    Ok(trailers)
}

/// The outgoing body's stream.
fn body_stream(target: &WasiOutgoingBody) -> io::Result<OutputHalf> {
    let stream = target
        .write()
        .map_err(|()| io::Error::other("the body's stream was already taken"))?;
    Ok(OutputHalf::new(stream, None))
}

/// One `blocking-splice` of `from` into `out`: the host waits for the next chunk.
fn blocking_splice(out: &mut OutputHalf, from: &mut IncomingBody) -> Result<usize, SpliceError> {
    match from.input() {
        Some(input) => out.blocking_splice(input, usize::MAX),
        None => Ok(0),
    }
}

/// Whether a splice of `from` moved bytes (`false`: its end). A broken source (a request body:
/// its client is gone) records that.
fn moved(spliced: Result<usize, SpliceError>, from: &mut IncomingBody) -> io::Result<bool> {
    match spliced {
        Ok(n) => Ok(n > 0),
        Err(SpliceError::Write(e)) => Err(e),
        Err(SpliceError::Read(e)) => Err(from.fail(e)),
    }
}

/// Ends a streamed body: on success (its stream flushed) drops the stream and finishes the body
/// with `result`'s trailers; on a failure lets go of the stream without blocking
/// ([`OutputHalf::release`]) and leaves the body unfinished (the client sees it cut short).
fn finish_body(
    target: WasiOutgoingBody,
    out: OutputHalf,
    result: io::Result<Option<Trailers>>,
) -> io::Result<()> {
    match result {
        Ok(trailers) => {
            drop(out); // flushed: no write in flight, the drop does not wait
            let trailers = match trailers {
                // A forwarded body's trailers: the host's own `fields`, handed on.
                Some(Trailers::Host(f)) => Some(f),
                Some(Trailers::Map(t)) => Some(fields(&t).map_err(|e| {
                    io::Error::new(io::ErrorKind::InvalidInput, format!("trailer: {e:?}"))
                })?),
                None => None,
            };
            WasiOutgoingBody::finish(target, trailers).map_err(|c| http_error(&c))
        }
        Err(e) => {
            out.release();
            Err(e)
        }
    }
}

/// Writes all of `buf`.
pub(crate) async fn write_all(out: &mut OutputHalf, mut buf: &[u8]) -> io::Result<()> {
    while !buf.is_empty() {
        let n = poll_fn(|cx| out.poll_write(cx, buf)).await?;
        buf = &buf[n..];
    }
    Ok(())
}

/// Writes a streamed body's bytes (a channel's are written by `Receiver::write_to`); returns its
/// trailers.
async fn write_source(out: &mut OutputHalf, source: Source) -> io::Result<Option<Trailers>> {
    match source {
        Source::Bytes(b) => write_all(out, &b).await.map(|()| None),
        Source::Incoming(mut from) => {
            let buffered = from.take_buffered();
            write_all(out, &buffered).await?;
            loop {
                // With nothing else on the loop (the handler has returned and left no task, timer
                // or wait behind: the server's forwarded response), the host waits for each chunk
                // inside one `blocking-splice`; otherwise the loop waits in `poll`, between a
                // `splice` and a `flush` (see `OutputHalf::poll_splice`).
                let spliced = if only_main_future() {
                    blocking_splice(out, &mut from)
                } else {
                    poll_fn(|cx| match from.input() {
                        Some(input) => out.poll_splice(cx, input, usize::MAX),
                        None => Poll::Ready(Ok(0)),
                    })
                    .await
                };
                if !moved(spliced, &mut from)? {
                    break;
                }
            }
            from.spliced_to_end();
            // As for the chunks: with nothing else on the loop, block for the trailers (no turn
            // of the loop).
            if only_main_future() {
                return from.blocking_trailers();
            }
            poll_fn(|cx| from.poll_host_trailers(cx)).await
        }
        // Written by `write_source_body` itself (the channel borrows the stream).
        Source::Channel(_) => Ok(None),
        Source::Stream(mut s) => {
            while let Some(chunk) = poll_fn(|cx| s.as_mut().poll_next(cx)).await {
                write_all(out, &chunk?).await?;
            }
            Ok(None)
        }
    }
}
