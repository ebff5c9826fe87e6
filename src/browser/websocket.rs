//! The WebSocket transport: `ws://` and `wss://` connections as byte streams.
//!
//! # Data structure
//!
//! One `Rc<Socket>` is shared by the read half, the write half and (weakly) by the four JS event
//! handlers. `Socket::state` holds:
//!
//! * `phase`: `Connecting` → `Open` → `Closed(close info)`; `Connecting` may go straight to
//!   `Closed` (refused, bad host, handshake rejected). The `close` event moves it to `Closed`, and
//!   so does an `error` event (as code 1006), since some hosts fire no `close` after one.
//! * `inbox`: received binary frames (text frames as their UTF-8 bytes) in arrival order, plus
//!   `offset` into the front frame. `onmessage` only appends; `poll_read` only copies out and
//!   pops. Bytes leave the inbox only when copied into a caller's buffer, synchronously, so a
//!   cancelled read never loses data.
//! * `reader`, `writer`, `connector`: the wakers to call on message, on close and on open.
//!
//! Writes go out as one binary frame per `poll_write` (at most [`MAX_FRAME`] bytes), copied into a
//! fresh JS buffer. Backpressure: while `bufferedAmount` is at or above [`HIGH_WATER`] a write is
//! `Pending`; the socket has no "drained" event, so the writer re-checks on a short wasio timer.
//! `poll_flush` waits for `bufferedAmount` to reach zero.
//!
//! Close: codes 1000 (normal), 1001 (going away) and 1005 (no code) in a clean close read as end
//! of stream. Any other close surfaces as `ConnectionReset` (or `ConnectionRefused` before the
//! connection opened) carrying a [`WebSocketClosed`] with the code and reason. Dropping both
//! halves closes the socket with code 1000.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::prelude::*;
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

use crate::stream::transport::{Connection, TransportInfo, TransportRead, TransportWrite};
use crate::time::{sleep, Sleep};

/// The largest frame one `poll_write` sends.
pub(crate) const MAX_FRAME: usize = 64 * 1024;
/// `bufferedAmount` at or above which writes wait.
pub(crate) const HIGH_WATER: u32 = 256 * 1024;
/// How often a waiting writer re-reads `bufferedAmount`.
const DRAIN_POLL: Duration = Duration::from_millis(2);

/// How a WebSocket connection ended, carried inside the `io::Error` of a read, write or connect
/// that failed because of it (`err.get_ref().and_then(|e| e.downcast_ref::<WebSocketClosed>())`).
///
/// # Examples
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use wasio::browser::WebSocketClosed;
/// match wasio::browser::connect_websocket("ws://127.0.0.1:1/").await {
///     Err(e) => {
///         let closed = e.get_ref().and_then(|e| e.downcast_ref::<WebSocketClosed>());
///         println!("{:?} {:?}", e.kind(), closed.map(|c| c.code));
///     }
///     Ok(_) => {}
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct WebSocketClosed {
    /// The close code (1006 when the connection dropped without a close frame).
    pub code: u16,
    /// The close reason the peer sent, if any.
    pub reason: String,
    /// Whether the closing handshake completed.
    pub clean: bool,
}

/// The derived layout, written out: the reason goes between quotes as it is, without `str`'s
/// `Debug` escaping (that and the struct builder cost 2 KB of wasm, linked only for this type,
/// whose `Debug` every `io::Error` carrying it needs).
impl fmt::Debug for WebSocketClosed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "WebSocketClosed {{ code: {}, reason: \"{}\", clean: {} }}",
            self.code, self.reason, self.clean
        )
    }
}

impl fmt::Display for WebSocketClosed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WebSocket closed with code {}", self.code)?;
        if !self.reason.is_empty() {
            write!(f, " ({})", self.reason)?;
        }
        if !self.clean {
            f.write_str(", not cleanly")?;
        }
        Ok(())
    }
}

impl std::error::Error for WebSocketClosed {}

impl WebSocketClosed {
    /// Whether this close is an ordinary end of stream rather than an error.
    fn is_eof(&self) -> bool {
        self.clean && matches!(self.code, 1000 | 1001 | 1005)
    }

    fn to_error(&self, kind: io::ErrorKind) -> io::Error {
        io::Error::new(kind, self.clone())
    }
}

enum Phase {
    Connecting,
    Open,
    Closed(WebSocketClosed),
}

struct State {
    phase: Phase,
    inbox: VecDeque<Vec<u8>>,
    offset: usize,
    reader: Option<Waker>,
    writer: Option<Waker>,
    connector: Option<Waker>,
}

/// A JS event handler owned by the socket.
type Handler = Closure<dyn FnMut(JsValue)>;

struct Socket {
    ws: WebSocket,
    url: String,
    state: RefCell<State>,
    handlers: RefCell<Vec<Handler>>,
}

/// Wakers an event handler calls once it has released the state.
type Wakes = [Option<Waker>; 3];
const NO_WAKES: Wakes = [None, None, None];

impl State {
    fn take_all(&mut self) -> Wakes {
        [
            self.connector.take(),
            self.reader.take(),
            self.writer.take(),
        ]
    }
}

fn store(slot: &mut Option<Waker>, cx: &Context<'_>) {
    match slot {
        Some(w) if w.will_wake(cx.waker()) => {}
        _ => *slot = Some(cx.waker().clone()),
    }
}

impl Socket {
    fn open(url: &str) -> io::Result<Rc<Socket>> {
        let ws = WebSocket::new(url).map_err(|e| {
            crate::io_message::error(
                io::ErrorKind::InvalidInput,
                format!("bad WebSocket URL '{url}': {}", js_text(&e)),
            )
        })?;
        ws.set_binary_type(BinaryType::Arraybuffer);
        let socket = Rc::new(Socket {
            ws,
            url: url.to_string(),
            state: RefCell::new(State {
                phase: Phase::Connecting,
                inbox: VecDeque::new(),
                offset: 0,
                reader: None,
                writer: None,
                connector: None,
            }),
            handlers: RefCell::new(Vec::new()),
        });
        socket.attach();
        Ok(socket)
    }

    fn attach(self: &Rc<Self>) {
        let weak = Rc::downgrade(self);
        // Each handler updates the state and returns the wakers to call; they are called after the
        // state's borrow ends, so a waker that polls at once cannot hit a borrowed `RefCell`.
        let on = |f: fn(&Socket, JsValue) -> Wakes| {
            let weak: Weak<Socket> = weak.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| {
                if let Some(s) = weak.upgrade() {
                    for w in f(&s, ev).into_iter().flatten() {
                        w.wake();
                    }
                }
            })
        };
        let onopen = on(|s, _| {
            let mut st = s.state.borrow_mut();
            if matches!(st.phase, Phase::Connecting) {
                st.phase = Phase::Open;
            }
            [st.connector.take(), st.writer.take(), None]
        });
        let onmessage = on(|s, ev| {
            let data = ev.unchecked_into::<MessageEvent>().data();
            let bytes = if let Some(buf) = data.dyn_ref::<ArrayBuffer>() {
                crate::host::browser::glue::bytes_of(&Uint8Array::new(buf))
            } else if let Some(text) = data.as_string() {
                text.into_bytes()
            } else {
                return NO_WAKES; // Blob frames cannot arrive: binaryType is "arraybuffer".
            };
            if bytes.is_empty() {
                return NO_WAKES;
            }
            let mut st = s.state.borrow_mut();
            st.inbox.push_back(bytes);
            [st.reader.take(), None, None]
        });
        let onclose = on(|s, ev| {
            let ev = ev.unchecked_into::<CloseEvent>();
            let info = WebSocketClosed {
                code: ev.code(),
                reason: ev.reason(),
                clean: ev.was_clean(),
            };
            let mut st = s.state.borrow_mut();
            st.phase = Phase::Closed(info);
            st.take_all()
        });
        // In browsers an `error` event is always followed by `close`, which carries the real code;
        // some hosts (Node 20's WebSocket, on a refused connection) fire only `error`. So an error
        // closes the connection as 1006 at once, and a later `close` refines the info.
        let onerror = on(|s, _| {
            let mut st = s.state.borrow_mut();
            if matches!(st.phase, Phase::Closed(_)) {
                return NO_WAKES;
            }
            st.phase = Phase::Closed(WebSocketClosed {
                code: 1006,
                reason: String::new(),
                clean: false,
            });
            st.take_all()
        });
        self.ws.set_onopen(Some(onopen.as_ref().unchecked_ref()));
        self.ws
            .set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        self.ws.set_onclose(Some(onclose.as_ref().unchecked_ref()));
        self.ws.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        self.handlers
            .borrow_mut()
            .extend([onopen, onmessage, onclose, onerror]);
    }

    fn closed_info(&self) -> Option<WebSocketClosed> {
        match &self.state.borrow().phase {
            Phase::Closed(info) => Some(info.clone()),
            _ => None,
        }
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        self.ws.set_onerror(None);
        if !matches!(self.state.borrow().phase, Phase::Closed(_)) {
            let _ = self.ws.close_with_code(1000);
        }
    }
}

/// Opens a WebSocket to `url` (at the first poll) and waits until it is open: one `poll_fn`
/// future, no nested ones.
pub(crate) fn connect(url: String) -> impl Future<Output = io::Result<Connection>> {
    let mut socket: Option<Rc<Socket>> = None;
    poll_fn(move |cx| {
        let socket = match &socket {
            Some(s) => s,
            None => socket.insert(Socket::open(&url)?),
        };
        let mut st = socket.state.borrow_mut();
        match &st.phase {
            Phase::Open => {}
            Phase::Closed(info) => {
                return Poll::Ready(Err(info.to_error(io::ErrorKind::ConnectionRefused)))
            }
            Phase::Connecting => {
                store(&mut st.connector, cx);
                return Poll::Pending;
            }
        }
        drop(st);
        Poll::Ready(Ok(Connection {
            read: Box::new(WsRead {
                socket: socket.clone(),
            }),
            write: Box::new(WsWrite {
                socket: socket.clone(),
                drain_timer: None,
            }),
        }))
    })
}

fn js_text(v: &JsValue) -> String {
    v.as_string()
        .or_else(|| {
            v.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        // A fixed text, not `{v:?}`: JsValue's Debug links wasm-bindgen's debug-string import and
        // its JS helper (the constructor and `send` throw DOMExceptions, which are Errors).
        .unwrap_or_else(|| "a non-Error value was thrown".to_owned())
}

struct WsRead {
    socket: Rc<Socket>,
}

impl TransportRead for WsRead {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        let mut st = self.socket.state.borrow_mut();
        let st = &mut *st;
        if let Some(front) = st.inbox.front() {
            let rest = &front[st.offset..];
            let n = rest.len().min(buf.len());
            buf[..n].copy_from_slice(&rest[..n]);
            st.offset += n;
            if st.offset == front.len() {
                st.inbox.pop_front();
                st.offset = 0;
            }
            return Poll::Ready(Ok(n));
        }
        match &st.phase {
            Phase::Closed(info) if info.is_eof() => Poll::Ready(Ok(0)),
            Phase::Closed(info) => Poll::Ready(Err(info.to_error(io::ErrorKind::ConnectionReset))),
            _ => {
                store(&mut st.reader, cx);
                Poll::Pending
            }
        }
    }
}

struct WsWrite {
    socket: Rc<Socket>,
    drain_timer: Option<Sleep>,
}

impl WsWrite {
    /// Ready once `bufferedAmount` is below `limit` (re-checked on a short timer).
    fn poll_buffered_below(&mut self, cx: &mut Context<'_>, limit: u32) -> Poll<io::Result<()>> {
        loop {
            if let Some(info) = self.socket.closed_info() {
                return Poll::Ready(Err(info.to_error(io::ErrorKind::BrokenPipe)));
            }
            if self.socket.ws.buffered_amount() < limit {
                self.drain_timer = None;
                return Poll::Ready(Ok(()));
            }
            let timer = self.drain_timer.get_or_insert_with(|| sleep(DRAIN_POLL));
            match Pin::new(timer).poll(cx) {
                Poll::Pending => {
                    store(&mut self.socket.state.borrow_mut().writer, cx);
                    return Poll::Pending;
                }
                Poll::Ready(()) => self.drain_timer = None,
            }
        }
    }
}

impl TransportWrite for WsWrite {
    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        if let Err(e) = std::task::ready!(self.poll_buffered_below(cx, HIGH_WATER)) {
            return Poll::Ready(Err(e));
        }
        let n = buf.len().min(MAX_FRAME);
        let frame = Uint8Array::from(&buf[..n]);
        match self.socket.ws.send_with_array_buffer_view(&frame) {
            Ok(()) => Poll::Ready(Ok(n)),
            Err(e) => Poll::Ready(Err(crate::io_message::error(
                io::ErrorKind::BrokenPipe,
                js_text(&e),
            ))),
        }
    }

    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_buffered_below(cx, 1)
    }

    fn can_write_eof(&self) -> bool {
        false
    }

    fn poll_write_eof(&mut self, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Err(crate::io_message::error(
            io::ErrorKind::Unsupported,
            "a WebSocket cannot half-close: close it instead",
        )))
    }

    fn poll_close(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let mut st = self.socket.state.borrow_mut();
        match &st.phase {
            Phase::Closed(_) => Poll::Ready(Ok(())),
            _ => {
                if self.socket.ws.ready_state() < WebSocket::CLOSING {
                    let _ = self.socket.ws.close_with_code(1000);
                }
                store(&mut st.writer, cx);
                Poll::Pending
            }
        }
    }

    fn abort(&mut self) {
        if self.socket.ws.ready_state() < WebSocket::CLOSING {
            let _ = self.socket.ws.close_with_code(1000);
        }
    }

    fn info(&self) -> TransportInfo {
        TransportInfo {
            peer: Some(self.socket.url.clone()),
            local: None,
        }
    }
}
