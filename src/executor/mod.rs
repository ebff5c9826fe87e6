//! The portable core: one cooperative, single-threaded executor per thread.
//!
//! # Data structure
//!
//! Each thread owns at most one [`Executor`], a thread-local whose fields all start empty (`shared`
//! is created on first use), so it can be built at compile time where thread-locals are plain
//! statics (wasm). It holds:
//!
//! * `tasks`: the registry of live tasks that have been polled ([`TaskList`], an intrusive list
//!   through the task headers). A task enters it when its first poll returns `Pending` and leaves
//!   when its future returns or is dropped; closing the loop drops every future still in it (and
//!   those of tasks still waiting in `ready` for their first poll, which is why a task that
//!   finishes in its first poll never needs to enter it). `live` counts every task spawned and
//!   not yet ended. Task references are counted without atomics (`task_rc.rs`).
//! * `ready`: the FIFO ready queue. A wake-up pushes the task at most once (the `QUEUED` bit); a
//!   turn pops tasks in order and polls each once. A task woken during its own poll (as
//!   [`yield_now`](crate::yield_now) does) goes to the back, behind every task already ready.
//! * `timers`: the one deadline structure of the loop, owned by `timers/` (arming, firing and the
//!   borrow rule live there). A turn fires due timers
//!   through `fire`, a function pointer set when the first timer is armed, so a program that never
//!   arms one (an echo server) links none of the firing code.
//! * `clock`: the host clock, or a simulated one that only moves when the loop is idle and jumps
//!   straight to the next deadline.
//! * `shared`: the thread-safe injection queue for wakes and callbacks from other threads, created
//!   when the first task is spawned or the loop first runs; until then nothing can have been
//!   injected.
//!
//! Every field is behind a `Cell` or `RefCell` and borrowed only for the few instructions that touch
//! it: no borrow is held while a task is polled or a future or waker is dropped, so user code may
//! spawn, wake, arm timers or cancel from anywhere, including destructors.
//!
//! # Turns
//!
//! [`Executor::turn`] is one turn of the loop: take what other threads injected, fire due timers,
//! then poll up to `budget` tasks from the front of the ready queue, including tasks woken during
//! the turn (they queue behind those already ready, so FIFO fairness holds; the budget bounds how
//! long timers and I/O wait). Drivers never call it directly: they call the loop step
//! ([`step`], `step.rs`), which owns the policy around a turn (the simulated clock's jump, and
//! what the driver should do next). Blocking hosts drive steps from [`Runner`]; the browser
//! drives them from microtasks (see `host::browser::driver`).
//!
//! # Keeping builds small: one pattern
//!
//! Code a program may never need is reached only through a function pointer in the executor that
//! the feature's first use sets, so LTO drops it from programs that never use the feature:
//! `fire` (timers: set by the first timer armed), `drain` (the injection queue in single-threaded
//! builds: set by the first `LoopHandle`), `trace` (set by a subscriber) and `jump` (the simulated
//! clock: set by `SimulatedClock`). Each field's doc says so, and each was measured on the WASI
//! echo component and the browser hello-world app (CHANGELOG.md). Two size measures show in the
//! public API, each documented and measured there: `net::start_tcp_server` (names its transport
//! at compile time) and the provided `Listener::backoff` (lets WASI wait on a clock pollable
//! instead of linking timer insertion). Std's own machinery is kept out the same way, by not
//! naming it on a path every program links: an `io::Error` with a runtime message boxes it as
//! `io_message::Message` in the browser build (no escaping `Debug` in the vtable; WASI's std links
//! that `Debug` anyway), and integer arithmetic on the timer paths stays in u64 (no u128
//! division, and no u64 `checked_mul`, a 128-bit multiply on wasm32: `time::instant::nanos_u64`).
//! Each spawned future type adds only its stage functions: all tasks share one waker vtable
//! (`task_cell::WAKER`), which finds the task's type-erased pointer in its header, and a handle
//! reads the output through `task_cell::OutputCell`, so joining is compiled once per output type
//! (the small app's four `()` tasks share it). In browser builds, work that took several imports
//! from Rust is one call into the JS glue (`host::browser::glue`: starting a `fetch`, its
//! `AbortController`, reading a body chunk, a JS error's text, a promise with its settle
//! functions, the microtask and macrotask primitives, binding the driver's one closure to each
//! kind of slice), and a `fetch` response's status, status text, URL and headers are read from JS
//! only when asked (`http::response`): with the output slot above, 3.3 KB gzip of the small app
//! (`benches/wasm-app-wasio`, 32,918 → 29,581 B, CHANGELOG.md). A third pass took the small app
//! to 1.16x its wasm-bindgen-futures peer in every row of `benches/node/run.sh`'s table (it was
//! 1.31x after `wasm-opt`; figures in CHANGELOG.md):
//!
//! * type-independent code that every spawn, deadline or clock reading inlined is one shared copy
//!   in wasm, and stays inline natively (`start` below, `Instant::now` and `saturating_add`, the
//!   loop clock's reading in `clock.rs`, the browser clock's conversion);
//! * a task in a single-threaded build records no home (`task_cell::Home`: no `Arc` per task, and
//!   the `Shared` half exists only once a `LoopHandle` does), and dropping a `Task` reaches the
//!   cancel-on-drop path through a pointer (`cancel_on_drop`) that only `Task::cancel_on_drop`
//!   sets;
//! * panic sites cost their message and location: the wait list, a queue's `put` and the task
//!   list have none, and the queue, the browser driver and `JsPromise` borrow their `RefCell`s
//!   through `crate::borrow` (one location for all);
//! * in browser builds the driver's state (its micro- and macrotask primitives, its bound slices,
//!   its timer handle) lives in one JS object, a `future_to_promise` promise is settled by one
//!   glue call, promise settlements come through the driver's one closure instead of a closure
//!   per promise, and without `recover` one task runs the future and settles its promise
//!   (`browser::promise`).
//!
//! In browser builds, trap recovery is the `recover` feature: whether an app panics is the one
//! thing here the linker cannot see (`host::browser::driver`).

mod clock;
mod names;
#[cfg(all(target_arch = "wasm32", target_os = "unknown", feature = "recover"))]
mod recover;
mod runner;
mod shared;
mod step;
mod task_cell;
mod task_list;
mod task_rc;
mod timers;

use std::cell::{Cell, OnceCell, RefCell, RefMut};
use std::collections::VecDeque;
use std::future::Future;
use std::rc::Rc;
use std::sync::Arc;

pub(crate) use clock::SimulatedClock;
pub use runner::{run, try_run, RunError, Runner};
pub(crate) use shared::{Injected, Shared};
pub(crate) use step::{step, Next};
pub(crate) use task_cell::{HasHeader, JoinTarget, RawTask, UNDELIVERED};
use task_cell::{CANCEL, DONE, LINKED, QUEUED};
pub(crate) use task_rc::{on_home_thread, TaskRc};
use timers::Deadlines;
pub(crate) use timers::TimerKey;

use crate::borrow::borrow_mut;
use crate::host;
use crate::task::TaskId;
use crate::time::Instant;
use crate::trace::Event;
use std::ptr::NonNull;
use task_cell::TaskCell;
use task_list::TaskList;

/// A trace subscriber (see `crate::trace`).
pub(crate) type Subscriber = Rc<dyn Fn(&Event)>;

/// How many tasks one turn of a blocking loop polls before it looks at timers and I/O again.
pub(crate) const DEFAULT_BUDGET: usize = 256;

/// Cancels a task whose handle was dropped (`Executor::cancel_dropped`).
type CancelDropped = fn(&Executor, TaskRc<dyn RawTask>);

/// Reports an event of a kind with its number (`Executor::emit_kind`).
type Report = fn(&Executor, EventKind, u64);

/// An [`Event`] without its number, as an event site passes it to [`Executor::emit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EventKind {
    /// The task's name, if any, is already in `names`.
    Spawn,
    Wake,
    PollBegin,
    /// Whether the poll finished the task.
    PollEnd(bool),
    Complete,
    CancelRequested,
    Cancelled,
    TimerArmed,
    TimerFired,
}

/// What a turn left behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TurnState {
    /// Tasks ready to run now.
    pub(crate) ready: usize,
    /// The earliest armed deadline (loop clock, nanoseconds).
    pub(crate) next_deadline: Option<u64>,
}

pub(crate) struct Executor {
    shared: OnceCell<Arc<Shared>>,
    tasks: TaskList,
    live: Cell<usize>,
    ready: RefCell<VecDeque<TaskRc<dyn RawTask>>>,
    timers: RefCell<Deadlines>,
    simulated: Cell<bool>,
    /// While the clock is simulated, the loop step's jump to the next deadline
    /// ([`jump_if_idle`](Self::jump_if_idle)): reached only through this pointer, so a program
    /// that never simulates the clock does not link it.
    jump: Cell<Option<fn(&Executor)>>,
    /// The loop clock's latest reading: the time itself on the simulated clock, else the host
    /// clock as [`now`](Self::now) last read it (a turn with armed timers reads it first).
    reading: Cell<u64>,
    next_id: Cell<u64>,
    /// The task being polled, if any. `run_task` holds a reference to it for the whole poll (and a
    /// poll cut short by a trap or a JS exception leaks that reference), so the pointer stays
    /// valid.
    current: Cell<Option<NonNull<dyn RawTask>>>,
    names: names::TaskNames,
    /// The loop that fires due timers ([`fire_due`](Self::fire_due)), set when the first timer is
    /// armed: reached only through this pointer, so a program that never arms a timer does not
    /// link the deadline queue's removal code.
    fire: Cell<Option<fn(&Executor)>>,
    /// The injection queue's drain, in a single-threaded build once a `LoopHandle` exists (see
    /// [`take_injected`](Self::take_injected)).
    drain: Cell<Option<fn(&Executor)>>,
    in_turn: Cell<bool>,
    turn_requested: Cell<bool>,
    /// A blocking `Runner::run` is driving this loop.
    pub(crate) running: Cell<bool>,
    tracer: RefCell<Option<Subscriber>>,
    /// While a subscriber is set, the function that reports events to it
    /// ([`emit_kind`](Self::emit_kind)); reached only through this pointer, so a program that
    /// never sets a subscriber does not link the reporting code.
    trace: Cell<Option<Report>>,
    /// Cancelling a task whose handle was dropped ([`cancel_dropped`](Self::cancel_dropped)),
    /// set by the first `Task::cancel_on_drop`: reached only through this pointer, so dropping a
    /// handle does not link the cancellation path in a program that never asks for it.
    cancel_on_drop: Cell<Option<CancelDropped>>,
}

thread_local! {
    // Where thread-locals are plain statics (wasm without threads), built at compile time: no
    // initializer, state check or destructor is linked. Elsewhere lazily: std's storage for a
    // const-built value with a destructor checks a three-way state on every access, which costs
    // the timer and spawn paths a few percent natively.
    #[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
    static EXECUTOR: Executor = const { Executor::new() };
    #[cfg(not(all(target_family = "wasm", not(target_feature = "atomics"))))]
    #[allow(clippy::missing_const_for_thread_local)]
    static EXECUTOR: Executor = Executor::new();
}

/// Runs `f` with this thread's executor.
pub(crate) fn with<R>(f: impl FnOnce(&Executor) -> R) -> R {
    EXECUTOR.with(f)
}

/// Like [`with`], but `None` while the thread is being torn down.
pub(crate) fn try_with<R>(f: impl FnOnce(&Executor) -> R) -> Option<R> {
    EXECUTOR.try_with(f).ok()
}

/// Schedules a task woken on its home thread (a waker woken elsewhere sends it home instead). While
/// the thread is being torn down there is no loop left to run it, and the reference is dropped.
#[inline]
pub(crate) fn wake_local(task: TaskRc<dyn RawTask>) {
    let _ = try_with(|ex| ex.schedule(task));
}

impl Executor {
    const fn new() -> Executor {
        Executor {
            shared: OnceCell::new(),
            tasks: TaskList::new(),
            live: Cell::new(0),
            ready: RefCell::new(VecDeque::new()),
            timers: RefCell::new(Deadlines::new()),
            simulated: Cell::new(false),
            jump: Cell::new(None),
            reading: Cell::new(0),
            next_id: Cell::new(1),
            current: Cell::new(None),
            names: names::TaskNames::new(),
            fire: Cell::new(None),
            drain: Cell::new(None),
            in_turn: Cell::new(false),
            turn_requested: Cell::new(false),
            running: Cell::new(false),
            tracer: RefCell::new(None),
            trace: Cell::new(None),
            cancel_on_drop: Cell::new(None),
        }
    }

    /// The thread-safe half, created (and this thread made its home) on first use.
    pub(crate) fn shared(&self) -> &Arc<Shared> {
        self.shared.get_or_init(|| {
            let shared = Shared::new();
            task_rc::set_home_thread(&shared);
            shared
        })
    }

    /// What a new task records of its home (see [`task_cell::Home`]).
    #[inline(always)]
    fn home(&self) -> task_cell::Home {
        #[cfg(not(all(target_family = "wasm", not(target_feature = "atomics"))))]
        return self.shared().clone();
        #[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
        task_cell::NoHome
    }

    /// The ready queue, borrowed (through [`crate::borrow`], like `timers`).
    #[inline]
    fn ready(&self) -> RefMut<'_, VecDeque<TaskRc<dyn RawTask>>> {
        borrow_mut(&self.ready)
    }

    // ----- tracing -----------------------------------------------------------------------------

    /// Reports an event to the subscriber, if there is one. A site passes only the event's kind
    /// and its number (a task id or a deadline): the `Event` is built in the cold function, so
    /// each site is one test and, when tracing, one call.
    #[inline]
    pub(crate) fn emit(&self, kind: EventKind, value: u64) {
        if let Some(report) = self.trace.get() {
            report(self, kind, value);
        }
    }

    #[cold]
    #[inline(never)]
    fn emit_kind(&self, kind: EventKind, value: u64) {
        use crate::trace::{wait, EventKind as Kind};
        let task = TaskId(value);
        let kind = match kind {
            EventKind::Spawn => Kind::Spawn {
                task,
                name: self.names.get(task).map(|n| n.to_string()),
                by: self.current_id(),
            },
            EventKind::Wake => Kind::Wake {
                task,
                by: self.current_id(),
            },
            EventKind::PollBegin => {
                wait::begin_poll();
                Kind::PollBegin { task }
            }
            EventKind::PollEnd(ready) => Kind::PollEnd {
                task,
                ready,
                reason: wait::end_poll().filter(|_| !ready),
            },
            EventKind::Complete => Kind::Complete { task },
            EventKind::CancelRequested => Kind::CancelRequested { task },
            EventKind::Cancelled => Kind::Cancelled { task },
            EventKind::TimerArmed => Kind::TimerArmed {
                deadline: Instant(value),
            },
            EventKind::TimerFired => Kind::TimerFired {
                deadline: Instant(value),
            },
        };
        // The loop clock, without moving `reading` on a real clock (tracing must not change
        // which deadlines a turn sees as due).
        let time = if self.simulated.get() {
            self.reading.get()
        } else {
            host::now_nanos()
        };
        self.emit_event(Event {
            time: Instant(time),
            kind,
        });
    }

    /// The id of the task being polled, if any.
    fn current_id(&self) -> Option<TaskId> {
        self.current().map(|t| t.header().id)
    }

    #[cold]
    #[inline(never)]
    fn emit_event(&self, event: Event) {
        let tracer = self.tracer.borrow().clone();
        if let Some(t) = tracer {
            t(&event);
        }
    }

    pub(crate) fn set_tracer(&self, tracer: Option<Subscriber>) {
        self.trace
            .set(tracer.is_some().then_some(Self::emit_kind as Report));
        crate::trace::wait::set_tracing(tracer.is_some());
        *self.tracer.borrow_mut() = tracer;
    }

    // ----- tasks -------------------------------------------------------------------------------

    pub(crate) fn spawn<F>(
        &self,
        future: F,
        name: Option<Rc<str>>,
    ) -> TaskRc<dyn JoinTarget<F::Output>>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let (task, raw) = TaskCell::allocate(self.next_task_id(), self.home(), future);
        self.start(raw, name);
        task
    }

    /// Spawns a task without a handle (as `spawn` and then `detach` would) and returns a
    /// type-erased reference to it (to cancel it by, or to drop).
    pub(crate) fn spawn_detached<F>(&self, future: F) -> TaskRc<dyn RawTask>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let (kept, raw) = TaskCell::allocate_detached(self.next_task_id(), self.home(), future);
        self.start(raw, None);
        kept
    }

    #[inline(always)]
    fn next_task_id(&self) -> TaskId {
        let id = TaskId(self.next_id.get());
        self.next_id.set(id.0 + 1);
        id
    }

    /// The type-independent part of `spawn`: counts, names and queues a new task. Natively
    /// inline (a call of its own costs every spawn a few ns); in wasm one shared copy: inlined,
    /// it was about 150 bytes at every spawn site (0.75 KB of the small app,
    /// `benches/wasm-app-wasio`, for its six; see the module docs' size paragraph).
    #[cfg_attr(target_family = "wasm", inline(never))]
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
    fn start(&self, raw: TaskRc<dyn RawTask>, name: Option<Rc<str>>) {
        let id = raw.header().id;
        self.live.set(self.live.get() + 1);
        if let Some(n) = name {
            self.names.insert(id, n);
        }
        self.emit(EventKind::Spawn, id.0);
        self.enqueue(raw);
    }

    /// Queues a task to be polled, at most once until it is polled.
    #[inline]
    pub(crate) fn schedule(&self, task: TaskRc<dyn RawTask>) {
        if !task.header().has(QUEUED | DONE) {
            self.enqueue(task);
        }
    }

    /// Queues a task that is neither queued nor done.
    #[inline(always)]
    fn enqueue(&self, task: TaskRc<dyn RawTask>) {
        let h = task.header();
        h.set(QUEUED);
        let id = h.id;
        self.ready().push_back(task);
        self.emit(EventKind::Wake, id.0);
        self.request_turn();
    }

    /// Tells a host whose loop is not blocked in `Runner::run` that a turn is needed.
    #[inline]
    pub(crate) fn request_turn(&self) {
        if !self.in_turn.get() && !self.running.get() && !self.turn_requested.get() {
            self.turn_requested.set(true);
            host::request_turn();
        }
    }

    pub(crate) fn task_count(&self) -> usize {
        self.live.get()
    }

    /// Whether the caller is the only thing on this loop that can make progress: it is the
    /// running loop's main future (called from a task, `live` counts that task), no task is
    /// alive, none is ready and no timer is armed. Then a blocking host call in the caller delays
    /// nobody (the WASI server's forwarded body uses it: see `http::wasi::serve`).
    #[cfg(all(target_os = "wasi", not(target_env = "p1")))]
    pub(crate) fn only_main_future(&self) -> bool {
        self.running.get()
            && self.current.get().is_none()
            && self.live.get() == 0
            && self.ready().is_empty()
            && self.armed_timers() == 0
    }

    #[allow(unsafe_code)]
    pub(crate) fn current(&self) -> Option<TaskRc<dyn RawTask>> {
        // SAFETY: `current` points at the task being polled, kept alive by `run_task` (see the
        // field's docs); this is its home thread.
        self.current
            .get()
            .map(|ptr| unsafe { TaskRc::clone_from_ptr(ptr) })
    }

    pub(crate) fn name_of(&self, id: TaskId) -> Option<Rc<str>> {
        self.names.get(id)
    }

    pub(crate) fn set_name(&self, id: TaskId, name: Rc<str>) {
        self.names.insert(id, name);
    }

    /// Requests cancellation; `false` if the task already ended or cancellation is already pending.
    pub(crate) fn cancel(&self, task: TaskRc<dyn RawTask>) -> bool {
        let h = task.header();
        if h.has(DONE | CANCEL) {
            return false;
        }
        h.set(CANCEL);
        let id = h.id;
        self.emit(EventKind::CancelRequested, id.0);
        // A `TaskRc` lives on its task's home thread, whose loop this is.
        self.schedule(task);
        true
    }

    /// From now on, [`cancel_dropped`](Self::cancel_dropped) cancels (`Task::cancel_on_drop`).
    pub(crate) fn enable_cancel_on_drop(&self) {
        self.cancel_on_drop.set(Some(|ex, task| {
            ex.cancel(task);
        }));
    }

    /// Cancels a task whose handle asked for it (`Task::cancel_on_drop`) and was dropped.
    #[inline]
    pub(crate) fn cancel_dropped(&self, task: TaskRc<dyn RawTask>) {
        if let Some(cancel) = self.cancel_on_drop.get() {
            cancel(self, task);
        }
    }

    #[inline(always)]
    fn retire(&self, task: &TaskRc<dyn RawTask>) {
        let h = task.header();
        drop(self.tasks.remove(h));
        self.live.set(self.live.get() - 1);
        let id = h.id;
        let cancelled = h.has(CANCEL);
        self.names.retire(id);
        let kind = if cancelled {
            EventKind::Cancelled
        } else {
            EventKind::Complete
        };
        self.emit(kind, id.0);
    }

    fn run_task(&self, task: TaskRc<dyn RawTask>) {
        let h = task.header();
        let id = h.id;
        let prev = self.current.replace(Some(task.as_ptr()));
        self.emit(EventKind::PollBegin, id.0);
        let ended = task.run();
        self.emit(EventKind::PollEnd(ended), id.0);
        self.current.set(prev);
        if ended {
            self.retire(&task);
        } else if !h.has(LINKED | DONE) {
            // Its first poll returned `Pending`: from now on wakers may exist (see `tasks`).
            self.tasks.push(task);
        }
    }

    // ----- turns -------------------------------------------------------------------------------

    /// One turn of the loop (see the module docs).
    pub(crate) fn turn(&self, budget: usize) -> TurnState {
        self.in_turn.set(true);
        self.turn_requested.set(false);
        self.take_injected();
        self.fire_timers();
        for _ in 0..budget {
            let Some(task) = self.ready().pop_front() else {
                break;
            };
            self.run_task(task);
        }
        self.in_turn.set(false);
        self.state()
    }

    pub(crate) fn state(&self) -> TurnState {
        TurnState {
            ready: self.ready().len()
                + usize::from(self.shared.get().is_some_and(|s| s.has_pending())),
            next_deadline: self.next_deadline(),
        }
    }

    /// Runs what other threads (or `LoopHandle`s) injected. In a single-threaded build only a
    /// [`LoopHandle`](crate::LoopHandle) can inject, so the draining code is reached through
    /// `drain`, set when the first handle is made (see [`handle_shared`](Self::handle_shared)),
    /// and a program that never makes one does not link it.
    fn take_injected(&self) {
        if task_rc::MULTI_THREADED {
            self.drain_injected();
        } else if let Some(drain) = self.drain.get() {
            drain(self);
        }
    }

    /// The shared half, for a `LoopHandle`, which may inject work from now on.
    pub(crate) fn handle_shared(&self) -> Arc<Shared> {
        self.drain.set(Some(Self::drain_injected));
        self.shared().clone()
    }

    #[allow(unsafe_code)]
    fn drain_injected(&self) {
        let Some(shared) = self.shared.get() else {
            return;
        };
        for item in shared.drain() {
            match item {
                // Only a waker on another thread sends these (never, in a single-threaded build).
                Injected::Task(task, op) if task_rc::MULTI_THREADED => {
                    // SAFETY: this is the home thread, draining its queue in push order.
                    if let Some(task) = unsafe { task_rc::apply(task, op) } {
                        self.schedule(task);
                    }
                }
                Injected::Call(f, run) => run(f),
                Injected::Task(..) => {}
            }
        }
    }

    /// Drops every task still alive (destructors run), repeatedly, since destructors may spawn.
    /// Returns how many were cancelled.
    pub(crate) fn close(&self) -> usize {
        let mut cancelled = 0;
        for _ in 0..16 {
            // Tasks never polled are only in `ready`; take them before `drain_into` unlinks the rest.
            let mut queued = std::mem::take(&mut *self.ready());
            let mut all = Vec::with_capacity(queued.len());
            // (`pop_front`, as `tick` uses, rather than an iterator chain of its own.)
            while let Some(task) = queued.pop_front() {
                if !task.header().has(LINKED) {
                    all.push(task);
                }
            }
            self.tasks.drain_into(&mut all);
            if all.is_empty() {
                break;
            }
            for task in all {
                let id = task.header().id;
                if task.abort_now() {
                    cancelled += 1;
                    self.live.set(self.live.get() - 1);
                    self.emit(EventKind::Cancelled, id.0);
                }
            }
        }
        self.names.clear();
        self.disarm_all_timers();
        self.turn_requested.set(false);
        cancelled
    }
}

impl Drop for Executor {
    fn drop(&mut self) {
        if let Some(shared) = self.shared.get() {
            shared.close();
        }
    }
}
