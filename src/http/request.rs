//! [`Request`]: plain data (method, URL, headers, optional body bytes) until [`Request::send`]
//! hands it to this host's backend.

use std::io;

use super::{backend, Response};

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
        backend::send(self).await
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
    // `Request::get(url).send()`, without building the `Request` (two `String`s and its drop).
    backend::get(url).await
}
