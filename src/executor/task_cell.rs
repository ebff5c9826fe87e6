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
//! `stage` moves `Running(F)` → `Finished(result)` → `Consumed`. The state bits in `Header::state`:
//!
//! | bit | set by | cleared by | meaning |
//! |---|---|---|---|
//! | `QUEUED` | `Executor::schedule` | the executor, just before polling | in the ready queue; a wake-up is a no-op |
//! | `RUNNING` | the executor, around a poll or a drop of the future | same | `stage` is borrowed: nobody else may touch it |
//! | `CANCEL` | `cancel()` | never | the next scheduling point drops the future instead of polling it |
//! | `DONE` | the executor, when the future returned or was dropped | never | `stage` is `Finished` or `Consumed` |
//! | `DETACHED` | dropping the `Task` handle, or taking its output | never | nobody will read the output: drop it as soon as it exists |
//! | `CANCELLED` | the executor, when cancellation dropped the future | never | the task ended cancelled |
//! | `LINKED` | `TaskList::push` | `TaskList::remove`/`drain` | in the executor's list of live tasks |
//! | `CANCEL_ON_DROP` | `Task::cancel_on_drop` | never | dropping the handle cancels the task |
//!
//! # Threads
//!
//! Everything but `Header::home` is touched only on the thread that owns the executor (the *home*
//! thread), the reference count included. A waker may travel to another thread: cloning, dropping or
//! waking it there only reads `home` (immutable) and sends the operation home through `home`'s
//! thread-safe injection queue; the home thread applies it at its next turn (`task_rc.rs`). So the
//! task is always freed at home, and no `!Send` future or output is ever dropped off its thread.

use std::any::Any;
use std::cell::{Cell, UnsafeCell};
use std::future::Future;
use std::mem::ManuallyDrop;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::ptr::NonNull;
use std::sync::Arc;
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

use super::shared::{Injected, Shared};
use super::task_list::Links;
use super::task_rc::{on_home_thread, RemoteOp, RemoteRef, TaskRc};
use crate::task::{JoinError, TaskId};

pub(crate) const QUEUED: u8 = 1;
pub(crate) const RUNNING: u8 = 2;
pub(crate) const CANCEL: u8 = 4;
pub(crate) const DONE: u8 = 8;
pub(crate) const DETACHED: u8 = 16;
pub(crate) const CANCELLED: u8 = 32;
pub(crate) const LINKED: u8 = 64;
pub(crate) const CANCEL_ON_DROP: u8 = 128;

/// The type-independent part of a task.
pub(crate) struct Header {
    pub(crate) id: TaskId,
    /// The executor this task belongs to (its injection queue is how other threads wake it).
    pub(crate) home: Arc<Shared>,
    /// Its place in the executor's list of live tasks.
    pub(crate) links: Links,
    pub(crate) state: Cell<u8>,
    /// Counted references (home thread only; see `task_rc.rs`).
    pub(crate) refs: Cell<usize>,
    /// Who awaits the `Task` handle.
    pub(crate) join_waker: Cell<Option<Waker>>,
}

impl Header {
    pub(crate) fn has(&self, bit: u8) -> bool {
        self.state.get() & bit != 0
    }
    pub(crate) fn set(&self, bit: u8) {
        self.state.set(self.state.get() | bit);
    }
    pub(crate) fn clear(&self, bit: u8) {
        self.state.set(self.state.get() & !bit);
    }
}

enum Stage<F: Future> {
    Running(F),
    Finished(Result<F::Output, JoinError>),
    Consumed,
}

/// A task: header plus stage. Always lives in its own `Box` allocation.
///
/// `repr(C)` puts the header at offset 0, which is what lets [`HasHeader`] reach it through any
/// `dyn RawTask` without a virtual call.
#[repr(C)]
pub(crate) struct TaskCell<F: Future> {
    header: Header,
    stage: UnsafeCell<Stage<F>>,
}

/// What the executor needs of any task.
///
/// # Safety
///
/// Implementors must start with a [`Header`] at offset 0 (`TaskCell`, `repr(C)`, is the only one),
/// because [`HasHeader`] reads it there.
pub(crate) unsafe trait RawTask {
    /// Polls the future once, or drops it if cancellation was requested. Returns `true` when the
    /// task ended in this call (its future is gone); `false` if it is still pending or had already
    /// ended before (a stale ready-queue entry). Must be called on the home thread, not re-entrantly.
    fn run(&self) -> bool;
    /// Drops the future now (used when the loop closes). Returns `true` if the task was still alive.
    fn abort_now(&self) -> bool;
    /// Ends a task whose poll never returned (the host's turn was aborted): the future is leaked,
    /// not dropped, and the task finishes as panicked with `message`. Returns `false` if the task
    /// had already ended.
    /// Only the browser host, where a turn can be cut short, needs it.
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    fn abandon(&self, message: &str) -> bool;
}

/// The header of any task, read at offset 0 of the task: a plain field access even through a
/// `dyn RawTask` or `dyn JoinTarget<T>` (no virtual call on the executor's hottest paths).
pub(crate) trait HasHeader {
    fn header(&self) -> &Header;
}

impl<T: ?Sized + RawTask> HasHeader for T {
    #[inline]
    fn header(&self) -> &Header {
        // SAFETY: by `RawTask`'s contract the value starts with a `Header`, and `self` borrows it
        // for the returned lifetime. Casting a (possibly wide) pointer to a thin one keeps its data
        // address.
        unsafe { &*(self as *const T).cast::<Header>() }
    }
}

/// What a `Task<T>` handle needs.
pub(crate) trait JoinTarget<T>: RawTask {
    fn poll_join(&self, cx: &mut Context<'_>) -> Poll<Result<T, JoinError>>;
    /// Ready once the task has ended, without taking the output.
    fn poll_done(&self, cx: &mut Context<'_>) -> Poll<()>;
    /// Whether the output (if any) counts as a failure, without taking it.
    fn peek_output(&self, f: &mut dyn FnMut(&Result<T, JoinError>));
    /// The handle is gone: drop the output now or as soon as it exists.
    fn detach(&self);
}

impl<F: Future + 'static> TaskCell<F> {
    /// A new task and two references to it: one for its handle, one for the ready queue.
    pub(crate) fn allocate(
        id: TaskId,
        home: Arc<Shared>,
        future: F,
    ) -> (TaskRc<dyn JoinTarget<F::Output>>, TaskRc<dyn RawTask>) {
        let cell = Box::new(TaskCell {
            header: Header {
                id,
                home,
                links: Links::default(),
                state: Cell::new(0),
                refs: Cell::new(2),
                join_waker: Cell::new(None),
            },
            stage: UnsafeCell::new(Stage::Running(future)),
        });
        let ptr = NonNull::from(Box::leak(cell));
        // SAFETY: a fresh task on the spawning (home) thread, whose count of two is these two.
        unsafe { (TaskRc::from_raw(ptr), TaskRc::from_raw(ptr)) }
    }

    /// The task a waker's data pointer points at.
    ///
    /// # Safety
    ///
    /// `ptr` must be a waker data pointer of this vtable, whose reference keeps the task alive.
    unsafe fn from_waker<'a>(ptr: *const ()) -> &'a Self {
        // SAFETY: as the caller guarantees.
        unsafe { &*(ptr as *const Self) }
    }

    /// This task as a type-erased pointer.
    fn erased(&self) -> NonNull<dyn RawTask> {
        NonNull::from(self as &dyn RawTask)
    }

    /// Sends a reference operation home from another thread. If the loop is gone, nothing happens
    /// (the task is leaked rather than touched from the wrong thread).
    fn send_home(&self, op: RemoteOp) {
        let item = Injected::Task(RemoteRef::new(self.erased()), op);
        self.header.home.inject(item);
    }

    const VTABLE: RawWakerVTable = RawWakerVTable::new(
        Self::waker_clone,
        Self::waker_wake,
        Self::waker_wake_by_ref,
        Self::waker_drop,
    );

    // The waker functions. Every waker holds one counted reference (see `task_rc.rs`).

    unsafe fn waker_clone(ptr: *const ()) -> RawWaker {
        // SAFETY: the waker's reference keeps the task alive.
        let task = unsafe { Self::from_waker(ptr) };
        if on_home_thread(&task.header.home) {
            // SAFETY: home thread; the new reference is the returned waker's.
            std::mem::forget(unsafe { TaskRc::clone_from_ptr(task.erased()) });
        } else {
            task.send_home(RemoteOp::AddRef);
        }
        RawWaker::new(ptr, &Self::VTABLE)
    }

    unsafe fn waker_wake(ptr: *const ()) {
        // SAFETY: the waker's reference keeps the task alive.
        let task = unsafe { Self::from_waker(ptr) };
        if on_home_thread(&task.header.home) {
            // SAFETY: home thread; the waker's reference moves to the ready queue.
            super::wake_local(unsafe { TaskRc::from_raw(task.erased()) });
        } else {
            task.send_home(RemoteOp::Wake);
        }
    }

    unsafe fn waker_wake_by_ref(ptr: *const ()) {
        // SAFETY: the waker's reference keeps the task alive.
        let task = unsafe { Self::from_waker(ptr) };
        if on_home_thread(&task.header.home) {
            // SAFETY: home thread; a new reference for the ready queue.
            super::wake_local(unsafe { TaskRc::clone_from_ptr(task.erased()) });
        } else {
            task.send_home(RemoteOp::WakeByRef);
        }
    }

    unsafe fn waker_drop(ptr: *const ()) {
        // SAFETY: the waker's reference keeps the task alive until released here.
        let task = unsafe { Self::from_waker(ptr) };
        if on_home_thread(&task.header.home) {
            // SAFETY: home thread; releases the waker's reference.
            drop(unsafe { TaskRc::from_raw(task.erased()) });
        } else {
            task.send_home(RemoteOp::Release);
        }
    }

    /// Replaces the stage while holding the `RUNNING` borrow, so destructors that run during the
    /// replacement cannot observe a half-dropped stage.
    fn set_stage(&self, stage: Stage<F>) {
        self.header.set(RUNNING);
        // SAFETY: home thread only, and `RUNNING` excludes every other access to `stage`.
        // Assigning drops the old value in place, which honours the pin of a `Running` future.
        unsafe { *self.stage.get() = stage };
        self.header.clear(RUNNING);
    }

    #[inline(always)]
    fn finish(&self, result: Result<F::Output, JoinError>) {
        if matches!(&result, Err(e) if e.is_cancelled()) {
            self.header.set(CANCELLED);
        }
        if self.header.has(DETACHED) {
            self.set_stage(Stage::Consumed);
            drop(result);
        } else {
            self.set_stage(Stage::Finished(result));
        }
        self.header.set(DONE);
        if let Some(w) = self.header.join_waker.take() {
            w.wake();
        }
    }
}

fn panic_error(payload: Box<dyn Any + Send>) -> JoinError {
    JoinError::panicked(payload)
}

// SAFETY: `TaskCell` is `repr(C)` with its `Header` as the first field.
unsafe impl<F: Future + 'static> RawTask for TaskCell<F> {
    fn run(&self) -> bool {
        let h = &self.header;
        let state = h.state.get() & !QUEUED;
        if state & (DONE | RUNNING | CANCEL) != 0 {
            h.state.set(state);
            if state & (DONE | RUNNING) != 0 {
                // A stale queue entry: the task ended (and was retired) after it was queued, e.g.
                // it woke itself during its final poll. It must not be retired a second time.
                return false;
            }
            self.finish(Err(JoinError::cancelled()));
            return true;
        }
        // One store: out of the ready queue, and polling.
        h.state.set(state | RUNNING);
        // A waker that borrows this task's reference instead of owning one.
        let raw = RawWaker::new(self as *const Self as *const (), &Self::VTABLE);
        // SAFETY: the vtable matches the data pointer; `ManuallyDrop` keeps us from releasing a
        // count we never took, and `self` outlives the poll.
        let waker = ManuallyDrop::new(unsafe { Waker::from_raw(raw) });
        let mut cx = Context::from_waker(&waker);
        let polled = catch_unwind(AssertUnwindSafe(|| {
            // SAFETY: `RUNNING` grants exclusive access to `stage` on the home thread, and a
            // `Running` future is never moved: the allocation keeps it at one address until it is
            // dropped in place by `set_stage`.
            match unsafe { &mut *self.stage.get() } {
                Stage::Running(fut) => unsafe { Pin::new_unchecked(fut) }.poll(&mut cx),
                _ => Poll::Pending,
            }
        }));
        match polled {
            Ok(Poll::Pending) => {
                h.clear(RUNNING);
                false
            }
            // `finish` replaces the stage under `RUNNING` and clears it.
            Ok(Poll::Ready(out)) => {
                self.finish(Ok(out));
                true
            }
            Err(payload) => {
                self.finish(Err(panic_error(payload)));
                true
            }
        }
    }

    fn abort_now(&self) -> bool {
        if self.header.has(DONE) || self.header.has(RUNNING) {
            return false;
        }
        self.header.set(CANCEL);
        self.finish(Err(JoinError::cancelled()));
        true
    }

    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    fn abandon(&self, message: &str) -> bool {
        let h = &self.header;
        h.clear(RUNNING | QUEUED);
        if h.has(DONE) {
            return false;
        }
        // SAFETY: home thread, and the interrupted poll will never resume, so nothing else holds
        // the stage. The old stage is forgotten, not dropped: an interrupted future may be
        // half-updated, and leaking it is the only sound way to let go of it.
        let old = unsafe { std::mem::replace(&mut *self.stage.get(), Stage::Consumed) };
        std::mem::forget(old);
        self.finish(Err(panic_error(Box::new(message.to_string()))));
        true
    }
}

impl<F: Future + 'static> JoinTarget<F::Output> for TaskCell<F> {
    fn poll_join(&self, cx: &mut Context<'_>) -> Poll<Result<F::Output, JoinError>> {
        let h = &self.header;
        if h.has(RUNNING) {
            return Poll::Ready(Err(JoinError::self_join()));
        }
        if !h.has(DONE) {
            let w = h.join_waker.take();
            h.join_waker.set(Some(match w {
                Some(w) if w.will_wake(cx.waker()) => w,
                _ => cx.waker().clone(),
            }));
            return Poll::Pending;
        }
        h.set(RUNNING);
        // SAFETY: home thread (the handle is `!Send`), `RUNNING` excludes other access, and a
        // finished stage holds no pinned future, so moving the output out is fine.
        let stage = unsafe { std::mem::replace(&mut *self.stage.get(), Stage::Consumed) };
        h.clear(RUNNING);
        // Nobody can read the output again: dropping the handle has nothing left to do.
        h.set(DETACHED);
        Poll::Ready(match stage {
            Stage::Finished(result) => result,
            _ => Err(JoinError::already_joined()),
        })
    }

    fn poll_done(&self, cx: &mut Context<'_>) -> Poll<()> {
        let h = &self.header;
        if h.has(DONE) {
            return Poll::Ready(());
        }
        let w = h.join_waker.take();
        h.join_waker.set(Some(match w {
            Some(w) if w.will_wake(cx.waker()) => w,
            _ => cx.waker().clone(),
        }));
        Poll::Pending
    }

    fn peek_output(&self, f: &mut dyn FnMut(&Result<F::Output, JoinError>)) {
        if self.header.has(RUNNING) || !self.header.has(DONE) {
            return;
        }
        // SAFETY: home thread, not running, shared read only for the duration of `f`, which gets
        // no access to this task.
        if let Stage::Finished(r) = unsafe { &*self.stage.get() } {
            f(r)
        }
    }

    fn detach(&self) {
        self.header.set(DETACHED);
        self.header.join_waker.set(None);
        if self.header.has(DONE) && !self.header.has(RUNNING) {
            self.set_stage(Stage::Consumed);
        }
    }
}
