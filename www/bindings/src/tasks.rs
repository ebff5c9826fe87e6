//! JS tasks: a wasio task per `spawn(fn)`, whose polls run `fn`'s synchronous part and the waits
//! it owns.
//!
//! # Data structure
//!
//! `TASKS` is a slab of [`Core`]s indexed by the task's slot (the number the JS `Task` object
//! keeps). A core lives from [`spawn_task`] until its future is dropped (finished, or cancelled
//! before it started, or closed with the loop), when JS is told through the `done` hook and the
//! slot is freed. Its fields:
//!
//! * `ready`: the [`ReadyList`] its waits' wakers push to (see [`crate::waits`]);
//! * `owned`: `(id, generation)` of the waits it adopted (some may have ended since: the wait
//!   table is the truth), pruned whenever it doubles, so it stays within twice its live waits;
//! * `started`: the first poll ran the function; `settled`: the function's promise settled (JS
//!   says so through [`task_settled`]); `cancelled`: cancellation was requested;
//! * `task`: the wasio task, to cancel one that has not started.
//!
//! # States
//!
//! Not started → (first poll) running the function's synchronous part (`CURRENT` is this slot,
//! so waits started without a signal are adopted) → waiting for the function's promise, polling
//! woken waits → settled: waits it never awaited move to helper tasks, and the future ends.
//! Cancelled before the first poll, the wasio task is cancelled (the trace shows it) and the
//! function never runs. Cancelled later, its pending waits are dropped (JS rejects them) and the
//! task goes on until the function's promise settles: JS cannot be interrupted, it is told.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll};

use wasio::TaskRef;
use wasm_bindgen::prelude::*;

use crate::waits::{self, ReadyList};

struct Core {
    ready: Arc<ReadyList>,
    owned: RefCell<Vec<(u32, u32)>>,
    /// `owned`'s length at which ended waits are next pruned from it.
    prune_at: Cell<usize>,
    started: Cell<bool>,
    settled: Cell<bool>,
    cancelled: Cell<bool>,
    ended_cancelled: Cell<bool>,
    task: RefCell<Option<TaskRef>>,
}

thread_local! {
    /// The `main` task's slot, while it lives.
    static MAIN: Cell<u32> = const { Cell::new(u32::MAX) };
    static TASKS: RefCell<Vec<Option<Rc<Core>>>> = const { RefCell::new(Vec::new()) };
    static FREE: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
    static CURRENT: Cell<u32> = const { Cell::new(u32::MAX) };
}

fn core(slot: u32) -> Option<Rc<Core>> {
    TASKS.with(|t| t.borrow().get(slot as usize).cloned().flatten())
}

/// The slot of the task whose function's synchronous part is running (`u32::MAX` if none).
pub(crate) fn current() -> u32 {
    CURRENT.with(Cell::get)
}

/// The ready list of live task `slot`, if it is one that can still adopt waits.
pub(crate) fn ready_list(slot: u32) -> Option<Arc<ReadyList>> {
    core(slot)
        .filter(|c| !c.settled.get())
        .map(|c| c.ready.clone())
}

/// Records that task `slot` owns wait `wait` (`(id, generation)`).
pub(crate) fn adopt(slot: u32, wait: (u32, u32)) {
    if let Some(c) = core(slot) {
        let mut owned = c.owned.borrow_mut();
        // Forget ended waits whenever the list doubles, so a long task's list stays within
        // twice its live waits (amortised O(1) per wait).
        if owned.len() >= c.prune_at.get() {
            owned.retain(|&w| waits::is_owned_by(w, slot));
            c.prune_at.set((owned.len() * 2).max(16));
        }
        owned.push(wait);
    }
}

/// The loop's `top level` task (not `main`: programs name their own main task so), which owns the waits no JS task owns (started by top-level code, or
/// left behind by a finished task): its slot and ready list. Spawned when first needed; it has no
/// function and never finishes (a closed loop drops it, and the next wait spawns another).
pub(crate) fn main_task() -> (u32, Arc<ReadyList>) {
    let slot = MAIN.with(Cell::get);
    if let Some(ready) = ready_list(slot) {
        return (slot, ready);
    }
    let slot = spawn_core(Some("top level"), true, spawn);
    MAIN.with(|m| m.set(slot));
    (slot, ready_list(slot).unwrap_or_default())
}

/// Spawns a JS task; returns its slot. `name` (a string, or undefined) names the wasio task:
/// traces show it. The core build has no traces: it spawns the task unnamed, and passing the
/// name as a JS value spares it the glue that copies strings into wasm.
#[wasm_bindgen]
pub fn spawn_task(name: JsValue) -> u32 {
    #[cfg(feature = "full")]
    let name = if name.is_undefined() {
        None
    } else {
        name.as_string()
    };
    #[cfg(not(feature = "full"))]
    let name: Option<String> = {
        drop(name);
        None
    };
    spawn_core(name.as_deref(), false, spawn)
}

/// Spawns a JS task whose polls run on the simulated clock (`wasio/testing`'s `runSimulated`);
/// returns its slot.
#[cfg(feature = "full")]
#[wasm_bindgen]
pub fn spawn_simulated() -> u32 {
    spawn_core(None, false, |_, future| {
        wasio::spawn(Box::pin(wasio::testing::simulate(future)) as LocalFuture)
    })
}

type LocalFuture = Pin<Box<dyn Future<Output = ()>>>;

/// Spawns `future` as a wasio task, named `name` where the build has traces.
fn spawn(name: Option<&str>, future: JsTask) -> wasio::Task<()> {
    let future = Box::pin(future) as LocalFuture;
    match name {
        #[cfg(feature = "full")]
        Some(n) => wasio::spawn_named(n, future),
        _ => wasio::spawn(future),
    }
}

fn spawn_core(
    name: Option<&str>,
    main: bool,
    spawn: fn(Option<&str>, JsTask) -> wasio::Task<()>,
) -> u32 {
    let core = Rc::new(Core {
        ready: Arc::default(),
        owned: RefCell::new(Vec::new()),
        prune_at: Cell::new(16),
        started: Cell::new(main),
        settled: Cell::new(false),
        cancelled: Cell::new(false),
        ended_cancelled: Cell::new(false),
        task: RefCell::new(None),
    });
    let free = FREE.with(|f| f.borrow_mut().pop());
    let slot = TASKS.with(|t| {
        let mut t = t.borrow_mut();
        match free {
            Some(s) => {
                t[s as usize] = Some(core.clone());
                s
            }
            None => {
                t.push(Some(core.clone()));
                (t.len() - 1) as u32
            }
        }
    });
    let future = JsTask {
        slot,
        core: core.clone(),
    };
    let task = spawn(name, future);
    *core.task.borrow_mut() = Some(task.as_ref());
    task.detach();
    slot
}

/// The wasio task id of task `slot` (as trace events name it), or -1 if it has ended.
#[wasm_bindgen]
pub fn task_id(slot: u32) -> f64 {
    core(slot)
        .and_then(|c| c.task.borrow().as_ref().map(|t| t.id().as_u64() as f64))
        .unwrap_or(-1.0)
}

/// JS saw task `slot`'s function settle: the task ends at its next poll, as cancelled if
/// `cancelled` (its function rejected with the abort reason after a cancel), so traces show it
/// ending by cancellation.
#[wasm_bindgen]
pub fn task_settled(slot: u32, cancelled: bool) {
    if let Some(c) = core(slot) {
        c.settled.set(true);
        c.ended_cancelled.set(cancelled);
        c.ready.wake();
    }
}

/// Wakes task `slot` (while tracing): a wait in the JS layer's own line (line.js: the Semaphore)
/// that the task owns was handed what it waited for, so the trace records who woke the task,
/// as a wait of the bindings records it when its waker wakes the owner.
#[wasm_bindgen]
pub fn task_wake(slot: u32) {
    if let Some(c) = core(slot) {
        c.ready.wake();
    }
}

/// Requests cancellation of task `slot` (JS has aborted its signal). Not started: the wasio task
/// is cancelled and the function never runs. Running: its pending waits are dropped and reject.
/// Returns false if the task had already ended or was already cancelled.
#[wasm_bindgen]
pub fn task_cancel(slot: u32) -> bool {
    let Some(c) = core(slot) else { return false };
    if c.cancelled.replace(true) || c.settled.get() {
        return false;
    }
    if !c.started.get() {
        if let Some(t) = c.task.borrow().as_ref() {
            t.cancel();
        }
    } else {
        let ids = std::mem::take(&mut *c.owned.borrow_mut());
        waits::handing_off(|| waits::drop_owned(slot, ids));
    }
    true
}

/// The future of a JS task.
struct JsTask {
    slot: u32,
    core: Rc<Core>,
}

impl Future for JsTask {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let c = &self.core;
        c.ready.set_waker(cx.waker());
        if !c.started.replace(true) {
            let outer = CURRENT.with(|cur| cur.replace(self.slot));
            crate::hooks::run(self.slot);
            CURRENT.with(|cur| cur.set(outer));
        }
        for (id, generation) in c.ready.take() {
            let _ = waits::poll(id, generation);
        }
        if c.settled.get() {
            let ids = std::mem::take(&mut *c.owned.borrow_mut());
            waits::orphan(self.slot, ids);
            if c.ended_cancelled.get() {
                // The task cancels itself in its last poll: the trace records the cancellation.
                if let Some(t) = wasio::current_task() {
                    t.cancel();
                }
            }
            return Poll::Ready(());
        }
        // Name the wait for the trace: a pending wait polled above has named it already (the
        // first reason wins); else one of the task's waits, or, with none, its JS promise (the
        // function's code is about to run in a microtask). The core build has no trace.
        #[cfg(feature = "full")]
        if crate::trace::on() {
            let reason = waits::reason_of(self.slot, &c.owned.borrow());
            wasio::trace::record_wait(reason.unwrap_or(wasio::trace::WaitReason::Promise));
        }
        Poll::Pending
    }
}

impl Drop for JsTask {
    fn drop(&mut self) {
        MAIN.with(|m| {
            if m.get() == self.slot {
                m.set(u32::MAX);
            }
        });
        let ids = std::mem::take(&mut *self.core.owned.borrow_mut());
        waits::drop_owned(self.slot, ids);
        TASKS.with(|t| t.borrow_mut()[self.slot as usize] = None);
        FREE.with(|f| f.borrow_mut().push(self.slot));
        crate::hooks::done(self.slot);
    }
}

/// How many JS tasks are alive (for the package's leak tests).
#[cfg(feature = "full")]
#[wasm_bindgen]
pub fn live_tasks() -> u32 {
    TASKS.with(|t| t.borrow().iter().filter(|c| c.is_some()).count() as u32)
}
