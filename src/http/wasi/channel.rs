//! A channel body's two ends: what a [`BodySender`](super::BodySender) and the response's writer
//! share, and the writer's loop.
//!
//! # Data structure
//!
//! [`Channel`] (behind an `Rc`, one for the sender, one for the writer's [`Receiver`]):
//!
//! * `queue`: a bounded queue of frames (data chunks, then optional trailers) for the writer.
//!   Its bound (`FRAMES`) is the flow control: a `send` that has to queue waits while the frames
//!   before it have not been taken. The sender shuts it down when it finishes or is dropped (the
//!   body ends); the writer shuts it down at once when it stops (the client is gone, or the body
//!   was never sent), so a waiting `send` fails instead of waiting forever;
//! * `lent`: the response's output stream, lent by the writer while it waits for a frame. A
//!   `send` then writes its chunk straight to the stream, all of it in one write: no queue, no
//!   wake-up of the writer task, and the chunk is freed as soon as `send` returns, so a body
//!   copied chunk by chunk (an echo) holds one chunk at a time, not one per queue slot (in
//!   `wasmtime serve` each chunk is memory the pooling allocator maps afresh for every request).
//!   A direct write happens only while nothing is queued or handed to the writer
//!   (`queue.qsize() == 0`), so chunks keep their order;
//! * `attached`: the writer is running. Until then (the handler has not returned its response)
//!   `send` queues. Once it runs, a `send` that finds the writer busy with a queued frame, or the
//!   stream full, waits (`waiter`: its ticket and waker) instead of queueing: the writer wakes it
//!   when it parks, the stream's pollable when it has room;
//! * `waiter`, `tickets`: one `send` at a time waits for the direct path; each `send` draws a
//!   ticket (a [`DirectSend`]) to tell it from the others (two sends joined in one task share a
//!   waker). Any other `send` queues while one waits, and a waiting `send` that finds, when it
//!   wakes, frames queued or the writer busy with one (others went ahead of it) queues behind
//!   them rather than wait again: a waiting sender is overtaken by a few frames at most, never
//!   for as long as another keeps sending. (The writer wakes the waiter when it parks, but goes
//!   on at once with the frames queued since: when it has taken the last of them before the
//!   woken `send` runs, the queue is empty but the writer is busy, and a `send` that waited
//!   again there was overtaken again by the frames queued meanwhile, for as long as the host
//!   took the writer's frames that fast.) The writer's wake-up leaves the woken `send` in
//!   `waiter` until it runs, so a `send` that runs between the two queues rather than take the
//!   room the woken one was woken for (it took it, and in a stream that one write fills, as
//!   wasmtime's HTTP bodies, the woken `send` found it full and waited again). A `send` dropped
//!   while it waits (cancelled) takes its waker out, so the next `send` does not queue behind a
//!   waiter that is gone. One sender alone
//!   finds the writer parked with nothing queued when the writer wakes it (it queues one frame
//!   at most, then waits for the writer to take it), so it still holds one chunk at a time;
//! * `failed`: the error of a direct write (the client went away), for the writer to return.

use std::cell::{Cell, RefCell};
use std::io;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use http::HeaderMap;

use super::serve::write_all;
use crate::queue::Queue;
use crate::wasi::streams::OutputHalf;

/// How many frames a [`BodySender`](super::BodySender) may queue ahead of the writer.
const FRAMES: usize = 4;

/// One item of a streamed body.
pub(crate) enum Frame {
    Data(Vec<u8>),
    Trailers(HeaderMap),
}

/// What the two ends of a channel body share (see the module docs).
pub(crate) struct Channel {
    pub(crate) queue: Queue<Frame>,
    lent: RefCell<Option<OutputHalf>>,
    attached: Cell<bool>,
    waiter: RefCell<Option<(u64, Waker)>>,
    tickets: Cell<u64>,
    failed: RefCell<Option<io::Error>>,
}

/// What [`Channel::poll_direct`] did.
pub(crate) enum Direct {
    /// The whole chunk went to the stream.
    Written,
    /// The chunk must be queued (the writer is not running yet, another task waits to write,
    /// or the stream takes part of the chunk only).
    Queue,
    /// The stream failed: the reader is gone.
    Failed,
}

impl Channel {
    pub(crate) fn new() -> Rc<Channel> {
        Rc::new(Channel {
            queue: Queue::new(FRAMES),
            lent: RefCell::new(None),
            attached: Cell::new(false),
            waiter: RefCell::new(None),
            tickets: Cell::new(0),
            failed: RefCell::new(None),
        })
    }

    /// A ticket for one `send`'s turn at the direct path (see [`DirectSend`]).
    pub(crate) fn direct_send(&self) -> DirectSend<'_> {
        let ticket = self.tickets.get();
        self.tickets.set(ticket.wrapping_add(1));
        DirectSend {
            channel: self,
            ticket,
            waited: false,
        }
    }

    /// Writes `chunk` straight to the response's stream once the writer is parked with nothing
    /// queued and the stream takes all of it (see the module docs); waits for that while the
    /// writer runs, unless another `send` waits already, or frames went ahead while this one
    /// waited (`waited`, and frames are queued or the writer is busy with one): then `Queue`.
    fn poll_direct(
        &self,
        cx: &mut Context<'_>,
        chunk: &[u8],
        ticket: u64,
        waited: bool,
    ) -> Poll<Direct> {
        if !self.attached.get() {
            return Poll::Ready(Direct::Queue);
        }
        if matches!(&*self.waiter.borrow(), Some((t, _)) if *t != ticket) {
            return Poll::Ready(Direct::Queue);
        }
        let mut lent = self.lent.borrow_mut();
        let out = match lent.as_mut() {
            Some(out) if self.queue.qsize() == 0 => out,
            // Frames went ahead of this `send` while it waited: it queues behind them, whether
            // they are still queued or the writer has taken the last of them (it is busy).
            _ if waited => return Poll::Ready(Direct::Queue),
            _ => return self.wait(cx, ticket),
        };
        match out.poll_write_whole(cx, chunk) {
            Poll::Pending => {
                drop(lent);
                self.wait(cx, ticket)
            }
            Poll::Ready(Ok(true)) => Poll::Ready(Direct::Written),
            Poll::Ready(Ok(false)) => Poll::Ready(Direct::Queue),
            Poll::Ready(Err(e)) => {
                drop(lent);
                *self.failed.borrow_mut() = Some(e);
                // Wakes the writer (its `get` fails), which returns the error.
                self.queue.shutdown(true);
                Poll::Ready(Direct::Failed)
            }
        }
    }

    /// Waits for the writer to park (or the stream to have room), as the one waiting `send`
    /// (the slot is free or `ticket`'s).
    fn wait(&self, cx: &mut Context<'_>, ticket: u64) -> Poll<Direct> {
        *self.waiter.borrow_mut() = Some((ticket, cx.waker().clone()));
        Poll::Pending
    }

    /// Whether the writer is parked (it has lent the stream).
    #[cfg(test)]
    pub(crate) fn is_parked(&self) -> bool {
        self.lent.borrow().is_some()
    }

    /// Wakes the `send` waiting to write, if any. It stays the waiter until it runs (the direct
    /// path is kept for it: a `send` that comes first queues), as a released lock goes to its
    /// longest waiter and not to a newcomer.
    fn wake_waiter(&self) {
        let waker = self.waiter.borrow().as_ref().map(|(_, w)| w.clone());
        if let Some(w) = waker {
            w.wake();
        }
    }
}

/// One `send`'s turn at the direct path: its ticket, and whether it has waited. Its waker leaves
/// the channel when it is done (ready) or dropped (the `send` was cancelled while it waited).
pub(crate) struct DirectSend<'a> {
    channel: &'a Channel,
    ticket: u64,
    waited: bool,
}

impl DirectSend<'_> {
    /// [`Channel::poll_direct`] for this `send`.
    pub(crate) fn poll(&mut self, cx: &mut Context<'_>, chunk: &[u8]) -> Poll<Direct> {
        let polled = self
            .channel
            .poll_direct(cx, chunk, self.ticket, self.waited);
        match polled {
            Poll::Pending => self.waited = true,
            Poll::Ready(_) => self.leave(),
        }
        polled
    }

    /// Takes this `send`'s waker out of the channel, if it is there.
    fn leave(&self) {
        let mut waiter = self.channel.waiter.borrow_mut();
        if matches!(&*waiter, Some((t, _)) if *t == self.ticket) {
            *waiter = None;
        }
    }
}

impl Drop for DirectSend<'_> {
    fn drop(&mut self) {
        self.leave();
    }
}

/// The reading end of a channel body: dropping it (the body was written to its end, or was never
/// sent) shuts the queue down at once, so a waiting [`BodySender::send`](super::BodySender::send)
/// fails.
pub(crate) struct Receiver(pub(crate) Rc<Channel>);

impl Drop for Receiver {
    fn drop(&mut self) {
        self.0.queue.shutdown(true);
    }
}

/// Takes the lent stream back from the channel when the writer stops, however it stops (a
/// writer dropped while parked drops the stream here, before the body it belongs to).
struct Lend<'a>(&'a Channel);

impl Lend<'_> {
    /// Lends `out` to direct `send`s while the writer waits for a frame, and wakes the `send`
    /// that waits for it.
    fn park(&self, out: OutputHalf) {
        *self.0.lent.borrow_mut() = Some(out);
        self.0.wake_waiter();
    }

    /// Takes the stream back (the writer has a frame, or the body ended).
    fn unpark(&self) -> OutputHalf {
        self.0
            .lent
            .borrow_mut()
            .take()
            .expect("only the writer takes the lent stream")
    }
}

impl Drop for Lend<'_> {
    fn drop(&mut self) {
        self.0.attached.set(false);
        let out = self.0.lent.borrow_mut().take();
        drop(out);
        // A waiting `send` now queues, and fails: the queue is shut down with the receiver.
        self.0.wake_waiter();
    }
}

impl Receiver {
    /// Writes the channel's body to `out`: queued frames in order, and lends `out` to direct
    /// `send`s between them. Gives the stream back with the body's trailers, or the error that
    /// ended it.
    pub(crate) async fn write_to(
        self,
        out: OutputHalf,
    ) -> (OutputHalf, io::Result<Option<HeaderMap>>) {
        let channel = &self.0;
        let lend = Lend(channel);
        let mut trailers = None;
        channel.attached.set(true);
        lend.park(out);
        loop {
            let frame = channel.queue.get().await;
            let mut out = lend.unpark();
            match frame {
                Ok(Frame::Data(d)) => {
                    let wrote = async {
                        write_all(&mut out, &d).await?;
                        if channel.queue.empty() {
                            std::future::poll_fn(|cx| out.poll_flush(cx)).await?;
                        }
                        Ok::<(), io::Error>(())
                    }
                    .await;
                    if let Err(e) = wrote {
                        return (out, Err(e));
                    }
                }
                Ok(Frame::Trailers(t)) => trailers = Some(t),
                // The sender is done (finished or dropped), or a direct write failed.
                Err(_) => {
                    let failed = channel.failed.borrow_mut().take();
                    return (out, failed.map_or(Ok(trailers), Err));
                }
            }
            lend.park(out);
        }
    }
}
