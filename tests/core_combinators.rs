//! gather, try_gather, wait, as_completed, shield, TaskGroup — including cancellation at every
//! await point (dropping the combinator mid-way) on the simulated clock.

mod common;
use common::sim_test;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use wasio::testing::armed_timers;
#[cfg_attr(not(panic = "unwind"), allow(unused_imports))] // yield_now: the panic test only
use wasio::{as_completed, gather, shield, sleep, spawn, timeout, try_gather, wait, yield_now};
use wasio::{Instant, ReturnWhen, TaskGroup};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn now_ms() -> u128 {
    Instant::now().since_origin().as_millis()
}

/// Counts drops: proves which inputs a combinator cancelled.
#[derive(Clone, Default)]
struct Drops(Rc<RefCell<Vec<&'static str>>>);
struct Guard(&'static str, Drops);
impl Drop for Guard {
    fn drop(&mut self) {
        self.1 .0.borrow_mut().push(self.0);
    }
}
impl Drops {
    fn guard(&self, name: &'static str) -> Guard {
        Guard(name, self.clone())
    }
    fn list(&self) -> Vec<&'static str> {
        self.0.borrow().clone()
    }
}

async fn after<T>(d: u64, v: T) -> T {
    sleep(ms(d)).await;
    v
}

sim_test! {
    async fn gather_returns_outputs_in_input_order_not_completion_order() {
        let (a, b, c) = gather((after(30, 'a'), after(10, "b"), after(20, 3u8))).await;
        assert_eq!((a, b, c), ('a', "b", 3));
        assert_eq!(now_ms(), 30);
        let v = gather(vec![after(5, 1), after(1, 2), after(3, 3)]).await;
        assert_eq!(v, [1, 2, 3]);
        let empty: Vec<u8> = gather(Vec::<std::future::Ready<u8>>::new()).await;
        assert!(empty.is_empty());
        let tasks = vec![spawn(after(2, "x")), spawn(after(1, "y"))];
        let outs: Vec<_> = gather(tasks).await.into_iter().map(Result::unwrap).collect();
        assert_eq!(outs, ["x", "y"]);
    }
}

sim_test! {
    async fn cancelling_a_gather_at_any_point_drops_every_unfinished_input() {
        for cut in [0u64, 5, 15, 25] {
            let drops = Drops::default();
            let (d1, d2, d3) = (drops.clone(), drops.clone(), drops.clone());
            let g = gather((
                async move { let _g = d1.guard("10"); sleep(ms(10)).await },
                async move { let _g = d2.guard("20"); sleep(ms(20)).await },
                async move { let _g = d3.guard("30"); sleep(ms(30)).await },
            ));
            let t0 = Instant::now();
            assert!(timeout(ms(cut), g).await.is_err());
            assert_eq!(t0.elapsed(), ms(cut));
            let mut got = drops.list();
            got.sort();
            assert_eq!(got, ["10", "20", "30"], "cut at {cut} ms");
            assert_eq!(armed_timers(), 0);
        }
    }
}

sim_test! {
    async fn try_gather_fails_fast_and_cancels_the_rest() {
        let drops = Drops::default();
        let (d1, d2) = (drops.clone(), drops.clone());
        let r: Result<(u8, u8, u8), String> = try_gather((
            async move { let _g = d1.guard("slow"); sleep(ms(100)).await; Ok(1) },
            async { sleep(ms(10)).await; Err("second failed".to_string()) },
            async move { let _g = d2.guard("slower"); sleep(ms(200)).await; Ok(3) },
        ))
        .await;
        assert_eq!(r, Err("second failed".into()));
        assert_eq!(now_ms(), 10);
        let mut got = drops.list();
        got.sort();
        assert_eq!(got, ["slow", "slower"]);
        let ok: Result<Vec<u8>, ()> = try_gather(vec![after(2, Ok(1)), after(1, Ok(2))]).await;
        assert_eq!(ok, Ok(vec![1, 2]));
        let err: Result<Vec<u8>, u8> = try_gather(vec![after(2, Err(7)), after(1, Ok(2)), after(3, Err(9))]).await;
        assert_eq!(err, Err(7));
        assert_eq!(now_ms(), 14);
    }
}

sim_test! {
    async fn wait_first_completed_first_exception_all_completed_and_timeout() {
        let mk = || vec![spawn(after(10, Ok::<u8, u8>(1))), spawn(after(20, Err(2))), spawn(after(30, Ok(3)))];
        let t0 = Instant::now();
        let (done, pending) = wait(mk(), ReturnWhen::FirstCompleted, None).await.unwrap();
        assert_eq!((done.len(), pending.len(), t0.elapsed()), (1, 2, ms(10)));
        for p in &pending {
            assert!(!p.is_done(), "wait cancels nothing");
        }
        assert_eq!(done.into_iter().next().unwrap().await.unwrap(), Ok(1));
        for p in pending {
            p.await.unwrap().ok(); // they still complete normally
        }

        let t0 = Instant::now();
        let (done, pending) = wait(mk(), ReturnWhen::FirstException, None).await.unwrap();
        assert_eq!((done.len(), pending.len(), t0.elapsed()), (2, 1, ms(20)));
        drop(pending);

        let t0 = Instant::now();
        let (done, pending) = wait(mk(), ReturnWhen::AllCompleted, None).await.unwrap();
        assert_eq!((done.len(), pending.len(), t0.elapsed()), (3, 0, ms(30)));

        let t0 = Instant::now();
        let (done, pending) = wait(mk(), ReturnWhen::AllCompleted, Some(ms(15))).await.unwrap();
        assert_eq!((done.len(), pending.len(), t0.elapsed()), (1, 2, ms(15)));
        for p in pending {
            assert!(p.cancel(), "still running after the timeout");
        }

        // FirstException counts a cancelled task as failed.
        let a = spawn(after(50, ()));
        let b = spawn(after(60, ()));
        a.cancel();
        let (done, pending) = wait(vec![a, b], ReturnWhen::FirstException, None).await.unwrap();
        assert_eq!((done.len(), pending.len()), (1, 1));
        // An empty set is a typed error (asyncio's ValueError), at once, even with a timeout.
        let t0 = Instant::now();
        let empty = wait(Vec::<wasio::Task<()>>::new(), ReturnWhen::FirstCompleted, Some(ms(5))).await;
        assert_eq!(empty.unwrap_err(), wasio::task::EmptyWait);
        assert_eq!(t0.elapsed(), ms(0));
    }
}

sim_test! {
    async fn as_completed_yields_in_completion_order_and_dropping_it_cancels_the_rest() {
        let mut s = as_completed(vec![after(30, 'c'), after(10, 'a'), after(20, 'b'), after(10, 'x')]);
        let mut got = Vec::new();
        while let Some(v) = s.next().await {
            got.push((v, now_ms()));
        }
        assert_eq!(got, [('a', 10), ('x', 10), ('b', 20), ('c', 30)]);

        let drops = Drops::default();
        let (d1, d2) = (drops.clone(), drops.clone());
        let t0 = Instant::now();
        let mut s = as_completed(vec![
            Box::pin(async move { let _g = d1.guard("fast"); sleep(ms(1)).await; 1u8 }) as std::pin::Pin<Box<dyn std::future::Future<Output = u8>>>,
            Box::pin(async move { let _g = d2.guard("slow"); sleep(ms(100)).await; 2 }),
        ]);
        assert_eq!(s.next().await, Some(1));
        assert_eq!(s.remaining(), 1);
        drop(s);
        assert_eq!(drops.list(), ["fast", "slow"]);
        assert_eq!(t0.elapsed(), ms(1));
        assert_eq!(armed_timers(), 0);
    }
}

sim_test! {
    async fn shield_keeps_the_work_running_when_the_waiter_is_cancelled() {
        let finished = Rc::new(Cell::new(false));
        let f = finished.clone();
        let waiter = spawn(async move {
            shield(async move {
                sleep(ms(50)).await;
                f.set(true);
                5
            })
            .await
        });
        sleep(ms(10)).await;
        assert!(waiter.cancel());
        assert!(waiter.await.unwrap_err().is_cancelled());
        assert!(!finished.get());
        sleep(ms(50)).await;
        assert!(finished.get(), "the shielded work completed");
        let direct = shield(after(5, 1));
        assert!(direct.cancel(), "cancelling the shielded task itself does cancel it");
        assert!(direct.await.unwrap_err().is_cancelled());
    }
}

sim_test! {
    async fn task_group_first_failure_cancels_siblings_and_join_waits_for_all() {
        let drops = Drops::default();
        let group = TaskGroup::new();
        let d = drops.clone();
        let slow = group.spawn(async move {
            let _g = d.guard("slow sibling");
            sleep(ms(1000)).await;
            Ok::<_, String>(1)
        });
        let fine = group.spawn(async { sleep(ms(5)).await; Ok(2) });
        group.spawn(async { sleep(ms(10)).await; Err::<u8, _>("first".to_string()) });
        group.spawn(async { sleep(ms(10)).await; Err::<u8, _>("second, same turn".to_string()) });
        let err = group.join().await.unwrap_err();
        let msgs: Vec<_> = err.failures.iter().map(|f| f.error().unwrap().clone()).collect();
        assert_eq!(msgs, ["first"], "the second child was cancelled before it could fail");
        assert_eq!(now_ms(), 10);
        assert_eq!(drops.list(), ["slow sibling"]);
        assert!(slow.await.unwrap_err().is_cancelled());
        assert_eq!(fine.await.unwrap(), Some(2));
        assert_eq!(wasio::task_count(), 0);
    }
}

sim_test! {
    async fn task_group_collects_every_failure_that_happens_before_cancellation_lands() {
        let group: TaskGroup<&str> = TaskGroup::new();
        // The immediate failure cancels the sleeping sibling before its timer fires.
        group.spawn(async { sleep(ms(10)).await; Err::<(), _>("a") });
        group.spawn(async { Err::<(), _>("immediate") });
        let err = group.join().await.unwrap_err();
        let msgs: Vec<_> = err.failures.iter().filter_map(|f| f.error().copied()).collect();
        assert_eq!(msgs, ["immediate"]);
        assert_eq!(now_ms(), 0, "the timer child was cancelled, not awaited");
    }
}

sim_test! {
    async fn task_group_success_returns_ok_after_every_child_including_late_spawns() {
        let group: TaskGroup<()> = TaskGroup::new();
        let hits = Rc::new(Cell::new(0));
        for i in 1..=3u64 {
            let h = hits.clone();
            group.spawn(async move { sleep(ms(i * 10)).await; h.set(h.get() + 1); Ok(()) });
        }
        assert_eq!(group.live(), 3);
        group.join().await.unwrap();
        assert_eq!((hits.get(), now_ms()), (3, 30));
    }
}

#[cfg(panic = "unwind")] // catching a panic needs unwinding (wasm targets abort)
sim_test! {
    async fn task_group_records_a_panicking_child() {
        let group: TaskGroup<()> = TaskGroup::new();
        group.spawn(async {
            yield_now().await;
            if wasio::task_count() > 0 {
                panic!("child exploded");
            }
            Ok::<(), ()>(())
        });
        let sib = group.spawn(async { sleep(ms(10)).await; Ok(()) });
        let err = group.join().await.unwrap_err();
        assert!(matches!(err.failures[0], wasio::task::ChildFailure::Panic(_)));
        assert!(sib.await.unwrap_err().is_cancelled());
    }
}

sim_test! {
    async fn dropping_a_task_group_or_its_join_cancels_the_children() {
        let drops = Drops::default();
        let group: TaskGroup<()> = TaskGroup::new();
        let d = drops.clone();
        let child = group.spawn(async move { let _g = d.guard("child"); sleep(ms(100)).await; Ok(()) });
        let join = group.join();
        assert!(timeout(ms(5), join).await.is_err());
        assert!(child.await.unwrap_err().is_cancelled());
        assert_eq!(drops.list(), ["child"]);
        assert_eq!(now_ms(), 5);
    }
}
