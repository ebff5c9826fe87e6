//! [`Response`]: the status, the headers, and the body as a [`Body`] that streams.
//!
//! # Data structure
//!
//! The JS `Response` object (`js`) holds the status, read from it at each call of
//! [`Response::status`] (a getter); the status text, the URL and the headers are copied out of it
//! into `parts` (a `OnceCell`), all three at once, when one of them is first asked for. An app
//! that reads none of them links none of the code that reads them (it was about 1 KB of every
//! fetching app's wasm).

use std::cell::OnceCell;
use std::fmt;
use std::io;

use super::Body;
use crate::stream::StreamReader;

/// A response: the status at once, the headers when asked, the body as a stream.
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
    js: web_sys::Response,
    parts: OnceCell<Parts>,
    body: Body,
}

/// What [`Response`] copies out of the JS object when first asked.
struct Parts {
    status_text: String,
    url: String,
    headers: Vec<(String, String)>,
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status())
            .field("url", &self.parts().url)
            .field("headers", &self.parts().headers)
            .finish_non_exhaustive()
    }
}

impl Response {
    /// A response as a backend received it.
    pub(crate) fn new(js: web_sys::Response, body: Body) -> Response {
        Response {
            js,
            parts: OnceCell::new(),
            body,
        }
    }

    /// The status text, URL and headers, copied from the JS object on first use.
    fn parts(&self) -> &Parts {
        self.parts.get_or_init(|| {
            // One call into JS for every header (see `glue::wasio_header_pairs`), not the
            // iterator protocol walked from Rust.
            let pairs = crate::host::browser::glue::wasio_header_pairs(&self.js.headers());
            let mut headers = Vec::new();
            for i in (0..pairs.length()).step_by(2) {
                if let (Some(k), Some(v)) = (pairs.get(i).as_string(), pairs.get(i + 1).as_string())
                {
                    headers.push((k, v));
                }
            }
            Parts {
                status_text: self.js.status_text(),
                url: self.js.url(),
                headers,
            }
        })
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
        self.js.status()
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
        (200..300).contains(&self.status())
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
        &self.parts().status_text
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
        &self.parts().url
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
        &self.parts().headers
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
        self.parts()
            .headers
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
