//! Loop-level callbacks: [`call_soon`], [`call_later`], [`call_at`], and [`LoopHandle`], the
//! thread-safe way into a loop from outside it.

use std::future::Future;
use std::time::Duration;

use super::threadsafe::{self, ThreadsafeTask};
use super::{spawn, Task};
use crate::executor::{self, Injected, Shared};
use crate::time::{sleep, sleep_until, Instant};
use std::sync::Arc;

/// A scheduled callback (asyncio's `Handle`/`TimerHandle`). Dropping it leaves the callback
/// scheduled; [`CallHandle::cancel`] unschedules it.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// wasio::testing::run(async {
///     let h: wasio::CallHandle = wasio::call_later(Duration::from_secs(1), || {});
///     assert!(!h.is_done());
///     wasio::sleep(Duration::from_secs(1)).await;
///     wasio::yield_now().await;
///     assert!(h.is_done() && !h.is_cancelled());
/// });
/// ```
#[derive(Debug)]
pub struct CallHandle {
    task: Task<()>,
}

impl CallHandle {
    /// Unschedules the callback; `false` if it already ran or was cancelled.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::testing::run(async {
    ///     let h = wasio::call_soon(|| panic!("never runs"));
    ///     assert!(h.cancel());
    ///     assert!(!h.cancel()); // already cancelled
    ///     wasio::yield_now().await;
    /// });
    /// ```
    pub fn cancel(&self) -> bool {
        self.task.cancel()
    }
    /// Whether the callback was cancelled before it ran.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::testing::run(async {
    ///     let h = wasio::call_soon(|| {});
    ///     h.cancel();
    ///     wasio::yield_now().await;
    ///     assert!(h.is_cancelled());
    /// });
    /// ```
    pub fn is_cancelled(&self) -> bool {
        self.task.is_cancelled()
    }
    /// Whether the callback ran or was cancelled.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::testing::run(async {
    ///     let h = wasio::call_soon(|| {});
    ///     assert!(!h.is_done());
    ///     wasio::yield_now().await;
    ///     assert!(h.is_done());
    /// });
    /// ```
    pub fn is_done(&self) -> bool {
        self.task.is_done()
    }
}

/// Runs `f` at the loop's next turn, after everything already scheduled.
///
/// # Examples
///
/// ```
/// use std::{cell::Cell, rc::Rc};
/// let hit = Rc::new(Cell::new(0));
/// wasio::run({
///     let hit = hit.clone();
///     async move {
///         let _h = wasio::call_soon(move || hit.set(1));
///         wasio::yield_now().await;
///     }
/// });
/// assert_eq!(hit.get(), 1);
/// ```
pub fn call_soon(f: impl FnOnce() + 'static) -> CallHandle {
    CallHandle {
        task: spawn(async move { f() }),
    }
}

/// Runs `f` once `delay` has passed on the loop clock.
///
/// # Examples
///
/// ```
/// use std::{cell::Cell, rc::Rc, time::Duration};
/// let at = Rc::new(Cell::new(0.0));
/// wasio::testing::run({
///     let at = at.clone();
///     async move {
///         let _h = wasio::call_later(Duration::from_secs(2), move || at.set(wasio::time()));
///         let never = wasio::call_later(Duration::from_secs(1), || panic!("cancelled"));
///         assert!(never.cancel());
///         wasio::sleep(Duration::from_secs(3)).await;
///     }
/// });
/// assert_eq!(at.get(), 2.0);
/// ```
pub fn call_later(delay: Duration, f: impl FnOnce() + 'static) -> CallHandle {
    CallHandle {
        task: spawn(async move {
            sleep(delay).await;
            f()
        }),
    }
}

/// Runs `f` at `when` on the loop clock.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// wasio::testing::run(async {
///     let h = wasio::call_at(wasio::Instant::now() + Duration::from_secs(1), || {});
///     wasio::sleep(Duration::from_secs(2)).await;
///     assert!(h.is_done() && !h.is_cancelled());
/// });
/// ```
pub fn call_at(when: Instant, f: impl FnOnce() + 'static) -> CallHandle {
    CallHandle {
        task: spawn(async move {
            sleep_until(when).await;
            f()
        }),
    }
}

/// The loop is gone: the work was not accepted.
///
/// # Examples
///
/// ```
/// let (tx, rx) = std::sync::mpsc::channel();
/// std::thread::spawn(move || {
///     wasio::run(async move { tx.send(wasio::LoopHandle::current()).unwrap() });
/// })
/// .join()
/// .unwrap();
/// // That thread and its loop have ended.
/// let handle = rx.recv().unwrap();
/// assert_eq!(handle.call_soon_threadsafe(|| {}), Err(wasio::task::LoopClosed));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoopClosed;

impl std::fmt::Display for LoopClosed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the event loop has shut down")
    }
}

impl std::error::Error for LoopClosed {}

/// A thread-safe handle to a loop: other threads submit callbacks and futures through it
/// (`call_soon_threadsafe`, `run_coroutine_threadsafe`). It is `Send + Sync + Clone`.
///
/// Work submitted this way enters the loop's injection queue and runs at the loop's next turn;
/// a loop blocked in [`run`](crate::run) is woken.
///
/// # Examples
///
/// ```
/// wasio::run(async {
///     let handle = wasio::LoopHandle::current();
///     let answer = std::thread::spawn(move || {
///         handle.spawn_threadsafe(async { 6 * 7 }).unwrap()
///     })
///     .join()
///     .unwrap();
///     assert_eq!(answer.await.unwrap(), 42);
/// });
/// ```
#[derive(Clone)]
pub struct LoopHandle {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for LoopHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LoopHandle")
    }
}

impl LoopHandle {
    /// The handle of this thread's loop.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let handle = wasio::LoopHandle::current();
    ///     let (tx, rx) = futures_channel::oneshot::channel();
    ///     std::thread::spawn(move || handle.call_soon_threadsafe(move || tx.send(1).unwrap()));
    ///     assert_eq!(rx.await, Ok(1));
    /// });
    /// ```
    pub fn current() -> LoopHandle {
        LoopHandle {
            shared: executor::with(|ex| ex.handle_shared()),
        }
    }

    /// Runs `f` on the loop at its next turn.
    ///
    /// # Errors
    ///
    /// [`LoopClosed`] if the loop's thread has ended.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::atomic::{AtomicBool, Ordering};
    /// use std::sync::Arc;
    /// let ran = Arc::new(AtomicBool::new(false));
    /// wasio::run({
    ///     let ran = ran.clone();
    ///     async move {
    ///         let handle = wasio::LoopHandle::current();
    ///         let (tx, rx) = futures_channel::oneshot::channel::<()>();
    ///         std::thread::spawn(move || {
    ///             handle.call_soon_threadsafe(move || {
    ///                 ran.store(true, Ordering::SeqCst);
    ///                 let _ = tx.send(());
    ///             })
    ///         });
    ///         rx.await.unwrap();
    ///     }
    /// });
    /// assert!(ran.load(Ordering::SeqCst));
    /// ```
    pub fn call_soon_threadsafe(
        &self,
        f: impl FnOnce() + Send + 'static,
    ) -> Result<(), LoopClosed> {
        if !self
            .shared
            .inject(Injected::Call(Box::new(f), run_callback))
        {
            return Err(LoopClosed);
        }
        // From the loop's own thread (the only thread a single-threaded wasm build has), no other
        // thread's wake-up is coming: a loop driven by host callbacks (the browser) needs a turn
        // requested, as a wake-up of a task would.
        if executor::on_home_thread(&self.shared) {
            let _ = executor::try_with(|ex| ex.request_turn());
        }
        Ok(())
    }

    /// Spawns `future` on the loop from any thread (asyncio's `run_coroutine_threadsafe`) and
    /// returns a [`ThreadsafeTask`]: a `Send + Sync` handle that another thread can block on
    /// ([`join`](ThreadsafeTask::join), [`join_timeout`](ThreadsafeTask::join_timeout), which
    /// cancels the task on timeout), that any executor, this loop's included, can await, and
    /// that [`cancel`](ThreadsafeTask::cancel)s the task on its loop. Dropping the handle leaves
    /// the task running. If the loop closes first, the outcome is a cancelled `JoinError`.
    ///
    /// # Errors
    ///
    /// [`LoopClosed`] if the loop's thread has ended.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// wasio::run(async {
    ///     let handle = wasio::LoopHandle::current();
    ///     let (tx, rx) = futures_channel::oneshot::channel();
    ///     std::thread::spawn(move || {
    ///         // Work that needs the loop (a timer), started from another thread:
    ///         let out = handle.spawn_threadsafe(async {
    ///             wasio::sleep(Duration::from_millis(1)).await;
    ///             "slept"
    ///         });
    ///         tx.send(out.unwrap()).unwrap();
    ///     });
    ///     let out: wasio::task::ThreadsafeTask<&str> = rx.await.unwrap();
    ///     assert_eq!(out.await.unwrap(), "slept");
    /// });
    /// ```
    pub fn spawn_threadsafe<F>(&self, future: F) -> Result<ThreadsafeTask<F::Output>, LoopClosed>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let (task, completer) = threadsafe::pair(self.shared.clone());
        self.call_soon_threadsafe(move || threadsafe::run_on_loop(future, completer))?;
        Ok(task)
    }
}

/// Runs a callback from [`LoopHandle::call_soon_threadsafe`] on its loop's thread, in a task of its
/// own (so it runs in turn with the ready tasks, and a panic in it ends only that task).
fn run_callback(f: Box<dyn FnOnce() + Send>) {
    super::spawn_detached(async move { f() });
}
