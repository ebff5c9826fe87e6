//! The `fetch` backend of [`crate::http`] (browser and Node).
//!
//! # Data structure
//!
//! Sending creates an `AbortController` whose signal rides on the JS request; an [`Abort`] guard
//! owns it and calls `abort()` when dropped while still armed. The guard moves from the `send`
//! future into the response body's [`Source`], so cancelling the request at any point — dropping
//! the `send` future before the headers arrive, or dropping the response or its body before the
//! end — aborts it and the server sees the connection go away.
//!
//! [`Source`] reads the response's `ReadableStream` one chunk at a time: at most one
//! read (`glue::wasio_read`) promise is outstanding (`pending`), and it lives in the source, so a cancelled
//! read loses nothing. `ended` is set once the stream ended or failed (the guard is then
//! disarmed); dropping a source that has not ended cancels the reader.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;
use web_sys::{AbortController, ReadableStreamDefaultReader};

use super::{Body, Request, Response};
use crate::browser::JsPromise;
use crate::host::browser::glue;

/// Sends `request` with `fetch` and waits for the response headers (see [`Request::send`]).
///
/// Building the JS request ([`start`]) and reading the response ([`finish`]) are each one call
/// into the JS glue (`glue::wasio_fetch`, `glue::wasio_body_reader`) where they were twenty
/// imports with their glue; with the lazily read headers of [`Response`] that took about 1.3 KB
/// (gzip) off the small app of `benches/wasm-app-wasio` (see the size paragraph in `executor`'s
/// docs).
pub(crate) async fn send(request: Request) -> io::Result<Response> {
    let (promise, abort) = start(
        request.url(),
        request.method(),
        request.headers(),
        request.body_bytes(),
    )?;
    drop(request);
    receive(promise, abort).await
}

/// A `GET` of `url` (see [`fetch`](super::fetch)): [`send`] without building a [`Request`].
pub(crate) async fn get(url: &str) -> io::Result<Response> {
    let (promise, abort) = start(url, "GET", &[], None)?;
    receive(promise, abort).await
}

/// Waits for the response headers of a started `fetch`.
async fn receive(promise: JsPromise, abort: Abort) -> io::Result<Response> {
    let response = promise.await.map_err(|e| fetch_error(&e))?;
    finish(response, abort)
}

/// The `fetch` call, and the guard that aborts it.
fn start(
    url: &str,
    method: &str,
    header_list: &[(String, String)],
    body: Option<&[u8]>,
) -> io::Result<(JsPromise, Abort)> {
    let controller = glue::wasio_abort_controller().ok_or_else(|| {
        crate::io_message::error(
            io::ErrorKind::Unsupported,
            "fetch needs AbortController, which this host lacks",
        )
    })?;
    let abort = Abort {
        controller: Some(controller),
    };
    let mut headers = Vec::with_capacity(header_list.len() * 2);
    for (name, value) in header_list {
        headers.push(JsValue::from_str(name));
        headers.push(JsValue::from_str(value));
    }
    let body = body.map(Uint8Array::from);
    let signal = abort.controller.as_ref();
    let promise = glue::wasio_fetch(url, method, headers, body, signal)
        .map_err(|e| js_error(io::ErrorKind::InvalidInput, &e))?;
    Ok((JsPromise::from(promise), abort))
}

/// The [`Response`] for a `fetch` response: its status, and the body as a [`Source`] that owns
/// `abort`. The status text, URL and headers stay in the JS object until asked for (see
/// [`Response`]'s data structure), so an app that never reads them links no code that copies them.
fn finish(response: JsValue, abort: Abort) -> io::Result<Response> {
    let response: web_sys::Response = response.unchecked_into();
    let reader =
        glue::wasio_body_reader(&response).map_err(|e| js_error(io::ErrorKind::Other, &e))?;
    let done = reader.is_none();
    let source = Source {
        reader,
        pending: None,
        ended: done,
        abort,
    };
    Ok(Response::new(response, Body::new(source, done)))
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

/// A response body's source: the `ReadableStream` reader and its one pending read.
pub(crate) struct Source {
    reader: Option<ReadableStreamDefaultReader>,
    pending: Option<JsPromise>,
    ended: bool,
    abort: Abort,
}

impl Source {
    /// The stream's next non-empty chunk, or `None` at its end.
    pub(crate) fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Option<Vec<u8>>>> {
        loop {
            let Some(reader) = &self.reader else {
                self.ended = true;
                return Poll::Ready(Ok(None));
            };
            let pending = self
                .pending
                .get_or_insert_with(|| JsPromise::from(glue::wasio_read(reader)));
            let result = match Pin::new(pending).poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(r) => r,
            };
            self.pending = None;
            let result = match result {
                Ok(r) => r,
                Err(e) => {
                    self.ended = true;
                    self.abort.disarm();
                    return Poll::Ready(Err(js_error(io::ErrorKind::ConnectionReset, &e)));
                }
            };
            // `wasio_read` resolves to the chunk (a fetch body's chunks are `Uint8Array`s), or to
            // `null` at the end.
            let Some(bytes) = result.dyn_ref::<Uint8Array>() else {
                self.ended = true;
                self.abort.disarm();
                return Poll::Ready(Ok(None));
            };
            if bytes.length() == 0 {
                continue;
            }
            return Poll::Ready(Ok(Some(glue::bytes_of(bytes))));
        }
    }
}

impl Drop for Source {
    fn drop(&mut self) {
        if !self.ended {
            if let Some(r) = &self.reader {
                // Cancelling the reader rejects its pending read; the settle hook absorbs that.
                let _ = r.cancel();
            }
        }
    }
}

/// An error of `kind` whose message is the JS error's `message`, or the thrown value as a string.
fn js_error(kind: io::ErrorKind, e: &JsValue) -> io::Error {
    let text = glue::wasio_error_text(e, false).unwrap_or_default();
    crate::io_message::error(kind, text)
}

/// The error for a rejected `fetch`, its kind chosen by the JS error's `name`.
fn fetch_error(e: &JsValue) -> io::Error {
    let kind = match glue::wasio_error_text(e, true).as_deref() {
        Some("AbortError") => io::ErrorKind::Interrupted,
        Some("TypeError") => io::ErrorKind::ConnectionRefused,
        _ => io::ErrorKind::Other,
    };
    js_error(kind, e)
}
