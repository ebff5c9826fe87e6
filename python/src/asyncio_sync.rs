//! asyncio's queues and synchronization primitives as Python objects over wasio's: each object
//! holds the wasio primitive (shared by `Rc`) and its methods are natives whose async ones return
//! coroutines awaiting the wasio future through [`suspend`].

use std::cmp::Ordering;
use std::collections::VecDeque;
use std::rc::Rc;

use wasio::queue::{GenericQueue, Storage, TryGetError, TryPutError};

use crate::asyncio::suspend;
use crate::coro::Coro;
use crate::interp::*;
use crate::ops;
use crate::value::*;

type Kw = Vec<(Rc<str>, Value)>;

fn arg(a: &[Value], k: usize) -> Value {
    a.get(k).cloned().unwrap_or(Value::None)
}

fn kw(k: &Kw, n: &str) -> Option<Value> {
    k.iter().find(|x| &*x.0 == n).map(|x| x.1.clone())
}

/// How a queue orders its items: asyncio's `Queue`, `LifoQueue` and `PriorityQueue`.
#[derive(Clone, Copy, PartialEq)]
enum Order {
    Fifo,
    Lifo,
    Priority,
}

/// A queue item: a Python value, the order of the queue it is in, and the interpreter that
/// compares it (Python's `<`, for `PriorityQueue`).
pub struct QItem(Value, Order, Interp);

impl QItem {
    fn lt(&self, o: &QItem) -> bool {
        ops::cmp(&self.2, &self.0, &o.0).is_ok_and(|c| c == Ordering::Less)
    }
}

/// The one storage behind all three queue kinds, so the queue's code and its methods exist once
/// in the binary rather than once per kind (wasio's `Fifo`/`Lifo`/`Priority` would each
/// instantiate `GenericQueue` and every method closure again). Each item carries its queue's
/// [`Order`]; a queue holds items of one order only.
///
/// FIFO pops the front, LIFO the back; a priority queue keeps the deque as a binary heap with
/// `heapq`'s own sift steps, so items that compare equal leave in CPython's order.
#[derive(Default)]
pub struct PyStorage(VecDeque<QItem>);

impl PyStorage {
    /// `heapq._siftdown`: moves the item at `pos` up towards `start` while it is smaller.
    fn sift_down(&mut self, start: usize, mut pos: usize) {
        let h = &mut self.0;
        while pos > start {
            let parent = (pos - 1) >> 1;
            if h[pos].lt(&h[parent]) {
                h.swap(pos, parent);
                pos = parent;
            } else {
                break;
            }
        }
    }
    /// `heapq._siftup`: moves the smaller child up until a leaf, then sifts down.
    fn sift_up(&mut self, mut pos: usize) {
        let end = self.0.len();
        let start = pos;
        let mut child = 2 * pos + 1;
        while child < end {
            let right = child + 1;
            if right < end && !self.0[child].lt(&self.0[right]) {
                child = right;
            }
            self.0.swap(pos, child);
            pos = child;
            child = 2 * pos + 1;
        }
        self.sift_down(start, pos);
    }
}

impl Storage<QItem> for PyStorage {
    fn push(&mut self, item: QItem) {
        let heap = item.1 == Order::Priority;
        self.0.push_back(item);
        if heap {
            self.sift_down(0, self.0.len() - 1);
        }
    }
    fn pop(&mut self) -> Option<QItem> {
        match self.0.front()?.1 {
            Order::Fifo => self.0.pop_front(),
            Order::Lifo => self.0.pop_back(),
            Order::Priority => {
                let last = self.0.pop_back()?;
                if self.0.is_empty() {
                    return Some(last);
                }
                let top = std::mem::replace(&mut self.0[0], last);
                self.sift_up(0);
                Some(top)
            }
        }
    }
    fn push_returned(&mut self, item: QItem) {
        match item.1 {
            Order::Priority => self.push(item),
            _ => self.0.push_front(item),
        }
    }
    fn len(&self) -> usize {
        self.0.len()
    }
}

struct PyQueue(Rc<GenericQueue<QItem, PyStorage>>, Order, &'static str);

fn shut_down<T>(i: &Interp) -> Res<T> {
    i.err("QueueShutDown", "")
}

impl Object for PyQueue {
    fn type_name(&self) -> &str {
        self.2
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn repr(&self) -> String {
        format!(
            "<{} maxsize={} qsize={}>",
            self.2,
            self.0.maxsize(),
            self.0.qsize()
        )
    }
    fn getattr(&self, _me: &Value, name: &str) -> Option<Value> {
        let q = self.0.clone();
        let order = self.1;
        Some(match name {
            "maxsize" => Value::Int(q.maxsize() as i64),
            "qsize" => Value::native(name, move |_, _, _| Ok(Value::Int(q.qsize() as i64))),
            "empty" => Value::native(name, move |_, _, _| Ok(Value::Bool(q.empty()))),
            "full" => Value::native(name, move |_, _, _| Ok(Value::Bool(q.full()))),
            "put" => Value::native(name, move |i, a, _| {
                let q = q.clone();
                let i2 = i.clone();
                let item = QItem(arg(&a, 0), order, i.clone());
                Ok(Coro::value("put", async move {
                    match suspend(&i2, q.put(item)).await? {
                        Ok(()) => Ok(Value::None),
                        Err(_) => shut_down(&i2),
                    }
                }))
            }),
            "get" => Value::native(name, move |i, _, _| {
                let q = q.clone();
                let i2 = i.clone();
                Ok(Coro::value("get", async move {
                    match suspend(&i2, q.get()).await? {
                        Ok(v) => Ok(v.0),
                        Err(_) => shut_down(&i2),
                    }
                }))
            }),
            "put_nowait" => Value::native(name, move |i, a, _| {
                match q.put_nowait(QItem(arg(&a, 0), order, i.clone())) {
                    Ok(()) => Ok(Value::None),
                    Err(TryPutError::Full(_)) => i.err("QueueFull", ""),
                    Err(TryPutError::ShutDown(_)) => shut_down(i),
                }
            }),
            "get_nowait" => Value::native(name, move |i, _, _| match q.get_nowait() {
                Ok(v) => Ok(v.0),
                Err(TryGetError::Empty) => i.err("QueueEmpty", ""),
                Err(TryGetError::ShutDown) => shut_down(i),
            }),
            "task_done" => Value::native(name, move |i, _, _| match q.task_done() {
                Ok(()) => Ok(Value::None),
                Err(_) => i.err("ValueError", "task_done() called too many times"),
            }),
            "join" => Value::native(name, move |i, _, _| {
                let q = q.clone();
                let i2 = i.clone();
                Ok(Coro::value("join", async move {
                    suspend(&i2, q.join()).await?;
                    Ok(Value::None)
                }))
            }),
            "shutdown" => Value::native(name, move |i, a, k| {
                let imm = a
                    .first()
                    .cloned()
                    .or_else(|| kw(&k, "immediate"))
                    .map_or(Ok(false), |v| ops::truthy(i, &v))?;
                q.shutdown(imm);
                Ok(Value::None)
            }),
            _ => return None,
        })
    }
}

/// `asyncio.Queue(maxsize=0)` (kind 0), `LifoQueue` (1), `PriorityQueue` (2).
pub fn queue(i: &Interp, a: Vec<Value>, k: Kw, kind: u8) -> Res<Value> {
    let maxsize = match a.first().cloned().or_else(|| kw(&k, "maxsize")) {
        Some(Value::Int(n)) => n.max(0) as usize,
        None => 0,
        Some(_) => return i.type_err("maxsize must be an int"),
    };
    let (order, name) = match kind {
        0 => (Order::Fifo, "Queue"),
        1 => (Order::Lifo, "LifoQueue"),
        _ => (Order::Priority, "PriorityQueue"),
    };
    Ok(Value::Object(Rc::new(PyQueue(
        Rc::new(GenericQueue::new(maxsize)),
        order,
        name,
    ))))
}

fn aenter_exit(me: &Value, name: &str, acquire: Value, release: Value) -> Option<Value> {
    let me = me.clone();
    Some(match name {
        "__aenter__" => Value::native(name, move |i, _, _| {
            let aw = i.call(&acquire, vec![], vec![])?;
            let i2 = i.clone();
            let _ = &me;
            Ok(Coro::value("__aenter__", async move {
                crate::coro::await_value(&i2, aw).await?;
                Ok(Value::None)
            }))
        }),
        "__aexit__" => Value::native(name, move |i, _, _| {
            i.call(&release, vec![], vec![])?;
            Ok(Coro::value("__aexit__", async { Ok(Value::Bool(false)) }))
        }),
        _ => return None,
    })
}

struct PyLock(Rc<wasio::Lock>);

impl Object for PyLock {
    fn type_name(&self) -> &str {
        "Lock"
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn repr(&self) -> String {
        format!(
            "<asyncio.locks.Lock object [{}]>",
            if self.0.locked() {
                "locked"
            } else {
                "unlocked"
            }
        )
    }
    fn getattr(&self, me: &Value, name: &str) -> Option<Value> {
        let l = self.0.clone();
        let acquire = {
            let l = l.clone();
            Value::native("acquire", move |i, _, _| {
                let l = l.clone();
                let i2 = i.clone();
                Ok(Coro::value("acquire", async move {
                    suspend(&i2, l.acquire()).await?.forget();
                    Ok(Value::Bool(true))
                }))
            })
        };
        let release = {
            let l = l.clone();
            Value::native("release", move |i, _, _| match l.release() {
                Ok(()) => Ok(Value::None),
                Err(_) => i.err("RuntimeError", "Lock is not acquired."),
            })
        };
        match name {
            "acquire" => Some(acquire),
            "release" => Some(release),
            "locked" => Some(Value::native(name, move |_, _, _| {
                Ok(Value::Bool(l.locked()))
            })),
            _ => aenter_exit(me, name, acquire, release),
        }
    }
}

/// `asyncio.Lock()`.
pub fn lock(_i: &Interp, _a: Vec<Value>, _k: Kw) -> Res<Value> {
    Ok(Value::Object(Rc::new(PyLock(Rc::new(wasio::Lock::new())))))
}

struct PyEvent(Rc<wasio::Event>);

impl Object for PyEvent {
    fn type_name(&self) -> &str {
        "Event"
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn repr(&self) -> String {
        format!(
            "<asyncio.locks.Event object [{}]>",
            if self.0.is_set() { "set" } else { "unset" }
        )
    }
    fn getattr(&self, _me: &Value, name: &str) -> Option<Value> {
        let e = self.0.clone();
        Some(match name {
            "set" => Value::native(name, move |_, _, _| {
                e.set();
                Ok(Value::None)
            }),
            "clear" => Value::native(name, move |_, _, _| {
                e.clear();
                Ok(Value::None)
            }),
            "is_set" => Value::native(name, move |_, _, _| Ok(Value::Bool(e.is_set()))),
            "wait" => Value::native(name, move |i, _, _| {
                let e = e.clone();
                let i2 = i.clone();
                Ok(Coro::value("wait", async move {
                    suspend(&i2, e.wait()).await?;
                    Ok(Value::Bool(true))
                }))
            }),
            _ => return None,
        })
    }
}

/// `asyncio.Event()`.
pub fn event(_i: &Interp, _a: Vec<Value>, _k: Kw) -> Res<Value> {
    Ok(Value::Object(Rc::new(PyEvent(
        Rc::new(wasio::Event::new()),
    ))))
}

/// A semaphore, bounded or not.
enum Sem {
    Plain(wasio::Semaphore),
    Bounded(wasio::BoundedSemaphore),
}

struct PySem(Rc<Sem>);

impl Object for PySem {
    fn type_name(&self) -> &str {
        match &*self.0 {
            Sem::Plain(_) => "Semaphore",
            Sem::Bounded(_) => "BoundedSemaphore",
        }
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn getattr(&self, me: &Value, name: &str) -> Option<Value> {
        let s = self.0.clone();
        let acquire = {
            let s = s.clone();
            Value::native("acquire", move |i, _, _| {
                let s = s.clone();
                let i2 = i.clone();
                Ok(Coro::value("acquire", async move {
                    match &*s {
                        Sem::Plain(p) => suspend(&i2, p.acquire()).await?.forget(),
                        Sem::Bounded(p) => suspend(&i2, p.acquire()).await?.forget(),
                    }
                    Ok(Value::Bool(true))
                }))
            })
        };
        let release = {
            let s = s.clone();
            Value::native("release", move |i, _, _| match &*s {
                Sem::Plain(p) => {
                    p.release();
                    Ok(Value::None)
                }
                Sem::Bounded(p) => match p.release() {
                    Ok(()) => Ok(Value::None),
                    Err(_) => i.err("ValueError", "BoundedSemaphore released too many times"),
                },
            })
        };
        match name {
            "acquire" => Some(acquire),
            "release" => Some(release),
            "locked" => Some(Value::native(name, move |_, _, _| {
                Ok(Value::Bool(match &*s {
                    Sem::Plain(p) => p.locked(),
                    Sem::Bounded(p) => p.locked(),
                }))
            })),
            "_value" => Some(Value::Int(match &*s {
                Sem::Plain(p) => p.available_permits(),
                Sem::Bounded(p) => p.available_permits(),
            } as i64)),
            _ => aenter_exit(me, name, acquire, release),
        }
    }
}

/// `asyncio.Semaphore(value=1)` / `BoundedSemaphore`.
pub fn semaphore(i: &Interp, a: Vec<Value>, k: Kw, bounded: bool) -> Res<Value> {
    let n = match a.first().cloned().or_else(|| kw(&k, "value")) {
        Some(Value::Int(n)) if n >= 0 => n as usize,
        None => 1,
        _ => return i.err("ValueError", "Semaphore initial value must be >= 0"),
    };
    let s = if bounded {
        Sem::Bounded(wasio::BoundedSemaphore::new(n))
    } else {
        Sem::Plain(wasio::Semaphore::new(n))
    };
    Ok(Value::Object(Rc::new(PySem(Rc::new(s)))))
}

/// A condition variable: wasio's [`LockCondition`](wasio::LockCondition) (asyncio's
/// `Condition(lock)`), over the program's `Lock` or a new one.
struct PyCond(wasio::LockCondition);

impl Object for PyCond {
    fn type_name(&self) -> &str {
        "Condition"
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn getattr(&self, me: &Value, name: &str) -> Option<Value> {
        let c = self.0.clone();
        let acquire = {
            let c = c.clone();
            Value::native("acquire", move |i, _, _| {
                let c = c.clone();
                let i2 = i.clone();
                Ok(Coro::value("acquire", async move {
                    suspend(&i2, c.acquire()).await?.forget();
                    Ok(Value::Bool(true))
                }))
            })
        };
        let release = {
            let c = c.clone();
            Value::native("release", move |i, _, _| match c.release() {
                Ok(()) => Ok(Value::None),
                Err(_) => i.err("RuntimeError", "Lock is not acquired."),
            })
        };
        Some(match name {
            "acquire" => acquire,
            "release" => release,
            "locked" => Value::native(name, move |_, _, _| Ok(Value::Bool(c.locked()))),
            "notify" => Value::native(name, move |i, a, _| {
                if !c.locked() {
                    return i.err("RuntimeError", "cannot notify on un-acquired lock");
                }
                let n = match a.first() {
                    Some(Value::Int(n)) => (*n).max(0) as usize,
                    _ => 1,
                };
                c.notify(n);
                Ok(Value::None)
            }),
            "notify_all" => Value::native(name, move |i, _, _| {
                if !c.locked() {
                    return i.err("RuntimeError", "cannot notify on un-acquired lock");
                }
                c.notify_all();
                Ok(Value::None)
            }),
            "wait" => Value::native(name, move |i, _, _| {
                let c = c.clone();
                let i2 = i.clone();
                Ok(Coro::value("wait", async move {
                    wait(&i2, &c).await?;
                    Ok(Value::Bool(true))
                }))
            }),
            "wait_for" => Value::native(name, move |i, a, _| {
                let pred = arg(&a, 0);
                let c = c.clone();
                let i2 = i.clone();
                Ok(Coro::value("wait_for", async move {
                    loop {
                        let r = i2.call(&pred, vec![], vec![])?;
                        if ops::truthy(&i2, &r)? {
                            return Ok(r);
                        }
                        wait(&i2, &c).await?;
                    }
                }))
            }),
            _ => return aenter_exit(me, name, acquire, release),
        })
    }
}

/// `Condition.wait()`: the crate's wait, which releases the lock, waits FIFO for a notification
/// and retakes the lock. Cancelled, the dropped wait has passed on any notification it took and
/// left the lock released; asyncio retakes it before raising, so this does too (not cancellable).
async fn wait(i: &Interp, c: &wasio::LockCondition) -> Res<()> {
    let Ok(w) = c.wait() else {
        return i.err("RuntimeError", "cannot wait on un-acquired lock");
    };
    match suspend(i, w).await {
        Ok(()) => Ok(()),
        Err(e) => {
            c.acquire().await.forget();
            Err(e)
        }
    }
}

/// `asyncio.Condition(lock=None)`.
pub fn condition(i: &Interp, a: Vec<Value>, k: Kw) -> Res<Value> {
    let lock = match a.first().cloned().or_else(|| kw(&k, "lock")) {
        None | Some(Value::None) => wasio::Lock::new(),
        Some(v) => match v.downcast::<PyLock>() {
            Some(l) => (*l.0).clone(),
            None => return i.err("TypeError", "lock must be an asyncio.Lock"),
        },
    };
    Ok(Value::Object(Rc::new(PyCond(
        wasio::LockCondition::with_lock(lock),
    ))))
}

struct PyBarrier(Rc<wasio::Barrier>);

impl Object for PyBarrier {
    fn type_name(&self) -> &str {
        "Barrier"
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn getattr(&self, me: &Value, name: &str) -> Option<Value> {
        let b = self.0.clone();
        Some(match name {
            "wait" => Value::native(name, move |i, _, _| {
                let b = b.clone();
                let i2 = i.clone();
                Ok(Coro::value("wait", async move {
                    match suspend(&i2, b.wait()).await? {
                        Ok(n) => Ok(Value::Int(n as i64)),
                        Err(_) => i2.err("BrokenBarrierError", ""),
                    }
                }))
            }),
            "reset" => Value::native(name, move |_, _, _| {
                b.reset();
                Ok(Value::None)
            }),
            "abort" => Value::native(name, move |_, _, _| {
                b.abort();
                Ok(Value::None)
            }),
            "parties" => Value::Int(b.parties() as i64),
            "n_waiting" => Value::Int(b.n_waiting() as i64),
            "broken" => Value::Bool(b.broken()),
            "__aenter__" => {
                let me = me.clone();
                Value::native(name, move |i, _, _| {
                    let w = ops::getattr(i, &me, "wait")?;
                    i.call(&w, vec![], vec![])
                })
            }
            "__aexit__" => Value::native(name, |_, _, _| {
                Ok(Coro::value("__aexit__", async { Ok(Value::Bool(false)) }))
            }),
            _ => return None,
        })
    }
}

/// `asyncio.Barrier(parties)`.
pub fn barrier(i: &Interp, a: Vec<Value>, k: Kw) -> Res<Value> {
    let n = match a.first().cloned().or_else(|| kw(&k, "parties")) {
        Some(Value::Int(n)) if n > 0 => n as usize,
        _ => return i.err("ValueError", "parties must be > 0"),
    };
    match wasio::Barrier::new(n) {
        Ok(b) => Ok(Value::Object(Rc::new(PyBarrier(Rc::new(b))))),
        Err(_) => i.err("ValueError", "parties must be > 0"),
    }
}
