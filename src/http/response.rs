//! [`Response`]: status and headers as plain data, the body as a [`Body`] that streams.

use std::fmt;
use std::io;

use super::Body;
use crate::stream::StreamReader;

/// A response: status and headers at once, the body as a stream.
///
/// Dropping it (or its [`Body`]) before the body ended aborts the request.
///
/// # Examples
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// let resp = wasio::browser::fetch("http://127.0.0.1:8080/hello").await?;
/// assert!(resp.ok());
/// let text = String::from_utf8_lossy(&resp.bytes().await?).into_owned();
/// # Ok(()) }
/// ```
pub struct Response {
    status: u16,
    status_text: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Body,
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("url", &self.url)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

impl Response {
    /// A response as a backend received it.
    pub(crate) fn new(
        status: u16,
        status_text: String,
        url: String,
        headers: Vec<(String, String)>,
        body: Body,
    ) -> Response {
        Response {
            status,
            status_text,
            url,
            headers,
            body,
        }
    }

    /// The HTTP status code.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// assert_eq!(wasio::browser::fetch("http://127.0.0.1:8080/").await?.status(), 200);
    /// # Ok(()) }
    /// ```
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Whether the status is 200–299.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// assert!(wasio::browser::fetch("http://127.0.0.1:8080/").await?.ok());
    /// # Ok(()) }
    /// ```
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The status text (empty over HTTP/2).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// println!("{}", wasio::browser::fetch("http://127.0.0.1:8080/").await?.status_text());
    /// # Ok(()) }
    /// ```
    pub fn status_text(&self) -> &str {
        &self.status_text
    }

    /// The final URL (after redirects).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// println!("{}", wasio::browser::fetch("http://127.0.0.1:8080/").await?.url());
    /// # Ok(()) }
    /// ```
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Every header the response exposes (names lower-case; cross-origin responses show only
    /// CORS-safelisted and `Access-Control-Expose-Headers` headers).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// for (k, v) in wasio::browser::fetch("http://127.0.0.1:8080/").await?.headers() {
    ///     println!("{k}: {v}");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The value of header `name` (case-insensitive), if present.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let resp = wasio::browser::fetch("http://127.0.0.1:8080/").await?;
    /// println!("{:?}", resp.header("Content-Type"));
    /// # Ok(()) }
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body, to read chunk by chunk.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let mut body = wasio::browser::fetch("http://127.0.0.1:8080/").await?.into_body();
    /// let first = body.chunk().await?;
    /// # Ok(()) }
    /// ```
    pub fn into_body(self) -> Body {
        self.body
    }

    /// The body as a [`StreamReader`] (`read`, `readline`, `readexactly`, ...), fed chunk by chunk.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let mut lines = wasio::browser::fetch("http://127.0.0.1:8080/log").await?.into_reader();
    /// let first = lines.readline().await?;
    /// # Ok(()) }
    /// ```
    pub fn into_reader(self) -> StreamReader {
        self.body.into_reader()
    }

    /// Reads the whole body into memory.
    ///
    /// # Cancel safety
    ///
    /// Not cancel safe: dropping the future drops what was read and aborts the request.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let all = wasio::browser::fetch("http://127.0.0.1:8080/").await?.bytes().await?;
    /// # Ok(()) }
    /// ```
    pub async fn bytes(self) -> io::Result<Vec<u8>> {
        let mut body = self.body;
        let mut out = Vec::new();
        while let Some(c) = body.chunk().await? {
            out.extend_from_slice(&c);
        }
        Ok(out)
    }
}
