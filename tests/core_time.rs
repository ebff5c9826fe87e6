//! Time: sleep, timeout, interval, saturation, timer bookkeeping — all on the simulated clock.

mod common;
use common::sim_test;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use wasio::testing::armed_timers;
use wasio::time::MissedTickBehavior;
use wasio::{interval, sleep, sleep_until, spawn, timeout, timeout_at, yield_now, Instant};

fn since(t0: Instant) -> u128 {
    t0.elapsed().as_millis()
}

sim_test! {
    async fn sleeps_wake_in_deadline_order_then_arming_order() {
        let l = Rc::new(RefCell::new(Vec::new()));
        let t0 = Instant::now();
        let mut ts = Vec::new();
        for (name, ms) in [("c", 30), ("a", 10), ("b1", 20), ("b2", 20)] {
            let l = l.clone();
            ts.push(spawn(async move {
                sleep(Duration::from_millis(ms)).await;
                l.borrow_mut().push((name, since(t0)));
            }));
        }
        for t in ts {
            t.await.unwrap();
        }
        assert_eq!(*l.borrow(), [("a", 10), ("b1", 20), ("b2", 20), ("c", 30)]);
    }
}

sim_test! {
    async fn a_zero_sleep_yields_exactly_once_and_arms_no_timer() {
        let l = Rc::new(RefCell::new(Vec::new()));
        let (a, b) = (l.clone(), l.clone());
        let t1 = spawn(async move {
            a.borrow_mut().push("sleeper before");
            sleep(Duration::ZERO).await;
            a.borrow_mut().push("sleeper after");
        });
        let t2 = spawn(async move { b.borrow_mut().push("other") });
        yield_now().await;
        assert_eq!(armed_timers(), 0);
        t1.await.unwrap();
        t2.await.unwrap();
        assert_eq!(*l.borrow(), ["sleeper before", "other", "sleeper after"]);
        assert_eq!(Instant::now().since_origin(), Duration::ZERO);
    }
}

sim_test! {
    async fn enormous_durations_saturate_to_never_instead_of_panicking() {
        let t0 = Instant::now();
        assert_eq!(t0 + Duration::MAX, Instant::FAR_FUTURE);
        assert_eq!(t0.checked_add(Duration::MAX), None);
        let r = timeout(Duration::from_secs(5), sleep(Duration::MAX)).await;
        assert!(r.is_err());
        let r = timeout(Duration::MAX, async { 3 }).await;
        assert_eq!(r, Ok(3));
        let r = timeout(Duration::from_secs(u64::MAX), sleep(Duration::from_secs(1))).await;
        assert_eq!(r, Ok(()));
        assert_eq!(since(t0), 6000);
        assert_eq!(armed_timers(), 0, "no timer left behind");
    }
}

sim_test! {
    async fn sleep_until_a_past_instant_is_ready_at_once() {
        let t0 = Instant::now();
        sleep(Duration::from_secs(1)).await;
        sleep_until(t0).await; // already passed
        assert_eq!(since(t0), 1000);
        let l = Rc::new(Cell::new(0));
        let l2 = l.clone();
        let other = spawn(async move { l2.set(1) });
        sleep_until(t0).await;
        assert_eq!(l.get(), 0, "a past deadline returns without yielding");
        other.await.unwrap();
    }
}

sim_test! {
    async fn timeout_returns_value_when_ready_and_elapsed_when_late() {
        assert_eq!(timeout(Duration::ZERO, async { "ready" }).await, Ok("ready"));
        assert_eq!(timeout(Duration::ZERO, std::future::ready(1)).await, Ok(1));
        assert!(timeout(Duration::ZERO, yield_now()).await.is_err(), "a zero timeout does not wait");
        let t0 = Instant::now();
        assert_eq!(timeout(Duration::from_millis(10), sleep(Duration::from_millis(5))).await, Ok(()));
        assert_eq!(since(t0), 5);
        let e = timeout(Duration::from_millis(10), sleep(Duration::from_millis(50))).await.unwrap_err();
        assert_eq!(e.to_string(), "deadline has elapsed");
        assert_eq!(since(t0), 15);
        let at = Instant::now() + Duration::from_millis(7);
        assert!(timeout_at(at, std::future::pending::<()>()).await.is_err());
        assert_eq!(Instant::now(), at);
    }
}

sim_test! {
    async fn an_expired_timeout_drops_the_inner_future() {
        struct Flag(Rc<Cell<bool>>);
        impl Drop for Flag {
            fn drop(&mut self) {
                self.0.set(true);
            }
        }
        let dropped = Rc::new(Cell::new(false));
        let f = Flag(dropped.clone());
        let inner = async move {
            let _f = f;
            sleep(Duration::from_secs(10)).await;
        };
        assert!(timeout(Duration::from_secs(1), inner).await.is_err());
        assert!(dropped.get());
        assert_eq!(armed_timers(), 0);
    }
}

sim_test! {
    async fn dropped_timers_are_disarmed_at_once() {
        for _ in 0..1000 {
            let mut s = Box::pin(sleep(Duration::from_secs(60)));
            let w = futures_util::task::noop_waker();
            let _ = s.as_mut().poll(&mut std::task::Context::from_waker(&w));
            assert_eq!(armed_timers(), 1);
        }
        assert_eq!(armed_timers(), 0);
    }
}

use std::future::Future as _;

sim_test! {
    async fn interval_ticks_on_period_and_applies_the_missed_tick_policy() {
        let t0 = Instant::now();
        let mut iv = interval(Duration::from_millis(10));
        let mut at = Vec::new();
        for _ in 0..3 {
            at.push(iv.tick().await - t0);
        }
        assert_eq!(at, [Duration::ZERO, Duration::from_millis(10), Duration::from_millis(20)]);

        // Busy for 35 ms: Burst fires the missed ticks at once.
        sleep(Duration::from_millis(35)).await; // now = 55 ms; ticks due at 30, 40, 50
        let mut burst = Vec::new();
        for _ in 0..4 {
            burst.push((iv.tick().await - t0).as_millis());
        }
        assert_eq!(burst, [30, 40, 50, 60]);
        assert_eq!(since(t0), 60);
    }
}

sim_test! {
    async fn interval_delay_and_skip_policies() {
        let t0 = Instant::now();
        let mut d = interval(Duration::from_millis(10));
        d.set_missed_tick_behavior(MissedTickBehavior::Delay);
        d.tick().await; // 0
        sleep(Duration::from_millis(25)).await; // 25: the tick due at 10 is late
        let late = since(t0);
        assert_eq!((d.tick().await - t0).as_millis(), 10, "the late tick is reported at its schedule");
        assert_eq!(late, 25);
        d.tick().await;
        assert_eq!(since(t0), 35, "Delay counts the next period from the late tick");

        let t1 = Instant::now();
        let mut s = interval(Duration::from_millis(10));
        s.set_missed_tick_behavior(MissedTickBehavior::Skip);
        s.tick().await; // t1 + 0
        sleep(Duration::from_millis(25)).await;
        s.tick().await; // due at +10, late
        s.tick().await;
        assert_eq!(t1.elapsed().as_millis(), 30, "Skip goes to the next multiple of the period");
    }
}

// ----- timeout_scope: asyncio.timeout() with when/reschedule/expired ----------------------------

use wasio::time::{timeout_scope, timeout_scope_at};

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

sim_test! {
    async fn a_timeout_scope_can_move_its_own_deadline_from_inside_the_block() {
        let t0 = Instant::now();
        // Extended from inside: finishes at 5 s although the first deadline was 2 s.
        let r = timeout_scope(Some(secs(2)), |t| async move {
            assert_eq!(t.when(), Some(t0 + secs(2)));
            for _ in 0..5 {
                sleep(secs(1)).await;
                t.reschedule(Some(Instant::now() + secs(2))).unwrap();
            }
            assert!(!t.expired());
            "done"
        })
        .await;
        assert_eq!((r, t0.elapsed()), (Ok("done"), secs(5)));
        assert_eq!(wasio::testing::armed_timers(), 0, "no timer left behind");

        // Shortened from inside: expires at the new deadline, and the block is dropped.
        let t0 = Instant::now();
        let handle = std::cell::RefCell::new(None);
        let r = timeout_scope(Some(secs(100)), |t| {
            *handle.borrow_mut() = Some(t.clone());
            async move {
                t.reschedule(Some(Instant::now() + secs(3))).unwrap();
                sleep(secs(50)).await;
            }
        })
        .await;
        assert!(r.is_err());
        assert_eq!(t0.elapsed(), secs(3));
        let t = handle.borrow_mut().take().unwrap();
        assert!(t.expired());
        assert!(t.reschedule(None).is_err(), "an expired timeout cannot be rescheduled");
        assert_eq!(wasio::testing::armed_timers(), 0);
    }
}

sim_test! {
    async fn a_timeout_scope_without_a_deadline_and_one_moved_from_another_task() {
        let t0 = Instant::now();
        // None: no deadline until one is set; another task sets one (asyncio.timeout(None)).
        let scope = timeout_scope(None, |t| async move {
            assert_eq!(t.when(), None);
            sleep(secs(60)).await;
        });
        let h = scope.handle();
        let setter = spawn(async move {
            sleep(secs(4)).await;
            h.reschedule(Some(Instant::now() + secs(1))).unwrap();
            h
        });
        let r = scope.await;
        assert!(r.is_err());
        assert_eq!(t0.elapsed(), secs(5), "woken to arm the deadline set from outside");
        assert!(setter.await.unwrap().expired());

        // A deadline removed from outside before the first poll: no timeout at all.
        let t0 = Instant::now();
        let scope = timeout_scope_at(Some(t0 + secs(1)), |_| sleep(secs(8)));
        scope.handle().reschedule(None).unwrap();
        assert_eq!(scope.await, Ok(()));
        assert_eq!(t0.elapsed(), secs(8));

        // A deadline moved into the past: expires at once unless the block is ready.
        let scope = timeout_scope(Some(secs(10)), |t| async move {
            t.reschedule(Some(Instant::now())).unwrap();
            yield_now().await;
        });
        let t0 = Instant::now();
        assert!(scope.await.is_err());
        assert_eq!(t0.elapsed(), Duration::ZERO);
        let ready = timeout_scope(Some(Duration::ZERO), |t| async move {
            t.reschedule(Some(Instant::now())).unwrap();
            1
        });
        let h = ready.handle();
        assert_eq!(ready.await, Ok(1), "a ready block wins, as with timeout()");
        assert!(!h.expired());
        assert_eq!(h.reschedule(None), Ok(()), "after it finished: no effect, no error");
    }
}

sim_test! {
    async fn an_expired_timeout_is_an_io_error_of_kind_timed_out() {
        async fn read_slowly() -> std::io::Result<u8> {
            wasio::sleep(Duration::from_secs(10)).await;
            Ok(1)
        }
        async fn with_deadline(d: Duration) -> std::io::Result<u8> {
            let v = wasio::timeout(d, read_slowly()).await??; // `Elapsed` -> io::Error
            Ok(v)
        }
        let err = with_deadline(Duration::from_secs(1)).await.unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);
        assert_eq!(err.to_string(), "deadline has elapsed");
        assert_eq!(wasio::Instant::now().since_origin(), Duration::from_secs(1));
        assert_eq!(with_deadline(Duration::from_secs(11)).await.unwrap(), 1);
    }
}
