//! Queues between tasks with asyncio's semantics: [`Queue`] (FIFO), [`LifoQueue`] and
//! [`PriorityQueue`].
//!
//! # How they are built
//!
//! All three are one type, [`GenericQueue<T, S>`], over a [`Storage`] `S` that decides only the
//! order items leave in: [`Fifo`] (a `VecDeque`), [`Lifo`] (a `Vec`) or [`Priority`] (a
//! `BinaryHeap`, smallest first). The waiting, hand-off, `task_done`/`join` and shutdown logic
//! exists once, in `core.rs`, on the same wait lists as [`sync`](crate::sync):
//!
//! * `put` waits while the queue holds `maxsize` items (0 = unbounded), `get` while it holds none;
//!   each line is served strictly FIFO. A new item goes straight to the oldest waiting getter, and
//!   a freed slot is promised to the oldest waiting putter, so `put_nowait`/`get_nowait` from
//!   another task never jump ahead of them.
//! * Cancellation loses nothing: a cancelled `get` consumes no item, a cancelled `put` inserts
//!   none, and an item or slot held by a cancelled waiter passes to the next one.
//! * `task_done` more often than items were put is [`TaskDoneUnderflow`]; using a shut-down queue
//!   is [`QueueShutDown`] / [`TryPutError::ShutDown`] / [`TryGetError::ShutDown`].
//!
//! # Examples
//!
//! ```
//! use wasio::queue::{LifoQueue, PriorityQueue, Queue};
//! let fifo = Queue::new(0);
//! let lifo = LifoQueue::new(0);
//! let prio = PriorityQueue::new(0);
//! for i in [2, 3, 1] {
//!     fifo.put_nowait(i).unwrap();
//!     lifo.put_nowait(i).unwrap();
//!     prio.put_nowait(i).unwrap();
//! }
//! assert_eq!(fifo.get_nowait(), Ok(2));
//! assert_eq!(lifo.get_nowait(), Ok(1));
//! assert_eq!(prio.get_nowait(), Ok(1));
//! ```

mod core;
mod error;
mod fifo;
mod lifo;
mod priority;
mod storage;

pub use self::core::{GenericQueue, Get, Join, Put};
pub use error::{QueueShutDown, TaskDoneUnderflow, TryGetError, TryPutError};
pub use fifo::{Fifo, Queue};
pub use lifo::{Lifo, LifoQueue};
pub use priority::{Priority, PriorityQueue};
pub use storage::Storage;
