//! Queues of JS values: FIFO, LIFO and priority (asyncio's `Queue`, `LifoQueue`,
//! `PriorityQueue`), one JS class over the crate's three.
//!
//! A priority queue orders by the number JS computes for each item (the item itself, or its
//! first element for an array), then by arrival, so equal priorities come out FIFO. Immediate
//! errors (`QueueFull`, `QueueEmpty`, `QueueShutDown`, `task_done` underflow) are thrown as the
//! numbers [`Fail`] and JS maps them to its error classes.

use std::cell::Cell;
use std::cmp::Ordering;

use wasio::queue::{LifoQueue, PriorityQueue, Queue, TryGetError, TryPutError};
use wasm_bindgen::prelude::*;

use crate::waits::{self, boxed, Fail};

/// An item of a priority queue: ordered by `priority`, then by arrival (`seq`).
struct Ranked {
    priority: f64,
    seq: u64,
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
        self.priority
            .total_cmp(&other.priority)
            .then(self.seq.cmp(&other.seq))
    }
}

enum Kind {
    Fifo(Queue<JsValue>),
    Lifo(LifoQueue<JsValue>),
    Priority(PriorityQueue<Ranked>),
}

/// Codes thrown by the immediate operations (JS maps them to error classes).
const FULL: u32 = 10;
const EMPTY: u32 = 11;
const UNDERFLOW: u32 = 12;

/// A queue of JS values.
#[wasm_bindgen]
pub struct JsQueue {
    kind: Kind,
    seq: Cell<u64>,
}

macro_rules! on_queue {
    ($q:expr, $x:ident => $e:expr) => {
        match &$q.kind {
            Kind::Fifo($x) => $e,
            Kind::Lifo($x) => $e,
            Kind::Priority($x) => $e,
        }
    };
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
        let n = maxsize as usize;
        JsQueue {
            kind: match kind {
                1 => Kind::Lifo(LifoQueue::new(n)),
                2 => Kind::Priority(PriorityQueue::new(n)),
                _ => Kind::Fifo(Queue::new(n)),
            },
            seq: Cell::new(0),
        }
    }

    fn rank(&self, value: JsValue, priority: f64) -> Ranked {
        let seq = self.seq.get();
        self.seq.set(seq + 1);
        Ranked {
            priority,
            seq,
            value,
        }
    }

    /// Starts a put of `item` (with `priority` for a priority queue); returns the wait id.
    pub fn put(&self, item: JsValue, priority: f64, owner: u32) -> u32 {
        let f = match &self.kind {
            Kind::Fifo(q) => {
                let q = q.clone();
                boxed(async move {
                    q.put(item)
                        .await
                        .map(|_| JsValue::UNDEFINED)
                        .map_err(|_| Fail::ShutDown)
                })
            }
            Kind::Lifo(q) => {
                let q = q.clone();
                boxed(async move {
                    q.put(item)
                        .await
                        .map(|_| JsValue::UNDEFINED)
                        .map_err(|_| Fail::ShutDown)
                })
            }
            Kind::Priority(q) => {
                let q = q.clone();
                let item = self.rank(item, priority);
                boxed(async move {
                    q.put(item)
                        .await
                        .map(|_| JsValue::UNDEFINED)
                        .map_err(|_| Fail::ShutDown)
                })
            }
        };
        waits::start(owner, f)
    }

    /// Puts `item` now; throws a code if the queue is full or shut down.
    pub fn put_nowait(&self, item: JsValue, priority: f64) -> Result<(), JsValue> {
        match &self.kind {
            Kind::Fifo(q) => q.put_nowait(item).map_err(put_error),
            Kind::Lifo(q) => q.put_nowait(item).map_err(put_error),
            Kind::Priority(q) => q.put_nowait(self.rank(item, priority)).map_err(put_error),
        }
    }

    /// Starts a get; returns the wait id (the wait's value is the item).
    pub fn get(&self, owner: u32) -> u32 {
        let f = match &self.kind {
            Kind::Fifo(q) => {
                let q = q.clone();
                boxed(async move { q.get().await.map_err(|_| Fail::ShutDown) })
            }
            Kind::Lifo(q) => {
                let q = q.clone();
                boxed(async move { q.get().await.map_err(|_| Fail::ShutDown) })
            }
            Kind::Priority(q) => {
                let q = q.clone();
                boxed(async move { q.get().await.map(|r| r.value).map_err(|_| Fail::ShutDown) })
            }
        };
        waits::start(owner, f)
    }

    /// Takes an item now; throws a code if none is available or the queue is shut down.
    pub fn get_nowait(&self) -> Result<JsValue, JsValue> {
        match &self.kind {
            Kind::Fifo(q) => q.get_nowait().map_err(get_error),
            Kind::Lifo(q) => q.get_nowait().map_err(get_error),
            Kind::Priority(q) => q.get_nowait().map(|r| r.value).map_err(get_error),
        }
    }

    /// Marks one item processed; throws a code on underflow.
    pub fn task_done(&self) -> Result<(), JsValue> {
        on_queue!(self, q => q.task_done()).map_err(|_| JsValue::from(UNDERFLOW))
    }

    /// Starts a wait until every item put has been marked done; returns the wait id.
    pub fn join(&self, owner: u32) -> u32 {
        let f = match &self.kind {
            Kind::Fifo(q) => {
                let q = q.clone();
                boxed(async move {
                    q.join().await;
                    Ok(JsValue::UNDEFINED)
                })
            }
            Kind::Lifo(q) => {
                let q = q.clone();
                boxed(async move {
                    q.join().await;
                    Ok(JsValue::UNDEFINED)
                })
            }
            Kind::Priority(q) => {
                let q = q.clone();
                boxed(async move {
                    q.join().await;
                    Ok(JsValue::UNDEFINED)
                })
            }
        };
        waits::start(owner, f)
    }

    /// Shuts the queue down (`immediate`: also drops the items left).
    pub fn shutdown(&self, immediate: bool) {
        on_queue!(self, q => q.shutdown(immediate))
    }
    /// Items in the queue.
    pub fn size(&self) -> u32 {
        on_queue!(self, q => q.qsize() as u32)
    }
    /// The bound (0: unbounded).
    pub fn maxsize(&self) -> u32 {
        on_queue!(self, q => q.maxsize() as u32)
    }
    /// Whether it is empty.
    pub fn empty(&self) -> bool {
        on_queue!(self, q => q.empty())
    }
    /// Whether it is full.
    pub fn full(&self) -> bool {
        on_queue!(self, q => q.full())
    }
    /// Items put and not yet marked done.
    pub fn unfinished(&self) -> u32 {
        on_queue!(self, q => q.unfinished_tasks() as u32)
    }
    /// Whether it was shut down.
    pub fn is_shut_down(&self) -> bool {
        on_queue!(self, q => q.is_shut_down())
    }
}
