//! Synchronization primitives with asyncio's semantics: [`Mutex`] and [`Lock`], [`Event`],
//! [`Condition`] and [`LockCondition`], [`Semaphore`] and [`BoundedSemaphore`], [`Barrier`].
//!
//! # How they are built
//!
//! Every primitive is a cheap-to-clone handle (an `Rc` inside) for the tasks of one loop: no
//! atomics, no `Send`. Each keeps its own small state (a flag, a count) in `Cell`s and its waiting
//! tasks in one shared structure, the wait list (`waiters.rs`): a slab of entries threaded by a
//! doubly linked FIFO of indices. An entry is *Waiting* (in the FIFO, holding a waker), *Notified*
//! (unlinked, holding what it was handed: the lock, a permit, a notification, a barrier index) or
//! *Free*. Registering, handing off and leaving are all O(1), wherever the waiter stands.
//!
//! The rules every primitive keeps, through that one structure:
//!
//! * **Strict FIFO, no barging.** A release hands the lock, permit or notification directly to the
//!   oldest waiter; it does not put it back in a pool for whoever polls first. A task that releases
//!   and immediately acquires again queues behind the waiters, and a semaphore or lock with a
//!   hand-off in flight reports itself locked.
//! * **Cancellation loses nothing.** Every waiting future removes its entry when dropped. If it had
//!   already been handed something, it passes that on to the next waiter (or back to the pool), so
//!   no cancelled task keeps a lock, a permit or a notification, and none stays in any list.
//! * **Uncontended means synchronous.** When nothing must wait, the first poll completes without
//!   cloning a waker or allocating.
//! * **Errors, not panics**: [`OverRelease`], [`NotLocked`], [`ZeroParties`], [`BrokenBarrier`].
//!
//! # Examples
//!
//! ```
//! use wasio::sync::{Event, Mutex};
//! wasio::run(async {
//!     let ready = Event::new();
//!     let log = Mutex::new(Vec::new());
//!     let worker = wasio::spawn({
//!         let (ready, log) = (ready.clone(), log.clone());
//!         async move {
//!             ready.wait().await;
//!             log.lock().await.push("worker");
//!         }
//!     });
//!     log.lock().await.push("main");
//!     ready.set();
//!     worker.await.unwrap();
//!     assert_eq!(*log.lock().await, ["main", "worker"]);
//! });
//! ```

mod barrier;
mod condition;
mod event;
mod lock_condition;
mod mutex;
mod semaphore;
pub(crate) mod waiters;

pub use barrier::{Barrier, BarrierWait, BrokenBarrier, ZeroParties};
pub use condition::{Condition, ConditionWait};
pub use event::{Event, EventWait};
pub use lock_condition::{LockCondition, LockConditionWait};
pub use mutex::{Acquire, Lock, LockGuard, Mutex, MutexGuard, MutexLock, NotLocked, TryLockError};
pub use semaphore::{
    BoundedSemaphore, OverRelease, Semaphore, SemaphoreAcquire, SemaphorePermit, TryAcquireError,
};
