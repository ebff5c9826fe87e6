//! Core runtime benchmarks: wasio side by side with tokio's current-thread runtime (LocalSet),
//! async-executor's LocalExecutor (with async-io timers) and futures' LocalPool, in one process.
//!
//! Run: `cargo bench -p wasio-benches --bench core`

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::future::Future;
use std::hint::black_box;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use futures::task::LocalSpawnExt;
use wasio_benches::{measure, print_table, Row};

/// Counts live heap bytes, to measure memory per sleeping task.
struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY-free: forwards to the system allocator and counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        LIVE.fetch_add(n as isize - l.size() as isize, Ordering::Relaxed);
        unsafe { System.realloc(p, l, n) }
    }
}

#[global_allocator]
static A: Counting = Counting;

fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

const BUDGET: Duration = Duration::from_millis(1500);

/// A future that wakes itself once: the portable yield for executors without one.
struct YieldOnce(bool);
impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// Polls a future once and drops it: registers a timer, then cancels it.
struct PollOnce<F>(Option<Pin<Box<F>>>);
impl<F: Future> Future for PollOnce<F> {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if let Some(mut f) = self.0.take() {
            let _ = f.as_mut().poll(cx);
        }
        Poll::Ready(())
    }
}

fn tokio_rt() -> (tokio::runtime::Runtime, tokio::task::LocalSet) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    (rt, tokio::task::LocalSet::new())
}

// ----- spawn + join ------------------------------------------------------------------------------

const JOIN_N: u64 = 20_000;

fn spawn_join() -> Row {
    let w = measure(JOIN_N, BUDGET, || {
        wasio::run(async {
            for i in 0..JOIN_N {
                black_box(wasio::spawn(async move { black_box(i) }).await.unwrap());
            }
        })
    });
    let (rt, local) = tokio_rt();
    let t = measure(JOIN_N, BUDGET, || {
        local.block_on(&rt, async {
            for i in 0..JOIN_N {
                black_box(
                    tokio::task::spawn_local(async move { black_box(i) })
                        .await
                        .unwrap(),
                );
            }
        })
    });
    let ex = async_executor::LocalExecutor::new();
    let a = measure(JOIN_N, BUDGET, || {
        futures_lite::future::block_on(ex.run(async {
            for i in 0..JOIN_N {
                black_box(ex.spawn(async move { black_box(i) }).await);
            }
        }))
    });
    let mut pool = futures::executor::LocalPool::new();
    let sp = pool.spawner();
    let f = measure(JOIN_N, BUDGET, || {
        pool.run_until(async {
            for i in 0..JOIN_N {
                let h = sp
                    .spawn_local_with_handle(async move { black_box(i) })
                    .unwrap();
                black_box(h.await);
            }
        })
    });
    row("spawn+join (1 at a time)", [w, t, a, f])
}

const MANY: u64 = 25_000;

fn spawn_many() -> Row {
    let w = measure(MANY, BUDGET, || {
        wasio::run(async {
            let ts: Vec<_> = (0..MANY)
                .map(|i| wasio::spawn(async move { black_box(i) }))
                .collect();
            for t in ts {
                black_box(t.await.unwrap());
            }
        })
    });
    let (rt, local) = tokio_rt();
    let t = measure(MANY, BUDGET, || {
        local.block_on(&rt, async {
            let ts: Vec<_> = (0..MANY)
                .map(|i| tokio::task::spawn_local(async move { black_box(i) }))
                .collect();
            for t in ts {
                black_box(t.await.unwrap());
            }
        })
    });
    let ex = async_executor::LocalExecutor::new();
    let a = measure(MANY, BUDGET, || {
        futures_lite::future::block_on(ex.run(async {
            let ts: Vec<_> = (0..MANY)
                .map(|i| ex.spawn(async move { black_box(i) }))
                .collect();
            for t in ts {
                black_box(t.await);
            }
        }))
    });
    let mut pool = futures::executor::LocalPool::new();
    let sp = pool.spawner();
    let f = measure(MANY, BUDGET, || {
        pool.run_until(async {
            let ts: Vec<_> = (0..MANY)
                .map(|i| {
                    sp.spawn_local_with_handle(async move { black_box(i) })
                        .unwrap()
                })
                .collect();
            for t in ts {
                black_box(t.await);
            }
        })
    });
    row("spawn 25,000 then join all", [w, t, a, f])
}

// ----- yield_now ping ----------------------------------------------------------------------------

const TASKS: u64 = 300;
const YIELDS: u64 = 300;

fn yield_ping() -> Row {
    let ops = TASKS * YIELDS;
    let w = measure(ops, BUDGET, || {
        wasio::run(async {
            let ts: Vec<_> = (0..TASKS)
                .map(|_| {
                    wasio::spawn(async {
                        for _ in 0..YIELDS {
                            wasio::yield_now().await;
                        }
                    })
                })
                .collect();
            for t in ts {
                t.await.unwrap();
            }
        })
    });
    let (rt, local) = tokio_rt();
    let t = measure(ops, BUDGET, || {
        local.block_on(&rt, async {
            let ts: Vec<_> = (0..TASKS)
                .map(|_| {
                    tokio::task::spawn_local(async {
                        for _ in 0..YIELDS {
                            tokio::task::yield_now().await;
                        }
                    })
                })
                .collect();
            for t in ts {
                t.await.unwrap();
            }
        })
    });
    let ex = async_executor::LocalExecutor::new();
    let a = measure(ops, BUDGET, || {
        futures_lite::future::block_on(ex.run(async {
            let ts: Vec<_> = (0..TASKS)
                .map(|_| {
                    ex.spawn(async {
                        for _ in 0..YIELDS {
                            futures_lite::future::yield_now().await;
                        }
                    })
                })
                .collect();
            for t in ts {
                t.await;
            }
        }))
    });
    let mut pool = futures::executor::LocalPool::new();
    let sp = pool.spawner();
    let f = measure(ops, BUDGET, || {
        pool.run_until(async {
            let ts: Vec<_> = (0..TASKS)
                .map(|_| {
                    sp.spawn_local_with_handle(async {
                        for _ in 0..YIELDS {
                            YieldOnce(false).await;
                        }
                    })
                    .unwrap()
                })
                .collect();
            for t in ts {
                t.await;
            }
        })
    });
    row("yield_now (300 tasks x 300)", [w, t, a, f])
}

// ----- timers ------------------------------------------------------------------------------------

const TIMERS: u64 = 100_000;

fn timer_create_drop() -> Row {
    let w = measure(TIMERS, BUDGET, || {
        wasio::run(async {
            for _ in 0..TIMERS {
                PollOnce(Some(Box::pin(wasio::sleep(Duration::from_secs(5))))).await;
            }
        })
    });
    let (rt, local) = tokio_rt();
    let t = measure(TIMERS, BUDGET, || {
        local.block_on(&rt, async {
            for _ in 0..TIMERS {
                PollOnce(Some(Box::pin(tokio::time::sleep(Duration::from_secs(5))))).await;
            }
        })
    });
    let ex = async_executor::LocalExecutor::new();
    let a = measure(TIMERS, BUDGET, || {
        futures_lite::future::block_on(ex.run(async {
            for _ in 0..TIMERS {
                PollOnce(Some(Box::pin(async_io::Timer::after(Duration::from_secs(
                    5,
                )))))
                .await;
            }
        }))
    });
    row("timer create+poll+drop", [w, t, a, f64::NAN])
}

const SLEEPERS: u64 = 100_000;

/// Spawns `SLEEPERS` tasks that each sleep 20 ms, measures live heap bytes once every timer is armed,
/// and returns (ns per task overall, bytes per task beyond the future itself).
fn sleepers() -> (Row, Row) {
    let mut mem = [f64::NAN; 4];
    let w = measure(SLEEPERS, BUDGET, || {
        wasio::run(async {
            let before = live();
            let mut size = 0;
            let ts: Vec<_> = (0..SLEEPERS)
                .map(|_| {
                    let f = wasio::sleep(Duration::from_millis(20));
                    size = std::mem::size_of_val(&f);
                    wasio::spawn(f)
                })
                .collect();
            wasio::yield_now().await; // every task polled once: every timer armed
            let handles = (SLEEPERS as usize * std::mem::size_of_val(&ts[0])) as isize;
            mem[0] = (live() - before - handles) as f64 / SLEEPERS as f64 - size as f64;
            for t in ts {
                t.await.unwrap();
            }
        })
    });
    let (rt, local) = tokio_rt();
    let t = measure(SLEEPERS, BUDGET, || {
        local.block_on(&rt, async {
            let before = live();
            let mut size = 0;
            let ts: Vec<_> = (0..SLEEPERS)
                .map(|_| {
                    let f = tokio::time::sleep(Duration::from_millis(20));
                    size = std::mem::size_of_val(&f);
                    tokio::task::spawn_local(f)
                })
                .collect();
            tokio::task::yield_now().await;
            let handles = (SLEEPERS as usize * std::mem::size_of_val(&ts[0])) as isize;
            mem[1] = (live() - before - handles) as f64 / SLEEPERS as f64 - size as f64;
            for t in ts {
                t.await.unwrap();
            }
        })
    });
    let ex = async_executor::LocalExecutor::new();
    let a = measure(SLEEPERS, BUDGET, || {
        futures_lite::future::block_on(ex.run(async {
            let before = live();
            let mut size = 0;
            let ts: Vec<_> = (0..SLEEPERS)
                .map(|_| {
                    let f = async_io::Timer::after(Duration::from_millis(20));
                    size = std::mem::size_of_val(&f);
                    ex.spawn(f)
                })
                .collect();
            futures_lite::future::yield_now().await;
            let handles = (SLEEPERS as usize * std::mem::size_of_val(&ts[0])) as isize;
            mem[2] = (live() - before - handles) as f64 / SLEEPERS as f64 - size as f64;
            for t in ts {
                black_box(t.await);
            }
        }))
    });
    (
        row(
            "100,000 concurrent 20 ms sleeps (ns/task)",
            [w, t, a, f64::NAN],
        ),
        row("  heap bytes per sleeping task beyond its future", mem),
    )
}

// ----- tracing overhead --------------------------------------------------------------------------

fn trace_overhead() -> Row {
    let n = 100_000u64;
    let body = || {
        wasio::run(async {
            let t = wasio::spawn(async move {
                for _ in 0..n {
                    wasio::yield_now().await;
                }
            });
            t.await.unwrap();
        })
    };
    let off = measure(n, BUDGET, body);
    let count = Rc::new(Cell::new(0u64));
    let c = count.clone();
    wasio::trace::set_subscriber(move |_| c.set(c.get() + 1));
    let on = measure(n, BUDGET, body);
    wasio::trace::clear_subscriber();
    black_box(count.get());
    Row {
        name: "yield_now, no trace subscriber vs counting subscriber".into(),
        results: vec![("wasio", off), ("wasio+trace", on)],
    }
}

/// A consumer waiting on an empty queue, fed one item at a time by a producer that yields: every
/// item passes the queue's wait-reason hook (`QueueGet`), a wake with a waker edge and two polls.
fn trace_overhead_queue() -> Row {
    let n = 100_000u64;
    let body = || {
        wasio::run(async {
            let q = Rc::new(wasio::Queue::new(1));
            let q2 = q.clone();
            let consumer = wasio::spawn(async move {
                for _ in 0..n {
                    black_box(q2.get().await.unwrap());
                }
            });
            let producer = wasio::spawn(async move {
                for i in 0..n {
                    q.put(i).await.unwrap();
                    wasio::yield_now().await;
                }
            });
            producer.await.unwrap();
            consumer.await.unwrap();
        })
    };
    let off = measure(n, BUDGET, body);
    let count = Rc::new(Cell::new(0u64));
    let c = count.clone();
    wasio::trace::set_subscriber(move |_| c.set(c.get() + 1));
    let on = measure(n, BUDGET, body);
    wasio::trace::clear_subscriber();
    black_box(count.get());
    Row {
        name: "queue hand-off (waits on QueueGet), no subscriber vs counting subscriber".into(),
        results: vec![("wasio", off), ("wasio+trace", on)],
    }
}

fn row(name: &str, r: [f64; 4]) -> Row {
    Row {
        name: name.into(),
        results: vec![
            ("wasio", r[0]),
            ("tokio LocalSet", r[1]),
            ("async-executor", r[2]),
            ("futures LocalPool", r[3]),
        ],
    }
}

fn main() {
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let want = |n: &str| filter.as_deref().is_none_or(|f| n.contains(f));
    let mut rows = Vec::new();
    if want("spawn") {
        rows.push(spawn_join());
        rows.push(spawn_many());
    }
    if want("yield") {
        rows.push(yield_ping());
    }
    if want("timer") {
        rows.push(timer_create_drop());
    }
    if want("sleep") {
        let (a, b) = sleepers();
        rows.push(a);
        rows.push(b);
    }
    if !rows.is_empty() {
        print_table(
            "core: ns/op (lower is better); ratio < 1.00x means wasio is faster",
            &rows,
        );
    }
    if want("trace") {
        print_table(
            "trace hook cost",
            &[trace_overhead(), trace_overhead_queue()],
        );
    }
}
