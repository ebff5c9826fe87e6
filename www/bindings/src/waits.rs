//! Waits started from JS: one table of pending wait futures, each driven by its owner.
//!
//! # Data structure
//!
//! `WAITS` is a slab of [`Slot`]s indexed by the wait's id (the number JS keeps its promise's
//! resolve/reject under). A live slot holds the boxed future and its owner:
//!
//! * a JS task (see [`crate::tasks`]) polls the future inside its own polls; a wait no JS task owns
//!   goes to the loop's `main` task, which polls all of them the same way. The slot keeps a waker
//!   made for this wait, which queues `(id, generation)` on the owner's ready list and wakes the
//!   owner, so an owner with many pending waits polls only the woken ones, and a wait costs no task
//!   of its own.
//!
//! A slot is freed when its future finishes (JS is told through the `settle` hook), when JS
//! cancels it ([`cancel_wait`]: an aborted signal; JS rejects the promise itself), or when its task
//! ends ([`drop_owned`]: JS is told `Fail::Aborted`). A freed slot's generation is bumped, so a
//! stale ready-list entry or helper poll finds nothing to do.
//!
//! Dropping the future is the cancellation: the crate's waits are cancel safe (an aborted get
//! consumes nothing, an aborted acquire keeps no permit, a hand-off passes to the next waiter).
//!
//! # Hand-off without a loop turn
//!
//! A lock, permit, item or notification the crate hands to a waiter reaches JS without waiting for
//! the loop's next turn. A JS call that can hand something off (`release`, `put_nowait`, `set`,
//! `notify`, `cancel_wait`...) runs inside [`handing_off`]: while it runs, `EAGER` is a list, and a
//! wait's waker appends to it instead of queueing the wait on its owner's ready list. When the
//! call returns to the bindings (no borrow of the crate's primitive is held any more), each
//! listed wait is polled right there with its own waker, so a waiter the crate chose settles its
//! JS promise inside the releasing call, as a plain-Promise mutex resolves its next waiter. The
//! crate still chooses the waiter (FIFO) and still owns the semantics: the poll is the same poll
//! the owner would have made a turn later. A wait that is still pending after it (a condition
//! wait that must now retake its lock) has registered its waker again, as after any poll.
//!
//! A wait of a primitive (not a sleep: its clock is the owning task's) is also polled once at
//! [`start_now`], inside the call that starts it, so it takes its place in the primitive's line
//! at once (FIFO in call order) and one that can complete at once (an item in the queue) settles
//! before the call returns: JS finds that outcome right after the call (`onSettle` for an id it
//! has no promise for yet keeps it for the `wait` being started). While a trace subscriber is
//! set, the owner is woken after such a poll as well, so its lane still shows the wait.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use wasio::trace::WaitReason;
use wasm_bindgen::prelude::*;

/// How a wait failed, as the code JS maps to an error (0 is success).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
#[cfg_attr(not(feature = "full"), allow(dead_code))]
pub(crate) enum Fail {
    /// The wait was cancelled (its signal aborted or its task ended): JS rejects with the signal's
    /// reason, an `AbortError` by default.
    Aborted = 1,
    /// The queue was shut down (`QueueShutDown`).
    ShutDown = 2,
    /// The barrier was broken (`BrokenBarrierError`).
    Broken = 3,
    /// A stream or connection error: the value is `[name, message, partial, expected]` and JS
    /// makes it an error of that name (`IncompleteReadError` keeps the partial bytes).
    Io = 4,
    /// A condition's `wait()` without its lock held (JS: `ReleaseError`).
    NotLocked = 5,
}

/// Why a wait failed: a [`Fail`] code and, for [`Fail::Io`], a value describing the error.
pub(crate) struct Failure(pub(crate) Fail, pub(crate) JsValue);

impl From<Fail> for Failure {
    fn from(f: Fail) -> Failure {
        Failure(f, JsValue::UNDEFINED)
    }
}

/// What a wait produces.
pub(crate) type Outcome = Result<JsValue, Failure>;
/// A wait's future.
pub(crate) type WaitFuture = Pin<Box<dyn Future<Output = Outcome>>>;

struct Slot {
    generation: u32,
    live: Option<Live>,
}

struct Live {
    /// The slot of the task that polls it.
    owner: u32,
    /// What it waits on, for the trace (`PollEnd`'s reason; the core build has no trace).
    #[cfg_attr(not(feature = "full"), allow(dead_code))]
    reason: WaitReason,
    future: Option<WaitFuture>,
    waker: Option<Waker>,
}

thread_local! {
    static WAITS: RefCell<Vec<Slot>> = const { RefCell::new(Vec::new()) };
    static FREE: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
    /// Whether a [`handing_off`] call runs.
    static HANDING_OFF: Cell<bool> = const { Cell::new(false) };
    /// The waits woken during it, to poll before it returns (kept between calls: no allocation).
    static EAGER: RefCell<VecDeque<(u32, u32)>> = const { RefCell::new(VecDeque::new()) };
}

/// Runs `f` (a JS call that can hand something to waiters), then polls every wait woken meanwhile
/// (and those their polls wake), so the crate's hand-offs settle their JS promises now. Nested
/// calls (a settle hook's trace callback releasing a lock) leave the polling to the outermost.
pub(crate) fn handing_off<R>(f: impl FnOnce() -> R) -> R {
    if HANDING_OFF.with(|h| h.replace(true)) {
        return f();
    }
    let r = f();
    poll_eager();
    r
}

/// The end of the outermost [`handing_off`] call: polls the listed waits. One copy, not inlined
/// into each of the many `handing_off` callers (it holds the whole of a wait's poll).
#[inline(never)]
fn poll_eager() {
    while let Some((id, generation)) = EAGER.with(|e| e.borrow_mut().pop_front()) {
        poll_now(id, generation);
    }
    HANDING_OFF.with(|h| h.set(false));
}

/// Lists a woken wait for the running [`handing_off`] call; false if none runs.
fn eager(id: u32, generation: u32) -> bool {
    HANDING_OFF.with(Cell::get) && {
        EAGER.with(|e| e.borrow_mut().push_back((id, generation)));
        true
    }
}

/// Polls wait `id` outside its owner's poll (see the module docs). If its future is out (being
/// polled further up the stack), the wake goes to the owner as usual; so it does anyway while
/// tracing, so that the owner's next poll shows what it waits on (or that it waits no more) on
/// its lane, as when the owner polls its waits itself.
fn poll_now(id: u32, generation: u32) {
    let owner = || {
        WAITS.with(|w| match w.borrow().get(id as usize) {
            Some(Slot {
                generation: g,
                live: Some(live),
            }) if *g == generation => Some(live.owner),
            _ => None,
        })
    };
    let traced = if crate::trace::on() { owner() } else { None };
    let owner = match poll(id, generation) {
        None => owner(),
        Some(_) => traced,
    };
    if let Some(ready) = owner.and_then(crate::tasks::ready_list) {
        ready.push(id, generation);
    }
}

/// The ready list a task shares with the wakers of the waits it owns.
#[derive(Default)]
pub(crate) struct ReadyList {
    /// Woken waits in the order they were woken (FIFO: two waits started in a row reach their
    /// primitive's line in that order).
    ids: Mutex<VecDeque<(u32, u32)>>,
    task: Mutex<Option<Waker>>,
}

impl ReadyList {
    /// Records the owning task's current waker.
    pub(crate) fn set_waker(&self, waker: &Waker) {
        let mut w = self.task.lock().unwrap_or_else(|e| e.into_inner());
        if !w.as_ref().is_some_and(|old| old.will_wake(waker)) {
            *w = Some(waker.clone());
        }
    }

    /// Queues a wait and wakes the task.
    pub(crate) fn push(&self, id: u32, generation: u32) {
        self.push_quiet(id, generation);
        self.wake();
    }

    /// Wakes the task (with nothing queued: its function settled).
    pub(crate) fn wake(&self) {
        let waker = self.task.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Queues a wait without waking the task (it is being polled, and drains the list next).
    pub(crate) fn push_quiet(&self, id: u32, generation: u32) {
        self.ids
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push_back((id, generation));
    }

    /// Takes the waits woken so far, oldest first (those woken while they are polled wait for the
    /// task's next poll: a `yield_now` yields).
    pub(crate) fn take(&self) -> VecDeque<(u32, u32)> {
        std::mem::take(&mut *self.ids.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

struct WaitWaker {
    id: u32,
    generation: u32,
    ready: Arc<ReadyList>,
}

impl Wake for WaitWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        if !eager(self.id, self.generation) {
            self.ready.push(self.id, self.generation);
        }
    }
}

fn alloc(live: Live) -> (u32, u32) {
    let free = FREE.with(|f| f.borrow_mut().pop());
    WAITS.with(|w| {
        let mut w = w.borrow_mut();
        match free {
            Some(id) => {
                let slot = &mut w[id as usize];
                slot.live = Some(live);
                (id, slot.generation)
            }
            None => {
                w.push(Slot {
                    generation: 0,
                    live: Some(live),
                });
                ((w.len() - 1) as u32, 0)
            }
        }
    })
}

/// Frees `id` if it is live at `generation` (any generation when `None`), returning what it held.
fn free(id: u32, generation: Option<u32>) -> Option<Live> {
    let live = WAITS.with(|w| {
        let mut w = w.borrow_mut();
        let slot = w.get_mut(id as usize)?;
        if generation.is_some_and(|g| g != slot.generation) {
            return None;
        }
        let live = slot.live.take()?;
        slot.generation = slot.generation.wrapping_add(1);
        Some(live)
    })?;
    FREE.with(|f| f.borrow_mut().push(id));
    Some(live)
}

/// Starts a wait owned by JS task `owner` (a task slot, or `u32::MAX` for none: then the task
/// whose synchronous part is running, if any, else the loop's `main` task) and returns its id.
pub(crate) fn start(owner: u32, reason: WaitReason, future: WaitFuture) -> u32 {
    start_with(owner, reason, future, false)
}

/// [`start`] for a wait of a primitive: polled once now, inside a [`handing_off`] call, instead
/// of in its owner's next poll (see the module docs). Not for sleeps: they take the clock of the
/// task that polls them.
#[cfg_attr(not(feature = "full"), allow(dead_code))]
pub(crate) fn start_now(owner: u32, reason: WaitReason, future: WaitFuture) -> u32 {
    start_with(owner, reason, future, true)
}

fn start_with(owner: u32, reason: WaitReason, future: WaitFuture, now: bool) -> u32 {
    let owner = if owner == u32::MAX {
        crate::tasks::current()
    } else {
        owner
    };
    let (owner, ready) = match crate::tasks::ready_list(owner) {
        Some(ready) => (owner, ready),
        None => crate::tasks::main_task(),
    };
    let (id, generation) = alloc(Live {
        owner,
        reason,
        future: Some(future),
        waker: None,
    });
    adopt(id, generation, owner, &ready, !now);
    if now {
        handing_off(|| poll_now(id, generation));
    }
    id
}

/// Gives wait `id` to task `owner`: a waker for it, and (if `first_poll`) a first poll.
fn adopt(id: u32, generation: u32, owner: u32, ready: &Arc<ReadyList>, first_poll: bool) {
    let waker = Waker::from(Arc::new(WaitWaker {
        id,
        generation,
        ready: ready.clone(),
    }));
    WAITS.with(|w| {
        if let Some(live) = w.borrow_mut()[id as usize].live.as_mut() {
            live.owner = owner;
            live.waker = Some(waker);
        }
    });
    crate::tasks::adopt(owner, (id, generation));
    if first_poll {
        if owner == crate::tasks::current() {
            // Started by the task's own synchronous part, inside its poll: that poll polls it
            // next, no second poll needed.
            ready.push_quiet(id, generation);
        } else {
            ready.push(id, generation);
        }
    }
}

/// Polls wait `id` (if still live at `generation`) with its own waker: settles it with JS when it
/// finishes. `None` if its future is out (being polled further up the stack).
pub(crate) fn poll(id: u32, generation: u32) -> Option<Poll<()>> {
    let taken = WAITS.with(|w| {
        let mut w = w.borrow_mut();
        let slot = w.get_mut(id as usize)?;
        if slot.generation != generation {
            return None;
        }
        let live = slot.live.as_mut()?;
        Some(live.future.take().map(|f| (f, live.waker.clone())))
    });
    let (mut future, waker) = match taken {
        // Ended, or its slot reused: nothing to do.
        None | Some(Some((_, None))) => return Some(Poll::Ready(())),
        Some(None) => return None,
        Some(Some((future, Some(waker)))) => (future, waker),
    };
    let out = future.as_mut().poll(&mut Context::from_waker(&waker));
    match out {
        Poll::Ready(outcome) => {
            drop(future);
            free(id, Some(generation));
            match outcome {
                Ok(v) => crate::hooks::settle(id, 0, &v),
                Err(Failure(code, value)) => crate::hooks::settle(id, code as u32, &value),
            }
            Some(Poll::Ready(()))
        }
        Poll::Pending => {
            WAITS.with(|w| {
                let mut w = w.borrow_mut();
                let slot = &mut w[id as usize];
                match slot.live.as_mut() {
                    Some(live) if slot.generation == generation => live.future = Some(future),
                    // Cancelled while polled (a wait's poll cannot reach JS, but be safe).
                    _ => drop(future),
                }
            });
            Some(Poll::Pending)
        }
    }
}

/// Cancels wait `id` because its signal aborted: drops its future (the crate's cancel-safe drop
/// gives back whatever it held). JS rejects the promise itself. Returns whether it was pending.
#[wasm_bindgen]
pub fn cancel_wait(id: u32) -> bool {
    handing_off(|| free(id, None).is_some())
}

/// Drops the waits `ids` owned by task `owner` that are still pending, telling JS they were
/// aborted (the task was cancelled or ended).
pub(crate) fn drop_owned(owner: u32, ids: Vec<(u32, u32)>) {
    for (id, generation) in ids {
        if is_owned_by((id, generation), owner) && free(id, Some(generation)).is_some() {
            crate::hooks::settle(id, Fail::Aborted as u32, &JsValue::UNDEFINED);
        }
    }
}

/// Moves the waits `ids` still owned by `owner` to the `main` task (their task's function
/// finished without awaiting them).
pub(crate) fn orphan(owner: u32, ids: Vec<(u32, u32)>) {
    let (main, ready) = crate::tasks::main_task();
    for (id, generation) in ids {
        if is_owned_by((id, generation), owner) {
            adopt(id, generation, main, &ready, true);
        }
    }
}

/// Whether wait `id` is still pending at `generation` and owned by `owner` (an id is reused once
/// its wait ends: the generation tells the new wait from the old).
pub(crate) fn is_owned_by((id, generation): (u32, u32), owner: u32) -> bool {
    WAITS.with(|w| {
        matches!(
            w.borrow().get(id as usize),
            Some(Slot { generation: g, live: Some(Live { owner: t, .. }) }) if *g == generation && *t == owner
        )
    })
}

#[cfg(feature = "full")]
/// What the latest of `ids` still owned by `owner` waits on, if one is (searched from the
/// latest: ended waits gather at the front, so this stops early).
pub(crate) fn reason_of(owner: u32, ids: &[(u32, u32)]) -> Option<WaitReason> {
    WAITS.with(|w| {
        let w = w.borrow();
        ids.iter()
            .rev()
            .find_map(|&(id, generation)| match w.get(id as usize) {
                Some(Slot {
                    generation: g,
                    live:
                        Some(Live {
                            owner: t, reason, ..
                        }),
                }) if *g == generation && *t == owner => Some(*reason),
                _ => None,
            })
    })
}

/// How many waits are pending (for the package's leak tests).
#[cfg(feature = "full")]
#[wasm_bindgen]
pub fn pending_waits() -> u32 {
    WAITS.with(|w| w.borrow().iter().filter(|s| s.live.is_some()).count() as u32)
}

/// Boxes a future whose output is already a wait [`Outcome`].
pub(crate) fn boxed<F: Future<Output = Outcome> + 'static>(f: F) -> WaitFuture {
    Box::pin(f)
}
