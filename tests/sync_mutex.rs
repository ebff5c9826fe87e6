//! Mutex and Lock: FIFO hand-off, no barging, cancellation at every point, the synchronous fast
//! path, and explicit release errors.

mod common;
mod sync_support;
use common::sim_test;
use sync_support::{counting_waker, settle, Log};

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use wasio::spawn;
use wasio::sync::{Lock, Mutex, NotLocked, TryLockError};

fn locker(m: &Mutex<Vec<&'static str>>, log: &Log, name: &'static str) -> wasio::Task<()> {
    let (m, log) = (m.clone(), log.clone());
    spawn(async move {
        log.push(format!("{name} waits"));
        let mut g = m.lock().await;
        log.push(format!("{name} got"));
        g.push(name);
        wasio::yield_now().await; // hold the lock across a suspension
    })
}

sim_test! {
    async fn waiters_get_the_lock_in_fifo_order() {
        let m = Mutex::new(Vec::new());
        let log = Log::default();
        let g = m.lock().await;
        let tasks = [locker(&m, &log, "a"), locker(&m, &log, "b"), locker(&m, &log, "c")];
        settle().await;
        assert_eq!(log.take(), ["a waits", "b waits", "c waits"]);
        assert_eq!(m.waiting(), 3);
        drop(g);
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(log.take(), ["a got", "b got", "c got"]);
        assert_eq!(*m.lock().await, ["a", "b", "c"]);
        assert!(!m.is_locked());
    }
}

sim_test! {
    async fn release_then_relock_queues_behind_waiters() {
        let m = Mutex::new(Vec::new());
        let log = Log::default();
        let g = m.lock().await;
        let a = locker(&m, &log, "a");
        settle().await;
        drop(g);
        // The lock went to `a`, which has not run yet: still locked, no barging.
        assert!(m.is_locked());
        assert_eq!(m.try_lock().unwrap_err(), TryLockError);
        let mut g = m.lock().await; // queues behind `a`
        g.push("main");
        drop(g);
        a.await.unwrap();
        assert_eq!(*m.lock().await, ["a", "main"]);
    }
}

sim_test! {
    async fn cancelled_waiter_leaves_the_line() {
        let m = Mutex::new(Vec::new());
        let log = Log::default();
        let g = m.lock().await;
        let a = locker(&m, &log, "a");
        let b = locker(&m, &log, "b");
        let c = locker(&m, &log, "c");
        settle().await;
        assert!(b.cancel());
        settle().await;
        assert_eq!(m.waiting(), 2);
        drop(g);
        a.await.unwrap();
        c.await.unwrap();
        assert!(b.await.unwrap_err().is_cancelled());
        assert_eq!(*m.lock().await, ["a", "c"]);
        assert_eq!(m.waiting(), 0);
    }
}

sim_test! {
    async fn waiter_cancelled_after_handoff_passes_the_lock_on() {
        let m = Mutex::new(Vec::new());
        let log = Log::default();
        let g = m.lock().await;
        let a = locker(&m, &log, "a");
        let b = locker(&m, &log, "b");
        settle().await;
        log.take();
        drop(g); // handed to `a`...
        a.cancel(); // ...which is cancelled before it runs
        b.await.unwrap();
        assert!(a.await.unwrap_err().is_cancelled());
        assert_eq!(log.take(), ["b got"]);
        assert_eq!(*m.lock().await, ["b"]);
    }
}

sim_test! {
    async fn handoff_to_a_cancelled_sole_waiter_frees_the_lock() {
        let m = Mutex::new(Vec::new());
        let log = Log::default();
        let g = m.lock().await;
        let a = locker(&m, &log, "a");
        settle().await;
        drop(g);
        a.cancel();
        settle().await;
        assert!(!m.is_locked());
        assert!(m.try_lock().is_ok());
        assert_eq!(m.waiting(), 0);
    }
}

sim_test! {
    async fn uncontended_lock_is_ready_on_first_poll_without_keeping_the_waker() {
        let m = Mutex::new(1);
        let (core, waker) = counting_waker();
        let mut cx = Context::from_waker(&waker);
        let mut fut = pin!(m.lock());
        let Poll::Ready(g) = fut.as_mut().poll(&mut cx) else { panic!("uncontended lock waited") };
        assert_eq!(*g, 1);
        assert_eq!(Arc::strong_count(&core), 2, "the waker was cloned");
        drop(g);

        // Contended: the waker is stored, and dropped again when the future is.
        let g = m.lock().await;
        let mut fut = Box::pin(m.lock());
        assert!(fut.as_mut().poll(&mut cx).is_pending());
        assert_eq!(Arc::strong_count(&core), 3);
        drop(fut);
        assert_eq!(Arc::strong_count(&core), 2);
        assert_eq!(m.waiting(), 0);
        drop(g);
    }
}

sim_test! {
    async fn lock_guard_forget_and_explicit_release() {
        let lock = Lock::new();
        assert_eq!(lock.release(), Err(NotLocked));
        lock.acquire().await.forget();
        assert!(lock.locked());
        let log = Log::default();
        let t = spawn({
            let (lock, log) = (lock.clone(), log.clone());
            async move {
                let _g = lock.acquire().await;
                log.push("t got");
            }
        });
        settle().await;
        assert_eq!(lock.waiting(), 1);
        assert_eq!(lock.release(), Ok(()));
        assert!(lock.locked(), "handed to the waiter, not freed");
        assert!(lock.try_acquire().is_err());
        t.await.unwrap();
        assert_eq!(log.take(), ["t got"]);
        assert!(!lock.locked());
        assert_eq!(lock.release(), Err(NotLocked));
    }
}

sim_test! {
    async fn lock_acquire_cancelled_after_handoff_passes_it_on() {
        let lock = Lock::new();
        let g = lock.acquire().await;
        let log = Log::default();
        let mk = |name: &'static str| {
            let (lock, log) = (lock.clone(), log.clone());
            spawn(async move {
                let _g = lock.acquire().await;
                log.push(name);
            })
        };
        let a = mk("a");
        let b = mk("b");
        let c = mk("c");
        settle().await;
        drop(g);
        a.cancel();
        b.cancel();
        c.await.unwrap();
        assert_eq!(log.take(), ["c"]);
        assert!(!lock.locked());
        assert_eq!(lock.waiting(), 0);
    }
}
