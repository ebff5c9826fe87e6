//! Tasks and the ways to combine them: [`spawn`], [`Task`], cancellation, [`gather`], [`wait`],
//! [`as_completed`], [`shield`], [`TaskGroup`], and loop-level callbacks.

mod as_completed;
mod call;
pub mod cancellable;
mod gather;
mod group;
mod handle;
mod shield;
mod threadsafe;
mod wait;

pub use as_completed::{as_completed, AsCompleted};
pub use call::{call_at, call_later, call_soon, CallHandle, LoopClosed, LoopHandle};
pub use cancellable::{cancellable, Cancellable, Cancelled};
pub use gather::{gather, try_gather, Gatherable, TryGatherable};
pub use gather::{Gather1, Gather2, Gather3, Gather4, Gather5, Gather6, Gather7, Gather8};
pub use gather::{GatherAll, TryGatherAll};
pub use gather::{TryGather1, TryGather2, TryGather3, TryGather4};
pub use gather::{TryGather5, TryGather6, TryGather7, TryGather8};
pub use group::{ChildFailure, GroupError, TaskGroup};
pub(crate) use handle::spawn_detached;
pub use handle::{current_task, spawn, spawn_named, task_count, JoinError, Task, TaskId, TaskRef};
pub use shield::shield;
pub use threadsafe::ThreadsafeTask;
pub use wait::{wait, EmptyWait, Outcome, ReturnWhen};
