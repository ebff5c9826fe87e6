//! [`ThreadsafeTask`]: the handle [`LoopHandle::spawn_threadsafe`](super::LoopHandle::spawn_threadsafe)
//! returns (asyncio's `run_coroutine_threadsafe` and its `concurrent.futures.Future`).
//!
//! # Data structure
//!
//! One `Arc<Slot<T>>` shared by the handle (on any thread) and the task on the loop:
//!
//! * `state` (a `Mutex`): the outcome once there is one (`Result<T, JoinError>`), whether it was
//!   taken, the waker of whoever awaits the handle, and the loop-side task's waker;
//! * `ready` (a `Condvar`): signalled when the outcome is stored, for threads blocked in
//!   [`join`](ThreadsafeTask::join);
//! * `cancel` (an `AtomicBool`): set by [`cancel`](ThreadsafeTask::cancel).
//!
//! On the loop, the future runs inside a `Bridge` task. Each poll first looks at `cancel`: once it
//! is set, the bridge cancels its own task (the future is dropped at once, its destructors run on
//! the loop's thread). The outcome is stored exactly once, by whichever comes first: the future's
//! output, its panic, or the `Completer`'s drop, which reports cancellation (the task was
//! cancelled, the loop closed, or the callback that would have spawned it was dropped unrun). So a
//! thread blocked in `join` always wakes.

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use super::JoinError;
use crate::executor::{on_home_thread, Shared};
use crate::time::Elapsed;

struct State<T> {
    outcome: Option<Result<T, JoinError>>,
    /// The outcome was stored (and maybe taken since).
    done: bool,
    /// Whoever awaits the handle.
    awaiter: Option<Waker>,
    /// The loop-side task, to wake when cancellation is requested.
    task: Option<Waker>,
}

struct Slot<T> {
    state: Mutex<State<T>>,
    ready: Condvar,
    cancel: AtomicBool,
}

impl<T> Slot<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        // A poisoned lock only means a thread panicked while holding it; the state stays valid.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stores the outcome (the first one wins) and wakes every kind of waiter.
    fn complete(&self, outcome: Result<T, JoinError>) {
        let awaiter = {
            let mut st = self.lock();
            if st.done {
                return;
            }
            st.done = true;
            st.outcome = Some(outcome);
            st.task = None;
            st.awaiter.take()
        };
        self.ready.notify_all();
        if let Some(w) = awaiter {
            w.wake();
        }
    }
}

/// The loop side's claim on the slot: dropped without an outcome, it reports cancellation.
pub(crate) struct Completer<T> {
    slot: Arc<Slot<T>>,
}

impl<T> Drop for Completer<T> {
    fn drop(&mut self) {
        self.slot.complete(Err(JoinError::cancelled()));
    }
}

/// A new handle and the completer that goes to the loop with the future.
pub(crate) fn pair<T>(home: Arc<Shared>) -> (ThreadsafeTask<T>, Completer<T>) {
    let slot = Arc::new(Slot {
        state: Mutex::new(State {
            outcome: None,
            done: false,
            awaiter: None,
            task: None,
        }),
        ready: Condvar::new(),
        cancel: AtomicBool::new(false),
    });
    let completer = Completer { slot: slot.clone() };
    (ThreadsafeTask { slot, home }, completer)
}

/// Runs `future` on the loop (called there, by the injected callback) and reports its outcome.
pub(crate) fn run_on_loop<F>(future: F, completer: Completer<F::Output>)
where
    F: Future + 'static,
    F::Output: 'static,
{
    super::spawn_detached(Bridge {
        future: Box::pin(future),
        completer,
    });
}

struct Bridge<F: Future> {
    future: Pin<Box<F>>,
    completer: Completer<F::Output>,
}

impl<F: Future> Future for Bridge<F> {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let slot = &self.completer.slot;
        {
            // Registered before the flag is read: `cancel` sets the flag, then takes this waker
            // under the same lock, so a request is never missed.
            let mut st = slot.lock();
            match &st.task {
                Some(w) if w.will_wake(cx.waker()) => {}
                _ => st.task = Some(cx.waker().clone()),
            }
        }
        if slot.cancel.load(Ordering::Acquire) {
            // Cancelled from the handle: end this task the usual way (its future is dropped at
            // once; the completer then reports cancellation).
            if let Some(me) = super::current_task() {
                me.cancel();
            }
            return Poll::Pending;
        }
        let this = &mut *self;
        match catch_unwind(AssertUnwindSafe(|| this.future.as_mut().poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(v)) => {
                this.completer.slot.complete(Ok(v));
                Poll::Ready(())
            }
            Err(payload) => {
                this.completer
                    .slot
                    .complete(Err(JoinError::panicked(payload)));
                Poll::Ready(())
            }
        }
    }
}

/// A task spawned on a loop from anywhere ([`LoopHandle::spawn_threadsafe`](super::LoopHandle::spawn_threadsafe),
/// asyncio's `run_coroutine_threadsafe`): `Send + Sync`, so another thread can block on it
/// ([`join`](ThreadsafeTask::join), [`join_timeout`](ThreadsafeTask::join_timeout)), any
/// executor (this loop included) can await it, and anyone can [`cancel`](ThreadsafeTask::cancel)
/// it, which cancels the task on its loop.
///
/// Its outcome is the task's: `Ok(output)`, or a [`JoinError`] if the task was cancelled
/// (through this handle, or because its loop closed first) or panicked. Dropping the handle
/// leaves the task running, as dropping a [`Task`](crate::Task) does.
///
/// # Cancel safety
///
/// Awaiting it is cancel safe: dropping the await leaves the task running and the outcome in the
/// handle.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// wasio::run(async {
///     let handle = wasio::LoopHandle::current();
///     let (tx, rx) = std::sync::mpsc::channel();
///     let worker = std::thread::spawn(move || {
///         let task = handle
///             .spawn_threadsafe(async {
///                 wasio::sleep(Duration::from_millis(1)).await;
///                 6 * 7
///             })
///             .unwrap();
///         tx.send(()).unwrap();
///         task.join().unwrap() // blocks this thread, not the loop
///     });
///     rx.recv().unwrap(); // submitted (the loop runs it once we await)
///     while !worker.is_finished() {
///         wasio::sleep(Duration::from_millis(1)).await;
///     }
///     assert_eq!(worker.join().unwrap(), 42);
/// });
/// ```
pub struct ThreadsafeTask<T> {
    slot: Arc<Slot<T>>,
    /// The loop's shared half, to tell its thread from others.
    home: Arc<Shared>,
}

impl<T> std::fmt::Debug for ThreadsafeTask<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ThreadsafeTask")
            .field("done", &self.is_done())
            .finish()
    }
}

impl<T> ThreadsafeTask<T> {
    /// Whether the task has ended (returned, panicked or been cancelled).
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let t = wasio::LoopHandle::current().spawn_threadsafe(async { 1 }).unwrap();
    ///     assert!(!t.is_done());
    ///     wasio::sleep(std::time::Duration::from_millis(1)).await;
    ///     assert!(t.is_done());
    /// });
    /// ```
    pub fn is_done(&self) -> bool {
        self.slot.lock().done
    }

    /// Cancels the task on its loop (from any thread): its future is dropped at the loop's next
    /// turn, and the outcome becomes a cancelled [`JoinError`]. Returns `false`, changing
    /// nothing, if the task had already ended or its cancellation was already requested.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let t = wasio::LoopHandle::current()
    ///         .spawn_threadsafe(std::future::pending::<()>())
    ///         .unwrap();
    ///     assert!(t.cancel());
    ///     assert!(!t.cancel());
    ///     assert!(t.await.unwrap_err().is_cancelled());
    /// });
    /// ```
    pub fn cancel(&self) -> bool {
        let task = {
            let mut st = self.slot.lock();
            if st.done || self.slot.cancel.swap(true, Ordering::AcqRel) {
                return false;
            }
            st.task.take()
        };
        // Woken from another thread, the wake-up travels home through the loop's queue.
        if let Some(w) = task {
            w.wake();
        }
        true
    }

    /// Blocks the calling thread until the task ends, and returns its outcome.
    ///
    /// # Errors
    ///
    /// The task's [`JoinError`] if it was cancelled or panicked. Called on the loop's own thread
    /// before the task has ended, it would wait for ever (the loop cannot run while its thread is
    /// blocked): it returns an error at once instead ([`JoinError::is_would_block_loop`]), and the
    /// handle's task runs on.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = std::sync::mpsc::channel();
    /// let looper = std::thread::spawn(move || {
    ///     wasio::run(async move {
    ///         tx.send(wasio::LoopHandle::current()).unwrap();
    ///         wasio::sleep(std::time::Duration::from_millis(50)).await;
    ///     })
    /// });
    /// let handle = rx.recv().unwrap();
    /// let task = handle.spawn_threadsafe(async { "from the loop" }).unwrap();
    /// assert_eq!(task.join().unwrap(), "from the loop");
    /// looper.join().unwrap();
    /// ```
    pub fn join(self) -> Result<T, JoinError> {
        match self.block(None) {
            Some(outcome) => outcome,
            None => unreachable!("a join without a timeout returns only with an outcome"),
        }
    }

    /// Blocks the calling thread until the task ends or `timeout` passes (on the host clock). On
    /// timeout the task is cancelled, as asyncio's documentation shows for
    /// `run_coroutine_threadsafe`, and `Err(Elapsed)` is returned.
    ///
    /// # Errors
    ///
    /// [`Elapsed`] on timeout; the inner result is the task's outcome, as for
    /// [`join`](ThreadsafeTask::join) (including the error for the loop's own thread).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let (tx, rx) = std::sync::mpsc::channel();
    /// let looper = std::thread::spawn(move || {
    ///     wasio::run(async move {
    ///         tx.send(wasio::LoopHandle::current()).unwrap();
    ///         while wasio::task_count() == 0 {
    ///             wasio::sleep(Duration::from_millis(1)).await;
    ///         }
    ///         while wasio::task_count() > 0 {
    ///             wasio::sleep(Duration::from_millis(1)).await;
    ///         }
    ///     })
    /// });
    /// let handle = rx.recv().unwrap();
    /// let slow = handle.spawn_threadsafe(std::future::pending::<()>()).unwrap();
    /// assert!(slow.join_timeout(Duration::from_millis(20)).is_err()); // and it was cancelled
    /// looper.join().unwrap(); // the loop ended: its task is gone
    /// ```
    pub fn join_timeout(self, timeout: Duration) -> Result<Result<T, JoinError>, Elapsed> {
        match self.block(Some(timeout)) {
            Some(outcome) => Ok(outcome),
            None => {
                self.cancel();
                Err(Elapsed::new())
            }
        }
    }

    /// Waits for the outcome; `None` on timeout.
    fn block(&self, timeout: Option<Duration>) -> Option<Result<T, JoinError>> {
        let mut st = self.slot.lock();
        // The host clock is read only when about to wait: `std::time::Instant` does not exist on
        // every wasm target (where the loop's own thread returns before this).
        let mut deadline = None;
        loop {
            if st.done {
                return Some(
                    st.outcome
                        .take()
                        .unwrap_or_else(|| Err(JoinError::already_joined())),
                );
            }
            if on_home_thread(&self.home) {
                return Some(Err(JoinError::would_block_loop()));
            }
            if timeout.is_some_and(|t| t.is_zero()) {
                return None;
            }
            let deadline = *deadline
                .get_or_insert_with(|| timeout.map(|t| std::time::Instant::now().checked_add(t)));
            st = match deadline {
                None | Some(None) => self.slot.ready.wait(st).unwrap_or_else(|e| e.into_inner()),
                Some(Some(at)) => {
                    let left = at.saturating_duration_since(std::time::Instant::now());
                    if left.is_zero() {
                        return None;
                    }
                    let (st, _) = self
                        .slot
                        .ready
                        .wait_timeout(st, left)
                        .unwrap_or_else(|e| e.into_inner());
                    st
                }
            };
        }
    }
}

impl<T> Future for ThreadsafeTask<T> {
    type Output = Result<T, JoinError>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut st = self.slot.lock();
        if st.done {
            return Poll::Ready(
                st.outcome
                    .take()
                    .unwrap_or_else(|| Err(JoinError::already_joined())),
            );
        }
        match &st.awaiter {
            Some(w) if w.will_wake(cx.waker()) => {}
            _ => st.awaiter = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}
