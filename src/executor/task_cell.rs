//! One spawned task: its header, its future or output, and its waker.
//!
//! # Data structure
//!
//! A task is one heap allocation, a `Box<TaskCell<F>>` whose header counts its references (see
//! `task_rc.rs`), shared by at most three kinds of owner:
//!
//! * the executor's list of live tasks (`TaskList`) while the task is alive, and the ready queue
//!   while it is queued;
//! * the user's [`Task`](crate::task::Task) handle, until it is dropped or joined;
//! * every [`Waker`] cloned from it; the waker's data pointer *is* the `TaskCell` pointer, so waking
//!   costs no allocation and cloning a waker on the home thread is one plain increment.
//!
//! The task's *stage* is two slots: `future` (`Some` while running) and, right after the header,
//! `output` (`Some` once finished, until taken). It moves running (`future` set) → finished
//! (`output` set, `future` dropped) → consumed (both empty). Only the few functions that touch
//! `future` depend on the future's type (the [`RawTask`] methods). The output's place depends
//! only on the output's type (`TaskCell` and [`OutputCell`] are both `repr(C)` and start with the
//! same two fields), so the handle's reads of it (`dyn JoinTarget<T>`'s methods) are compiled once
//! per output type, not once per future type: an app's four `()` tasks share one. The state
//! machine around them is written once, on `dyn RawTask`, so each spawned future type adds little
//! code to a build. The state bits in `Header::state`:
//!
//! | bit | set by | cleared by | meaning |
//! |---|---|---|---|
//! | `QUEUED` | `Executor::schedule` | the executor, just before polling | in the ready queue; a wake-up is a no-op |
//! | `RUNNING` | whoever touches `stage`: a poll, a drop of the future, a read of the output | same | `stage` is borrowed: nobody else may touch it |
//! | `CANCEL` | `cancel()` | never | the next scheduling point drops the future instead of polling it |
//! | `DONE` | the executor, when the future returned or was dropped | never | `stage` is `Finished` or `Consumed` |
//! | `DETACHED` | dropping the `Task` handle, or taking its output | never | nobody will read the output: drop it as soon as it exists |
//! | `CANCELLED` | the executor, when cancellation dropped the future | never | the task ended cancelled |
//! | `LINKED` | `TaskList::push` | `TaskList::remove`/`drain_into` | in the executor's list of live tasks |
//! | `CANCEL_ON_DROP` | `Task::cancel_on_drop` | never | dropping the handle cancels the task |
//!
//! A task that ends in a poll during which its cancellation was requested (it called `cancel()` on
//! itself, which reported `true`) ends cancelled, its output dropped, as in asyncio; so does one
//! that returns with a cancel *request* (`Header::requests`, see `task::cancellable`) still
//! undelivered.
//!
//! # Threads
//!
//! Everything but `Header::home` is touched only on the thread that owns the executor (the *home*
//! thread), the reference count included. A waker may travel to another thread: cloning, dropping or
//! waking it there only reads `home` (immutable) and sends the operation home through `home`'s
//! thread-safe injection queue; the home thread applies it at its next turn (`task_rc.rs`). So the
//! task is always freed at home, and no `!Send` future or output is ever dropped off its thread.
//!
//! That is why a task's handle cannot leave its thread (its count is not atomic):
//!
//! ```compile_fail
//! fn needs_send<T: Send>(_: T) {}
//! wasio::run(async {
//!     let task = wasio::spawn(async { 1 });
//!     needs_send(task); // error: `Task<i32>` is not `Send`
//! });
//! ```
//!
//! while a waker, which sends what it does home, can:
//!
//! ```
//! fn needs_send<T: Send>(_: T) {}
//! wasio::run(async {
//!     let waker = std::future::poll_fn(|cx| std::task::Poll::Ready(cx.waker().clone())).await;
//!     needs_send(waker);
//! });
//! ```

use std::any::Any;
use std::cell::{Cell, UnsafeCell};
use std::future::Future;
use std::mem::ManuallyDrop;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::ptr::NonNull;
#[cfg(not(all(target_family = "wasm", not(target_feature = "atomics"))))]
use std::sync::Arc;
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

#[cfg(not(all(target_family = "wasm", not(target_feature = "atomics"))))]
use super::shared::Shared;
use super::task_list::Links;
use super::task_rc::{self, RemoteOp, TaskRc};
use crate::task::{JoinError, TaskId};

pub(crate) const QUEUED: u8 = 1;
pub(crate) const RUNNING: u8 = 2;
pub(crate) const CANCEL: u8 = 4;
pub(crate) const DONE: u8 = 8;
pub(crate) const DETACHED: u8 = 16;
pub(crate) const CANCELLED: u8 = 32;
pub(crate) const LINKED: u8 = 64;
pub(crate) const CANCEL_ON_DROP: u8 = 128;

/// What a task records of its home executor: its `Shared` half, through which a waker on another
/// thread sends its operation home (`task_rc.rs`). A single-threaded build (wasm without atomics)
/// has no other thread and one loop, so nothing: no `Arc` is cloned per spawn or released per task,
/// and an app that never makes a `LoopHandle` does not even create the `Shared` half (about 0.4 KB
/// of the small app, `benches/wasm-app-wasio`; see `executor`'s "Keeping builds small").
#[cfg(not(all(target_family = "wasm", not(target_feature = "atomics"))))]
pub(crate) type Home = Arc<Shared>;
/// See the other build's [`Home`].
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
pub(crate) type Home = NoHome;

/// A single-threaded build's [`Home`]: nothing to record.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
pub(crate) struct NoHome;

/// The type-independent part of a task.
pub(crate) struct Header {
    /// This task's own pointer, type-erased (written once, right after allocation, before any
    /// waker or reference exists; immutable after). The one waker vtable, [`WAKER`], shared by
    /// every task type, reads it to restore the `dyn RawTask` from a waker's data pointer.
    erased: NonNull<dyn RawTask>,
    pub(crate) id: TaskId,
    /// The executor this task belongs to (its injection queue is how other threads wake it).
    #[cfg_attr(
        all(target_family = "wasm", not(target_feature = "atomics")),
        allow(dead_code)
    )]
    pub(crate) home: Home,
    /// Its place in the executor's list of live tasks.
    pub(crate) links: Links,
    pub(crate) state: Cell<u8>,
    /// Counted references (home thread only; see `task_rc.rs`).
    pub(crate) refs: Cell<usize>,
    /// Who awaits the `Task` handle.
    pub(crate) join_waker: Cell<Option<Waker>>,
    /// Cancel requests delivered at await points (asyncio's `cancelling()` count, and in
    /// [`UNDELIVERED`] whether one still waits for the task's next cancellable await); see
    /// `task::cancellable`, the only code that reads or writes it besides `run`.
    pub(crate) requests: Cell<u32>,
}

/// The bit of `Header::requests` set while a cancel request waits to be delivered.
pub(crate) const UNDELIVERED: u32 = 1 << 31;

impl Header {
    /// Whether any of `bit` is set.
    #[inline]
    pub(crate) fn has(&self, bit: u8) -> bool {
        self.state.get() & bit != 0
    }
    /// Sets `bit`: the executor's state machine only (this module, `task_list.rs`, and
    /// `Executor::{schedule, cancel}`); code outside the executor goes through the methods below.
    #[inline]
    pub(super) fn set(&self, bit: u8) {
        self.state.set(self.state.get() | bit);
    }
    /// Clears `bit` (as for [`set`](Self::set)).
    #[inline]
    pub(super) fn clear(&self, bit: u8) {
        self.state.set(self.state.get() & !bit);
    }

    /// Whether the task has ended (returned, panicked or been cancelled).
    #[inline]
    pub(crate) fn is_done(&self) -> bool {
        self.has(DONE)
    }

    /// Whether the task ended by cancellation.
    #[inline]
    pub(crate) fn is_cancelled(&self) -> bool {
        self.has(CANCELLED)
    }

    /// Whether dropping the handle now must cancel the task (asked for, and not yet ended).
    #[inline]
    pub(crate) fn cancels_on_drop(&self) -> bool {
        self.has(CANCEL_ON_DROP) && !self.has(DONE)
    }

    /// Asks that dropping the handle cancel the task.
    #[inline]
    pub(crate) fn set_cancel_on_drop(&self) {
        self.set(CANCEL_ON_DROP);
    }

    /// Whether nobody will read the output (the handle was dropped or the output taken).
    #[inline]
    pub(crate) fn is_detached(&self) -> bool {
        self.has(DETACHED)
    }
}

/// A task: header, output slot and future. Always lives in its own `Box` allocation.
///
/// `repr(C)` puts the header at offset 0, which is what lets [`HasHeader`] reach it through any
/// `dyn RawTask` without a virtual call, and the output right after it, where it is in
/// [`OutputCell<F::Output>`], which is what lets `dyn JoinTarget<T>` reach it without one.
#[repr(C)]
pub(crate) struct TaskCell<F: Future> {
    header: Header,
    output: UnsafeCell<Option<Result<F::Output, JoinError>>>,
    future: UnsafeCell<Option<F>>,
}

/// The first two fields of every [`TaskCell`] whose output is `T`: the same types in the same
/// order under `repr(C)`, so the same offsets. A `dyn JoinTarget<T>` reads the output through it,
/// whatever the future's type.
#[repr(C)]
pub(crate) struct OutputCell<T> {
    header: Header,
    output: UnsafeCell<Option<Result<T, JoinError>>>,
}

/// The few operations on a task that depend on its future's type: everything else (the state
/// machine of `run`, cancellation, joining, the waker's reference counting) is written once, for
/// `dyn RawTask`, below, so each spawned future type adds only these small functions to a build
/// (as async-task and tokio split their raw task code).
///
/// Every method touches `stage`, so each is an `unsafe fn` whose caller must hold the `RUNNING`
/// bit (on the home thread), which excludes every other access to it.
///
/// # Safety
///
/// Implementors must start with a [`Header`] at offset 0 (`TaskCell`, `repr(C)`, is the only one),
/// because [`HasHeader`] reads it there.
#[allow(unsafe_code)]
pub(crate) unsafe trait RawTask {
    /// Polls a `Running` future once; when it returns, its output replaces it (or is dropped, if
    /// the task is `DETACHED`). `Ready` when the future returned in this call.
    ///
    /// `me` is the task's own pointer, for the waker the future is polled with.
    ///
    /// # Safety
    ///
    /// The caller holds `RUNNING` on the task's home thread, and `me` points at this task with
    /// the provenance of its allocation (a [`TaskRc`]'s pointer, not one made from `&self`): a
    /// waker may outlive the poll and, holding the last reference, free the task through it.
    unsafe fn poll_stage(&self, me: NonNull<dyn RawTask>) -> Poll<()>;
    /// Drops the future or output; the stage becomes `Finished(Err(err))`, or `Consumed` for `None`.
    ///
    /// # Safety
    ///
    /// As for [`poll_stage`](Self::poll_stage).
    unsafe fn end_stage(&self, err: Option<JoinError>);
    /// Forgets the stage without dropping it (a future whose poll never returned).
    ///
    /// # Safety
    ///
    /// As for [`poll_stage`](Self::poll_stage).
    #[cfg(all(target_arch = "wasm32", target_os = "unknown", feature = "recover"))]
    unsafe fn forget_stage(&self);
}

/// The header of any task, read at offset 0 of the task: a plain field access even through a
/// `dyn RawTask` or `dyn JoinTarget<T>` (no virtual call on the executor's hottest paths).
pub(crate) trait HasHeader {
    fn header(&self) -> &Header;
}

impl<T: ?Sized + RawTask> HasHeader for T {
    #[inline]
    #[allow(unsafe_code)]
    fn header(&self) -> &Header {
        // SAFETY: by `RawTask`'s contract the value starts with a `Header`, and `self` borrows it
        // for the returned lifetime. Casting a (possibly wide) pointer to a thin one keeps its data
        // address.
        unsafe { &*(self as *const T).cast::<Header>() }
    }
}

/// The waker vtable of every task. A waker's data pointer is its task's address; its functions
/// restore the task's type-erased pointer from the header (`Header::erased`) and hand their
/// operation to the one shared `task_rc::waker_op`.
///
/// One vtable for all task types, not one per future type: four functions (and their long
/// generic names, in a wasm build's name section) less for every type spawned, at the price of
/// one pointer in each task's header (see `executor`'s "Keeping builds small").
static WAKER: RawWakerVTable =
    RawWakerVTable::new(waker_clone, waker_wake, waker_wake_by_ref, waker_drop);

/// The task a waker's data pointer points at, type-erased.
///
/// # Safety
///
/// `ptr` must be the data pointer of a live [`WAKER`] waker: the address of a task, with the
/// provenance of its allocation.
#[inline]
#[allow(unsafe_code)]
unsafe fn erased(ptr: *const ()) -> NonNull<dyn RawTask> {
    // SAFETY: a task starts with its `Header` (`repr(C)`), whose `erased` is immutable once the
    // task is shared, and the waker's reference keeps the task alive.
    unsafe { (*ptr.cast::<Header>()).erased }
}

#[allow(unsafe_code)]
unsafe fn waker_clone(ptr: *const ()) -> RawWaker {
    // SAFETY: the waker's reference keeps the task alive.
    unsafe { task_rc::waker_op(erased(ptr), RemoteOp::AddRef) };
    RawWaker::new(ptr, &WAKER)
}

#[allow(unsafe_code)]
unsafe fn waker_wake(ptr: *const ()) {
    // SAFETY: as above; the waker's reference is handed on.
    unsafe { task_rc::waker_op(erased(ptr), RemoteOp::Wake) }
}

#[allow(unsafe_code)]
unsafe fn waker_wake_by_ref(ptr: *const ()) {
    // SAFETY: the waker's reference keeps the task alive.
    unsafe { task_rc::waker_op(erased(ptr), RemoteOp::WakeByRef) }
}

#[allow(unsafe_code)]
unsafe fn waker_drop(ptr: *const ()) {
    // SAFETY: the waker's reference is released here.
    unsafe { task_rc::waker_op(erased(ptr), RemoteOp::Release) }
}

/// A task whose output is `T`: what a `Task<T>` handle points at. It has no methods of its own
/// (a method here would be compiled once per future type): the handle reads the output through
/// [`OutputCell<T>`] (`dyn JoinTarget<T>`'s methods, below).
///
/// # Safety
///
/// Implementors must be `repr(C)` structs that start with the two fields of an
/// [`OutputCell<T>`] (`TaskCell<F>` with `F::Output = T` is the only one).
#[allow(unsafe_code)]
pub(crate) unsafe trait JoinTarget<T>: RawTask {}

impl<F: Future + 'static> TaskCell<F> {
    /// A new task and two references to it: one for its handle, one for the ready queue.
    #[allow(unsafe_code)]
    pub(crate) fn allocate(
        id: TaskId,
        home: Home,
        future: F,
    ) -> (TaskRc<dyn JoinTarget<F::Output>>, TaskRc<dyn RawTask>) {
        let ptr = Self::new_cell(id, home, future, 0);
        // SAFETY: a fresh task on the spawning (home) thread, whose count of two is these two.
        unsafe { (TaskRc::from_raw(ptr), TaskRc::from_raw(ptr)) }
    }

    /// A new task nobody will join, as if its handle were detached at once: a reference for the
    /// caller and one for the ready queue. No `dyn JoinTarget` is made for it, so a future type
    /// spawned only this way links none of the output-reading code.
    #[allow(unsafe_code)]
    pub(crate) fn allocate_detached(
        id: TaskId,
        home: Home,
        future: F,
    ) -> (TaskRc<dyn RawTask>, TaskRc<dyn RawTask>) {
        let ptr: NonNull<dyn RawTask> = Self::new_cell(id, home, future, DETACHED);
        // SAFETY: a fresh task on the spawning (home) thread, whose count of two is these two.
        unsafe { (TaskRc::from_raw(ptr), TaskRc::from_raw(ptr)) }
    }

    /// Allocates the task with `state` and a count of two: the caller's reference and the ready
    /// queue's.
    #[allow(unsafe_code)]
    fn new_cell(id: TaskId, home: Home, future: F, state: u8) -> NonNull<Self> {
        let cell = Box::new(TaskCell {
            header: Header {
                // A placeholder with the right vtable: replaced below, once the address is known.
                erased: NonNull::<Self>::dangling(),
                id,
                home,
                links: Links::default(),
                state: Cell::new(state),
                refs: Cell::new(2),
                join_waker: Cell::new(None),
                requests: Cell::new(0),
            },
            output: UnsafeCell::new(None),
            future: UnsafeCell::new(Some(future)),
        });
        let ptr = NonNull::from(Box::leak(cell));
        // SAFETY: `ptr` is the fresh, unshared allocation: nothing else can read the header yet.
        unsafe { (*ptr.as_ptr()).header.erased = ptr };
        ptr
    }

    /// The future's slot, exclusively.
    ///
    /// # Safety
    ///
    /// The caller holds `RUNNING` on the home thread (see [`RawTask`]), and holds no other
    /// reference from this function while it uses the returned one.
    #[allow(clippy::mut_from_ref, unsafe_code)]
    unsafe fn future(&self) -> &mut Option<F> {
        debug_assert!(self.header.has(RUNNING));
        // SAFETY: `RUNNING` excludes every other access to the stage (the caller's contract), and
        // tasks never leave their home thread.
        unsafe { &mut *self.future.get() }
    }

    /// The output's slot, exclusively.
    ///
    /// # Safety
    ///
    /// As for [`future`](Self::future).
    #[allow(clippy::mut_from_ref, unsafe_code)]
    unsafe fn output(&self) -> &mut Option<Result<F::Output, JoinError>> {
        debug_assert!(self.header.has(RUNNING));
        // SAFETY: as for `future`.
        unsafe { &mut *self.output.get() }
    }
}

// SAFETY: `TaskCell` is `repr(C)` with its `Header` as the first field.
#[allow(unsafe_code)]
unsafe impl<F: Future + 'static> RawTask for TaskCell<F> {
    unsafe fn poll_stage(&self, me: NonNull<dyn RawTask>) -> Poll<()> {
        // SAFETY: the caller holds `RUNNING` (this function's contract); `fut` is the only
        // reference to the stage until the assignment below, which comes after its last use.
        let Some(fut) = (unsafe { self.future() }) else {
            return Poll::Pending;
        };
        // A waker that borrows this task's reference instead of owning one. Its data pointer is
        // `me`, not `self`: a pointer made from `&self` may only read, and a clone of this waker
        // may end up freeing the task.
        let raw = RawWaker::new(me.as_ptr() as *const (), &WAKER);
        // SAFETY: the vtable matches the data pointer; `ManuallyDrop` keeps us from releasing a
        // count we never took, and `self` outlives the poll.
        let waker = ManuallyDrop::new(unsafe { Waker::from_raw(raw) });
        // SAFETY: a running future is never moved: the allocation keeps it at one address until
        // it is dropped in place by an assignment to its slot.
        let out = std::task::ready!(
            unsafe { Pin::new_unchecked(fut) }.poll(&mut Context::from_waker(&waker))
        );
        // Assigning drops the finished future in place. A detached task's output is dropped after
        // its future (here, unstored).
        // SAFETY: as above; `fut` is no longer used.
        *unsafe { self.future() } = None;
        if !self.header.has(DETACHED) {
            // SAFETY: the caller holds `RUNNING`. The slot is empty while the future runs (it is
            // written only here and by `end_stage`, which ends the future), so it is written
            // without dropping the old value: no drop glue of the output type in every task's
            // poll (a value there would be leaked, never double-dropped).
            unsafe { std::ptr::write(self.output(), Some(Ok(out))) };
        }
        Poll::Ready(())
    }

    unsafe fn end_stage(&self, err: Option<JoinError>) {
        // SAFETY: the caller holds `RUNNING`.
        *unsafe { self.future() } = None;
        // SAFETY: as above.
        *unsafe { self.output() } = err.map(Err);
    }

    #[cfg(all(target_arch = "wasm32", target_os = "unknown", feature = "recover"))]
    unsafe fn forget_stage(&self) {
        // SAFETY: the caller holds `RUNNING`.
        std::mem::forget(unsafe { self.future() }.take());
    }
}

// SAFETY: `TaskCell` is `repr(C)` and starts with `OutputCell<F::Output>`'s two fields.
#[allow(unsafe_code)]
unsafe impl<F: Future + 'static> JoinTarget<F::Output> for TaskCell<F> {}

// ----- the type-independent task code -----------------------------------------------------------

/// Marks the task ended, its stage already final and `RUNNING` clear, and wakes whoever awaits
/// the handle. Inline: it is the end of every task, on the executor's hot path.
#[inline(always)]
fn complete(h: &Header) {
    h.set(DONE);
    if let Some(w) = h.join_waker.take() {
        w.wake();
    }
}

/// Ends a task that did not return: drops its future, records `err` for the handle unless the
/// task is detached, and completes it.
fn finish_err(task: &dyn RawTask, err: JoinError) {
    let h = task.header();
    if err.is_cancelled() {
        h.set(CANCELLED);
    }
    // Nobody will read the error of a detached task.
    let kept = (!h.has(DETACHED)).then_some(err);
    end_stage(task, kept);
    complete(h);
}

/// Drops the future or output (see [`RawTask::end_stage`]) while holding the `RUNNING` borrow, so
/// destructors that run during the replacement cannot observe a half-dropped stage.
#[allow(unsafe_code)]
fn end_stage(task: &dyn RawTask, err: Option<JoinError>) {
    let h = task.header();
    h.set(RUNNING);
    // SAFETY: `RUNNING` is held: set here after the caller checked that the stage was free, or
    // still set by a poll that panicked (whose references to the stage ended with the unwind).
    unsafe { task.end_stage(err) };
    h.clear(RUNNING);
}

/// Registers the waker of whoever awaits the handle.
fn set_join_waker(h: &Header, cx: &mut Context<'_>) {
    let w = h.join_waker.take();
    h.join_waker.set(Some(match w {
        Some(w) if w.will_wake(cx.waker()) => w,
        _ => cx.waker().clone(),
    }));
    crate::trace::wait::waiting(crate::trace::WaitReason::Task);
}

impl dyn RawTask + '_ {
    /// Polls the future once, or drops it if cancellation was requested. Returns `true` when the
    /// task ended in this call (its future is gone); `false` if it is still pending or had already
    /// ended before (a stale ready-queue entry). Must be called on the home thread, not re-entrantly.
    /// `TaskRc::run` is the safe way in.
    ///
    /// # Safety
    ///
    /// `me` points at this task with the provenance of its allocation (see
    /// [`RawTask::poll_stage`]).
    #[allow(unsafe_code)]
    pub(crate) unsafe fn run_at(&self, me: NonNull<dyn RawTask>) -> bool {
        let h = self.header();
        let state = h.state.get() & !QUEUED;
        if state & (DONE | RUNNING | CANCEL) != 0 {
            h.state.set(state);
            if state & (DONE | RUNNING) != 0 {
                // A stale queue entry: the task ended (and was retired) after it was queued, e.g.
                // it woke itself during its final poll. It must not be retired a second time.
                return false;
            }
            finish_err(self, JoinError::cancelled());
            return true;
        }
        // One store: out of the ready queue, and polling.
        h.state.set(state | RUNNING);
        // SAFETY: `RUNNING` is held (set just above); `me` is as this function requires.
        match catch_unwind(AssertUnwindSafe(|| unsafe { self.poll_stage(me) })) {
            Ok(Poll::Pending) => {
                h.clear(RUNNING);
                false
            }
            // The future returned: its output is stored (or dropped).
            Ok(Poll::Ready(())) => {
                h.clear(RUNNING);
                if h.has(CANCEL) || h.requests.get() & UNDELIVERED != 0 {
                    // Cancelled during its last poll (see the module docs): the outcome matches
                    // what `cancel()` reported.
                    h.set(CANCEL);
                    finish_err(self, JoinError::cancelled());
                } else {
                    complete(h);
                }
                true
            }
            Err(payload) => {
                finish_err(self, panic_error(payload));
                true
            }
        }
    }

    /// Drops the future now (used when the loop closes). Returns `true` if the task was still alive.
    pub(crate) fn abort_now(&self) -> bool {
        let h = self.header();
        if h.has(DONE | RUNNING) {
            return false;
        }
        h.set(CANCEL);
        finish_err(self, JoinError::cancelled());
        true
    }

    /// Ends a task whose poll never returned (the host's turn was aborted): the future is leaked,
    /// not dropped, and the task finishes as panicked with `message`. Returns `false` if the task
    /// had already ended. Only the browser host, where a turn can be cut short, needs it.
    #[cfg(all(target_arch = "wasm32", target_os = "unknown", feature = "recover"))]
    #[allow(unsafe_code)]
    pub(crate) fn abandon(&self, message: &str) -> bool {
        let h = self.header();
        h.clear(RUNNING | QUEUED);
        if h.has(DONE) {
            return false;
        }
        // The interrupted poll will never resume, so nothing else holds the stage. The old stage
        // is forgotten, not dropped: an interrupted future may be half-updated, and leaking it is
        // the only sound way to let go of it.
        h.set(RUNNING);
        // SAFETY: `RUNNING` is held (set just above).
        unsafe { self.forget_stage() };
        h.clear(RUNNING);
        finish_err(self, panic_error(Box::new(message.to_string())));
        true
    }

    /// Ready once the task has ended, without taking the output.
    pub(crate) fn poll_done(&self, cx: &mut Context<'_>) -> Poll<()> {
        let h = self.header();
        if h.has(DONE) {
            return Poll::Ready(());
        }
        set_join_waker(h, cx);
        Poll::Pending
    }

    /// The handle is gone: drop the output now or as soon as it exists.
    pub(crate) fn detach(&self) {
        let h = self.header();
        h.set(DETACHED);
        h.join_waker.set(None);
        if h.has(DONE) && !h.has(RUNNING) {
            end_stage(self, None);
        }
    }
}

impl<T> dyn JoinTarget<T> + '_ {
    /// This task as a `dyn RawTask`, whose methods hold the type-independent code.
    #[inline]
    pub(crate) fn raw(&self) -> &dyn RawTask {
        self
    }

    /// The output's slot, exclusively.
    ///
    /// # Safety
    ///
    /// The caller holds `RUNNING` on the home thread, and holds no other reference to the stage
    /// while it uses the returned one.
    #[allow(clippy::mut_from_ref, unsafe_code)]
    unsafe fn output(&self) -> &mut Option<Result<T, JoinError>> {
        debug_assert!(self.header().has(RUNNING));
        // SAFETY: by `JoinTarget`'s contract the task starts with an `OutputCell<T>`'s fields
        // (casting the wide pointer to a thin one keeps its data address); `RUNNING` excludes
        // every other access to the stage.
        unsafe {
            &mut *(*(self as *const Self).cast::<OutputCell<T>>())
                .output
                .get()
        }
    }

    /// See [`poll_done`](<dyn RawTask>::poll_done).
    #[inline]
    pub(crate) fn poll_done(&self, cx: &mut Context<'_>) -> Poll<()> {
        self.raw().poll_done(cx)
    }

    /// See [`detach`](<dyn RawTask>::detach).
    #[inline]
    pub(crate) fn detach(&self) {
        self.raw().detach()
    }

    /// Takes the output once the task has ended.
    #[allow(unsafe_code)]
    pub(crate) fn poll_join(&self, cx: &mut Context<'_>) -> Poll<Result<T, JoinError>> {
        let h = self.header();
        if h.has(RUNNING) {
            return Poll::Ready(Err(JoinError::self_join()));
        }
        if !h.has(DONE) {
            set_join_waker(h, cx);
            return Poll::Pending;
        }
        h.set(RUNNING);
        // SAFETY: `RUNNING` is held (set just above, after checking it was clear).
        // A finished task holds no pinned future, so moving the output out is fine.
        let out = unsafe { self.output() }.take();
        h.clear(RUNNING);
        // Nobody can read the output again: dropping the handle has nothing left to do.
        h.set(DETACHED);
        Poll::Ready(out.unwrap_or_else(|| Err(JoinError::already_joined())))
    }

    /// Calls `f` with the output, if the task has ended and its output was not taken.
    #[allow(unsafe_code)]
    pub(crate) fn peek_output(&self, f: &mut dyn FnMut(&Result<T, JoinError>)) {
        let h = self.header();
        if h.has(RUNNING) || !h.has(DONE) {
            return;
        }
        // Shared read only for the duration of `f`, which gets no access to this task; `RUNNING`
        // keeps the stage from being touched meanwhile.
        h.set(RUNNING);
        // SAFETY: `RUNNING` is held (set just above, after checking it was clear); `f` cannot
        // reach this task's stage.
        if let Some(r) = unsafe { self.output() } {
            f(r)
        }
        h.clear(RUNNING);
    }
}

fn panic_error(payload: Box<dyn Any + Send>) -> JoinError {
    JoinError::panicked(payload)
}

/// The unsafe core on its own: the `RUNNING` discipline, the stage's transitions and the
/// reference count, driven directly (no executor turn), so Miri can check them.
#[cfg(test)]
mod tests {
    use std::cell::{Cell, RefCell};
    use std::future::poll_fn;
    use std::rc::Rc;
    use std::task::{Context, Poll, Waker};

    use super::*;

    /// Sets its flag when dropped.
    struct Flag(Rc<Cell<bool>>);
    impl Drop for Flag {
        fn drop(&mut self) {
            self.0.set(true);
        }
    }

    fn spawn<F: Future + 'static>(
        future: F,
    ) -> (TaskRc<dyn JoinTarget<F::Output>>, TaskRc<dyn RawTask>) {
        let home = super::super::Shared::new();
        task_rc::set_home_thread(&home);
        #[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
        let home = NoHome;
        TaskCell::allocate(TaskId(1), home, future)
    }

    fn join<T>(handle: &TaskRc<dyn JoinTarget<T>>) -> Poll<Result<T, JoinError>> {
        handle.poll_join(&mut Context::from_waker(Waker::noop()))
    }

    /// A future that is pending `n` times, then returns `out`.
    fn pending_then<T>(mut n: usize, out: T) -> impl Future<Output = T> {
        let mut out = Some(out);
        poll_fn(move |_| {
            if n == 0 {
                return Poll::Ready(out.take().expect("polled after completion"));
            }
            n -= 1;
            Poll::Pending
        })
    }

    #[test]
    fn run_polls_until_ready_and_the_output_is_taken_once() {
        let (handle, queued) = spawn(pending_then(1, 7));
        assert!(join(&handle).is_pending(), "not done: nothing to take");
        assert!(!queued.run(), "first poll: pending");
        assert!(!queued.header().has(RUNNING | DONE));
        assert!(queued.run(), "second poll: ready");
        assert!(queued.header().is_done() && !queued.header().has(RUNNING));
        assert!(!queued.run(), "a stale queue entry runs nothing");
        let mut peeked = None;
        handle.peek_output(&mut |r| peeked = r.as_ref().ok().copied());
        assert_eq!(peeked, Some(7), "peeking leaves the output in place");
        assert_eq!(join(&handle).map(Result::unwrap), Poll::Ready(7));
        assert!(matches!(join(&handle), Poll::Ready(Err(e)) if e.is_already_joined()));
        assert_eq!(handle.header().refs.get(), 2);
        drop(queued);
        assert_eq!(handle.header().refs.get(), 1);
    }

    #[test]
    fn a_detached_task_drops_its_output_as_soon_as_it_exists() {
        let dropped = Rc::new(Cell::new(false));
        let (handle, queued) = spawn(pending_then(0, Flag(dropped.clone())));
        handle.detach();
        drop(handle);
        assert!(queued.run());
        assert!(dropped.get(), "nobody can read it: dropped at completion");
        assert!(queued.header().is_detached());
    }

    #[test]
    fn detaching_a_finished_task_drops_its_output() {
        let dropped = Rc::new(Cell::new(false));
        let (handle, queued) = spawn(pending_then(0, Flag(dropped.clone())));
        assert!(queued.run());
        assert!(!dropped.get(), "kept for the handle");
        handle.detach();
        assert!(dropped.get());
    }

    #[test]
    fn aborting_drops_the_future_in_place_and_reports_cancellation() {
        let dropped = Rc::new(Cell::new(false));
        let flag = Flag(dropped.clone());
        let (handle, queued) = spawn(async move {
            let _flag = flag;
            std::future::pending::<()>().await;
        });
        assert!(!queued.run());
        assert!(queued.abort_now());
        assert!(dropped.get(), "the future's destructors ran");
        assert!(queued.header().is_cancelled() && queued.header().is_done());
        assert!(!queued.abort_now(), "already ended");
        assert!(matches!(join(&handle), Poll::Ready(Err(e)) if e.is_cancelled()));
    }

    #[test]
    fn a_task_joining_itself_while_running_gets_an_error() {
        type Handle = TaskRc<dyn JoinTarget<bool>>;
        let me: Rc<RefCell<Option<Handle>>> = Rc::new(RefCell::new(None));
        let inner = me.clone();
        let (handle, queued) = spawn(poll_fn(move |cx| {
            let me = inner
                .borrow_mut()
                .take()
                .expect("set before the first poll");
            let r = me.poll_join(cx);
            Poll::Ready(matches!(r, Poll::Ready(Err(e)) if e.is_self_join()))
        }));
        *me.borrow_mut() = Some(handle.clone());
        assert!(queued.run());
        assert_eq!(join(&handle).map(Result::unwrap), Poll::Ready(true));
    }

    #[test]
    #[cfg(panic = "unwind")]
    fn a_panicking_poll_ends_the_task_as_panicked() {
        let (handle, queued) = spawn(poll_fn(|_| -> Poll<()> { panic!("boom") }));
        assert!(queued.run());
        assert!(!queued.header().has(RUNNING), "the borrow is released");
        assert!(matches!(join(&handle), Poll::Ready(Err(e)) if e.is_panic()));
    }

    #[test]
    fn a_waker_counts_one_reference_and_waking_it_queues_the_task() {
        let saved: Rc<RefCell<Option<Waker>>> = Rc::new(RefCell::new(None));
        let inner = saved.clone();
        let (handle, queued) = spawn(poll_fn(move |cx| {
            if inner.borrow().is_some() {
                return Poll::Ready(());
            }
            *inner.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        }));
        assert!(!queued.run());
        assert_eq!(handle.header().refs.get(), 3, "handle, queue entry, waker");
        let waker = saved.borrow_mut().take().expect("saved");
        let extra = waker.clone();
        assert_eq!(handle.header().refs.get(), 4);
        drop(extra);
        assert_eq!(handle.header().refs.get(), 3);
        *saved.borrow_mut() = Some(Waker::noop().clone());
        waker.wake(); // its reference goes to this thread's ready queue
        assert_eq!(handle.header().refs.get(), 3);
        assert!(handle.header().has(QUEUED));
        let entry = crate::executor::with(|ex| ex.ready().pop_front()).expect("queued");
        assert!(entry.run(), "polled again: it finishes");
        drop(entry);
        assert!(handle.header().is_done());
        assert_eq!(
            handle.header().refs.get(),
            2,
            "the queue's reference is gone"
        );
    }
}
