//! [`Client`]: outgoing HTTP requests through `wasi:http/outgoing-handler`.
//!
//! # One request
//!
//! 1. The `http::Request` becomes an `outgoing-request` (method, scheme, authority, path,
//!    headers) and `outgoing-handler.handle` starts it with `request-options` carrying the
//!    connect, first-byte and between-bytes timeouts (the host enforces those).
//! 2. A non-empty body is written by a task of its own ([`Upload`] owns it), so a server that
//!    answers before it has read the whole body is not held up; an empty body is finished at once.
//! 3. The `future-incoming-response`'s pollable is registered with the reactor; when it is ready
//!    the response's status and headers become an `http::Response<IncomingBody>`. The
//!    upload moves into the body, so it lives as long as the response is being read.
//! 4. The whole-request timeout is wasio's: the wait for the response runs under it, and the
//!    body carries its deadline, so a read after it fails with `TimedOut`.
//!
//! Dropping the `send` future drops the `future-incoming-response` (the host aborts the
//! request) and cancels the upload; dropping the response or its body drops the
//! `incoming-response` (the host closes the connection).

use std::any::Any;
use std::future::{poll_fn, Future};
use std::io;
use std::pin::Pin;
use std::rc::Rc;
use std::task::Poll;
use std::time::Duration;

use wasi::http::outgoing_handler;
use wasi::http::types::{
    OutgoingBody as WasiOutgoingBody, OutgoingRequest, RequestOptions, Scheme,
};

use super::error::http_error;
use super::fields::{fields, header_map, method_to_wasi};
use super::outgoing::{Kind, Source};
use super::serve::write_source_body;
use super::{IncomingBody, OutgoingBody};
use crate::host::wasi::reactor::Registration;
use crate::http::Client;
use crate::task::Task;
use crate::time::{sleep_until, Instant};

/// Nanoseconds for `wasi:clocks` (saturating: a longer wait is as good as forever).
fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// The upload task of a request's body: cancelled when dropped.
struct Upload(Task<io::Result<()>>);

impl Drop for Upload {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Sends `request` through `outgoing-handler` (see [`Client::send`]).
pub(crate) async fn send(
    client: &Client,
    request: http::Request<OutgoingBody>,
) -> io::Result<http::Response<IncomingBody>> {
    let deadline = client.total.map(|d| Instant::now() + d);
    let (parts, body) = request.into_parts();

    let invalid = |what: &str| io::Error::new(io::ErrorKind::InvalidInput, what.to_string());
    let (Some(scheme), Some(authority)) = (parts.uri.scheme(), parts.uri.authority()) else {
        return Err(invalid(
            "the request URI must have a scheme and an authority",
        ));
    };
    let mut headers = parts.headers;
    if let Some(n) = body.len().filter(|&n| n > 0) {
        headers
            .entry(http::header::CONTENT_LENGTH)
            .or_insert_with(|| http::HeaderValue::from(n));
    }
    let fields = fields(&headers).map_err(|e| invalid(&format!("header: {e:?}")))?;
    let request = OutgoingRequest::new(fields);
    let scheme = match scheme.as_str() {
        "http" => Scheme::Http,
        "https" => Scheme::Https,
        other => Scheme::Other(other.to_string()),
    };
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    request
        .set_method(&method_to_wasi(&parts.method))
        .map_err(|()| invalid("method"))?;
    request
        .set_scheme(Some(&scheme))
        .map_err(|()| invalid("scheme"))?;
    request
        .set_authority(Some(authority.as_str()))
        .map_err(|()| invalid("authority"))?;
    request
        .set_path_with_query(Some(path))
        .map_err(|()| invalid("path"))?;
    let target = request
        .body()
        .map_err(|()| io::Error::other("the request body was already taken"))?;
    let options = RequestOptions::new();
    // A host that does not support a timeout refuses to set it: it then keeps its default.
    let _ = options.set_connect_timeout(client.connect.map(nanos));
    let _ = options.set_first_byte_timeout(client.first_byte.map(nanos));
    let _ = options.set_between_bytes_timeout(client.between_bytes.map(nanos));
    let future = outgoing_handler::handle(request, Some(options)).map_err(|c| http_error(&c))?;

    let upload = match body.kind {
        Kind::Empty => {
            WasiOutgoingBody::finish(target, None).map_err(|c| http_error(&c))?;
            None
        }
        Kind::Bytes(b) => Some(Upload(crate::spawn(write_source_body(
            target,
            Source::Bytes(b),
        )))),
        Kind::Streamed(s) => Some(Upload(crate::spawn(s.write(target, false).into_future()))),
    };

    let reg = Registration::new(future.subscribe());
    let mut timer = deadline.map(sleep_until);
    let got = poll_fn(|cx| {
        if let Some(t) = timer.as_mut() {
            if Pin::new(t).poll(cx).is_ready() {
                return Poll::Ready(None);
            }
        }
        match future.get() {
            Some(got) => Poll::Ready(Some(got)),
            None => {
                reg.arm(cx);
                Poll::Pending
            }
        }
    })
    .await;
    drop(reg);
    let response = match got {
        None => {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the request's total timeout expired before the response",
            ))
        }
        Some(Ok(Ok(r))) => r,
        Some(Ok(Err(code))) => return Err(http_error(&code)),
        Some(Err(())) => return Err(io::Error::other("the response was already taken")),
    };
    drop(future);
    let status = http::StatusCode::from_u16(response.status())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "invalid status"))?;
    let headers = header_map(&response.headers());
    let wasi_body = response
        .consume()
        .map_err(|()| io::Error::other("the response body was already taken"))?;
    let parent: Rc<dyn Any> = Rc::new((upload, response));
    let mut body = IncomingBody::new(wasi_body, Some(parent), None)?;
    body.set_deadline(timer);
    let mut r = http::Response::new(body);
    *r.status_mut() = status;
    *r.headers_mut() = headers;
    Ok(r)
}
