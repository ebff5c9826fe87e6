//! Blocking entry points: [`run`], [`try_run`] and [`Runner`].
//!
//! A `Runner` owns the thread's loop for its lifetime. `Runner::run(fut)` polls `fut` in place (it
//! need not be `'static`) and turns the loop between polls until `fut` completes; tasks it spawned
//! stay alive for the next `run` on the same runner. Dropping the runner (or [`Runner::close`])
//! cancels every task still alive, running their destructors, as `asyncio.run` does on return.

use std::fmt;
use std::future::Future;
use std::mem::ManuallyDrop;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

use super::{step, with, Next, Shared, SimulatedClock, DEFAULT_BUDGET};
use crate::host;

/// Why a loop could not be started.
///
/// # Examples
///
/// ```
/// let err = wasio::run(async { wasio::try_run(async { 1 }) }).unwrap_err();
/// assert_eq!(err, wasio::RunError::AlreadyRunning);
/// assert!(err.to_string().contains("event loop is running"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RunError {
    /// `run` was called while this thread's loop was already running (from inside a task, or from
    /// a second `Runner` while the first is running). asyncio raises `RuntimeError` here.
    AlreadyRunning,
    /// A blocking `run` was called on a host whose loop cannot block (the browser): use
    /// [`spawn`](crate::spawn) or [`future_to_promise`](crate) instead.
    CannotBlock,
    /// The future passed to `run` waits, but nothing can ever wake it: no task is ready, no timer
    /// is armed, no I/O is pending, and (on WASI, which has one thread) nobody else exists to wake
    /// the loop. Natively another thread might still wake it, so there the loop waits instead.
    Deadlock,
    /// `run` was called on a [`Runner`] after [`Runner::close`] (asyncio raises `RuntimeError:
    /// Runner is closed`). Nothing ran.
    Closed,
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::AlreadyRunning => {
                f.write_str("wasio::run cannot be called while this thread's event loop is running")
            }
            RunError::CannotBlock => {
                f.write_str("wasio::run cannot block on this host: spawn the future instead")
            }
            RunError::Deadlock => f.write_str(
                "wasio::run deadlocked: the main future waits, but no task is ready, no timer is \
                 armed and no I/O is pending",
            ),
            RunError::Closed => f.write_str("Runner is closed"),
        }
    }
}

impl std::error::Error for RunError {}

/// Wakes the future passed to `Runner::run` (it is not a task, so it has its own flag).
///
/// Its wakers are `Arc<MainWaker>` references behind [`MAIN_WAKER`]'s functions (not std's
/// `Wake`), so that `try_run` can release its own reference with a direct call ([`MainRef`]):
/// a future that never clones its waker (a `wasi:http` handler answered at once) then calls no
/// waker function through a table, and in `wasmtime serve` the first call through each table
/// entry costs every request a lazy fill of that entry (about 1,900 instructions) and the
/// table's page two page faults.
struct MainWaker {
    woken: AtomicBool,
    shared: Arc<Shared>,
}

// Wakers may be sent to and woken from any thread.
const _: fn() = || {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<MainWaker>();
};

impl MainWaker {
    fn wake_now(&self) {
        self.woken.store(true, Ordering::Release);
        self.shared.wake_loop();
    }
}

/// The main future's waker functions; a waker's data pointer is `Arc::into_raw` of the
/// `Arc<MainWaker>` reference it owns.
static MAIN_WAKER: RawWakerVTable =
    RawWakerVTable::new(main_clone, main_wake, main_wake_by_ref, main_drop);

#[allow(unsafe_code)]
unsafe fn main_clone(ptr: *const ()) -> RawWaker {
    // SAFETY: the waker's reference keeps the `MainWaker` alive; the clone owns a new one.
    unsafe { Arc::increment_strong_count(ptr.cast::<MainWaker>()) };
    RawWaker::new(ptr, &MAIN_WAKER)
}

#[allow(unsafe_code)]
unsafe fn main_wake(ptr: *const ()) {
    // SAFETY: the waker owns this reference, released here.
    let main = unsafe { Arc::from_raw(ptr.cast::<MainWaker>()) };
    main.wake_now();
}

#[allow(unsafe_code)]
unsafe fn main_wake_by_ref(ptr: *const ()) {
    // SAFETY: the waker's reference keeps the `MainWaker` alive.
    unsafe { &*ptr.cast::<MainWaker>() }.wake_now();
}

#[allow(unsafe_code)]
unsafe fn main_drop(ptr: *const ()) {
    // SAFETY: the waker owns this reference, released here.
    drop(unsafe { Arc::from_raw(ptr.cast::<MainWaker>()) });
}

/// `try_run`'s own waker of its main future, whose reference is released by a direct call
/// when the run ends (see [`MainWaker`]); its clones are ordinary wakers.
struct MainRef(ManuallyDrop<Waker>);

impl MainRef {
    #[allow(unsafe_code)]
    fn new(main: &Arc<MainWaker>) -> MainRef {
        let ptr = Arc::into_raw(main.clone()).cast::<()>();
        // SAFETY: `MAIN_WAKER`'s functions take the data pointer as the `Arc<MainWaker>`
        // reference the waker owns, which `ptr` is.
        let waker = unsafe { Waker::from_raw(RawWaker::new(ptr, &MAIN_WAKER)) };
        MainRef(ManuallyDrop::new(waker))
    }
}

impl Drop for MainRef {
    #[allow(unsafe_code)]
    fn drop(&mut self) {
        // SAFETY: the waker's data pointer is the reference made in `new`, released once, here
        // (the waker itself is never dropped).
        drop(unsafe { Arc::from_raw(self.0.data().cast::<MainWaker>()) });
    }
}

/// Runs several futures, one after another, on this thread's loop.
///
/// # Examples
///
/// ```
/// let mut runner = wasio::Runner::new();
/// let t = runner.run(async { wasio::spawn(async { 40 + 2 }) });
/// assert_eq!(runner.run(t).unwrap(), 42);
/// ```
#[derive(Debug)]
pub struct Runner {
    simulated: bool,
    /// Set by `close`: the runner refuses to run again.
    closed: bool,
    /// Holds this thread's loop on the simulated clock while the runner owns it (a simulated
    /// runner only; see `clock.rs`). Made with the runner, or by the first `run` if the runner
    /// was made while the loop was running; dropped by `close` and with the runner.
    clock: Option<SimulatedClock>,
    _not_send: std::marker::PhantomData<*const ()>,
}

impl Default for Runner {
    fn default() -> Self {
        Runner::new()
    }
}

impl Runner {
    /// A runner on the host clock.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut runner = wasio::Runner::new();
    /// assert_eq!(runner.run(async { 2 + 2 }), 4);
    /// ```
    pub fn new() -> Runner {
        Runner {
            simulated: false,
            closed: false,
            clock: None,
            _not_send: std::marker::PhantomData,
        }
    }

    /// A runner on a simulated clock that starts at zero and jumps to the next deadline whenever no
    /// task is ready. See [`testing`](crate::testing).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let mut runner = wasio::Runner::simulated();
    /// let slept = runner.run(async {
    ///     wasio::sleep(Duration::from_secs(86_400)).await; // a day, in no time
    ///     wasio::Instant::now().since_origin()
    /// });
    /// assert_eq!(slept, Duration::from_secs(86_400));
    /// ```
    pub fn simulated() -> Runner {
        let running = with(|ex| ex.running.get());
        Runner {
            simulated: true,
            closed: false,
            clock: (!running).then(SimulatedClock::start),
            _not_send: std::marker::PhantomData,
        }
    }

    /// Runs `future` to completion, turning the loop for every task it spawned meanwhile.
    ///
    /// # Panics
    ///
    /// If the loop is already running on this thread, if the runner was closed, or (on WASI) if
    /// it deadlocks; [`Runner::try_run`] returns the error instead.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::{cell::Cell, rc::Rc};
    /// let mut runner = wasio::Runner::new();
    /// let hits = Rc::new(Cell::new(0));
    /// let h = hits.clone();
    /// // A task spawned by one `run` and left running goes on in the next.
    /// runner.run(async move {
    ///     wasio::spawn(async move {
    ///         wasio::yield_now().await;
    ///         wasio::yield_now().await;
    ///         h.set(h.get() + 1);
    ///     });
    /// });
    /// runner.run(async { while wasio::task_count() > 0 { wasio::yield_now().await } });
    /// assert_eq!(hits.get(), 1);
    /// ```
    pub fn run<F: Future>(&mut self, future: F) -> F::Output {
        match self.try_run(future) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    /// Like [`Runner::run`], but reports a loop that is already running, a closed runner
    /// ([`RunError::Closed`]) or (on WASI) a deadlock as an error.
    ///
    /// # Examples
    ///
    /// ```
    /// let nested = wasio::run(async { wasio::try_run(async {}) });
    /// assert_eq!(nested, Err(wasio::RunError::AlreadyRunning));
    /// let mut runner = wasio::Runner::new();
    /// runner.close();
    /// assert_eq!(runner.try_run(async { 1 }), Err(wasio::RunError::Closed));
    /// ```
    pub fn try_run<F: Future>(&mut self, future: F) -> Result<F::Output, RunError> {
        if self.closed {
            return Err(RunError::Closed);
        }
        let Some(host) = host::BLOCKING else {
            return Err(RunError::CannotBlock);
        };
        let shared = with(|ex| {
            if ex.running.replace(true) {
                return Err(RunError::AlreadyRunning);
            }
            Ok(ex.shared().clone())
        })?;
        if self.simulated && self.clock.is_none() {
            self.clock = Some(SimulatedClock::start());
        }
        struct Reset;
        impl Drop for Reset {
            fn drop(&mut self) {
                let _ = super::try_with(|ex| ex.running.set(false));
            }
        }
        let _reset = Reset;
        let main = Arc::new(MainWaker {
            woken: AtomicBool::new(true),
            shared,
        });
        let waker = MainRef::new(&main);
        let mut cx = Context::from_waker(&waker.0);
        let mut future = pin!(future);
        loop {
            if main.woken.swap(false, Ordering::AcqRel) {
                if let Poll::Ready(v) = future.as_mut().poll(&mut cx) {
                    return Ok(v);
                }
            }
            let next = step(DEFAULT_BUDGET, true);
            if main.woken.load(Ordering::Acquire) {
                (host.poll_io)(); // work remains: still look at I/O, without blocking
                continue;
            }
            match next {
                Next::Run => (host.poll_io)(), // as above
                Next::Jump => {}               // the next step jumps the simulated clock
                Next::Wait(deadline) => {
                    if deadline.is_none() && !(host.can_wake_without_timer)() {
                        return Err(RunError::Deadlock);
                    }
                    // (A deadline to wait for means the host clock: the simulated one jumps.)
                    let timeout = deadline.map(|d| d.saturating_sub(host::now_nanos()));
                    (host.park)(timeout);
                }
            }
        }
    }

    /// Cancels every task still alive on this loop (their destructors run) and returns how many.
    /// The runner is closed from then on: `run` and `try_run` refuse with [`RunError::Closed`]
    /// (asyncio's `Runner.close`). Closing again does nothing and returns 0. Called from inside a
    /// running loop (a second runner, in a task) it does nothing: that loop's own runner closes it.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut runner = wasio::Runner::new();
    /// runner.run(async {
    ///     wasio::spawn(std::future::pending::<()>());
    ///     wasio::spawn(std::future::pending::<()>());
    ///     wasio::yield_now().await;
    /// });
    /// assert_eq!(runner.close(), 2);
    /// assert_eq!(runner.close(), 0);
    /// assert_eq!(runner.try_run(async {}), Err(wasio::RunError::Closed));
    /// ```
    pub fn close(&mut self) -> usize {
        if self.closed {
            return 0;
        }
        let Some(n) = with(|ex| (!ex.running.get()).then(|| ex.close())) else {
            return 0;
        };
        self.closed = true;
        // The next `run` starts a fresh simulated clock, at zero.
        self.clock = None;
        n
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        if self.closed {
            return;
        }
        let _ = super::try_with(|ex| {
            if !ex.running.get() {
                ex.close();
            }
        });
    }
}

/// Runs `future` on this thread's loop until it completes, then cancels every task still alive
/// (`asyncio.run`).
///
/// `run` blocks the thread, so it is for native programs, tests and WASI components. **In a
/// browser (or Node) the loop cannot block**: there `run` panics with the message of
/// [`RunError::CannotBlock`] (and [`try_run`] returns it). Start work with
/// [`spawn`](crate::spawn) from a `#[wasm_bindgen(start)]` function instead, or hand a future to
/// JS as a promise with `wasio::browser::future_to_promise` (see the `browser` module and
/// `examples/browser-app`).
///
/// # Panics
///
/// With the message of the [`RunError`] that [`try_run`] would return:
/// [`AlreadyRunning`](RunError::AlreadyRunning) if called while this thread's loop is running,
/// [`CannotBlock`](RunError::CannotBlock) on a host whose loop cannot block (the browser),
/// [`Deadlock`](RunError::Deadlock) on WASI when the future can never be woken.
///
/// # Examples
///
/// ```
/// let out = wasio::run(async {
///     let t = wasio::spawn(async { 21 * 2 });
///     t.await.unwrap()
/// });
/// assert_eq!(out, 42);
/// ```
pub fn run<F: Future>(future: F) -> F::Output {
    Runner::new().run(future)
}

/// Like [`run`], but returns a [`RunError`] instead of panicking: `AlreadyRunning` inside a
/// running loop, `CannotBlock` in a browser or Node (spawn there instead), `Deadlock` on WASI
/// when the future can never be woken.
///
/// # Examples
///
/// ```
/// assert_eq!(wasio::try_run(async { 7 }), Ok(7));
/// ```
pub fn try_run<F: Future>(future: F) -> Result<F::Output, RunError> {
    Runner::new().try_run(future)
}
