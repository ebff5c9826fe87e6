//! [`Client`]: one HTTP client API over each host's backend (`wasi:http/outgoing-handler` in
//! components, `fetch` in browsers and Node). The client is only its configuration (four
//! timeouts); `send` hands the request to the backend, which enforces them.

use std::io;
use std::time::Duration;

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
use super::fetch_client as backend;
#[cfg(all(target_os = "wasi", target_env = "p2"))]
use super::wasi::client as backend;
use super::{IncomingBody, OutgoingBody};

/// An HTTP client: one configuration (timeouts) for any number of requests.
///
/// One API, one backend per host: in a WASI component it sends through
/// `wasi:http/outgoing-handler` (run the component with `wasmtime run -S http`, or in
/// `wasmtime serve`, which grants it); in browsers and Node through `fetch` (there the connect
/// timeout bounds the wait for the response headers together with the first-byte timeout:
/// `fetch` does not show the connection apart, and responses carry no trailers).
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
    pub(crate) connect: Option<Duration>,
    pub(crate) first_byte: Option<Duration>,
    pub(crate) between_bytes: Option<Duration>,
    pub(crate) total: Option<Duration>,
}

impl Client {
    /// A client with the host's default timeouts.
    ///
    /// # Examples
    ///
    /// ```
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
        backend::send(self, request.map(Into::into)).await
    }
}
