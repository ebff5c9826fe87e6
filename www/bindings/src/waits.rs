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

use std::cell::RefCell;
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
    /// What it waits on, for the trace (`PollEnd`'s reason).
    reason: WaitReason,
    future: Option<WaitFuture>,
    waker: Option<Waker>,
}

thread_local! {
    static WAITS: RefCell<Vec<Slot>> = const { RefCell::new(Vec::new()) };
    static FREE: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
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
        self.ready.push(self.id, self.generation);
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.ready.push(self.id, self.generation);
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
    adopt(id, generation, owner, &ready);
    id
}

/// Gives wait `id` to task `owner`: a waker for it, and a first poll.
fn adopt(id: u32, generation: u32, owner: u32, ready: &Arc<ReadyList>) {
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
    if owner == crate::tasks::current() {
        // Started by the task's own synchronous part, inside its poll: that poll polls it next,
        // no second poll needed.
        ready.push_quiet(id, generation);
    } else {
        ready.push(id, generation);
    }
}

/// Polls wait `id` (if still live at `generation`) with its own waker: settles it with JS when it
/// finishes.
pub(crate) fn poll(id: u32, generation: u32) -> Poll<()> {
    let taken = WAITS.with(|w| {
        let mut w = w.borrow_mut();
        let slot = w.get_mut(id as usize)?;
        if slot.generation != generation {
            return None;
        }
        let live = slot.live.as_mut()?;
        Some((live.future.take()?, live.waker.clone()))
    });
    let Some((mut future, Some(waker))) = taken else {
        return Poll::Ready(());
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
            Poll::Ready(())
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
            Poll::Pending
        }
    }
}

/// Cancels wait `id` because its signal aborted: drops its future (the crate's cancel-safe drop
/// gives back whatever it held). JS rejects the promise itself. Returns whether it was pending.
#[wasm_bindgen]
pub fn cancel_wait(id: u32) -> bool {
    free(id, None).is_some()
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
            adopt(id, generation, main, &ready);
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
#[wasm_bindgen]
pub fn pending_waits() -> u32 {
    WAITS.with(|w| w.borrow().iter().filter(|s| s.live.is_some()).count() as u32)
}

/// Boxes a future whose output is already a wait [`Outcome`].
pub(crate) fn boxed<F: Future<Output = Outcome> + 'static>(f: F) -> WaitFuture {
    Box::pin(f)
}
