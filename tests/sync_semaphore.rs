//! Semaphore and BoundedSemaphore: FIFO hand-off, locked while a hand-off is in flight, no
//! barging, cancellation before and after hand-off, explicit release and over-release errors.

mod common;
mod sync_support;
use common::sim_test;
use sync_support::{counting_waker, settle, Log};

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use wasio::spawn;
use wasio::sync::{BoundedSemaphore, OverRelease, Semaphore, TryAcquireError};

/// Acquires a permit, logs it, and keeps it (forgotten) so the test releases it explicitly.
fn acquirer(sem: &Semaphore, log: &Log, name: &'static str) -> wasio::Task<()> {
    let (sem, log) = (sem.clone(), log.clone());
    spawn(async move {
        sem.acquire().await.forget();
        log.push(name);
    })
}

sim_test! {
    async fn permits_go_to_waiters_in_fifo_order() {
        let sem = Semaphore::new(0);
        let log = Log::default();
        let tasks = [acquirer(&sem, &log, "a"), acquirer(&sem, &log, "b"), acquirer(&sem, &log, "c")];
        settle().await;
        assert_eq!(sem.waiting(), 3);
        for expected in ["a", "b", "c"] {
            sem.release();
            settle().await;
            assert_eq!(log.take(), [expected]);
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(sem.available_permits(), 0);
    }
}

sim_test! {
    async fn locked_while_a_handoff_is_in_flight_and_no_barging() {
        let sem = Semaphore::new(1);
        let log = Log::default();
        let p = sem.acquire().await;
        let a = acquirer(&sem, &log, "a");
        settle().await;
        drop(p); // handed to `a`, which has not run yet
        assert!(sem.locked());
        assert_eq!(sem.available_permits(), 0);
        assert_eq!(sem.try_acquire().unwrap_err(), TryAcquireError);
        let b = spawn({
            let (sem, log) = (sem.clone(), log.clone());
            async move {
                let _p = sem.acquire().await; // the releaser re-acquiring: behind `a`
                log.push("b");
            }
        });
        settle().await;
        assert_eq!(log.take(), ["a"]);
        assert_eq!(sem.waiting(), 1);
        sem.release();
        b.await.unwrap();
        a.await.unwrap();
        assert_eq!(log.take(), ["b"]);
        assert_eq!(sem.available_permits(), 1);
    }
}

sim_test! {
    async fn a_semaphore_with_waiters_reports_locked() {
        let sem = Semaphore::new(0);
        let log = Log::default();
        let _a = acquirer(&sem, &log, "a");
        let _b = acquirer(&sem, &log, "b");
        settle().await;
        sem.release(); // one permit, two waiters: still locked
        assert!(sem.locked());
        settle().await;
        assert!(sem.locked());
        assert_eq!(log.take(), ["a"]);
    }
}

sim_test! {
    async fn cancelled_waiter_loses_no_permit() {
        let sem = Semaphore::new(0);
        let log = Log::default();
        let a = acquirer(&sem, &log, "a");
        let b = acquirer(&sem, &log, "b");
        let c = acquirer(&sem, &log, "c");
        settle().await;
        b.cancel();
        settle().await;
        assert_eq!(sem.waiting(), 2);
        sem.release(); // to `a`...
        a.cancel(); // ...cancelled before it runs: `c` gets it
        settle().await;
        assert_eq!(log.take(), ["c"]);
        assert!(a.await.unwrap_err().is_cancelled());
        assert!(b.await.unwrap_err().is_cancelled());
        c.await.unwrap();
        assert_eq!(sem.waiting(), 0);
        assert_eq!(sem.available_permits(), 0);
    }
}

sim_test! {
    async fn a_permit_handed_to_a_cancelled_sole_waiter_returns_to_the_count() {
        let sem = Semaphore::new(0);
        let log = Log::default();
        let a = acquirer(&sem, &log, "a");
        settle().await;
        sem.release();
        a.cancel();
        settle().await;
        assert_eq!(sem.available_permits(), 1);
        assert!(!sem.locked());
        assert!(log.take().is_empty());
    }
}

sim_test! {
    async fn guards_give_permits_back_and_forget_keeps_them() {
        let sem = Semaphore::new(2);
        let a = sem.acquire().await;
        let b = sem.try_acquire().unwrap();
        assert!(sem.locked());
        drop(a);
        assert_eq!(sem.available_permits(), 1);
        b.forget();
        assert_eq!(sem.available_permits(), 1);
        sem.release();
        sem.release(); // unbounded: may exceed the initial value, as in asyncio
        assert_eq!(sem.available_permits(), 3);
    }
}

sim_test! {
    async fn bounded_semaphore_rejects_over_release() {
        let sem = BoundedSemaphore::new(2);
        assert_eq!(sem.release(), Err(OverRelease { bound: 2 }));
        let p = sem.acquire().await;
        assert_eq!(sem.release(), Err(OverRelease { bound: 2 }), "the guard owns that permit");
        p.forget();
        assert_eq!(sem.release(), Ok(()));
        assert_eq!(sem.release(), Err(OverRelease { bound: 2 }));
        assert_eq!(sem.available_permits(), 2);

        // A permit in flight to a waiter counts as held.
        let all = [sem.acquire().await, sem.acquire().await];
        let waiter = spawn({
            let sem = sem.clone();
            async move { sem.acquire().await.forget() }
        });
        settle().await;
        all.into_iter().next().unwrap().forget(); // drops the other guard: handed to `waiter`
        assert_eq!(sem.available_permits(), 0);
        assert_eq!(sem.release(), Ok(())); // the forgotten one
        assert_eq!(sem.release(), Err(OverRelease { bound: 2 }));
        waiter.await.unwrap();
        assert_eq!(sem.release(), Ok(()));
        assert_eq!(sem.available_permits(), 2);
    }
}

sim_test! {
    async fn uncontended_acquire_is_ready_on_first_poll_without_keeping_the_waker() {
        let sem = Semaphore::new(1);
        let (core, waker) = counting_waker();
        let mut cx = Context::from_waker(&waker);
        let mut fut = pin!(sem.acquire());
        let Poll::Ready(p) = fut.as_mut().poll(&mut cx) else { panic!("uncontended acquire waited") };
        assert_eq!(Arc::strong_count(&core), 2);
        let mut waiting = Box::pin(sem.acquire());
        assert!(waiting.as_mut().poll(&mut cx).is_pending());
        assert_eq!(Arc::strong_count(&core), 3);
        drop(waiting);
        assert_eq!(Arc::strong_count(&core), 2);
        drop(p);
        assert_eq!(sem.available_permits(), 1);
    }
}

sim_test! {
    async fn the_count_is_clamped_and_explicit_releases_saturate_without_wrapping() {
        let max = usize::MAX / 4;
        let sem = Semaphore::new(usize::MAX);
        assert_eq!(sem.available_permits(), max);
        sem.release();
        assert_eq!(sem.available_permits(), max, "an explicit release saturates");
        // A guard's permit always comes back, even at the limit: the count never loses it.
        let p = sem.acquire().await;
        sem.release();
        assert_eq!(sem.available_permits(), max);
        drop(p);
        assert_eq!(sem.available_permits(), max + 1);
        let bounded = BoundedSemaphore::new(usize::MAX);
        assert_eq!((bounded.available_permits(), bounded.bound()), (max, max));
    }
}

/// A waker whose `clone` panics: registering as a waiter clones the waker, so this is the one way
/// a panic can start inside an acquire.
#[cfg(not(target_arch = "wasm32"))] // needs unwinding
fn panicking_clone_waker() -> std::task::Waker {
    use std::task::{RawWaker, RawWakerVTable, Waker};
    fn clone(_: *const ()) -> RawWaker {
        panic!("waker clone failed")
    }
    fn noop(_: *const ()) {}
    static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, noop, noop, noop);
    // SAFETY: every vtable function ignores the (null) data pointer.
    unsafe { Waker::from_raw(RawWaker::new(std::ptr::null(), &VTABLE)) }
}

#[test]
#[cfg(not(target_arch = "wasm32"))] // needs unwinding
fn a_panic_while_registering_leaves_the_count_and_the_line_as_they_were() {
    use std::panic::{catch_unwind, AssertUnwindSafe};
    let sem = Semaphore::new(1);
    let held = sem.try_acquire().unwrap();
    let waker = panicking_clone_waker();
    let mut cx = Context::from_waker(&waker);
    let mut fut = Box::pin(sem.acquire());
    let polled = catch_unwind(AssertUnwindSafe(|| fut.as_mut().poll(&mut cx)));
    assert!(polled.is_err(), "the waker's clone panicked");
    drop(fut);
    assert_eq!((sem.waiting(), sem.available_permits()), (0, 0));
    assert!(sem.locked());
    drop(held);
    assert_eq!(
        sem.available_permits(),
        1,
        "the permit came back to the count"
    );
    assert!(sem.try_acquire().is_ok());
}

/// Takes a permit, logs `first`, gives it back and at once takes one again, logging `second`.
fn release_and_reacquire(
    sem: &Semaphore,
    log: &Log,
    first: &'static str,
    second: &'static str,
) -> wasio::Task<()> {
    let (sem, log) = (sem.clone(), log.clone());
    spawn(async move {
        let p = sem.acquire().await;
        log.push(first);
        wasio::yield_now().await;
        drop(p);
        let _p = sem.acquire().await;
        log.push(second);
    })
}

sim_test! {
    async fn a_newcomer_queues_behind_a_woken_waiter_even_with_a_permit_free() {
        // asyncio's test_acquire_fifo_order_2, on two permits: `a` and `b` hold them, `c` waits.
        // `a` gives its permit back (handed to `c`, which has not run), then `b` gives its back
        // and at once re-acquires: asyncio reports the semaphore locked and `b` queues behind
        // `c`, so the order is 1, 2, 3, 4 (wasio gave 1, 2, 4, 3).
        let sem = Semaphore::new(2);
        let log = Log::default();
        let a = spawn({
            let (sem, log) = (sem.clone(), log.clone());
            async move {
                let p = sem.acquire().await;
                log.push("1");
                wasio::yield_now().await;
                drop(p);
            }
        });
        let b = release_and_reacquire(&sem, &log, "2", "4");
        let c = spawn({
            let (sem, log) = (sem.clone(), log.clone());
            async move {
                let _p = sem.acquire().await;
                log.push("3");
            }
        });
        a.await.unwrap();
        b.await.unwrap();
        c.await.unwrap();
        assert_eq!(log.take(), ["1", "2", "3", "4"]);
    }
}

/// One permit handed to a waiter that has not run, one more given back with nobody waiting: the
/// semaphore stays locked and a newcomer cannot take the spare permit until the hand-off lands.
macro_rules! spare_permit_while_in_flight {
    ($sem:expr, $give_two_back:expr) => {{
        let sem = $sem;
        let log = Log::default();
        let (p1, p2) = (sem.try_acquire().unwrap(), sem.try_acquire().unwrap());
        p1.forget();
        p2.forget();
        let w = spawn({
            let (sem, log) = (sem.clone(), log.clone());
            async move {
                sem.acquire().await.forget();
                log.push("w");
            }
        });
        settle().await;
        $give_two_back(&sem); // the first to `w`, the second spare
        assert!(sem.locked());
        assert_eq!(sem.available_permits(), 0);
        assert!(
            sem.try_acquire().is_err(),
            "a newcomer must not take the spare permit"
        );
        w.await.unwrap();
        assert_eq!(log.take(), ["w"]);
        assert!(
            !sem.locked(),
            "the hand-off landed: the spare permit is free"
        );
        assert_eq!(sem.available_permits(), 1);
        sem.try_acquire().unwrap().forget();
        assert!(sem.locked());
    }};
}

sim_test! {
    async fn locked_and_no_try_acquire_while_a_handoff_is_in_flight_with_a_spare_permit() {
        spare_permit_while_in_flight!(Semaphore::new(2), |s: &Semaphore| {
            s.release();
            s.release();
        });
        spare_permit_while_in_flight!(BoundedSemaphore::new(2), |s: &BoundedSemaphore| {
            s.release().unwrap();
            s.release().unwrap();
        });
    }
}

sim_test! {
    async fn a_woken_waiter_cancelled_with_a_spare_permit_returns_both() {
        let sem = Semaphore::new(0);
        let log = Log::default();
        let a = acquirer(&sem, &log, "a");
        let b = acquirer(&sem, &log, "b");
        settle().await;
        sem.release(); // to `a`
        sem.release(); // to `b`
        sem.release(); // spare
        assert!(sem.locked());
        a.cancel(); // its permit has nobody to go to: it joins the spare one once `b` lands
        let c = acquirer(&sem, &log, "c"); // a newcomer: queues
        settle().await;
        assert!(a.await.unwrap_err().is_cancelled());
        b.await.unwrap();
        c.await.unwrap();
        assert_eq!(log.take(), ["b", "c"]);
        assert_eq!(sem.available_permits(), 1);
        assert!(!sem.locked());
    }
}
