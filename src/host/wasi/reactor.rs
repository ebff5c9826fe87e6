//! The preview 2 reactor: every pollable a task may wait on, and the one blocking `wasi:io/poll.poll`.
//!
//! # Data structure
//!
//! One thread-local table of entries, indexed by a `usize` key (a `crate::slab::Slab`):
//!
//! * `pollable`: the `wasi:io/poll.pollable`, created once by the I/O object that owns the
//!   [`Registration`] (a socket's input stream, a listener, a DNS lookup…) and kept until that object
//!   is dropped. Pollables are level-triggered in WASI, so the same one is reused across awaits: no
//!   subscribe/drop per await.
//! * `waker`: `Some` while a task waits on the entry ("armed"), `None` otherwise. Only armed entries
//!   go into `poll`; when `poll` reports an entry ready, its waker is taken (disarmed) and woken.
//!
//! `waiting` counts armed entries, so an idle reactor costs nothing.
//!
//! Costs measured on wasmtime 49 (loopback TCP): `poll` ≈ 0.35–0.5 µs per listed pollable plus
//! ≈ 2 µs per call; `ready()` ≈ 0.3 µs; a 1 KiB `write` ≈ 9 µs. Hence one registration per
//! stream, polled only while armed.
//!
//! # Invariants
//!
//! * A [`Registration`] is the only owner of its entry; dropping it frees the slot and drops the
//!   pollable (before the resource the pollable was made from, by field order in its owner).
//! * The table is borrowed only for the few instructions that touch it: wakers are woken and
//!   pollables dropped after the borrow ends, so a woken task (or a destructor) may register again.
//!
//! # Loop integration
//!
//! [`park`] blocks in `poll` over the armed pollables plus one clock pollable for the loop's earliest
//! deadline; [`poll_io`] does the same with a zero timeout, and the runner calls it on every turn
//! that leaves work ready, so a busy task cannot starve a socket (timers need nothing more: every
//! turn fires the due ones). A `poll` costs the host time in proportion to its list, so with many
//! armed pollables `poll_io` polls every few turns instead of every turn (`skipped` counts).
//!
//! The waiting itself ([`wait_io`]: `poll` and the clock's `subscribe-duration`) is reached through
//! `WAIT`, a function pointer set by the first [`Registration`] or armed timer ([`enable_wait`]),
//! never called directly: a component that never waits (an HTTP handler that answers at once) then
//! links neither import, and every function a component imports costs the host work at each
//! instantiation, which `wasmtime serve` does per request (these two: about 3,500 instructions of
//! a hello request's 276,000). Before either exists nothing can need a wait: `park` has no
//! deadline and no pollable to wait for.

use std::cell::{Cell, RefCell};
use std::future::{poll_fn, Future};
use std::task::{Context, Poll, Waker};

use wasi::clocks::monotonic_clock;
use wasi::io::poll::{poll, Pollable};

use crate::borrow::borrow_mut;
use crate::slab::Slab;

struct Entry {
    pollable: Pollable,
    waker: Option<Waker>,
}

struct Reactor {
    entries: Slab<Option<Entry>>,
    waiting: usize,
    /// Calls of [`poll_io`] since it last polled (see there).
    skipped: usize,
}

/// A blocking wait for I/O and a timeout (nanoseconds; `None`: I/O only): [`wait_io`].
type Wait = fn(Option<u64>);

thread_local! {
    /// [`wait_io`], once a registration or a timer may need it (see the module docs).
    static WAIT: Cell<Option<Wait>> = const { Cell::new(None) };
    static REACTOR: RefCell<Reactor> = const {
        RefCell::new(Reactor {
            entries: Slab::new(),
            waiting: 0,
            skipped: 0,
        })
    };
}

impl Reactor {
    /// Arms entry `key` with the waker of `cx` (see [`Registration::arm`]).
    fn arm(&mut self, key: usize, cx: &Context<'_>) {
        crate::trace::wait::waiting(crate::trace::WaitReason::Io);
        let mut newly = false;
        if let Some(Some(e)) = self.entries.get_mut(key) {
            match &mut e.waker {
                // (`clone_from` keeps a waker that would wake the same task.)
                Some(w) => w.clone_from(cx.waker()),
                None => {
                    e.waker = Some(cx.waker().clone());
                    newly = true;
                }
            }
        }
        if newly {
            self.waiting += 1;
        }
    }
}

/// This thread's reactor, borrowed for `f` (the one place that borrows it, through
/// [`crate::borrow`]).
fn with_reactor<R>(f: impl FnOnce(&mut Reactor) -> R) -> R {
    REACTOR.with(|r| f(&mut borrow_mut(r)))
}

/// A pollable registered with this thread's reactor for the lifetime of its owner.
pub(crate) struct Registration {
    key: usize,
    _not_send: std::marker::PhantomData<*const ()>,
}

impl Registration {
    /// Registers `pollable`; it stays registered (and alive) until the registration is dropped.
    pub(crate) fn new(pollable: Pollable) -> Registration {
        enable_wait();
        let key = with_reactor(|r| {
            let entry = Some(Entry {
                pollable,
                waker: None,
            });
            r.entries.insert(entry)
        });
        Registration {
            key,
            _not_send: std::marker::PhantomData,
        }
    }

    /// Arms the entry: the task of `cx` is woken when the pollable is ready. Call this after the
    /// operation itself said "not now" (pollables are level-triggered, so nothing is missed).
    pub(crate) fn arm(&self, cx: &Context<'_>) {
        with_reactor(|r| r.arm(self.key, cx));
    }

    /// `Ready` if the pollable is ready now, else arms it and returns `Pending` (one borrow of the
    /// table for both).
    pub(crate) fn poll_ready(&self, cx: &Context<'_>) -> Poll<()> {
        with_reactor(|r| {
            let ready = r
                .entries
                .get(self.key)
                .and_then(Option::as_ref)
                .is_some_and(|e| e.pollable.ready());
            if ready {
                Poll::Ready(())
            } else {
                r.arm(self.key, cx);
                Poll::Pending
            }
        })
    }

    /// Waits until the pollable is ready. (A `poll_fn`, not an `async fn`: no state machine of
    /// its own, so no "resumed after completion" panic.)
    pub(crate) fn ready(&self) -> impl Future<Output = ()> + '_ {
        poll_fn(|cx| self.poll_ready(cx))
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let entry = REACTOR.try_with(|r| {
            let mut r = borrow_mut(r);
            let entry = r.entries.get_mut(self.key).and_then(Option::take);
            if entry.as_ref().is_some_and(|e| e.waker.is_some()) {
                r.waiting -= 1;
            }
            r.entries.free(self.key);
            entry
        });
        drop(entry); // the pollable and waker go outside the borrow
    }
}

/// Waits in `poll` over the armed pollables and a clock for `timeout` nanoseconds (`None`: no
/// clock), then wakes the tasks whose pollables are ready.
fn wait_io(timeout: Option<u64>) {
    let mut wake: Vec<Waker> = Vec::new();
    with_reactor(|r| {
        if r.waiting == 0 && timeout.is_none() {
            return;
        }
        let clock = timeout.map(monotonic_clock::subscribe_duration);
        let mut keys = Vec::with_capacity(r.waiting);
        let mut list: Vec<&Pollable> = Vec::with_capacity(r.waiting + 1);
        for (key, e) in r.entries.iter() {
            if let Some(e) = e.as_ref().filter(|e| e.waker.is_some()) {
                keys.push(key);
                list.push(&e.pollable);
            }
        }
        if let Some(c) = clock.as_ref() {
            list.push(c);
        }
        let ready = poll(&list);
        drop(list);
        for i in ready {
            let Some(&key) = keys.get(i as usize) else {
                continue;
            };
            let entry = r.entries.get_mut(key).and_then(Option::as_mut);
            if let Some(w) = entry.and_then(|e| e.waker.take()) {
                r.waiting -= 1;
                wake.push(w);
            }
        }
    });
    // (`for_each`, not a `for` loop: the vector's fold is shared with every other wake-all.)
    wake.into_iter().for_each(Waker::wake);
}

/// Whether a task waits on a pollable (a component has one thread: nothing else can wake the loop).
pub(crate) fn can_wake_without_timer() -> bool {
    waiting() > 0
}

/// Makes [`park`] and [`poll_io`] able to wait: called by every new [`Registration`] and, through
/// the executor's host hook, by every armed timer.
pub(crate) fn enable_wait() {
    WAIT.with(|w| w.set(Some(wait_io)));
}

/// Calls [`wait_io`] if anything enabled it (else nothing can be waited for: see the module docs).
fn wait(timeout: Option<u64>) {
    if let Some(w) = WAIT.with(Cell::get) {
        w(timeout);
    }
}

/// Blocks until an armed pollable is ready or `timeout` nanoseconds pass (`None`: until I/O).
pub(crate) fn park(timeout: Option<u64>) {
    if timeout == Some(0) {
        poll_io();
        return;
    }
    wait(timeout);
}

/// How many armed pollables one non-blocking check may cost per turn, amortized.
const POLL_IO_BUDGET: usize = 64;

/// Wakes the tasks whose pollables are ready, without blocking.
///
/// A `poll` costs the host time in proportion to the pollables it is given, so while tasks stay
/// ready the check runs every turn up to [`POLL_IO_BUDGET`] armed pollables and every
/// `waiting / POLL_IO_BUDGET + 1` turns beyond: a busy task on a server with many idle
/// connections still sees I/O within a few turns, without paying for all of them on every turn.
pub(crate) fn poll_io() {
    let due = with_reactor(|r| {
        if r.waiting == 0 {
            r.skipped = 0;
            return false;
        }
        r.skipped += 1;
        if r.skipped <= r.waiting / POLL_IO_BUDGET {
            return false;
        }
        r.skipped = 0;
        true
    });
    if due {
        wait(Some(0));
    }
}

/// Whether [`enable_wait`] has run since the last [`forget_wait`] (tests).
#[cfg(test)]
pub(crate) fn wait_enabled() -> bool {
    WAIT.with(Cell::get).is_some()
}

/// Unlinks the blocking wait again, as a fresh instance starts (tests).
#[cfg(test)]
pub(crate) fn forget_wait() {
    WAIT.with(|w| w.set(None));
}

/// How many pollables are registered right now (tests).
#[cfg(test)]
pub(crate) fn registered() -> usize {
    with_reactor(|r| r.entries.live())
}

/// Whether the caller is the only thing on this thread's loop that can make progress, so that a
/// blocking host call in it (one that waits for I/O outside `poll`) delays no other task, timer
/// or pollable: the caller is the running loop's main future (not a task), no task is alive or
/// ready, no timer is armed, and no pollable is armed. Then the loop itself would do nothing but
/// wait in `poll` for the caller's own pollable. (The WASI server's forwarded response body,
/// once the handler has returned and left no task behind, uses it: see `http::wasi::serve`.)
pub(crate) fn only_main_future() -> bool {
    waiting() == 0 && crate::executor::with(crate::executor::Executor::only_main_future)
}

/// How many tasks wait on I/O right now.
pub(crate) fn waiting() -> usize {
    with_reactor(|r| r.waiting)
}
