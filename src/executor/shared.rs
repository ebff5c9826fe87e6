//! The thread-safe half of an executor: the injection queue through which other threads wake tasks
//! and submit callbacks, and the host's way to wake a sleeping loop.
//!
//! # Data structure
//!
//! `queue` is a `Mutex<Vec<Injected>>` plus an `AtomicBool` that says "non-empty", so the home thread
//! pays one relaxed load per turn when nothing arrived. Other threads push and then call the host's
//! loop waker (unpark on native; a no-op on hosts whose loop never blocks on a thread). The home thread
//! drains the whole vector at the start of each turn, in push order.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::task_rc::{RemoteOp, RemoteRef};
use crate::host::{LoopWaker, Wake};

/// Work handed to the loop from another thread.
pub(crate) enum Injected {
    /// A waker was cloned, dropped or woken on another thread (see `task_rc.rs`); never in a
    /// single-threaded build.
    #[cfg_attr(
        all(target_family = "wasm", not(target_feature = "atomics")),
        allow(dead_code)
    )]
    Task(RemoteRef, RemoteOp),
    /// A callback from [`LoopHandle::call_soon_threadsafe`](crate::LoopHandle::call_soon_threadsafe),
    /// and the function the home thread calls with it (it spawns a task that runs the callback).
    /// The sender passes that function along so that the executor never names it: a program that
    /// never calls `call_soon_threadsafe` does not link the callback task.
    Call(Box<dyn FnOnce() + Send>, fn(Box<dyn FnOnce() + Send>)),
}

pub(crate) struct Shared {
    queue: Mutex<Vec<Injected>>,
    pending: AtomicBool,
    /// Cleared when the owning thread's executor is torn down: later injections are dropped.
    open: AtomicBool,
    waker: LoopWaker,
}

impl Shared {
    pub(crate) fn new() -> Arc<Shared> {
        Arc::new(Shared {
            queue: Mutex::new(Vec::new()),
            pending: AtomicBool::new(false),
            open: AtomicBool::new(true),
            waker: LoopWaker::for_current_thread(),
        })
    }

    /// Pushes work from any thread and wakes the loop. Returns `false` if the loop is gone.
    pub(crate) fn inject(&self, item: Injected) -> bool {
        if !self.open.load(Ordering::Acquire) {
            return false;
        }
        // A poisoned lock only means another injecting thread panicked mid-push: the vector is
        // still a valid vector.
        let mut q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        // Checked again under the lock: `close` drains under it, so nothing is pushed after.
        if !self.open.load(Ordering::Acquire) {
            return false;
        }
        q.push(item);
        self.pending.store(true, Ordering::Release);
        drop(q);
        self.waker.wake();
        true
    }

    /// Takes everything injected so far (home thread).
    pub(crate) fn drain(&self) -> Vec<Injected> {
        if !self.pending.load(Ordering::Acquire) {
            return Vec::new();
        }
        let mut q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        self.pending.store(false, Ordering::Release);
        std::mem::take(&mut *q)
    }

    pub(crate) fn has_pending(&self) -> bool {
        self.pending.load(Ordering::Acquire)
    }

    /// The loop is gone: refuses later injections and drops what was injected and never run (a
    /// callback's captures are dropped, so a `ThreadsafeTask` waiting on it learns it was
    /// cancelled; a task reference in flight does nothing when dropped, see `task_rc.rs`).
    pub(crate) fn close(&self) {
        let unrun = {
            let mut q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
            self.open.store(false, Ordering::Release);
            self.pending.store(false, Ordering::Release);
            std::mem::take(&mut *q)
        };
        drop(unrun);
    }
}

impl Shared {
    /// Wakes the loop if it is blocked waiting (thread-safe).
    pub(crate) fn wake_loop(&self) {
        self.waker.wake();
    }
}
