//! Benchmarks run by `bench.mjs` in one Node process: each export returns a `Promise` of the best
//! nanoseconds per operation, timed with `performance.now()` inside the loop under test.
//!
//! Peers: wasm-bindgen-futures (`spawn_local`, with a `futures` oneshot for join) and plain JS
//! promise chains (in bench.mjs).

use std::cell::{Cell, RefCell};
use std::future::{poll_fn, Future};
use std::hint::black_box;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use js_sys::Promise;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn now_ms() -> f64;
}

fn ns_per(start: f64, ops: u32) -> JsValue {
    JsValue::from((now_ms() - start) * 1e6 / ops as f64)
}

// ----- spawn + join ---------------------------------------------------------------------------

/// `n` times: spawn a task and await its handle.
#[wasm_bindgen]
pub fn wasio_spawn_join(n: u32) -> Promise {
    wasio::browser::future_to_promise(async move {
        let t = now_ms();
        for i in 0..n {
            black_box(wasio::spawn(async move { i }).await.unwrap());
        }
        Ok(ns_per(t, n))
    })
}

/// `n` times: `spawn_local` a task that sends on a oneshot, and await the oneshot.
#[wasm_bindgen]
pub fn wbf_spawn_join(n: u32) -> Promise {
    wasm_bindgen_futures::future_to_promise(async move {
        let t = now_ms();
        for i in 0..n {
            let (tx, rx) = futures_channel::oneshot::channel();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = tx.send(i);
            });
            black_box(rx.await.unwrap());
        }
        Ok(ns_per(t, n))
    })
}

/// Spawn `n` tasks, then join them all.
#[wasm_bindgen]
pub fn wasio_spawn_join_batch(n: u32) -> Promise {
    wasio::browser::future_to_promise(async move {
        let t = now_ms();
        let tasks: Vec<_> = (0..n).map(|i| wasio::spawn(async move { i })).collect();
        for task in tasks {
            black_box(task.await.unwrap());
        }
        Ok(ns_per(t, n))
    })
}

/// `spawn_local` `n` tasks with no join at all (each bumps a counter), then wait for the last.
#[wasm_bindgen]
pub fn wbf_spawn_local_batch(n: u32) -> Promise {
    wasm_bindgen_futures::future_to_promise(async move {
        let t = now_ms();
        let count = Rc::new(Cell::new(0u32));
        for _ in 0..n {
            let count = count.clone();
            wasm_bindgen_futures::spawn_local(async move { count.set(count.get() + 1) });
        }
        let (tx, rx) = futures_channel::oneshot::channel::<()>();
        wasm_bindgen_futures::spawn_local(async move {
            let _ = tx.send(());
        });
        rx.await.unwrap();
        assert_eq!(count.get(), n);
        Ok(ns_per(t, n))
    })
}

// ----- yield ----------------------------------------------------------------------------------

/// `n` calls to `wasio::yield_now` in one task.
#[wasm_bindgen]
pub fn wasio_yield(n: u32) -> Promise {
    wasio::browser::future_to_promise(async move {
        let t = now_ms();
        for _ in 0..n {
            wasio::yield_now().await;
        }
        Ok(ns_per(t, n))
    })
}

/// Pending once after waking itself: the only way to yield under wasm-bindgen-futures.
struct WakeSelf(bool);

impl Future for WakeSelf {
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

/// `n` self-wakes in one `spawn_local` task.
#[wasm_bindgen]
pub fn wbf_yield(n: u32) -> Promise {
    wasm_bindgen_futures::future_to_promise(async move {
        let t = now_ms();
        for _ in 0..n {
            WakeSelf(false).await;
        }
        Ok(ns_per(t, n))
    })
}

// ----- wake-to-poll latency (ping-pong between two tasks) -------------------------------------

#[derive(Default)]
struct Court {
    /// Whose turn it is: 0 or 1.
    turn: Cell<u8>,
    wakers: [RefCell<Option<Waker>>; 2],
}

async fn player(court: Rc<Court>, me: u8, rounds: u32) {
    for _ in 0..rounds {
        poll_fn(|cx| {
            if court.turn.get() == me {
                Poll::Ready(())
            } else {
                *court.wakers[me as usize].borrow_mut() = Some(cx.waker().clone());
                Poll::Pending
            }
        })
        .await;
        court.turn.set(1 - me);
        if let Some(w) = court.wakers[1 - me as usize].borrow_mut().take() {
            w.wake();
        }
    }
}

/// Two wasio tasks hand a turn back and forth `n` times each: ns per wake-to-poll.
#[wasm_bindgen]
pub fn wasio_ping_pong(n: u32) -> Promise {
    wasio::browser::future_to_promise(async move {
        let court = Rc::new(Court::default());
        let t = now_ms();
        let a = wasio::spawn(player(court.clone(), 0, n));
        let b = wasio::spawn(player(court, 1, n));
        a.await.unwrap();
        b.await.unwrap();
        Ok(ns_per(t, 2 * n))
    })
}

/// The same ping-pong between two `spawn_local` tasks.
#[wasm_bindgen]
pub fn wbf_ping_pong(n: u32) -> Promise {
    wasm_bindgen_futures::future_to_promise(async move {
        let court = Rc::new(Court::default());
        let t = now_ms();
        let (tx, rx) = futures_channel::oneshot::channel::<()>();
        wasm_bindgen_futures::spawn_local(player(court.clone(), 0, n));
        wasm_bindgen_futures::spawn_local(async move {
            player(court, 1, n).await;
            let _ = tx.send(());
        });
        rx.await.unwrap();
        Ok(ns_per(t, 2 * n))
    })
}
