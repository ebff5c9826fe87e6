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

#[cfg(test)]
mod tests {
    //! A channel body's senders against a writer on a real loopback TCP connection, whose
    //! reader (in this component) the tests hold back and let go.

    use std::cell::RefCell;
    use std::future::{poll_fn, Future};
    use std::pin::pin;
    use std::rc::Rc;
    use std::task::Poll;

    use super::super::channel::{Channel, Receiver};
    use super::BodySender;
    use crate::{run, spawn, start_server, yield_now, Event, Server};

    /// Bigger than a loopback connection's buffers: writing it waits for the reader.
    const BIG: usize = 32 << 20;

    /// The reading end: reads nothing until `go`, sets `past` once it has more than `mark`
    /// bytes, and `done` when it has all `total` (in `got`).
    struct Reader {
        server: Server,
        go: Rc<Event>,
        past: Rc<Event>,
        done: Rc<Event>,
        got: Rc<RefCell<Vec<u8>>>,
    }

    async fn reader(mark: usize, total: usize) -> Reader {
        let (go, past, done) = (
            Rc::new(Event::new()),
            Rc::new(Event::new()),
            Rc::new(Event::new()),
        );
        let got = Rc::new(RefCell::new(Vec::new()));
        let ends = (go.clone(), past.clone(), done.clone(), got.clone());
        let server = start_server(
            move |mut r: crate::StreamReader, w| {
                let (go, past, done, got) = ends.clone();
                async move {
                    let _w = w; // kept open while it reads
                    go.wait().await;
                    let mut data = r.readexactly(mark).await.unwrap();
                    data.extend(r.read(total - mark).await.unwrap());
                    past.set();
                    let rest = total - data.len();
                    data.extend(r.readexactly(rest).await.unwrap());
                    *got.borrow_mut() = data;
                    done.set();
                }
            },
            "127.0.0.1:0",
        )
        .await
        .unwrap();
        Reader {
            server,
            go,
            past,
            done,
            got,
        }
    }

    /// A channel whose writer writes to a connection to `r`, parked, and its sender.
    async fn channel_to(
        r: &Reader,
    ) -> (
        Rc<Channel>,
        Rc<BodySender>,
        crate::Task<std::io::Result<()>>,
    ) {
        let out = crate::wasi::connect_output(r.server.local_addr())
            .await
            .unwrap();
        let channel = Channel::new();
        let tx = Rc::new(BodySender {
            channel: channel.clone(),
        });
        let writer = spawn({
            let rx = Receiver(channel.clone());
            async move { rx.write_to(out).await.1.map(|t| assert!(t.is_none())) }
        });
        yield_now().await; // the writer lends the stream and parks
        (channel, tx, writer)
    }

    /// `B`'s send waits for the direct path while the writer is busy with `H` (bigger than the
    /// connection holds: the reader is held back).
    async fn b_waits_behind_h(tx: &Rc<BodySender>) -> crate::Task<Result<(), super::BodyClosed>> {
        tx.send(vec![b'H'; BIG]).await.unwrap();
        let b = spawn({
            let tx = tx.clone();
            async move { tx.send(b"b".to_vec()).await }
        });
        yield_now().await;
        assert!(!b.is_done(), "B's send waits");
        b
    }

    /// A send that waited for the direct path, woken when the writer parks, finds that the
    /// writer has already taken the frame queued while it waited and is busy with it (the
    /// queue is empty): it queues behind it, rather than wait again while others queue more.
    #[test]
    fn a_woken_send_queues_behind_the_frame_the_writer_is_busy_with() {
        run(async {
            let r = reader(BIG, 2 * BIG + 1).await;
            let (_channel, tx, writer) = channel_to(&r).await;
            let b = b_waits_behind_h(&tx).await;
            tx.send(vec![b'G'; BIG]).await.unwrap();

            // Done with `H`, the writer parks (waking `B`), takes `G` at once and waits for the
            // reader again. `B` runs before this task (woken after it), with nothing queued and
            // the writer busy with `G`: it must have queued its chunk behind `G`.
            r.go.set();
            r.past.wait().await;
            assert!(b.is_done(), "B's send waited again instead of queueing");
            b.await.unwrap().unwrap();

            drop(tx);
            writer.await.unwrap().unwrap();
            r.done.wait().await;
            let got = r.got.borrow();
            assert_eq!(got.len(), 2 * BIG + 1);
            assert!(got[..BIG].iter().all(|&c| c == b'H'));
            assert!(got[BIG..2 * BIG].iter().all(|&c| c == b'G'));
            assert_eq!(got[2 * BIG], b'b');
            r.server.close();
        });
    }

    /// The writer's park wakes the send that waits for the direct path and keeps the path for
    /// it: a send that runs between the wake-up and the woken send queues, instead of taking
    /// the room the woken send was woken for (in a stream that one write fills, as wasmtime's
    /// HTTP bodies, the woken send found it full and waited again, round after round).
    #[test]
    fn the_direct_path_is_kept_for_the_woken_send() {
        run(async {
            let r = reader(BIG, BIG + 2).await;
            let (channel, tx, writer) = channel_to(&r).await;
            tx.send(vec![b'H'; BIG]).await.unwrap();
            {
                // `B`'s send, in this task (as sends joined by `gather` are), waits for the writer.
                let mut b = pin!(tx.send(b"b".to_vec()));
                assert!(poll_fn(|cx| Poll::Ready(b.as_mut().poll(cx).is_pending())).await);

                // Woken when the writer, done with `H`, parks: before `B`'s send runs again, `x`
                // is sent.
                r.go.set();
                poll_fn(
                    |_| match channel.is_parked() && channel.queue.qsize() == 0 {
                        true => Poll::Ready(()),
                        false => Poll::Pending, // `B`'s send left this task's waker in the channel
                    },
                )
                .await;
                tx.send(b"x".to_vec()).await.unwrap();
                assert_eq!(channel.queue.qsize(), 1, "x went straight into the stream");
                b.await.unwrap();
            }

            drop(tx);
            writer.await.unwrap().unwrap();
            r.done.wait().await;
            let got = r.got.borrow();
            assert_eq!(got.len(), BIG + 2);
            assert!(got[..BIG].iter().all(|&c| c == b'H'));
            assert_eq!(&got[BIG..], b"xb");
            r.server.close();
        });
    }
}
