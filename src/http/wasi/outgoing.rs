//! [`OutgoingBody`]: what a handler's response (or a client's request) sends, and [`BodySender`],
//! the writing end of a streamed body.
//!
//! # Data structure
//!
//! An `OutgoingBody` is one of:
//!
//! * `Empty`, or `Bytes(Vec<u8>)`: known up front (its length becomes `content-length`);
//! * `Incoming(IncomingBody)`: another body forwarded as it arrives (an echo, a proxy). On WASI
//!   the host moves the bytes itself (`output-stream.splice`); the source's trailers follow;
//! * `Channel(Receiver)`: a body that a [`BodySender`] writes, from any task, through a bounded
//!   queue of frames (data chunks, then optional trailers), or straight into the client's stream
//!   while nothing is queued (`channel.rs` describes both);
//! * `Stream(..)`: any `futures_core::Stream` of chunks.
//!
//! The last three are *streamed* (`Kind::Streamed`): a `Source` behind a `dyn Streamed`, which
//! writes and drops itself through its vtable. Only their constructors name that code, and the
//! server's `respond` calls through the vtable, so a component whose responses are all known up
//! front (hello) does not link the streaming writer, the channel's queue or the splice loop
//! (32 KB of what was a 152 KB hello component).

use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::pin::Pin;
use std::rc::Rc;

use futures_core::Stream;
use http::HeaderMap;
use wasi::http::types::OutgoingBody as WasiOutgoingBody;

use super::channel::{Channel, Direct, Frame, Receiver};
use super::IncomingBody;
use crate::host::wasi::reactor::only_main_future;

pub(crate) enum Kind {
    Empty,
    Bytes(Vec<u8>),
    /// Written as it comes: a [`Source`] behind a trait object (see the module docs).
    Streamed(Box<dyn Streamed>),
}

/// Where a streamed body's bytes come from.
pub(crate) enum Source {
    /// Bytes known up front, written as a stream (a client's request body).
    Bytes(Vec<u8>),
    Incoming(IncomingBody),
    Channel(Receiver),
    Stream(Pin<Box<dyn Stream<Item = io::Result<Vec<u8>>>>>),
}

/// A streamed body, writing and dropping itself through its vtable (so that only components that
/// make streamed bodies link the code for them; see the module docs).
pub(crate) trait Streamed {
    /// Writes the body to a `wasi:http` outgoing body and finishes it (with the source's
    /// trailers): at once, with the component blocked, when `block` allows it and the body can
    /// be written so (see [`Source`]'s impl), else as a future to await.
    fn write(self: Box<Self>, target: WasiOutgoingBody, block: bool) -> Writing;

    /// What kind of source it is, for `Debug`.
    fn name(&self) -> &'static str;
}

/// What [`Streamed::write`] did: wrote the body already, or gives the future that writes it.
pub(crate) enum Writing {
    Done(io::Result<()>),
    Later(Pin<Box<dyn Future<Output = io::Result<()>>>>),
}

impl Writing {
    /// The writing as one future (a client's upload task).
    pub(crate) fn into_future(self) -> Pin<Box<dyn Future<Output = io::Result<()>>>> {
        match self {
            Writing::Done(r) => Box::pin(std::future::ready(r)),
            Writing::Later(f) => f,
        }
    }
}

impl Streamed for Source {
    /// A forwarded body (`Incoming`, nothing of it read into the component) is written at once
    /// when `block` is set and nothing else on the loop can make progress
    /// (`reactor::only_main_future`: the server's response once the handler has returned and
    /// left nothing behind): the host waits for each chunk and for the trailers inside its own
    /// calls (`serve::forward_blocking`), and no future is boxed, polled or dropped through a
    /// vtable (each function a component calls through its table for the first time costs
    /// `wasmtime serve` a lazy table fill, about 1,900 instructions, at every request).
    fn write(self: Box<Self>, target: WasiOutgoingBody, block: bool) -> Writing {
        match *self {
            Source::Incoming(from) if block && from.unread() && only_main_future() => {
                Writing::Done(super::serve::forward_blocking(target, from))
            }
            source => Writing::Later(Box::pin(super::serve::write_source_body(target, source))),
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Source::Bytes(_) => "bytes",
            Source::Incoming(_) => "incoming",
            Source::Channel(_) => "channel",
            Source::Stream(_) => "stream",
        }
    }
}

impl Kind {
    /// A streamed body from `source`.
    fn streamed(source: Source) -> Kind {
        Kind::Streamed(Box::new(source))
    }
}

/// The body of an outgoing HTTP message (a handler's response): bytes known up front, another
/// body forwarded as it arrives, or a stream a task writes with a [`BodySender`].
///
/// Made with `From` (`Vec<u8>`, `String`, `&'static str`, `&'static [u8]`, `()` for none,
/// an [`IncomingBody`]), [`OutgoingBody::channel`] or [`OutgoingBody::from_stream`].
///
/// # Examples
///
/// ```
/// # #[cfg(all(target_os = "wasi", target_env = "p2"))] {
/// use wasio::http::OutgoingBody;
/// let hello = OutgoingBody::from("hello");
/// assert_eq!(hello.len(), Some(5));
/// # }
/// ```
pub struct OutgoingBody {
    pub(crate) kind: Kind,
}

impl fmt::Debug for OutgoingBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.kind {
            Kind::Empty => "empty",
            Kind::Bytes(_) => "bytes",
            Kind::Streamed(s) => s.name(),
        };
        f.debug_struct("OutgoingBody").field("kind", &kind).finish()
    }
}

impl OutgoingBody {
    /// No body.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(all(target_os = "wasi", target_env = "p2"))]
    /// assert_eq!(wasio::http::OutgoingBody::empty().len(), Some(0));
    /// ```
    pub fn empty() -> OutgoingBody {
        OutgoingBody { kind: Kind::Empty }
    }

    /// A streamed body and the sender that writes it. The body ends when the sender is
    /// [finished](BodySender::finish) or dropped.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # #[cfg(all(target_os = "wasi", target_env = "p2"))]
    /// async fn handler(_: http::Request<wasio::http::IncomingBody>) -> http::Response<wasio::http::OutgoingBody> {
    ///     let (tx, body) = wasio::http::OutgoingBody::channel();
    ///     wasio::spawn(async move {
    ///         for i in 0..3 {
    ///             if tx.send(format!("tick {i}\n")).await.is_err() {
    ///                 return; // the client went away
    ///             }
    ///             wasio::sleep(std::time::Duration::from_secs(1)).await;
    ///         }
    ///     });
    ///     http::Response::new(body)
    /// }
    /// ```
    pub fn channel() -> (BodySender, OutgoingBody) {
        let channel = Channel::new();
        (
            BodySender {
                channel: channel.clone(),
            },
            OutgoingBody {
                kind: Kind::streamed(Source::Channel(Receiver(channel))),
            },
        )
    }

    /// A body streamed from `stream`'s chunks; an error ends the body abnormally (the peer sees
    /// it cut short).
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(all(target_os = "wasi", target_env = "p2"))] {
    /// struct Two(u8);
    /// impl futures_core::Stream for Two {
    ///     type Item = std::io::Result<Vec<u8>>;
    ///     fn poll_next(
    ///         mut self: std::pin::Pin<&mut Self>,
    ///         _: &mut std::task::Context<'_>,
    ///     ) -> std::task::Poll<Option<Self::Item>> {
    ///         self.0 += 1;
    ///         std::task::Poll::Ready((self.0 <= 2).then(|| Ok(vec![b'x'])))
    ///     }
    /// }
    /// let body = wasio::http::OutgoingBody::from_stream(Two(0));
    /// assert_eq!(body.len(), None);
    /// # }
    /// ```
    pub fn from_stream(stream: impl Stream<Item = io::Result<Vec<u8>>> + 'static) -> OutgoingBody {
        OutgoingBody {
            kind: Kind::streamed(Source::Stream(Box::pin(stream))),
        }
    }

    /// The body's length if it is known before it is sent.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(all(target_os = "wasi", target_env = "p2"))]
    /// assert_eq!(wasio::http::OutgoingBody::from(vec![0u8; 3]).len(), Some(3));
    /// ```
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> Option<usize> {
        match &self.kind {
            Kind::Empty => Some(0),
            Kind::Bytes(b) => Some(b.len()),
            _ => None,
        }
    }
}

impl From<Vec<u8>> for OutgoingBody {
    fn from(b: Vec<u8>) -> Self {
        OutgoingBody {
            kind: Kind::Bytes(b),
        }
    }
}

outgoing_body_from!();

impl From<IncomingBody> for OutgoingBody {
    fn from(b: IncomingBody) -> Self {
        OutgoingBody {
            kind: Kind::streamed(Source::Incoming(b)),
        }
    }
}

/// The reader of the body is gone (the client disconnected, or the response was not sent): what
/// was being sent is dropped.
///
/// # Examples
///
/// ```
/// # #[cfg(all(target_os = "wasi", target_env = "p2"))]
/// assert!(wasio::http::BodyClosed.to_string().contains("gone"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyClosed;

impl fmt::Display for BodyClosed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the body's reader is gone")
    }
}

impl std::error::Error for BodyClosed {}

impl From<BodyClosed> for io::Error {
    fn from(e: BodyClosed) -> io::Error {
        io::Error::new(io::ErrorKind::BrokenPipe, e)
    }
}

/// Writes an [`OutgoingBody::channel`] body. Dropping it ends the body (without trailers).
///
/// # Examples
///
/// ```no_run
/// # #[cfg(all(target_os = "wasi", target_env = "p2"))]
/// # async fn demo() -> Result<(), wasio::http::BodyClosed> {
/// let (tx, body) = wasio::http::OutgoingBody::channel();
/// tx.send("data: hello\n\n").await?;
/// tx.finish(None).await?;
/// # Ok(()) }
/// ```
pub struct BodySender {
    channel: Rc<Channel>,
}

impl fmt::Debug for BodySender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BodySender")
            .field("closed", &self.is_closed())
            .finish()
    }
}

impl BodySender {
    /// Sends one chunk, waiting while the chunks sent before it have not been taken yet.
    ///
    /// Once the response is being written, the chunk goes straight to the client's stream when
    /// nothing is queued before it (no copy kept, no wake-up of the writer task); before that
    /// it is queued.
    ///
    /// Errors: [`BodyClosed`] once the reader is gone (the client disconnected).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `send` sends nothing.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # #[cfg(all(target_os = "wasi", target_env = "p2"))]
    /// # async fn demo(tx: wasio::http::BodySender) -> Result<(), wasio::http::BodyClosed> {
    /// tx.send(vec![1, 2, 3]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn send(&self, chunk: impl Into<Vec<u8>>) -> Result<(), BodyClosed> {
        let chunk = chunk.into();
        if chunk.is_empty() {
            return Ok(());
        }
        let mut direct = self.channel.direct_send();
        let direct = poll_fn(|cx| direct.poll(cx, &chunk)).await;
        match direct {
            Direct::Written => Ok(()),
            Direct::Failed => Err(BodyClosed),
            Direct::Queue => self
                .channel
                .queue
                .put(Frame::Data(chunk))
                .await
                .map_err(|_| BodyClosed),
        }
    }

    /// Ends the body, with `trailers` after it if given.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future ends the body without the trailers.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # #[cfg(all(target_os = "wasi", target_env = "p2"))]
    /// # async fn demo(tx: wasio::http::BodySender) -> Result<(), wasio::http::BodyClosed> {
    /// let mut trailers = http::HeaderMap::new();
    /// trailers.insert("x-count", http::HeaderValue::from_static("3"));
    /// tx.finish(Some(trailers)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn finish(self, trailers: Option<HeaderMap>) -> Result<(), BodyClosed> {
        if let Some(t) = trailers {
            self.channel
                .queue
                .put(Frame::Trailers(t))
                .await
                .map_err(|_| BodyClosed)?;
        }
        Ok(())
    }

    /// Whether the reader is gone (a `send` would fail).
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(all(target_os = "wasi", target_env = "p2"))] {
    /// let (tx, body) = wasio::http::OutgoingBody::channel();
    /// assert!(!tx.is_closed());
    /// # }
    /// ```
    pub fn is_closed(&self) -> bool {
        self.channel.queue.is_shut_down()
    }
}

impl Drop for BodySender {
    fn drop(&mut self) {
        self.channel.queue.shutdown(false);
    }
}
