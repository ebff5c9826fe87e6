//! Streams for JS: `open_connection` / `start_server` (`ws://`, `wss://`, `mem://name`), the
//! reader's and writer's operations, and a reader over a JS `ReadableStream` (a `fetch` body).
//!
//! A reader or writer is shared as `Rc<RefCell<_>>` with the waits that use it. A wait borrows
//! it for its whole duration, so a second read while one is pending fails at once with a
//! `RuntimeError` (asyncio: "read() called while another coroutine is already waiting"), never a
//! borrow panic. Holding the `RefMut` across the await is that design (every other access uses
//! `try_borrow`), hence the clippy allowance.

#![allow(clippy::await_holding_refcell_ref)]

use std::cell::RefCell;
use std::future::Future;
use std::io;
use std::rc::Rc;
use std::task::{Context, Poll};

use js_sys::{Function, Uint8Array};
use wasio::browser::JsPromise;
use wasio::stream::transport::TransportRead;
use wasio::stream::{self, ReadError};
use wasio::trace::WaitReason;
use wasio::{Server, StreamReader, StreamWriter};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::waits::{self, boxed, Fail, Failure};

/// `[name, message, partial, expected]` for JS to build the error from.
fn io_failure(
    name: &str,
    message: String,
    partial: Option<&[u8]>,
    expected: Option<usize>,
) -> Failure {
    let a = js_sys::Array::of4(
        &JsValue::from(name),
        &JsValue::from(message),
        &partial.map_or(JsValue::UNDEFINED, |p| Uint8Array::from(p).into()),
        &expected.map_or(JsValue::UNDEFINED, |n| JsValue::from(n as f64)),
    );
    Failure(Fail::Io, a.into())
}

fn io_error(e: &io::Error) -> Failure {
    let name = match e.kind() {
        io::ErrorKind::ConnectionRefused => "ConnectionRefusedError",
        io::ErrorKind::ConnectionReset => "ConnectionResetError",
        io::ErrorKind::AddrInUse => "AddressInUseError",
        io::ErrorKind::InvalidInput => "TypeError",
        io::ErrorKind::Unsupported => "TypeError",
        _ => "StreamError",
    };
    // The crate's errors carry their own message; a bare kind gets its JS name (formatting
    // io::Error itself would link std's table of every kind's description). `format!`, not
    // `to_string`, here and in `read_error`: `format!` goes through `alloc`'s formatting into a
    // String, which the crate uses too, where `to_string` linked a second copy of String's
    // formatting sink (0.6 KB of wasm).
    let message = match e.get_ref() {
        Some(inner) => format!("{inner}"),
        None => name.to_string(),
    };
    io_failure(name, message, None, None)
}

fn read_error(e: ReadError) -> Failure {
    match e {
        ReadError::IncompleteRead(inc) => io_failure(
            "IncompleteReadError",
            format!("{inc}"),
            Some(inc.partial()),
            inc.expected(),
        ),
        ReadError::LimitOverrun(l) => io_failure(
            "LimitOverrunError",
            format!("{l}"),
            None,
            Some(l.consumed()),
        ),
        ReadError::Io(e) => io_error(&e),
        other => io_error(&io::Error::from(other)),
    }
}

fn busy(what: &str) -> Failure {
    io_failure(
        "RuntimeError",
        // Concatenated, not format!ted: no formatting machinery for a fixed message.
        what.to_owned() + " called while another wait on this stream is pending",
        None,
        None,
    )
}

fn bytes(v: Vec<u8>) -> JsValue {
    Uint8Array::from(&v[..]).into()
}

/// The read half of a connection.
#[wasm_bindgen]
pub struct JsReader(Rc<RefCell<StreamReader>>);

/// A read operation of [`JsReader`]: one future type for all of them (one state machine and one
/// drop glue in the wasm, instead of one per method).
enum ReadOp {
    /// `read(n)`; `n` < 0: to the end of the stream.
    Read(f64),
    Line,
    Exactly(usize),
    Until(Vec<u8>),
}

impl ReadOp {
    fn name(&self) -> &'static str {
        match self {
            ReadOp::Read(_) => "read()",
            ReadOp::Line => "readline()",
            ReadOp::Exactly(_) => "readexactly()",
            ReadOp::Until(_) => "readuntil()",
        }
    }
}

impl JsReader {
    fn start(&self, owner: u32, op: ReadOp) -> u32 {
        let r = self.0.clone();
        waits::start(
            owner,
            WaitReason::Read,
            boxed(async move {
                let Ok(mut g) = r.try_borrow_mut() else {
                    return Err(busy(op.name()));
                };
                // One call of the crate's read engine: one future type for every read.
                let separators: [&[u8]; 1];
                let op = match &op {
                    ReadOp::Read(n) if *n < 0.0 => stream::ReadOp::ToEnd,
                    ReadOp::Read(n) => stream::ReadOp::Read(*n as usize),
                    ReadOp::Line => stream::ReadOp::Line,
                    ReadOp::Exactly(n) => stream::ReadOp::Exactly(*n),
                    ReadOp::Until(s) => {
                        separators = [s.as_slice()];
                        stream::ReadOp::Until(&separators)
                    }
                };
                g.read_op(op).await.map(bytes).map_err(read_error)
            }),
        )
    }
}

#[wasm_bindgen]
impl JsReader {
    /// Starts a read (one export for every read: JS picks it by `kind`): 0 `read(n)` (`n` < 0:
    /// to the end of the stream; an empty array at the end), 1 `readline()` (`\n` included; what
    /// is left at the end of the stream), 2 `readexactly(n)` (or IncompleteReadError, which holds
    /// the partial bytes), 3 `readuntil(separator)` (up to and including it). `separator` is
    /// read for kind 3 only.
    pub fn read(&self, kind: u32, n: f64, separator: Uint8Array, owner: u32) -> u32 {
        let op = match kind {
            0 => ReadOp::Read(n),
            1 => ReadOp::Line,
            2 => ReadOp::Exactly(n as usize),
            _ => ReadOp::Until(separator.to_vec()),
        };
        self.start(owner, op)
    }
    /// Whether the stream ended and nothing is buffered.
    pub fn at_eof(&self) -> bool {
        self.0.try_borrow().map(|r| r.at_eof()).unwrap_or(false)
    }
}

/// The write half of a connection.
#[wasm_bindgen]
pub struct JsWriter(Rc<RefCell<StreamWriter>>);

/// What the writer's immediate operations return: `undefined`, or the failure's
/// `[name, message, ...]` for JS to throw (a return value, not a thrown one: no exception glue).
fn outcome(r: Result<(), Failure>) -> JsValue {
    r.err().map_or(JsValue::UNDEFINED, |e| e.1)
}

#[wasm_bindgen]
impl JsWriter {
    /// Buffers `data` to send (call drain() to wait for room); see [`outcome`].
    pub fn write(&self, data: Uint8Array) -> JsValue {
        outcome(match self.0.try_borrow_mut() {
            Ok(mut w) => w.write(&data.to_vec()).map_err(|e| io_error(&e)),
            Err(_) => Err(busy("write()")),
        })
    }
    /// Waits until the buffer is below its high-water mark.
    pub fn drain(&self, owner: u32) -> u32 {
        self.wait(owner, false)
    }
    /// Half-closes (the peer reads end of stream), where the transport can; see [`outcome`].
    pub fn write_eof(&self) -> JsValue {
        outcome(match self.0.try_borrow_mut() {
            Ok(mut w) => w.write_eof().map_err(|e| io_error(&e)),
            Err(_) => Err(busy("writeEof()")),
        })
    }
    /// Whether write_eof() is supported.
    pub fn can_write_eof(&self) -> bool {
        self.0
            .try_borrow()
            .map(|w| w.can_write_eof())
            .unwrap_or(false)
    }
    /// Closes after sending what is buffered.
    pub fn close(&self) {
        if let Ok(mut w) = self.0.try_borrow_mut() {
            w.close();
        }
    }
    /// Whether close() was called.
    pub fn is_closing(&self) -> bool {
        self.0.try_borrow().map(|w| w.is_closing()).unwrap_or(true)
    }
    /// Waits until the connection is closed.
    pub fn wait_closed(&self, owner: u32) -> u32 {
        self.wait(owner, true)
    }
}

impl JsWriter {
    /// `drain()`, or `waitClosed()` if `closed`: one future type for both.
    fn wait(&self, owner: u32, closed: bool) -> u32 {
        let w = self.0.clone();
        waits::start(
            owner,
            WaitReason::Write,
            boxed(async move {
                let Ok(mut g) = w.try_borrow_mut() else {
                    return Err(busy(if closed { "waitClosed()" } else { "drain()" }));
                };
                let out = if closed {
                    g.wait_closed().await
                } else {
                    g.drain().await
                };
                out.map(|_| JsValue::UNDEFINED).map_err(|e| io_error(&e))
            }),
        )
    }
}

fn pair(r: StreamReader, w: StreamWriter) -> JsValue {
    js_sys::Array::of2(
        &JsReader(Rc::new(RefCell::new(r))).into(),
        &JsWriter(Rc::new(RefCell::new(w))).into(),
    )
    .into()
}

/// Opens a connection to `url` (`ws://`, `wss://`, `mem://name`); the wait's value is
/// `[reader, writer]`.
#[wasm_bindgen]
pub fn open_connection(url: String, owner: u32) -> u32 {
    waits::start(
        owner,
        WaitReason::Connect,
        boxed(async move {
            match wasio::open_connection(&url).await {
                Ok((r, w)) => Ok(pair(r, w)),
                Err(e) => Err(io_error(&e)),
            }
        }),
    )
}

/// A listening server.
#[wasm_bindgen]
pub struct JsServer(Rc<Server>);

#[wasm_bindgen]
impl JsServer {
    /// The address it listens on.
    pub fn address(&self) -> JsValue {
        JsValue::from_str(self.0.local_addr())
    }
    /// Stops accepting connections (open ones go on).
    pub fn close(&self) {
        self.0.close()
    }
    /// Whether it accepts connections.
    pub fn is_serving(&self) -> bool {
        self.0.is_serving()
    }
    /// Waits until it is closed and its connections have ended.
    pub fn wait_closed(&self, owner: u32) -> u32 {
        let s = self.0.clone();
        waits::start(
            owner,
            WaitReason::Accept,
            boxed(async move {
                s.wait_closed().await;
                Ok(JsValue::UNDEFINED)
            }),
        )
    }
}

/// Starts a server at `url` (`mem://name`); `handler(reader, writer)` is called for each
/// connection (streams.js's, which closes the writer when the user's handler settles). The wait's
/// value is the server.
#[wasm_bindgen]
pub fn start_server(handler: Function, url: String, owner: u32) -> u32 {
    waits::start(
        owner,
        WaitReason::Accept,
        boxed(async move {
            let handle = move |r: StreamReader, w: StreamWriter| {
                let _ = handler.call2(
                    &JsValue::UNDEFINED,
                    &JsReader(Rc::new(RefCell::new(r))).into(),
                    &JsWriter(Rc::new(RefCell::new(w))).into(),
                );
                std::future::ready(())
            };
            match wasio::start_server(handle, &url).await {
                Ok(s) => Ok(JsServer(Rc::new(s)).into()),
                Err(e) => Err(io_error(&e)),
            }
        }),
    )
}

/// A failure of a [`JsStreamSource`]: a fixed text. Not `io::Error::other(text)`, which boxes the
/// text as std's `StringError`, whose escaping `Debug` (char by char, with Unicode tables) is
/// linked with it.
struct SourceError(&'static str);

impl std::fmt::Debug for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for SourceError {}

fn source_error(text: &'static str) -> io::Error {
    io::Error::other(SourceError(text))
}

/// A JS byte stream as a transport: `pull()`, an async JS function (streams.js's `readerFrom`
/// makes it over a `ReadableStreamDefaultReader`, a fetch body's), resolves to the stream's next
/// chunk (a `Uint8Array`), to `null` at its end, or to `false` for a chunk that is not a
/// `Uint8Array`. Each poll hands out the chunk read last, and starts the next pull when it is
/// used up; at most one pull is pending, and it lives here, so a cancelled read loses nothing.
struct JsStreamSource {
    pull: Function,
    pending: Option<JsPromise>,
    chunk: Vec<u8>,
    at: usize,
    done: bool,
}

impl TransportRead for JsStreamSource {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        loop {
            if self.at < self.chunk.len() {
                let n = buf.len().min(self.chunk.len() - self.at);
                buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
                self.at += n;
                return Poll::Ready(Ok(n));
            }
            if self.done {
                return Poll::Ready(Ok(0));
            }
            let pending = match self.pending.as_mut() {
                Some(p) => p,
                None => {
                    // An async function: it returns a promise, and never throws.
                    let p = self
                        .pull
                        .call0(&JsValue::UNDEFINED)
                        .map_err(|_| source_error("reader.read() threw"))?;
                    self.pending.insert(JsPromise::new(p.unchecked_ref()))
                }
            };
            let result = match std::pin::Pin::new(pending).poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(r) => r,
            };
            self.pending = None;
            let value = result.map_err(|_| source_error("the stream's reader.read() rejected"))?;
            if value.is_null() {
                self.done = true;
                continue;
            }
            self.chunk = match value.dyn_into::<Uint8Array>() {
                Ok(a) => a.to_vec(),
                Err(_) => {
                    return Poll::Ready(Err(source_error(
                        "the stream yielded a chunk that is not a Uint8Array",
                    )))
                }
            };
            self.at = 0;
        }
    }
}

/// A reader over `pull`, an async function that reads a byte stream (see [`JsStreamSource`]).
#[wasm_bindgen]
pub fn reader_from_stream(pull: Function) -> JsReader {
    JsReader(Rc::new(RefCell::new(StreamReader::new(Box::new(
        JsStreamSource {
            pull,
            pending: None,
            chunk: Vec::new(),
            at: 0,
            done: false,
        },
    )))))
}
