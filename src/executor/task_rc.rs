//! Counted references to tasks, and how a reference held on another thread is counted.
//!
//! # Data structure
//!
//! A task is one `Box` allocation (a `TaskCell<F>`) whose header holds `refs`, a plain, non-atomic
//! reference count that only the task's *home* thread (the one whose executor spawned it) ever
//! reads or writes. Three kinds of reference are counted in it:
//!
//! * [`TaskRc`]: held on the home thread by the ready queue, the list of live tasks and `Task`
//!   handles. It is `!Send`, so its clone and drop are always plain increments and decrements; the
//!   drop that reaches zero frees the task (on the home thread, so a `!Send` future or output is
//!   never dropped elsewhere).
//! * a `Waker`'s data pointer (see `task_cell.rs`): counted like a `TaskRc`, but a waker may travel
//!   to other threads. Its vtable checks the thread first ([`on_home_thread`]): at home it touches
//!   `refs` directly; elsewhere it sends the change home through the injection queue as a
//!   [`RemoteOp`] on the task's pointer, which the home thread applies ([`apply`]) at its next
//!   turn (in a single-threaded wasm build there is no elsewhere: `MULTI_THREADED` is false, the
//!   check is constant and the remote path is not linked). The queue is FIFO and a reference is
//!   always cloned before it is dropped, so every `AddRef` is applied before the `Release` of the
//!   reference it was cloned from: `refs` never reaches zero while a reference exists.
//! * a [`RemoteRef`]: a pointer in flight to the home thread. Dropping one does nothing: if the
//!   home loop has gone away the task is leaked, never touched from the wrong thread.
//!
//! This is why waking, cloning and dropping wakers on the home thread, the common case, costs no
//! atomic instruction.

use std::cell::Cell;
use std::marker::PhantomData;
use std::ops::Deref;
use std::ptr::NonNull;
use std::sync::Arc;

#[cfg(not(all(target_family = "wasm", not(target_feature = "atomics"))))]
use super::shared::Injected;
use super::shared::Shared;
use super::task_cell::{HasHeader, JoinTarget, RawTask};

/// Whether this build can have more than one thread sharing memory. Wasm without the `atomics`
/// feature cannot (a worker is another instance with its own memory), so there every reference is
/// on its home thread and the remote path (`send_home`) is not even linked.
pub(crate) const MULTI_THREADED: bool =
    !cfg!(all(target_family = "wasm", not(target_feature = "atomics")));

thread_local! {
    /// The `Shared` half of this thread's executor, once it exists: what "home" means here.
    static HOME: Cell<*const Shared> = const { Cell::new(std::ptr::null()) };
}

/// Records that this thread's executor is the one `shared` belongs to.
pub(crate) fn set_home_thread(shared: &Arc<Shared>) {
    if MULTI_THREADED {
        HOME.with(|h| h.set(Arc::as_ptr(shared)));
    }
}

/// Whether the calling thread is the home of the executor `home` belongs to (always, in a
/// single-threaded build: the only executor is this thread's, and `home` is its `Shared`).
#[inline]
pub(crate) fn on_home_thread(home: &Arc<Shared>) -> bool {
    !MULTI_THREADED || HOME.with(|h| h.get() == Arc::as_ptr(home))
}

/// A counted reference to a task, usable on its home thread only.
pub(crate) struct TaskRc<T: ?Sized + RawTask> {
    ptr: NonNull<T>,
    _home_only: PhantomData<*const ()>,
}

impl<T: ?Sized + RawTask> TaskRc<T> {
    /// Takes over one counted reference.
    ///
    /// # Safety
    ///
    /// `ptr` must point at a live task whose count includes a reference nobody else will release,
    /// and the call must be on the task's home thread.
    #[inline]
    #[allow(unsafe_code)]
    pub(crate) unsafe fn from_raw(ptr: NonNull<T>) -> Self {
        TaskRc {
            ptr,
            _home_only: PhantomData,
        }
    }

    /// A new counted reference to the task `ptr` points at.
    ///
    /// # Safety
    ///
    /// `ptr` must point at a task kept alive for the duration of the call, on its home thread.
    #[inline]
    #[allow(unsafe_code)]
    pub(crate) unsafe fn clone_from_ptr(ptr: NonNull<T>) -> Self {
        // SAFETY: the caller guarantees the task is alive and that this is its home thread.
        let header = unsafe { ptr.as_ref() }.header();
        increment(&header.refs);
        // SAFETY: the count now includes the reference handed out.
        unsafe { Self::from_raw(ptr) }
    }

    /// Gives up the reference without releasing it (see [`TaskRc::from_raw`]).
    #[inline]
    pub(crate) fn into_raw(self) -> NonNull<T> {
        let ptr = self.ptr;
        std::mem::forget(self);
        ptr
    }

    #[inline]
    pub(crate) fn as_ptr(&self) -> NonNull<T> {
        self.ptr
    }
}

impl TaskRc<dyn RawTask> {
    /// Polls the task once (see `run_at` in `task_cell.rs`), handing its waker this reference's
    /// pointer, which carries the allocation's provenance.
    #[inline]
    #[allow(unsafe_code)]
    pub(crate) fn run(&self) -> bool {
        // SAFETY: `ptr` is the task's allocation pointer (from `Box::leak`, never from a
        // reference), and this is the home thread (a `TaskRc` never leaves it).
        unsafe { self.run_at(self.ptr) }
    }
}

impl<T> TaskRc<dyn JoinTarget<T>> {
    /// A new reference to the same task, type-erased.
    #[allow(unsafe_code)]
    pub(crate) fn to_raw_task(&self) -> TaskRc<dyn RawTask> {
        let ptr: NonNull<dyn RawTask> = self.ptr;
        // SAFETY: `self` keeps the task alive, and a `TaskRc` exists only on the home thread.
        unsafe { TaskRc::clone_from_ptr(ptr) }
    }
}

#[inline]
fn increment(refs: &Cell<usize>) {
    match refs.get().checked_add(1) {
        Some(n) => refs.set(n),
        // As `Arc` does: a count this large means leaked references; continuing would be unsound.
        None => std::process::abort(),
    }
}

impl<T: ?Sized + RawTask> Clone for TaskRc<T> {
    #[inline]
    #[allow(unsafe_code)]
    fn clone(&self) -> Self {
        // SAFETY: `self` keeps the task alive, and a `TaskRc` exists only on the home thread.
        unsafe { Self::clone_from_ptr(self.ptr) }
    }
}

impl<T: ?Sized + RawTask> Drop for TaskRc<T> {
    #[inline]
    #[allow(unsafe_code)]
    fn drop(&mut self) {
        let refs = &self.header().refs;
        let n = refs.get() - 1;
        refs.set(n);
        if n == 0 {
            // SAFETY: that was the last reference, every task is a `Box` allocation, and this is
            // the home thread, so the future or output it may still hold is dropped at home.
            drop(unsafe { Box::from_raw(self.ptr.as_ptr()) });
        }
    }
}

impl<T: ?Sized + RawTask> Deref for TaskRc<T> {
    type Target = T;
    #[inline]
    #[allow(unsafe_code)]
    fn deref(&self) -> &T {
        // SAFETY: the counted reference keeps the task alive.
        unsafe { self.ptr.as_ref() }
    }
}

// ----- the waker functions ------------------------------------------------------------------
//
// Every waker holds one counted reference. At home each is a plain count operation; elsewhere it
// is sent home (see the module docs). The tasks' one waker vtable (`task_cell.rs`) only restores
// the task's type-erased pointer and calls one of these.

/// Sends a reference operation home from another thread. If the loop is gone, nothing happens
/// (the task is leaked rather than touched from the wrong thread). Out of line: the waker functions
/// keep only a call to this cold path.
#[cfg(not(all(target_family = "wasm", not(target_feature = "atomics"))))]
#[cold]
#[inline(never)]
#[allow(unsafe_code)]
fn send_home(task: NonNull<dyn RawTask>, op: RemoteOp) {
    // SAFETY: the sending waker's reference keeps the task alive; `home` is immutable and `Sync`.
    let home = &unsafe { task.as_ref() }.header().home;
    home.inject(Injected::Task(RemoteRef::new(task), op));
}

/// Whether the calling thread is `task`'s home (always, in a single-threaded build, whose tasks
/// record no home: see `task_cell::Home`).
///
/// # Safety
///
/// `task` must be kept alive by the calling waker's reference.
#[inline]
#[allow(unsafe_code)]
unsafe fn at_home(task: NonNull<dyn RawTask>) -> bool {
    #[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
    let _ = task;
    // SAFETY: as the caller guarantees; `home` is immutable and may be read from any thread.
    #[cfg(not(all(target_family = "wasm", not(target_feature = "atomics"))))]
    return on_home_thread(&unsafe { task.as_ref() }.header().home);
    #[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
    true
}

/// What a waker's vtable function does with its reference: `op` at once on the task's home thread
/// (see [`apply`]), or sent home through the loop's injection queue from any other thread.
///
/// # Safety
///
/// `task` must be the pointer of a waker holding a counted reference; `Release` and `Wake`
/// consume it.
#[inline]
#[allow(unsafe_code)]
pub(crate) unsafe fn waker_op(task: NonNull<dyn RawTask>, op: RemoteOp) {
    // SAFETY: the waker's reference keeps the task alive.
    if unsafe { at_home(task) } {
        // SAFETY: home thread, applied at once (so in order); the waker's reference is counted.
        if let Some(task) = unsafe { apply(RemoteRef(task), op) } {
            super::wake_local(task);
        }
    } else {
        #[cfg(not(all(target_family = "wasm", not(target_feature = "atomics"))))]
        send_home(task, op);
    }
}

/// A change to a task's count (and maybe a wake-up) requested from another thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RemoteOp {
    /// A waker was cloned.
    AddRef,
    /// A waker was dropped.
    Release,
    /// A waker was woken by value: its reference goes to the ready queue.
    Wake,
    /// A waker was woken by reference: a new reference goes to the ready queue.
    WakeByRef,
}

/// A task pointer on its way home from another thread (see the module docs).
pub(crate) struct RemoteRef(NonNull<dyn RawTask>);

// SAFETY: a `RemoteRef` is only a pointer: nothing dereferences it until `apply`, on the home
// thread. Dropping one elsewhere does nothing.
#[allow(unsafe_code)]
unsafe impl Send for RemoteRef {}

impl RemoteRef {
    #[cfg_attr(
        all(target_family = "wasm", not(target_feature = "atomics")),
        allow(dead_code)
    )]
    pub(crate) fn new(ptr: NonNull<dyn RawTask>) -> Self {
        RemoteRef(ptr)
    }
}

/// Applies `op` on the home thread (sent home from another thread, or at once by [`waker_op`]);
/// returns the reference to schedule for the two wake operations.
///
/// # Safety
///
/// Home thread only, on operations applied in the order their threads queued them; `task` must
/// come from a waker holding a counted reference when it queued `op`.
#[inline]
#[allow(unsafe_code)]
pub(crate) unsafe fn apply(task: RemoteRef, op: RemoteOp) -> Option<TaskRc<dyn RawTask>> {
    let ptr = task.0;
    // SAFETY (all arms): the sending waker's reference was counted when it queued `op`, and any
    // release of it was queued later, so the task is alive now.
    match op {
        RemoteOp::AddRef => {
            increment(&unsafe { ptr.as_ref() }.header().refs);
            None
        }
        RemoteOp::Release => {
            drop(unsafe { TaskRc::from_raw(ptr) });
            None
        }
        RemoteOp::Wake => Some(unsafe { TaskRc::from_raw(ptr) }),
        RemoteOp::WakeByRef => Some(unsafe { TaskRc::clone_from_ptr(ptr) }),
    }
}
