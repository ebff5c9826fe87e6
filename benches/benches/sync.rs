//! Sync and queue benchmarks: wasio side by side with its peers, in one process.
//!
//! * Queue SPSC ping-pong and bulk transfer: wasio `Queue` (on `wasio::run`) vs tokio mpsc
//!   (current-thread runtime + LocalSet), async-channel (async-executor's LocalExecutor) and
//!   futures-channel mpsc (futures' LocalPool). Both peers are spawned tasks on every runtime.
//!   `floor` is the least any single-threaded executor and channel can do for the same work
//!   (`wasio_benches::floor`: no budget, no waiter line, no cancellation): the lower bound of the
//!   cost model on this machine: a target that this floor itself misses is out of reach of any
//!   runtime built on the same design (tasks polled from a ready queue, woken through wakers).
//! * Uncontended lock+unlock and acquire+release: wasio `Mutex`/`Semaphore` vs a plain `RefCell`
//!   borrow loop, tokio's and async-lock's `Mutex`/`Semaphore`, each in its runtime's `block_on`.
//!
//! Run: `cargo bench -p wasio-benches --bench sync`

use std::cell::RefCell;
use std::hint::black_box;
use std::time::Duration;

use futures::channel::mpsc as fmpsc;
use futures::task::LocalSpawnExt;
use futures::{SinkExt, StreamExt};
use wasio_benches::{floor, measure, print_table, Row};

const BUDGET: Duration = Duration::from_millis(1500);

fn tokio_rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

// ----- queue: ping-pong ----------------------------------------------------------------------------

/// `n` round trips: the pinger sends i, the echo task sends it back.
fn wasio_pingpong(n: u64) {
    wasio::run(async move {
        let (ping, pong) = (wasio::Queue::new(0), wasio::Queue::new(0));
        let echo = wasio::spawn({
            let (ping, pong) = (ping.clone(), pong.clone());
            async move {
                while let Ok(x) = ping.get().await {
                    if pong.put(x).await.is_err() {
                        break;
                    }
                }
            }
        });
        let pinger = wasio::spawn(async move {
            for i in 0..n {
                ping.put(i).await.unwrap();
                black_box(pong.get().await.unwrap());
            }
            ping.shutdown(false);
        });
        pinger.await.unwrap();
        echo.await.unwrap();
    })
}

fn tokio_pingpong(rt: &tokio::runtime::Runtime, n: u64) {
    let local = tokio::task::LocalSet::new();
    local.block_on(rt, async move {
        let (ping_tx, mut ping_rx) = tokio::sync::mpsc::unbounded_channel::<u64>();
        let (pong_tx, mut pong_rx) = tokio::sync::mpsc::unbounded_channel::<u64>();
        let echo = tokio::task::spawn_local(async move {
            while let Some(x) = ping_rx.recv().await {
                if pong_tx.send(x).is_err() {
                    break;
                }
            }
        });
        let pinger = tokio::task::spawn_local(async move {
            for i in 0..n {
                ping_tx.send(i).unwrap();
                black_box(pong_rx.recv().await.unwrap());
            }
        });
        pinger.await.unwrap();
        echo.await.unwrap();
    })
}

fn async_channel_pingpong(n: u64) {
    let ex = async_executor::LocalExecutor::new();
    futures_lite::future::block_on(ex.run(async {
        let (ping_tx, ping_rx) = async_channel::unbounded::<u64>();
        let (pong_tx, pong_rx) = async_channel::unbounded::<u64>();
        let echo = ex.spawn(async move {
            while let Ok(x) = ping_rx.recv().await {
                if pong_tx.send(x).await.is_err() {
                    break;
                }
            }
        });
        let pinger = ex.spawn(async move {
            for i in 0..n {
                ping_tx.send(i).await.unwrap();
                black_box(pong_rx.recv().await.unwrap());
            }
        });
        pinger.await;
        echo.await;
    }))
}

fn futures_pingpong(n: u64) {
    let mut pool = futures::executor::LocalPool::new();
    let sp = pool.spawner();
    let (ping_tx, mut ping_rx) = fmpsc::unbounded::<u64>();
    let (pong_tx, mut pong_rx) = fmpsc::unbounded::<u64>();
    sp.spawn_local(async move {
        while let Some(x) = ping_rx.next().await {
            if pong_tx.unbounded_send(x).is_err() {
                break;
            }
        }
    })
    .unwrap();
    let pinger = sp
        .spawn_local_with_handle(async move {
            for i in 0..n {
                ping_tx.unbounded_send(i).unwrap();
                black_box(pong_rx.next().await.unwrap());
            }
        })
        .unwrap();
    pool.run_until(pinger);
    pool.run();
}

// ----- queue: bulk transfer --------------------------------------------------------------------

/// `n` items from a producer task to a consumer task through a queue of `cap` (0 = unbounded).
fn wasio_bulk(n: u64, cap: usize) {
    wasio::run(async move {
        let q = wasio::Queue::new(cap);
        let consumer = wasio::spawn({
            let q = q.clone();
            async move {
                let mut sum = 0u64;
                while let Ok(x) = q.get().await {
                    sum = sum.wrapping_add(x);
                }
                black_box(sum)
            }
        });
        let producer = wasio::spawn(async move {
            for i in 0..n {
                q.put(i).await.unwrap();
            }
            q.shutdown(false);
        });
        producer.await.unwrap();
        consumer.await.unwrap();
    })
}

fn tokio_bulk(rt: &tokio::runtime::Runtime, n: u64, cap: usize) {
    let local = tokio::task::LocalSet::new();
    local.block_on(rt, async move {
        let consumer;
        let producer;
        if cap == 0 {
            let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<u64>();
            consumer = tokio::task::spawn_local(async move {
                let mut sum = 0u64;
                while let Some(x) = rx.recv().await {
                    sum = sum.wrapping_add(x);
                }
                black_box(sum);
            });
            producer = tokio::task::spawn_local(async move {
                for i in 0..n {
                    tx.send(i).unwrap();
                }
            });
        } else {
            let (tx, mut rx) = tokio::sync::mpsc::channel::<u64>(cap);
            consumer = tokio::task::spawn_local(async move {
                let mut sum = 0u64;
                while let Some(x) = rx.recv().await {
                    sum = sum.wrapping_add(x);
                }
                black_box(sum);
            });
            producer = tokio::task::spawn_local(async move {
                for i in 0..n {
                    tx.send(i).await.unwrap();
                }
            });
        }
        producer.await.unwrap();
        consumer.await.unwrap();
    })
}

fn async_channel_bulk(n: u64, cap: usize) {
    let ex = async_executor::LocalExecutor::new();
    futures_lite::future::block_on(ex.run(async {
        let (tx, rx) = if cap == 0 {
            async_channel::unbounded()
        } else {
            async_channel::bounded(cap)
        };
        let consumer = ex.spawn(async move {
            let mut sum = 0u64;
            while let Ok(x) = rx.recv().await {
                sum = sum.wrapping_add(x);
            }
            black_box(sum);
        });
        let producer = ex.spawn(async move {
            for i in 0..n {
                tx.send(i).await.unwrap();
            }
        });
        producer.await;
        consumer.await;
    }))
}

/// Sums every item of a futures-channel receiver.
async fn sum_all(mut rx: impl futures::Stream<Item = u64> + Unpin) {
    let mut sum = 0u64;
    while let Some(x) = rx.next().await {
        sum = sum.wrapping_add(x);
    }
    black_box(sum);
}

fn futures_bulk(n: u64, cap: usize) {
    let mut pool = futures::executor::LocalPool::new();
    let sp = pool.spawner();
    let consumer;
    if cap == 0 {
        let (tx, rx) = fmpsc::unbounded::<u64>();
        consumer = sp.spawn_local_with_handle(sum_all(rx)).unwrap();
        sp.spawn_local(async move {
            for i in 0..n {
                tx.unbounded_send(i).unwrap();
            }
        })
        .unwrap();
    } else {
        // futures' bounded channel holds `buffer + senders` items: buffer cap - 1 with one sender.
        let (mut tx, rx) = fmpsc::channel::<u64>(cap - 1);
        consumer = sp.spawn_local_with_handle(sum_all(rx)).unwrap();
        sp.spawn_local(async move {
            for i in 0..n {
                tx.send(i).await.unwrap();
            }
        })
        .unwrap();
    }
    pool.run_until(consumer);
}

// ----- uncontended lock / semaphore ------------------------------------------------------------

fn refcell_loop(n: u64) {
    let cell = RefCell::new(0u64);
    let cell = black_box(&cell);
    for _ in 0..n {
        let mut g = cell.borrow_mut();
        *g += 1;
        black_box(&mut *g);
    }
    black_box(*cell.borrow());
}

/// The same borrow loop with one always-ready `.await` per iteration, on the wasio loop: what any
/// async lock pays for being awaited at all, before doing any locking.
fn refcell_await_loop(n: u64) {
    wasio::run(async move {
        let cell = RefCell::new(0u64);
        let cell = black_box(&cell);
        for _ in 0..n {
            std::future::ready(()).await;
            let mut g = cell.borrow_mut();
            *g += 1;
            black_box(&mut *g);
        }
        black_box(*cell.borrow());
    })
}

fn wasio_mutex(n: u64) {
    wasio::run(async move {
        let m = wasio::Mutex::new(0u64);
        let m = black_box(&m);
        for _ in 0..n {
            let mut g = m.lock().await;
            *g += 1;
            black_box(&mut *g);
        }
        black_box(*m.lock().await);
    })
}

fn tokio_mutex(rt: &tokio::runtime::Runtime, n: u64) {
    rt.block_on(async move {
        let m = tokio::sync::Mutex::new(0u64);
        let m = black_box(&m);
        for _ in 0..n {
            let mut g = m.lock().await;
            *g += 1;
            black_box(&mut *g);
        }
        black_box(*m.lock().await);
    })
}

fn async_lock_mutex(n: u64) {
    futures_lite::future::block_on(async move {
        let m = async_lock::Mutex::new(0u64);
        let m = black_box(&m);
        for _ in 0..n {
            let mut g = m.lock().await;
            *g += 1;
            black_box(&mut *g);
        }
        black_box(*m.lock().await);
    })
}

fn wasio_semaphore(n: u64) {
    wasio::run(async move {
        let s = wasio::Semaphore::new(1);
        let s = black_box(&s);
        for _ in 0..n {
            let p = s.acquire().await;
            black_box(&p);
        }
    })
}

fn tokio_semaphore(rt: &tokio::runtime::Runtime, n: u64) {
    rt.block_on(async move {
        let s = tokio::sync::Semaphore::new(1);
        let s = black_box(&s);
        for _ in 0..n {
            let p = s.acquire().await.unwrap();
            black_box(&p);
        }
    })
}

fn async_lock_semaphore(n: u64) {
    futures_lite::future::block_on(async move {
        let s = async_lock::Semaphore::new(1);
        let s = black_box(&s);
        for _ in 0..n {
            let p = s.acquire().await;
            black_box(&p);
        }
    })
}

fn main() {
    let rt = tokio_rt();

    const PP: u64 = 200_000;
    const BULK: u64 = 1_000_000;
    let mut queue_rows = vec![Row {
        name: format!("ping-pong, {PP} round trips (ns/round trip)"),
        results: vec![
            ("wasio", measure(PP, BUDGET, || wasio_pingpong(PP))),
            ("floor", measure(PP, BUDGET, || floor::pingpong(PP))),
            ("tokio", measure(PP, BUDGET, || tokio_pingpong(&rt, PP))),
            (
                "async-channel",
                measure(PP, BUDGET, || async_channel_pingpong(PP)),
            ),
            (
                "futures-channel",
                measure(PP, BUDGET, || futures_pingpong(PP)),
            ),
        ],
    }];
    for cap in [0usize, 1024] {
        queue_rows.push(Row {
            name: format!("bulk, {BULK} items, maxsize {cap} (ns/item)"),
            results: vec![
                ("wasio", measure(BULK, BUDGET, || wasio_bulk(BULK, cap))),
                (
                    "floor",
                    if cap == 0 {
                        measure(BULK, BUDGET, || floor::bulk(BULK))
                    } else {
                        f64::NAN // the floor's channel is unbounded
                    },
                ),
                (
                    "tokio",
                    measure(BULK, BUDGET, || tokio_bulk(&rt, BULK, cap)),
                ),
                (
                    "async-channel",
                    measure(BULK, BUDGET, || async_channel_bulk(BULK, cap)),
                ),
                (
                    "futures-channel",
                    measure(BULK, BUDGET, || futures_bulk(BULK, cap)),
                ),
            ],
        });
    }
    print_table(
        "Queue SPSC: wasio Queue vs tokio mpsc, async-channel, futures-channel",
        &queue_rows,
    );

    const OPS: u64 = 2_000_000;
    let lock_rows = vec![
        Row {
            name: "uncontended Mutex lock+unlock".into(),
            results: vec![
                ("wasio", measure(OPS, BUDGET, || wasio_mutex(OPS))),
                ("RefCell", measure(OPS, BUDGET, || refcell_loop(OPS))),
                (
                    "RefCell+await",
                    measure(OPS, BUDGET, || refcell_await_loop(OPS)),
                ),
                ("tokio", measure(OPS, BUDGET, || tokio_mutex(&rt, OPS))),
                ("async-lock", measure(OPS, BUDGET, || async_lock_mutex(OPS))),
            ],
        },
        Row {
            name: "uncontended Semaphore acquire+release".into(),
            results: vec![
                ("wasio", measure(OPS, BUDGET, || wasio_semaphore(OPS))),
                ("RefCell", measure(OPS, BUDGET, || refcell_loop(OPS))),
                (
                    "RefCell+await",
                    measure(OPS, BUDGET, || refcell_await_loop(OPS)),
                ),
                ("tokio", measure(OPS, BUDGET, || tokio_semaphore(&rt, OPS))),
                (
                    "async-lock",
                    measure(OPS, BUDGET, || async_lock_semaphore(OPS)),
                ),
            ],
        },
    ];
    print_table(
        "Uncontended lock: wasio vs RefCell borrow, tokio, async-lock",
        &lock_rows,
    );
}
