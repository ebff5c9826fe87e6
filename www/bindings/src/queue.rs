//! Queues of JS values: FIFO, LIFO and priority (asyncio's `Queue`, `LifoQueue`,
//! `PriorityQueue`), all one crate queue.
//!
//! Every queue is the crate's `PriorityQueue` of [`Ranked`] items; the order is in the rank:
//! FIFO ranks by arrival, LIFO by reverse arrival, a priority queue by the number JS computes for
//! each item (the item itself, or its first element for an array), then by arrival, so equal
//! priorities come out FIFO. One queue type keeps the module small (the crate's queue logic is
//! generic over its storage, so three storages would mean three copies of it), and an item handed
//! to a cancelled getter goes back exactly where it was, whatever the order. Immediate errors
//! (`QueueFull`, `QueueEmpty`, `QueueShutDown`, `task_done` underflow) are thrown as numbers and
//! JS maps them to its error classes.

use std::cell::Cell;
use std::cmp::Ordering;

use wasio::queue::{PriorityQueue, TryGetError, TryPutError};
use wasio::trace::WaitReason;
use wasm_bindgen::prelude::*;

use crate::waits::{self, boxed, Fail};

/// A queued item: ordered by `rank`, then by arrival (`seq`).
struct Ranked {
    rank: f64,
    seq: f64,
    value: JsValue,
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank
            .total_cmp(&other.rank)
            .then(self.seq.total_cmp(&other.seq))
    }
}

/// Codes thrown by the immediate operations (JS maps them to error classes).
const FULL: u32 = 10;
const EMPTY: u32 = 11;
const UNDERFLOW: u32 = 12;

/// A queue of JS values.
#[wasm_bindgen]
pub struct JsQueue {
    queue: PriorityQueue<Ranked>,
    /// 0 FIFO, 1 LIFO, 2 priority.
    kind: u32,
    seq: Cell<f64>,
}

fn put_error<T>(e: TryPutError<T>) -> JsValue {
    JsValue::from(match e {
        TryPutError::Full(_) => FULL,
        _ => Fail::ShutDown as u32,
    })
}

fn get_error(e: TryGetError) -> JsValue {
    JsValue::from(match e {
        TryGetError::Empty => EMPTY,
        TryGetError::ShutDown => Fail::ShutDown as u32,
    })
}

#[wasm_bindgen]
impl JsQueue {
    /// A queue of `kind` 0 (FIFO), 1 (LIFO) or 2 (priority) holding at most `maxsize` items
    /// (0: unbounded).
    #[wasm_bindgen(constructor)]
    pub fn new(kind: u32, maxsize: u32) -> JsQueue {
        JsQueue {
            queue: PriorityQueue::new(maxsize as usize),
            kind,
            seq: Cell::new(0.0),
        }
    }

    fn rank(&self, value: JsValue, priority: f64) -> Ranked {
        let seq = self.seq.get();
        self.seq.set(seq + 1.0);
        let rank = match self.kind {
            1 => -seq,
            2 => priority,
            _ => 0.0,
        };
        Ranked { rank, seq, value }
    }

    /// Starts a put of `item` (with `priority` for a priority queue); returns the wait id.
    pub fn put(&self, item: JsValue, priority: f64, owner: u32) -> u32 {
        let q = self.queue.clone();
        let item = self.rank(item, priority);
        waits::start_now(
            owner,
            WaitReason::QueuePut,
            boxed(async move {
                match q.put(item).await {
                    Ok(()) => Ok(JsValue::UNDEFINED),
                    Err(_) => Err(Fail::ShutDown.into()),
                }
            }),
        )
    }

    /// Puts `item` now; throws a code if the queue is full or shut down.
    pub fn put_nowait(&self, item: JsValue, priority: f64) -> Result<(), JsValue> {
        let item = self.rank(item, priority);
        waits::handing_off(|| self.queue.put_nowait(item).map_err(put_error))
    }

    /// Starts a get; returns the wait id (the wait's value is the item).
    pub fn get(&self, owner: u32) -> u32 {
        let q = self.queue.clone();
        waits::start_now(
            owner,
            WaitReason::QueueGet,
            boxed(async move {
                match q.get().await {
                    Ok(r) => Ok(r.value),
                    Err(_) => Err(Fail::ShutDown.into()),
                }
            }),
        )
    }

    /// Takes an item now; throws a code if none is available or the queue is shut down.
    pub fn get_nowait(&self) -> Result<JsValue, JsValue> {
        waits::handing_off(|| self.queue.get_nowait().map(|r| r.value).map_err(get_error))
    }

    /// Marks one item processed; throws a code on underflow.
    pub fn task_done(&self) -> Result<(), JsValue> {
        waits::handing_off(|| self.queue.task_done().map_err(|_| JsValue::from(UNDERFLOW)))
    }

    /// Starts a wait until every item put has been marked done; returns the wait id.
    pub fn join(&self, owner: u32) -> u32 {
        let q = self.queue.clone();
        waits::start_now(
            owner,
            WaitReason::QueueJoin,
            boxed(async move {
                q.join().await;
                Ok(JsValue::UNDEFINED)
            }),
        )
    }

    /// Shuts the queue down (`immediate`: also drops the items left).
    pub fn shutdown(&self, immediate: bool) {
        waits::handing_off(|| self.queue.shutdown(immediate))
    }
    /// Items in the queue.
    pub fn size(&self) -> u32 {
        self.queue.qsize() as u32
    }
    /// The bound (0: unbounded).
    pub fn maxsize(&self) -> u32 {
        self.queue.maxsize() as u32
    }
    /// Whether it is empty.
    pub fn empty(&self) -> bool {
        self.queue.empty()
    }
    /// Whether it is full.
    pub fn full(&self) -> bool {
        self.queue.full()
    }
}
