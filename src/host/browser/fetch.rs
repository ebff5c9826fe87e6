//! HTTP over `fetch`, with a response body that streams.
//!
//! # Data structure
//!
//! A [`Request`] is plain data (method, URL, headers, optional body bytes) until
//! [`Request::send`]. Sending creates an `AbortController` whose signal rides on the JS request; an
//! [`Abort`] guard owns it and calls `abort()` when dropped while still armed. The guard moves from
//! the `send` future into the [`Body`] of the [`Response`], so cancelling the request at any point
//! — dropping the `send` future before the headers arrive, or dropping the response or its body
//! before the end — aborts it and the server sees the connection go away.
//!
//! [`Body`] reads the response's `ReadableStream` one chunk at a time: at most one
//! `reader.read()` promise is outstanding (`pending`), and the chunk it delivered is kept in
//! `chunk`/`offset` until copied out. The whole body is never buffered (unless the caller asks for
//! it with [`Response::bytes`]). The pending read lives in the `Body`, not in a caller's future, so
//! cancelling a read loses nothing: the next read picks up the same promise.

use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use js_sys::{Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use web_sys::{AbortController, Headers, ReadableStreamDefaultReader, RequestInit};

use super::promise::JsPromise;
use crate::stream::transport::TransportRead;
use crate::stream::StreamReader;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(request: &web_sys::Request) -> Promise;
}

/// An HTTP request to send with [`Request::send`].
///
/// # Examples
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use wasio::browser::Request;
/// let resp = Request::post("http://127.0.0.1:8080/echo", b"hello".to_vec())
///     .header("content-type", "application/octet-stream")
///     .send()
///     .await?;
/// assert_eq!(resp.status(), 200);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
}

impl Request {
    /// A request with any method.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = wasio::browser::Request::new("DELETE", "http://127.0.0.1:8080/item/1");
    /// assert_eq!(r.method(), "DELETE");
    /// ```
    pub fn new(method: impl Into<String>, url: impl Into<String>) -> Request {
        Request {
            method: method.into(),
            url: url.into(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// A `GET` request.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = wasio::browser::Request::get("http://127.0.0.1:8080/");
    /// assert_eq!((r.method(), r.url()), ("GET", "http://127.0.0.1:8080/"));
    /// ```
    pub fn get(url: impl Into<String>) -> Request {
        Request::new("GET", url)
    }

    /// A `POST` request with a body.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = wasio::browser::Request::post("http://127.0.0.1:8080/", b"x".to_vec());
    /// assert_eq!(r.body_bytes(), Some(&b"x"[..]));
    /// ```
    pub fn post(url: impl Into<String>, body: impl Into<Vec<u8>>) -> Request {
        Request::new("POST", url).body(body)
    }

    /// Adds a header.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = wasio::browser::Request::get("http://h/").header("x-a", "1");
    /// assert_eq!(r.headers(), [("x-a".to_string(), "1".to_string())]);
    /// ```
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Request {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the request body.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = wasio::browser::Request::new("PUT", "http://h/").body(vec![1, 2, 3]);
    /// assert_eq!(r.body_bytes(), Some(&[1u8, 2, 3][..]));
    /// ```
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Request {
        self.body = Some(body.into());
        self
    }

    /// The method.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(wasio::browser::Request::get("http://h/").method(), "GET");
    /// ```
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The URL.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(wasio::browser::Request::get("http://h/").url(), "http://h/");
    /// ```
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The headers added so far.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(wasio::browser::Request::get("http://h/").headers().is_empty());
    /// ```
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The body, if one was set.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(wasio::browser::Request::get("http://h/").body_bytes(), None);
    /// ```
    pub fn body_bytes(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// Sends the request and waits for the response headers. The body then streams from
    /// [`Response::into_body`].
    ///
    /// Errors: `InvalidInput` for a URL, method or header `fetch` rejects; `ConnectionRefused` for
    /// a network failure (refused, DNS, CORS — the browser does not say which); `Interrupted` if
    /// the request was aborted.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future aborts the request (the server sees the connection close).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let resp = wasio::browser::Request::get("http://127.0.0.1:8080/").send().await?;
    /// println!("{} {:?}", resp.status(), resp.header("content-type"));
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> io::Result<Response> {
        let controller =
            AbortController::new().map_err(|e| js_error(io::ErrorKind::Unsupported, &e))?;
        let abort = Abort {
            controller: Some(controller),
        };
        let init = RequestInit::new();
        init.set_method(&self.method);
        let headers = Headers::new().map_err(|e| js_error(io::ErrorKind::Unsupported, &e))?;
        for (name, value) in &self.headers {
            headers
                .append(name, value)
                .map_err(|e| js_error(io::ErrorKind::InvalidInput, &e))?;
        }
        init.set_headers(&headers);
        if let Some(body) = &self.body {
            init.set_body(&Uint8Array::from(&body[..]));
        }
        init.set_signal(abort.controller.as_ref().map(|c| c.signal()).as_ref());
        let request = web_sys::Request::new_with_str_and_init(&self.url, &init)
            .map_err(|e| js_error(io::ErrorKind::InvalidInput, &e))?;
        let response = JsPromise::from(global_fetch(&request))
            .await
            .map_err(|e| fetch_error(&e))?;
        let response: web_sys::Response = response.unchecked_into();
        let mut header_list = Vec::new();
        if let Ok(Some(iter)) = js_sys::try_iter(&response.headers()) {
            for entry in iter.flatten() {
                let pair: js_sys::Array = entry.unchecked_into();
                if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                    header_list.push((k, v));
                }
            }
        }
        let reader = match response.body() {
            Some(stream) => Some(
                ReadableStreamDefaultReader::new(&stream)
                    .map_err(|e| js_error(io::ErrorKind::Other, &e))?,
            ),
            None => None,
        };
        let done = reader.is_none();
        Ok(Response {
            status: response.status(),
            status_text: response.status_text(),
            url: response.url(),
            headers: header_list,
            body: Body {
                reader,
                pending: None,
                chunk: Vec::new(),
                offset: 0,
                done,
                abort,
            },
        })
    }
}

/// Sends a `GET` request to `url` (see [`Request::send`]).
///
/// In a page, a relative URL (`"data.json"`, `"/api/items"`) resolves against the page's address,
/// as JS `fetch` does; in Node, where there is no page, give an absolute URL.
///
/// # Cancel safety
///
/// Dropping the future aborts the request.
///
/// # Examples
///
/// ```no_run
/// use std::time::Duration;
/// use wasio::browser::fetch;
///
/// // In a page: the file beside index.html, read chunk by chunk as it arrives, under a timeout
/// // (an expired timeout converts into an `io::Error` of kind `TimedOut`).
/// async fn size_of_data() -> std::io::Result<usize> {
///     let response = wasio::timeout(Duration::from_secs(10), fetch("data.txt")).await??;
///     let mut body = response.into_body();
///     let mut total = 0;
///     while let Some(chunk) = body.chunk().await? {
///         total += chunk.len(); // (to show progress, write to the page through web-sys)
///     }
///     Ok(total)
/// }
/// ```
pub async fn fetch(url: &str) -> io::Result<Response> {
    Request::get(url).send().await
}

/// Aborts the request when dropped while armed.
struct Abort {
    controller: Option<AbortController>,
}

impl Abort {
    fn disarm(&mut self) {
        self.controller = None;
    }
}

impl Drop for Abort {
    fn drop(&mut self) {
        if let Some(c) = self.controller.take() {
            c.abort();
        }
    }
}

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
    reader: Option<ReadableStreamDefaultReader>,
    pending: Option<JsPromise>,
    chunk: Vec<u8>,
    offset: usize,
    done: bool,
    abort: Abort,
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Body")
            .field("buffered", &(self.chunk.len() - self.offset))
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl Body {
    /// Waits for the next chunk from the stream into `self.chunk`; `false` at the end.
    fn poll_fill(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<bool>> {
        if self.offset < self.chunk.len() {
            return Poll::Ready(Ok(true));
        }
        loop {
            if self.done {
                return Poll::Ready(Ok(false));
            }
            let Some(reader) = &self.reader else {
                self.done = true;
                continue;
            };
            let pending = self
                .pending
                .get_or_insert_with(|| JsPromise::from(reader.read()));
            let result = match Pin::new(pending).poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(r) => r,
            };
            self.pending = None;
            let result = match result {
                Ok(r) => r,
                Err(e) => {
                    self.done = true;
                    self.abort.disarm();
                    return Poll::Ready(Err(js_error(io::ErrorKind::ConnectionReset, &e)));
                }
            };
            let done = Reflect::get(&result, &"done".into())
                .map(|d| d.is_truthy())
                .unwrap_or(true);
            if done {
                self.done = true;
                self.abort.disarm();
                continue;
            }
            let value = Reflect::get(&result, &"value".into()).unwrap_or(JsValue::UNDEFINED);
            let Some(bytes) = value.dyn_ref::<Uint8Array>() else {
                continue;
            };
            if bytes.length() == 0 {
                continue;
            }
            self.chunk = bytes.to_vec();
            self.offset = 0;
            return Poll::Ready(Ok(true));
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
        if !poll_fn(|cx| self.poll_fill(cx)).await? {
            return Ok(None);
        }
        let chunk = std::mem::take(&mut self.chunk);
        let out = if self.offset == 0 {
            chunk
        } else {
            chunk[self.offset..].to_vec()
        };
        self.offset = 0;
        Ok(Some(out))
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
        self.done && self.offset >= self.chunk.len()
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
            Poll::Ready(Ok(true)) => {
                let rest = &self.chunk[self.offset..];
                let n = rest.len().min(buf.len());
                buf[..n].copy_from_slice(&rest[..n]);
                self.offset += n;
                Poll::Ready(Ok(n))
            }
        }
    }
}

impl futures_io::AsyncRead for Body {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        TransportRead::poll_read(self.get_mut(), cx, buf)
    }
}

impl Drop for Body {
    fn drop(&mut self) {
        if !self.done {
            if let Some(r) = &self.reader {
                // Cancelling the reader rejects its pending read; the settle hook absorbs that.
                let _ = r.cancel();
            }
        }
    }
}

fn js_error(kind: io::ErrorKind, e: &JsValue) -> io::Error {
    let text = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"));
    io::Error::new(kind, text)
}

fn fetch_error(e: &JsValue) -> io::Error {
    let name = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.name()))
        .unwrap_or_default();
    match name.as_str() {
        "AbortError" => js_error(io::ErrorKind::Interrupted, e),
        "TypeError" => js_error(io::ErrorKind::ConnectionRefused, e),
        _ => js_error(io::ErrorKind::Other, e),
    }
}
