//! The WebSocket transport: `ws://` and `wss://` connections as byte streams.
//!
//! # Data structure
//!
//! One `Rc<Socket>` is shared by the read half, the write half and (weakly) by its one JS event
//! callback, which the socket's four event handlers (set by the JS snippet below) call with the
//! event's kind (see `Socket::on_event`). `Socket::state` holds:
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

use wasm_bindgen::prelude::*;
use web_sys::WebSocket;

use crate::stream::transport::{
    store_waker as store, Connection, TransportInfo, TransportRead, TransportWrite,
};
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

    #[inline(never)]
    fn to_error(&self, kind: io::ErrorKind) -> io::Error {
        io::Error::new(kind, self.clone())
    }
}

#[wasm_bindgen(inline_js = r#"
export function wasio_ws_new(url) {
  const ws = new WebSocket(url);
  ws.binaryType = "arraybuffer";
  return ws;
}
export function wasio_ws_on(ws, f) {
  ws.onopen = function () { f(0, 0, undefined); };
  ws.onmessage = function (e) {
    const d = e.data;
    f(1, 0, typeof d === "string" ? new TextEncoder().encode(d) : new Uint8Array(d));
  };
  ws.onclose = function (e) { f(2, e.code | (e.wasClean ? 65536 : 0), e.reason); };
  ws.onerror = function () { f(3, 1006, ""); };
}
export function wasio_ws_close(ws, detach) {
  if (detach) ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
  if (ws.readyState < 2) ws.close(1000);
}
export function wasio_ws_send(ws, bytes) {
  ws.send(bytes.slice());
}
"#)]
extern "C" {
    /// `new WebSocket(url)`, its `binaryType` "arraybuffer"; throws for a bad URL.
    #[wasm_bindgen(catch)]
    fn wasio_ws_new(url: &str) -> Result<WebSocket, JsValue>;
    /// Sets the socket's four event handlers, each calling `f(kind, arg, value)` (see
    /// [`Socket::on_event`]).
    fn wasio_ws_on(ws: &WebSocket, f: &js_sys::Function);
    /// Closes the socket with code 1000 unless it is closing or closed; first removes its event
    /// handlers if `detach`.
    fn wasio_ws_close(ws: &WebSocket, detach: bool);
    /// Sends `bytes` (copied) as one binary frame; throws if the socket cannot send.
    #[wasm_bindgen(catch)]
    fn wasio_ws_send(ws: &WebSocket, bytes: &[u8]) -> Result<(), JsValue>;
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

struct Socket {
    ws: WebSocket,
    url: String,
    state: RefCell<State>,
    /// The one JS callback of the socket's four event handlers (see [`Socket::on_event`]).
    _handler: Closure<dyn Fn(u32, u32, JsValue)>,
}

/// The JS error's message (a bad URL, a failed send): an `Error`'s `message`, else `String(e)`.
fn js_text(e: &JsValue) -> String {
    crate::host::browser::glue::wasio_error_text(e, false).unwrap_or_default()
}

impl Socket {
    fn open(url: &str) -> io::Result<Rc<Socket>> {
        let ws = wasio_ws_new(url).map_err(|e| {
            crate::io_message::error(
                io::ErrorKind::InvalidInput,
                format!("bad WebSocket URL '{url}': {}", js_text(&e)),
            )
        })?;
        Ok(Rc::new_cyclic(|weak: &Weak<Socket>| {
            let weak = weak.clone();
            // One handler for the four events; the socket (weakly held) does the work.
            let handler = Closure::<dyn Fn(u32, u32, JsValue)>::new(move |kind, arg, value| {
                if let Some(s) = weak.upgrade() {
                    s.on_event(kind, arg, value);
                }
            });
            wasio_ws_on(&ws, handler.as_ref().unchecked_ref());
            Socket {
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
                _handler: handler,
            }
        }))
    }

    /// One JS event: `kind` 0 `open`; 1 `message`, `value` the frame's bytes (a `Uint8Array`: a
    /// text frame's UTF-8); 2 `close`, `arg` the code plus 0x10000 if the close was clean, `value`
    /// the reason; 3 `error`, `arg` 1006.
    ///
    /// In browsers an `error` event is always followed by `close`, which carries the real code;
    /// some hosts (Node 20's WebSocket, on a refused connection) fire only `error`. So an error
    /// closes the connection as 1006 at once, and a later `close` refines the info.
    ///
    /// The wakers are called after the state's borrow ends, so a waker that polls at once cannot
    /// hit a borrowed `RefCell`.
    fn on_event(&self, kind: u32, arg: u32, value: JsValue) {
        let bytes = match kind {
            1 => crate::host::browser::glue::bytes_of(value.unchecked_ref()),
            _ => Vec::new(),
        };
        let mut st = self.state.borrow_mut();
        let wakes = match kind {
            0 => {
                if matches!(st.phase, Phase::Connecting) {
                    st.phase = Phase::Open;
                }
                [st.connector.take(), st.writer.take(), None]
            }
            1 => {
                if bytes.is_empty() {
                    return;
                }
                st.inbox.push_back(bytes);
                [st.reader.take(), None, None]
            }
            _ => {
                if kind == 3 && matches!(st.phase, Phase::Closed(_)) {
                    return;
                }
                st.phase = Phase::Closed(WebSocketClosed {
                    code: arg as u16,
                    reason: value.as_string().unwrap_or_default(),
                    clean: arg > 0xffff,
                });
                [st.connector.take(), st.reader.take(), st.writer.take()]
            }
        };
        drop(st);
        for w in wakes.into_iter().flatten() {
            w.wake();
        }
    }

    /// The error of a closed connection, as `kind`, or `None` while it is not closed.
    fn closed_error(&self, kind: io::ErrorKind) -> Option<io::Error> {
        match &self.state.borrow().phase {
            Phase::Closed(info) => Some(info.to_error(kind)),
            _ => None,
        }
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        wasio_ws_close(&self.ws, true);
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
            if let Some(e) = self.socket.closed_error(io::ErrorKind::BrokenPipe) {
                return Poll::Ready(Err(e));
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
        match wasio_ws_send(&self.socket.ws, &buf[..n]) {
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
                wasio_ws_close(&self.socket.ws, false);
                store(&mut st.writer, cx);
                Poll::Pending
            }
        }
    }

    fn abort(&mut self) {
        wasio_ws_close(&self.socket.ws, false);
    }

    fn info(&self) -> TransportInfo {
        TransportInfo {
            peer: Some(self.socket.url.clone()),
            local: None,
        }
    }
}
