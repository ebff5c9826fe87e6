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
//! `reader.read()` promise is outstanding (`pending`), and it lives in the source, so a cancelled
//! read loses nothing. `ended` is set once the stream ended or failed (the guard is then
//! disarmed); dropping a source that has not ended cancels the reader.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use js_sys::{Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use web_sys::{AbortController, Headers, ReadableStreamDefaultReader, RequestInit};

use super::{Body, Request, Response};
use crate::browser::JsPromise;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(request: &web_sys::Request) -> Promise;
}

/// Sends `request` with `fetch` and waits for the response headers (see [`Request::send`]).
pub(crate) async fn send(request: Request) -> io::Result<Response> {
    let controller =
        AbortController::new().map_err(|e| js_error(io::ErrorKind::Unsupported, &e))?;
    let abort = Abort {
        controller: Some(controller),
    };
    let init = RequestInit::new();
    init.set_method(request.method());
    let headers = Headers::new().map_err(|e| js_error(io::ErrorKind::Unsupported, &e))?;
    for (name, value) in request.headers() {
        headers
            .append(name, value)
            .map_err(|e| js_error(io::ErrorKind::InvalidInput, &e))?;
    }
    init.set_headers(&headers);
    if let Some(body) = request.body_bytes() {
        init.set_body(&Uint8Array::from(body));
    }
    init.set_signal(abort.controller.as_ref().map(|c| c.signal()).as_ref());
    let js_request = web_sys::Request::new_with_str_and_init(request.url(), &init)
        .map_err(|e| js_error(io::ErrorKind::InvalidInput, &e))?;
    let response = JsPromise::from(global_fetch(&js_request))
        .await
        .map_err(|e| fetch_error(&e))?;
    let response: web_sys::Response = response.unchecked_into();
    // One call into JS for every header (see `glue::wasio_header_pairs`), not the iterator
    // protocol walked from Rust.
    let pairs = crate::host::browser::glue::wasio_header_pairs(&response.headers());
    let mut header_list = Vec::new();
    for i in (0..pairs.length()).step_by(2) {
        if let (Some(k), Some(v)) = (pairs.get(i).as_string(), pairs.get(i + 1).as_string()) {
            header_list.push((k, v));
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
    let source = Source {
        reader,
        pending: None,
        ended: done,
        abort,
    };
    Ok(Response::new(
        response.status(),
        response.status_text(),
        response.url(),
        header_list,
        Body::new(source, done),
    ))
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
                .get_or_insert_with(|| JsPromise::from(reader.read()));
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
            let done = Reflect::get(&result, &"done".into())
                .map(|d| d.is_truthy())
                .unwrap_or(true);
            if done {
                self.ended = true;
                self.abort.disarm();
                return Poll::Ready(Ok(None));
            }
            let value = Reflect::get(&result, &"value".into()).unwrap_or(JsValue::UNDEFINED);
            let Some(bytes) = value.dyn_ref::<Uint8Array>() else {
                continue;
            };
            if bytes.length() == 0 {
                continue;
            }
            return Poll::Ready(Ok(Some(crate::host::browser::glue::bytes_of(bytes))));
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

fn js_error(kind: io::ErrorKind, e: &JsValue) -> io::Error {
    let text = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"));
    crate::io_message::error(kind, text)
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
