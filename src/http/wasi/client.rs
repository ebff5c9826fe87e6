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
use super::outgoing::Kind;
use super::serve::write_body;
use super::{IncomingBody, OutgoingBody};
use crate::host::wasi::reactor::Registration;
use crate::task::Task;
use crate::time::{sleep_until, Instant};

/// An HTTP client: one configuration (timeouts) for any number of requests.
///
/// On WASI it sends through `wasi:http/outgoing-handler` (run the component with
/// `wasmtime run -S http`, or in `wasmtime serve`, which grants it).
///
/// Timeouts, each `None` (the host's default) unless set:
/// * **connect**: to open the connection;
/// * **first byte**: from sending the request to the response's first byte;
/// * **between bytes**: the longest pause while the response body arrives;
/// * **total**: the whole request, from `send` to the end of the response body.
///
/// Each expiry is an `io::Error` of kind `TimedOut`. Other errors: `ConnectionRefused`,
/// `ConnectionReset` (the server closed the connection mid-response), `InvalidData` (a malformed
/// or incomplete response), `InvalidInput` (a request the host cannot send, such as a URI without
/// scheme and authority), `PermissionDenied` (the host refused the request).
///
/// # Examples
///
/// ```no_run
/// # #[cfg(all(target_os = "wasi", target_env = "p2"))]
/// # async fn demo() -> std::io::Result<()> {
/// use std::time::Duration;
/// let client = wasio::http::Client::new()
///     .connect_timeout(Duration::from_secs(2))
///     .total_timeout(Duration::from_secs(10));
/// let response = client.get("http://127.0.0.1:8080/").await?;
/// let body = response.into_body().bytes(1 << 20).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct Client {
    connect: Option<Duration>,
    first_byte: Option<Duration>,
    between_bytes: Option<Duration>,
    total: Option<Duration>,
}

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

impl Client {
    /// A client with the host's default timeouts.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(all(target_os = "wasi", target_env = "p2"))]
    /// let client = wasio::http::Client::new();
    /// ```
    pub fn new() -> Client {
        Client::default()
    }

    /// Sets the connect timeout.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(all(target_os = "wasi", target_env = "p2"))]
    /// let c = wasio::http::Client::new().connect_timeout(std::time::Duration::from_secs(1));
    /// ```
    pub fn connect_timeout(mut self, d: Duration) -> Client {
        self.connect = Some(d);
        self
    }

    /// Sets the first-byte timeout (request sent → first byte of the response).
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(all(target_os = "wasi", target_env = "p2"))]
    /// let c = wasio::http::Client::new().first_byte_timeout(std::time::Duration::from_secs(5));
    /// ```
    pub fn first_byte_timeout(mut self, d: Duration) -> Client {
        self.first_byte = Some(d);
        self
    }

    /// Sets the between-bytes timeout (the longest pause in the response body).
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(all(target_os = "wasi", target_env = "p2"))]
    /// let c = wasio::http::Client::new().between_bytes_timeout(std::time::Duration::from_secs(5));
    /// ```
    pub fn between_bytes_timeout(mut self, d: Duration) -> Client {
        self.between_bytes = Some(d);
        self
    }

    /// Sets the timeout for the whole request, response body included.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(all(target_os = "wasi", target_env = "p2"))]
    /// let c = wasio::http::Client::new().total_timeout(std::time::Duration::from_secs(30));
    /// ```
    pub fn total_timeout(mut self, d: Duration) -> Client {
        self.total = Some(d);
        self
    }

    /// Sends a `GET` request to `url`.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future aborts the request.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # #[cfg(all(target_os = "wasi", target_env = "p2"))]
    /// # async fn demo() -> std::io::Result<()> {
    /// let r = wasio::http::Client::new().get("http://127.0.0.1:8080/status").await?;
    /// assert_eq!(r.status(), 200);
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, url: &str) -> io::Result<http::Response<IncomingBody>> {
        let uri: http::Uri = url
            .parse()
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, format!("{url}: {e}")))?;
        let mut request = http::Request::new(OutgoingBody::empty());
        *request.uri_mut() = uri;
        self.send(request).await
    }

    /// Sends `request` and waits for the response's status and headers; its body then streams
    /// from [`IncomingBody`]. The request's URI must be absolute (`http://host:port/path`).
    ///
    /// Errors: see [`Client`].
    ///
    /// # Cancel safety
    ///
    /// Dropping the future aborts the request (and its upload).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # #[cfg(all(target_os = "wasi", target_env = "p2"))]
    /// # async fn demo() -> std::io::Result<()> {
    /// let request = http::Request::post("http://127.0.0.1:8080/items")
    ///     .header("content-type", "application/json")
    ///     .body(wasio::http::OutgoingBody::from(r#"{"name":"x"}"#))
    ///     .unwrap();
    /// let response = wasio::http::Client::new().send(request).await?;
    /// # Ok(()) }
    /// ```
    pub async fn send<B: Into<OutgoingBody>>(
        &self,
        request: http::Request<B>,
    ) -> io::Result<http::Response<IncomingBody>> {
        let deadline = self.total.map(|d| Instant::now() + d);
        let (parts, body) = request.into_parts();
        let body: OutgoingBody = body.into();
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
        let _ = options.set_connect_timeout(self.connect.map(nanos));
        let _ = options.set_first_byte_timeout(self.first_byte.map(nanos));
        let _ = options.set_between_bytes_timeout(self.between_bytes.map(nanos));
        let future =
            outgoing_handler::handle(request, Some(options)).map_err(|c| http_error(&c))?;

        let upload = match body.kind {
            Kind::Empty => {
                WasiOutgoingBody::finish(target, None).map_err(|c| http_error(&c))?;
                None
            }
            kind => Some(Upload(crate::spawn(write_body(
                target,
                OutgoingBody { kind },
            )))),
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
}
