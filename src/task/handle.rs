//! [`Task`], the handle to a spawned task, and the functions that create and inspect tasks.

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use crate::executor::{self, HasHeader, JoinTarget, RawTask, TaskRc};

/// A task's id: unique among all tasks ever spawned on this thread.
///
/// # Examples
///
/// ```
/// wasio::run(async {
///     let (a, b) = (wasio::spawn(async {}), wasio::spawn(async {}));
///     assert_ne!(a.id(), b.id());
///     assert!(a.id() < b.id()); // ids grow in spawn order
///     assert_eq!(a.id().to_string(), format!("task-{}", a.id().as_u64()));
/// });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskId(pub(crate) u64);

impl TaskId {
    /// The id as a number.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let t = wasio::spawn(async {});
    ///     assert!(t.id().as_u64() > 0);
    /// });
    /// ```
    pub fn as_u64(self) -> u64 {
        self.0
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "task-{}", self.0)
    }
}

#[derive(Debug)]
enum Kind {
    Cancelled,
    Panicked(Box<dyn Any + Send>),
    AlreadyJoined,
    SelfJoin,
    WouldBlockLoop,
}

/// Why awaiting a [`Task`] gave no output.
///
/// # Examples
///
/// ```
/// wasio::run(async {
///     let t = wasio::spawn(async { panic!("boom") });
///     let e: wasio::JoinError = t.await.unwrap_err();
///     assert!(e.is_panic() && !e.is_cancelled());
///     assert_eq!(e.to_string(), "task panicked: boom");
/// });
/// ```
pub struct JoinError {
    kind: Kind,
}

impl JoinError {
    pub(crate) fn cancelled() -> Self {
        JoinError {
            kind: Kind::Cancelled,
        }
    }
    pub(crate) fn panicked(p: Box<dyn Any + Send>) -> Self {
        JoinError {
            kind: Kind::Panicked(p),
        }
    }
    pub(crate) fn already_joined() -> Self {
        JoinError {
            kind: Kind::AlreadyJoined,
        }
    }
    pub(crate) fn self_join() -> Self {
        JoinError {
            kind: Kind::SelfJoin,
        }
    }
    pub(crate) fn would_block_loop() -> Self {
        JoinError {
            kind: Kind::WouldBlockLoop,
        }
    }
    /// The task was cancelled before it finished.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let t = wasio::spawn(std::future::pending::<()>());
    ///     t.cancel();
    ///     assert!(t.await.unwrap_err().is_cancelled());
    /// });
    /// ```
    pub fn is_cancelled(&self) -> bool {
        matches!(self.kind, Kind::Cancelled)
    }
    /// The task's future panicked.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let t = wasio::spawn(async { let v: Vec<u8> = Vec::new(); v[1] });
    ///     assert!(t.await.unwrap_err().is_panic());
    /// });
    /// ```
    pub fn is_panic(&self) -> bool {
        matches!(self.kind, Kind::Panicked(_))
    }
    /// The output was already taken by an earlier await of the same handle.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let mut t = wasio::spawn(async { 7 });
    ///     assert_eq!((&mut t).await.unwrap(), 7);
    ///     assert!((&mut t).await.unwrap_err().is_already_joined());
    /// });
    /// ```
    pub fn is_already_joined(&self) -> bool {
        matches!(self.kind, Kind::AlreadyJoined)
    }
    /// A task awaited its own handle (asyncio: "Task cannot await on itself").
    ///
    /// # Examples
    ///
    /// ```
    /// use std::{cell::{Cell, RefCell}, rc::Rc};
    /// wasio::run(async {
    ///     let slot: Rc<RefCell<Option<wasio::Task<()>>>> = Rc::default();
    ///     let verdict = Rc::new(Cell::new(false));
    ///     let (me, v) = (slot.clone(), verdict.clone());
    ///     let t = wasio::spawn(async move {
    ///         let own = me.borrow_mut().take().unwrap();
    ///         v.set(own.await.unwrap_err().is_self_join());
    ///     });
    ///     *slot.borrow_mut() = Some(t);
    ///     wasio::yield_now().await; // the task runs and awaits itself
    ///     assert!(verdict.get());
    /// });
    /// ```
    pub fn is_self_join(&self) -> bool {
        matches!(self.kind, Kind::SelfJoin)
    }
    /// A blocking [`ThreadsafeTask::join`](crate::task::ThreadsafeTask::join) was called on the
    /// loop's own thread before the task ended: blocking there would wait for ever, since the
    /// loop cannot run meanwhile. The task runs on; await the handle instead.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let t = wasio::LoopHandle::current().spawn_threadsafe(async { 1 }).unwrap();
    ///     assert!(t.join().unwrap_err().is_would_block_loop());
    /// });
    /// ```
    pub fn is_would_block_loop(&self) -> bool {
        matches!(self.kind, Kind::WouldBlockLoop)
    }
    /// The panic payload, to resume it with `std::panic::resume_unwind`.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let e = wasio::spawn(async { std::panic::panic_any(42u32) }).await.unwrap_err();
    ///     assert_eq!(e.into_panic().unwrap().downcast_ref::<u32>(), Some(&42));
    /// });
    /// ```
    pub fn into_panic(self) -> Option<Box<dyn Any + Send>> {
        match self.kind {
            Kind::Panicked(p) => Some(p),
            _ => None,
        }
    }
}

impl fmt::Debug for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JoinError({self})")
    }
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Cancelled => f.write_str("task was cancelled"),
            Kind::Panicked(p) => {
                let msg = p
                    .downcast_ref::<&str>()
                    .copied()
                    .or_else(|| p.downcast_ref::<String>().map(String::as_str))
                    .unwrap_or("non-string payload");
                write!(f, "task panicked: {msg}")
            }
            Kind::AlreadyJoined => f.write_str("task output was already taken by an earlier await"),
            Kind::SelfJoin => f.write_str("a task cannot await its own handle"),
            Kind::WouldBlockLoop => f.write_str(
                "blocking on a task from its own loop's thread would wait for ever: await it instead",
            ),
        }
    }
}

impl std::error::Error for JoinError {}

/// The handle to a spawned task. Awaiting it gives the task's output, or a [`JoinError`] if the task
/// was cancelled or panicked.
///
/// Dropping the handle *detaches* the task: it keeps running (as in asyncio); use
/// [`Task::cancel`] to stop it, or [`Task::cancel_on_drop`] to tie its life to the handle.
///
/// # Cancel safety
///
/// Awaiting a `Task` is cancel safe: dropping the await leaves the task running and the output in
/// the handle.
///
/// # Examples
///
/// ```
/// wasio::run(async {
///     let t = wasio::spawn(async { "done" });
///     assert_eq!(t.await.unwrap(), "done");
/// });
/// ```
pub struct Task<T> {
    /// `TaskRc` is `!Send`: a handle stays on its loop's thread.
    raw: TaskRc<dyn JoinTarget<T>>,
}

impl<T: 'static> fmt::Debug for Task<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Task")
            .field("id", &self.id())
            .field("done", &self.is_done())
            .finish()
    }
}

impl<T: 'static> Task<T> {
    /// The task's id.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let t = wasio::spawn(async { wasio::current_task().unwrap().id() });
    ///     let id = t.id();
    ///     assert_eq!(t.await.unwrap(), id);
    /// });
    /// ```
    pub fn id(&self) -> TaskId {
        self.raw.header().id
    }

    /// The task's name, if it was given one.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let t = wasio::spawn_named("fetcher", async {});
    ///     assert_eq!(t.name().as_deref(), Some("fetcher"));
    ///     assert_eq!(wasio::spawn(async {}).name(), None);
    /// });
    /// ```
    pub fn name(&self) -> Option<Rc<str>> {
        executor::with(|ex| ex.name_of(self.id()))
    }

    /// Names (or renames) a live task. A task that has ended keeps no name.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let t = wasio::spawn(std::future::pending::<()>());
    ///     t.set_name("idle");
    ///     assert_eq!(t.name().as_deref(), Some("idle"));
    ///     t.cancel();
    /// });
    /// ```
    pub fn set_name(&self, name: &str) {
        if !self.is_done() {
            executor::with(|ex| ex.set_name(self.id(), name.into()));
        }
    }

    /// Whether the task has ended: returned, panicked or been cancelled.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let t = wasio::spawn(async {});
    ///     assert!(!t.is_done()); // it has not run yet
    ///     wasio::yield_now().await;
    ///     assert!(t.is_done());
    /// });
    /// ```
    pub fn is_done(&self) -> bool {
        self.raw.header().is_done()
    }

    /// Whether the task ended by cancellation.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let t = wasio::spawn(std::future::pending::<()>());
    ///     t.cancel();
    ///     assert!(!t.is_cancelled()); // requested, not yet carried out
    ///     wasio::yield_now().await;
    ///     assert!(t.is_cancelled() && t.is_done());
    /// });
    /// ```
    pub fn is_cancelled(&self) -> bool {
        self.raw.header().is_cancelled()
    }

    /// Requests cancellation: the task's future is dropped (its destructors run) at its next
    /// scheduling point instead of being polled. Returns `false` if the task had already ended or
    /// its cancellation was already requested.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let t = wasio::spawn(wasio::sleep(std::time::Duration::from_secs(60)));
    ///     assert!(t.cancel());
    ///     assert!(t.await.unwrap_err().is_cancelled());
    /// });
    /// ```
    pub fn cancel(&self) -> bool {
        let raw = self.raw.to_raw_task();
        executor::with(|ex| ex.cancel(raw))
    }

    /// Requests cancellation delivered at an await point (asyncio's `Task.cancel()`): see
    /// [`TaskRef::request_cancel`].
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let t = wasio::spawn(wasio::task::cancellable(std::future::pending::<()>()));
    ///     assert!(t.request_cancel());
    ///     assert_eq!(t.cancelling(), 1);
    ///     assert_eq!(t.await.unwrap(), Err(wasio::task::Cancelled));
    /// });
    /// ```
    pub fn request_cancel(&self) -> bool {
        super::cancellable::request(&self.as_ref())
    }

    /// How many cancel requests are outstanding (asyncio's `Task.cancelling()`): see
    /// [`TaskRef::cancelling`].
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let t = wasio::spawn(std::future::pending::<()>());
    ///     assert_eq!(t.cancelling(), 0);
    ///     t.request_cancel();
    ///     t.request_cancel();
    ///     assert_eq!(t.cancelling(), 2);
    ///     t.cancel();
    /// });
    /// ```
    pub fn cancelling(&self) -> u32 {
        super::cancellable::cancelling(self.raw.raw())
    }

    /// Withdraws one cancel request (asyncio's `Task.uncancel()`): see [`TaskRef::uncancel`].
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let t = wasio::spawn(wasio::task::cancellable(async { wasio::yield_now().await; 5 }));
    ///     t.request_cancel();
    ///     assert_eq!(t.uncancel(), 0); // withdrawn before it was delivered
    ///     assert_eq!(t.await.unwrap(), Ok(5));
    /// });
    /// ```
    pub fn uncancel(&self) -> u32 {
        super::cancellable::uncancel(self.raw.raw())
    }

    /// Lets the task run on with nobody awaiting it (the same as dropping the handle).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::{cell::Cell, rc::Rc};
    /// let ran = Rc::new(Cell::new(false));
    /// wasio::run({
    ///     let ran = ran.clone();
    ///     async move {
    ///         wasio::spawn(async move { ran.set(true) }).detach();
    ///         wasio::yield_now().await;
    ///     }
    /// });
    /// assert!(ran.get());
    /// ```
    pub fn detach(self) {}

    /// Makes dropping this handle cancel the task instead of detaching it.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::{cell::Cell, rc::Rc};
    /// let ran = Rc::new(Cell::new(false));
    /// wasio::run({
    ///     let ran = ran.clone();
    ///     async move {
    ///         drop(wasio::spawn(async move { ran.set(true) }).cancel_on_drop());
    ///         wasio::yield_now().await;
    ///     }
    /// });
    /// assert!(!ran.get()); // cancelled before it ever ran
    /// ```
    pub fn cancel_on_drop(self) -> Self {
        executor::with(|ex| ex.enable_cancel_on_drop());
        self.raw.header().set_cancel_on_drop();
        self
    }

    /// A type-erased reference to the task, for [`current_task`]-style inspection.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let t = wasio::spawn(async { 1u8 });
    ///     let refs: Vec<wasio::TaskRef> = vec![t.as_ref(), wasio::spawn(async { "x" }).as_ref()];
    ///     assert_eq!(refs[0].id(), t.id());
    ///     assert_eq!(t.await.unwrap(), 1);
    /// });
    /// ```
    pub fn as_ref(&self) -> TaskRef {
        TaskRef {
            raw: self.raw.to_raw_task(),
        }
    }

    pub(crate) fn poll_done(&self, cx: &mut Context<'_>) -> Poll<()> {
        self.raw.poll_done(cx)
    }

    pub(crate) fn peek(&self, f: &mut dyn FnMut(&Result<T, JoinError>)) {
        self.raw.peek_output(f)
    }
}

impl<T> Future for Task<T> {
    type Output = Result<T, JoinError>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.raw.poll_join(cx)
    }
}

impl<T> Drop for Task<T> {
    fn drop(&mut self) {
        let h = self.raw.header();
        if h.cancels_on_drop() {
            let raw = self.raw.to_raw_task();
            let _ = executor::try_with(|ex| ex.cancel_dropped(raw));
        }
        if !h.is_detached() {
            self.raw.detach();
        }
    }
}

/// A type-erased reference to a task (what [`current_task`] returns).
///
/// # Examples
///
/// ```
/// wasio::run(async {
///     let t = wasio::spawn_named("worker", async { wasio::current_task().unwrap() });
///     let id = t.id();
///     let r: wasio::TaskRef = t.await.unwrap();
///     assert_eq!(r.id(), id);
///     assert!(r.is_done());
/// });
/// ```
#[derive(Clone)]
pub struct TaskRef {
    /// Like `Task`, a `TaskRef` reads the task's state cells: it must stay on the loop's thread
    /// (`TaskRc` is `!Send`).
    raw: TaskRc<dyn RawTask>,
}

impl fmt::Debug for TaskRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskRef").field("id", &self.id()).finish()
    }
}

impl TaskRef {
    /// The task's id.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let t = wasio::spawn(async {});
    ///     assert_eq!(t.as_ref().id(), t.id());
    /// });
    /// ```
    pub fn id(&self) -> TaskId {
        self.raw.header().id
    }

    /// The task's name, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let name = wasio::spawn_named("me", async { wasio::current_task().unwrap().name() });
    ///     assert_eq!(name.await.unwrap().as_deref(), Some("me"));
    /// });
    /// ```
    pub fn name(&self) -> Option<Rc<str>> {
        executor::with(|ex| ex.name_of(self.id()))
    }

    /// Whether the task has ended.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let r = wasio::spawn(async {}).as_ref();
    ///     assert!(!r.is_done());
    ///     wasio::yield_now().await;
    ///     assert!(r.is_done());
    /// });
    /// ```
    pub fn is_done(&self) -> bool {
        self.raw.header().is_done()
    }

    /// Requests cancellation (see [`Task::cancel`]).
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let t = wasio::spawn(std::future::pending::<()>());
    ///     assert!(t.as_ref().cancel());
    ///     assert!(t.await.unwrap_err().is_cancelled());
    /// });
    /// ```
    pub fn cancel(&self) -> bool {
        executor::with(|ex| ex.cancel(self.raw.clone()))
    }

    /// Requests cancellation delivered at an await point (asyncio's `Task.cancel()`): counts one
    /// more request ([`cancelling`](TaskRef::cancelling)) and wakes the task, whose next
    /// [`cancellable`](fn@super::cancellable) await that has to wait returns
    /// [`Err(Cancelled)`](super::Cancelled) instead (see [`task::cancellable`](mod@super::cancellable)
    /// for the model). A task that returns before such an await ends cancelled. Returns `false`,
    /// changing nothing, if the task has ended.
    ///
    /// Unlike [`cancel`](TaskRef::cancel), the task's future is not dropped: its code sees the
    /// error, can clean up (awaiting as it likes) and then return it or carry on.
    ///
    /// # Examples
    ///
    /// ```
    /// use wasio::task::{cancellable, Cancelled};
    /// wasio::run(async {
    ///     let t = wasio::spawn(async {
    ///         let r = cancellable(std::future::pending::<()>()).await;
    ///         (r, wasio::current_task().unwrap().cancelling())
    ///     });
    ///     let r = t.as_ref();
    ///     wasio::yield_now().await; // it waits now
    ///     assert!(r.request_cancel());
    ///     assert_eq!(t.await.unwrap(), (Err(Cancelled), 1));
    ///     assert!(!r.request_cancel()); // it has ended
    /// });
    /// ```
    pub fn request_cancel(&self) -> bool {
        super::cancellable::request(self)
    }

    /// How many cancel requests were made of the task and not withdrawn by
    /// [`uncancel`](TaskRef::uncancel) (asyncio's `Task.cancelling()`). Delivering a request does
    /// not withdraw it.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let t = wasio::spawn(std::future::pending::<()>());
    ///     let r = t.as_ref();
    ///     r.request_cancel();
    ///     assert_eq!(r.cancelling(), 1);
    ///     t.cancel();
    /// });
    /// ```
    pub fn cancelling(&self) -> u32 {
        super::cancellable::cancelling(&*self.raw)
    }

    /// Withdraws one cancel request and returns how many are left (asyncio's `Task.uncancel()`);
    /// `0`, changing nothing, if there were none. Withdrawing the last one also withdraws a
    /// request not yet delivered. A timeout or task group that requested cancellation itself
    /// calls it when that request comes back to it as [`Cancelled`](super::Cancelled): a count
    /// still above the one it saw on entry means someone else asked for cancellation too, and
    /// the error must travel on.
    ///
    /// # Examples
    ///
    /// ```
    /// use wasio::task::{cancellable, Cancelled};
    /// wasio::run(async {
    ///     let t = wasio::spawn(async {
    ///         let me = wasio::current_task().unwrap();
    ///         let entry = me.cancelling();
    ///         let r = cancellable(std::future::pending::<()>()).await;
    ///         // Two requests arrived (say, our own timeout's and an outside one): after taking
    ///         // ours back, one is left, so the cancellation is not ours alone to swallow.
    ///         assert_eq!(r, Err(Cancelled));
    ///         me.uncancel() > entry
    ///     });
    ///     wasio::yield_now().await;
    ///     t.request_cancel();
    ///     t.request_cancel();
    ///     assert!(t.await.unwrap());
    /// });
    /// ```
    pub fn uncancel(&self) -> u32 {
        super::cancellable::uncancel(&*self.raw)
    }

    pub(crate) fn raw(&self) -> &TaskRc<dyn RawTask> {
        &self.raw
    }
}

/// Spawns `future` as a task on this thread's loop and returns its handle.
///
/// The task first runs at the loop's next turn, after the tasks already ready. On blocking hosts it
/// runs while [`run`](crate::run) drives the loop; in the browser the loop starts by itself.
///
/// # Examples
///
/// ```
/// wasio::run(async {
///     let a = wasio::spawn(async { 1 });
///     let b = wasio::spawn(async { 2 });
///     assert_eq!(a.await.unwrap() + b.await.unwrap(), 3);
/// });
/// ```
pub fn spawn<F>(future: F) -> Task<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let raw = executor::with(|ex| ex.spawn(future, None));
    Task { raw }
}

/// Spawns a task whose output nobody will take: `spawn(future).detach()`, without making the
/// handle (the library's own background tasks: connection handlers, writer drivers, callbacks).
/// While the thread is being torn down there is no loop to run it, and `future` is dropped.
pub(crate) fn spawn_detached<F>(future: F)
where
    F: Future + 'static,
    F::Output: 'static,
{
    let _ = executor::try_with(|ex| ex.spawn_detached(future));
}

/// Spawns a task with a name (shown in traces and by [`Task::name`]).
///
/// # Examples
///
/// ```
/// wasio::run(async {
///     let t = wasio::spawn_named("worker", async {
///         wasio::current_task().unwrap().name().unwrap().to_string()
///     });
///     assert_eq!(t.await.unwrap(), "worker");
/// });
/// ```
pub fn spawn_named<F>(name: &str, future: F) -> Task<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let raw = executor::with(|ex| ex.spawn(future, Some(name.into())));
    Task { raw }
}

/// The task being polled right now, or `None` outside any task (including the future given to
/// [`run`](crate::run) itself, which is not a task).
///
/// # Examples
///
/// ```
/// wasio::run(async {
///     assert!(wasio::current_task().is_none());
///     let t = wasio::spawn(async { wasio::current_task().map(|t| t.id()) });
///     let id = t.id();
///     assert_eq!(t.await.unwrap(), Some(id));
/// });
/// ```
pub fn current_task() -> Option<TaskRef> {
    executor::with(|ex| ex.current()).map(|raw| TaskRef { raw })
}

/// How many tasks are alive (spawned and not yet ended) on this thread's loop.
///
/// # Examples
///
/// ```
/// wasio::run(async {
///     let t = wasio::spawn(async {});
///     assert_eq!(wasio::task_count(), 1);
///     t.await.unwrap();
///     assert_eq!(wasio::task_count(), 0);
/// });
/// ```
pub fn task_count() -> usize {
    executor::with(|ex| ex.task_count())
}
