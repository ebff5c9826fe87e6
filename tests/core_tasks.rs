//! Tasks: spawn order, cancellation, join errors, names, ids, detaching.

mod common;
use common::sim_test;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use wasio::{sleep, spawn, spawn_named, yield_now, Task};

type Log = Rc<RefCell<Vec<String>>>;

fn log() -> Log {
    Rc::new(RefCell::new(Vec::new()))
}

fn push(l: &Log, s: impl Into<String>) {
    l.borrow_mut().push(s.into());
}

/// Sets a flag when dropped: proves a future's destructor ran.
struct DropFlag(Rc<Cell<bool>>);
impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

sim_test! {
    async fn tasks_run_in_spawn_order_and_yield_goes_to_the_back() {
        let l = log();
        let mut ts: Vec<Task<()>> = Vec::new();
        for name in ["a", "b", "c"] {
            let l = l.clone();
            ts.push(spawn(async move {
                push(&l, format!("{name}1"));
                yield_now().await;
                push(&l, format!("{name}2"));
            }));
        }
        for t in ts {
            t.await.unwrap();
        }
        assert_eq!(*l.borrow(), ["a1", "b1", "c1", "a2", "b2", "c2"]);
    }
}

sim_test! {
    async fn a_wake_queues_a_task_at_most_once() {
        let polls = Rc::new(Cell::new(0));
        let p = polls.clone();
        let t = spawn(std::future::poll_fn(move |cx| {
            p.set(p.get() + 1);
            if p.get() == 1 {
                // Three wake-ups before the next turn: one poll.
                cx.waker().wake_by_ref();
                cx.waker().wake_by_ref();
                #[allow(clippy::waker_clone_wake)] // exercising the by-value wake path
                cx.waker().clone().wake();
                std::task::Poll::Pending
            } else {
                std::task::Poll::Ready(())
            }
        }));
        t.await.unwrap();
        assert_eq!(polls.get(), 2);
    }
}

sim_test! {
    async fn cancel_drops_the_future_and_awaiting_reports_cancellation() {
        let dropped = Rc::new(Cell::new(false));
        let flag = DropFlag(dropped.clone());
        let t = spawn(async move {
            let _f = flag;
            sleep(Duration::from_secs(3600)).await;
            unreachable!("cancelled while sleeping");
        });
        yield_now().await; // the task starts and sleeps
        assert!(!t.is_done());
        assert!(t.cancel());
        assert!(!dropped.get(), "dropped at its next scheduling point, not inside cancel()");
        let err = t.await.unwrap_err();
        assert!(err.is_cancelled());
        assert!(dropped.get());
        assert_eq!(wasio::testing::armed_timers(), 0, "the cancelled sleep disarmed its timer");
    }
}

sim_test! {
    async fn cancelling_a_task_before_it_ever_ran_never_polls_it() {
        let ran = Rc::new(Cell::new(false));
        let r = ran.clone();
        let t = spawn(async move { r.set(true) });
        assert!(t.cancel());
        assert!(t.await.unwrap_err().is_cancelled());
        assert!(!ran.get());
    }
}

sim_test! {
    async fn cancelling_a_finished_task_returns_false_and_keeps_its_output() {
        let t = spawn(async { 7 });
        yield_now().await;
        assert!(t.is_done());
        assert!(!t.cancel());
        assert!(!t.is_cancelled());
        assert_eq!(t.await.unwrap(), 7);
    }
}

sim_test! {
    async fn is_cancelled_holds_after_the_output_was_taken() {
        let t = spawn(sleep(Duration::from_secs(1)));
        t.cancel();
        let mut t = t;
        assert!((&mut t).await.unwrap_err().is_cancelled());
        assert!(t.is_cancelled());
    }
}

sim_test! {
    async fn awaiting_a_task_twice_gives_already_joined() {
        let mut t = spawn(async { String::from("once") });
        assert_eq!((&mut t).await.unwrap(), "once");
        let again = (&mut t).await.unwrap_err();
        assert!(again.is_already_joined());
        assert!(!again.is_cancelled());
    }
}

sim_test! {
    async fn a_task_awaiting_its_own_handle_gets_an_error_not_a_hang() {
        let slot: Rc<RefCell<Option<Task<()>>>> = Rc::new(RefCell::new(None));
        let result = Rc::new(Cell::new(None));
        let (s, r) = (slot.clone(), result.clone());
        let selfish = spawn(async move {
            yield_now().await;
            let mut me = s.borrow_mut().take().unwrap();
            r.set(Some((&mut me).await.unwrap_err().is_self_join()));
        });
        *slot.borrow_mut() = Some(selfish);
        sleep(Duration::from_millis(1)).await;
        assert_eq!(result.get(), Some(true));
        assert_eq!(wasio::task_count(), 0);
    }
}

sim_test! {
    async fn dropping_the_handle_detaches_and_cancel_on_drop_cancels() {
        let done = Rc::new(Cell::new(false));
        let d = done.clone();
        drop(spawn(async move {
            sleep(Duration::from_secs(1)).await;
            d.set(true);
        }));
        let stopped = Rc::new(Cell::new(false));
        let flag = DropFlag(stopped.clone());
        let tied = spawn(async move {
            let _f = flag;
            sleep(Duration::from_secs(1)).await;
        })
        .cancel_on_drop();
        yield_now().await;
        drop(tied);
        sleep(Duration::from_secs(2)).await;
        assert!(done.get(), "a detached task keeps running");
        assert!(stopped.get(), "a cancel_on_drop task was cancelled");
    }
}

sim_test! {
    async fn names_ids_current_task_and_count() {
        assert_eq!(wasio::task_count(), 0);
        let a = spawn_named("alpha", async { wasio::current_task().unwrap().name().unwrap().to_string() });
        let b = spawn(async { wasio::current_task().unwrap().id() });
        assert_ne!(a.id(), b.id());
        assert!(b.id() > a.id(), "ids increase");
        assert_eq!(wasio::task_count(), 2);
        b.set_name("beta");
        assert_eq!(b.name().as_deref(), Some("beta"));
        let b_id = b.id();
        assert_eq!(a.await.unwrap(), "alpha");
        assert_eq!(b.await.unwrap(), b_id);
        assert_eq!(wasio::task_count(), 0);
        assert!(wasio::current_task().is_none(), "the test body itself is not a task");
    }
}

#[cfg(panic = "unwind")] // catching a panic needs unwinding (wasm targets abort)
#[test]
fn a_panicking_task_reports_the_panic_and_the_loop_goes_on() {
    let out = wasio::run(async {
        let bad = spawn(async { panic!("boom") });
        let good = spawn(async { 1 });
        let err = bad.await.unwrap_err();
        (err.is_panic(), err.to_string(), good.await.unwrap())
    });
    assert_eq!(out, (true, "task panicked: boom".to_string(), 1));
}

sim_test! {
    async fn a_task_that_wakes_itself_as_it_ends_leaves_the_next_task_in_its_slot_alone() {
        // `a` wakes itself during its final poll, which leaves an entry for it in the ready queue;
        // `b` then spawns `c`, which takes the table slot `a` freed. The leftover entry must
        // neither poll `c` nor retire it.
        let c_polls = Rc::new(Cell::new(0));
        let c_waker = Rc::new(RefCell::new(None::<std::task::Waker>));
        let a = spawn(std::future::poll_fn(|cx| {
            cx.waker().wake_by_ref();
            std::task::Poll::Ready(())
        }));
        let (cp, cw) = (c_polls.clone(), c_waker.clone());
        // `Some`: the handle is the output, not something to await here.
        let b = spawn(async move {
            Some(spawn(std::future::poll_fn(move |cx| {
                cp.set(cp.get() + 1);
                if cp.get() == 2 {
                    return std::task::Poll::Ready(());
                }
                *cw.borrow_mut() = Some(cx.waker().clone());
                std::task::Poll::Pending
            })))
        });
        a.await.unwrap();
        let c = b.await.unwrap().unwrap();
        for _ in 0..3 {
            yield_now().await;
        }
        assert_eq!(c_polls.get(), 1);
        assert!(!c.is_done());
        let before = wasio::task_count();
        c_waker.borrow_mut().take().unwrap().wake();
        c.await.unwrap();
        assert_eq!(c_polls.get(), 2);
        assert_eq!(wasio::task_count(), before - 1);
    }
}

sim_test! {
    async fn a_waker_of_an_ended_task_does_not_wake_the_task_reusing_its_slot() {
        let old = Rc::new(RefCell::new(None::<std::task::Waker>));
        let o = old.clone();
        spawn(std::future::poll_fn(move |cx| {
            *o.borrow_mut() = Some(cx.waker().clone());
            std::task::Poll::Ready(())
        }))
        .await
        .unwrap();
        let polls = Rc::new(Cell::new(0));
        let waker = Rc::new(RefCell::new(None::<std::task::Waker>));
        let (p, w) = (polls.clone(), waker.clone());
        let t = spawn(std::future::poll_fn(move |cx| {
            p.set(p.get() + 1);
            if p.get() == 2 {
                return std::task::Poll::Ready(());
            }
            *w.borrow_mut() = Some(cx.waker().clone());
            std::task::Poll::Pending
        }));
        yield_now().await;
        assert_eq!(polls.get(), 1);
        let old = old.borrow_mut().take().unwrap();
        assert!(!old.will_wake(waker.borrow().as_ref().unwrap()));
        old.wake();
        for _ in 0..3 {
            yield_now().await;
        }
        assert_eq!(polls.get(), 1);
        waker.borrow_mut().take().unwrap().wake();
        t.await.unwrap();
        assert_eq!(polls.get(), 2);
    }
}

// ----- a task cancelled during its last poll (issue 13, item 3) ------------------------------

sim_test! {
    async fn a_task_that_cancels_itself_and_then_returns_ends_cancelled() {
        let dropped = Rc::new(Cell::new(false));
        let mut t = spawn({
            let dropped = dropped.clone();
            async move {
                let reported = wasio::current_task().unwrap().cancel();
                assert!(reported);
                DropFlag(dropped) // the output: dropped, never delivered
            }
        });
        let r = (&mut t).await;
        assert!(r.is_err_and(|e| e.is_cancelled()), "cancel() said true: the task ends cancelled");
        assert!(t.is_cancelled());
        assert!(dropped.get(), "the output was dropped");
        // A detached one too (its output is dropped either way; the outcome is what counts).
        let d = spawn(async { wasio::current_task().unwrap().cancel() }).as_ref();
        yield_now().await;
        assert!(d.is_done());
        assert_eq!(wasio::task_count(), 0);
    }
}

// ----- cancel requests delivered at await points (task::cancellable) -------------------------

use wasio::task::{cancellable, Cancelled};

sim_test! {
    async fn a_request_is_delivered_at_the_innermost_waiting_await_and_clean_up_may_await() {
        let l = log();
        let t = spawn({
            let l = l.clone();
            async move {
                // An inner "coroutine" awaited through an outer cancellable await: the error
                // arrives at the inner one, which catches it, cleans up and re-raises.
                let inner = {
                    let l = l.clone();
                    async move {
                        match cancellable(sleep(Duration::from_secs(60))).await {
                            Ok(()) => Ok(()),
                            Err(e) => {
                                push(&l, "inner caught");
                                cancellable(sleep(Duration::from_secs(2))).await.unwrap();
                                push(&l, "inner cleaned up");
                                Err(e)
                            }
                        }
                    }
                };
                let r = cancellable(inner).await;
                push(&l, format!("outer got {r:?}"));
                r
            }
        });
        sleep(Duration::from_secs(1)).await;
        assert!(t.request_cancel());
        assert_eq!(t.cancelling(), 1);
        let out = t.await.unwrap();
        assert_eq!(out, Ok(Err(Cancelled)), "the outer await saw the inner's re-raise");
        assert_eq!(
            *l.borrow(),
            ["inner caught", "inner cleaned up", "outer got Ok(Err(Cancelled))"]
        );
        assert_eq!(wasio::Instant::now().since_origin(), Duration::from_secs(3));
    }
}

sim_test! {
    async fn a_request_never_loses_a_ready_output_and_waits_for_the_next_await() {
        let q = wasio::Queue::<u32>::new(0);
        let t = spawn({
            let q = q.clone();
            async move {
                let me = wasio::current_task().unwrap();
                me.request_cancel(); // before the get, which is ready at once
                let got = cancellable(q.get()).await;
                let next = cancellable(yield_now()).await; // waits: delivered here
                (got, next, me.cancelling())
            }
        });
        q.put_nowait(9).unwrap();
        assert_eq!(t.await.unwrap(), (Ok(Ok(9)), Err(Cancelled), 1));
        assert!(q.empty(), "the item went to the task, not lost");
    }
}

sim_test! {
    async fn a_cancelled_await_drops_its_inner_future_and_loses_no_item() {
        let q = wasio::Queue::<u32>::new(0);
        let flag = Rc::new(Cell::new(false));
        let t = spawn({
            let (q, flag) = (q.clone(), flag.clone());
            async move {
                let guard = DropFlag(flag);
                let r = cancellable(async move {
                    let _g = guard;
                    q.get().await
                })
                .await;
                r
            }
        });
        yield_now().await;
        t.request_cancel();
        assert_eq!(t.await.unwrap(), Err(Cancelled));
        assert!(flag.get(), "the inner future was dropped");
        q.put_nowait(1).unwrap();
        assert_eq!(q.get_nowait().unwrap(), 1, "the cancelled get consumed nothing");
    }
}

sim_test! {
    async fn an_undelivered_request_ends_a_returning_task_cancelled_unless_withdrawn() {
        // No cancellable await after the request: the task ends cancelled (asyncio's _must_cancel).
        let t = spawn(async {
            sleep(Duration::from_secs(5)).await; // a plain await: not interrupted
            7
        });
        sleep(Duration::from_secs(1)).await;
        assert!(t.request_cancel());
        let r = t.as_ref();
        assert!(t.await.unwrap_err().is_cancelled());
        assert!(!r.request_cancel(), "an ended task refuses requests");
        assert_eq!(wasio::Instant::now().since_origin(), Duration::from_secs(5));

        // Withdrawn with uncancel before delivery: it returns normally.
        let t = spawn(async {
            let r = cancellable(sleep(Duration::from_secs(1))).await;
            (r, wasio::current_task().unwrap().cancelling())
        });
        t.request_cancel();
        t.request_cancel();
        assert_eq!(t.uncancel(), 1, "one left: still undelivered");
        assert_eq!(t.uncancel(), 0, "the last one withdraws the undelivered request");
        assert_eq!(t.uncancel(), 0, "nothing to withdraw");
        assert_eq!(t.await.unwrap(), (Ok(()), 0));
    }
}

sim_test! {
    async fn counters_tell_an_own_request_from_an_outside_one() {
        // What asyncio's timeout does on expiry: request, then on the way out uncancel and
        // compare with the count at entry.
        let own_only = spawn(async {
            let me = wasio::current_task().unwrap();
            let entry = me.cancelling();
            me.request_cancel(); // "our timeout expired"
            let r = cancellable(sleep(Duration::from_secs(1))).await;
            (r, me.uncancel() > entry)
        });
        assert_eq!(own_only.await.unwrap(), (Err(Cancelled), false), "ours alone: swallow it");
        let both = spawn(async {
            let me = wasio::current_task().unwrap();
            let entry = me.cancelling();
            sleep(Duration::from_secs(1)).await; // (a plain await: the outside request waits)
            me.request_cancel();
            let r = cancellable(sleep(Duration::from_secs(1))).await;
            let outside = me.uncancel() > entry;
            (entry, r, outside, me.cancelling())
        });
        yield_now().await;
        both.request_cancel(); // from outside, while it is in the block
        let out = both.await.unwrap();
        assert_eq!(out, (0, Err(Cancelled), true, 1), "one from outside: re-raise");
    }
}

sim_test! {
    async fn re_raising_by_cancelling_itself_ends_the_task_cancelled() {
        let t = spawn(async {
            if let Err(e) = cancellable(sleep(Duration::from_secs(60))).await {
                // A Python coroutine raising CancelledError: the task ends cancelled.
                wasio::current_task().unwrap().cancel();
                return Err(e);
            }
            Ok(())
        });
        yield_now().await;
        t.request_cancel();
        assert!(t.await.unwrap_err().is_cancelled());
    }
}

sim_test! {
    async fn an_await_outside_any_task_is_never_interrupted() {
        assert!(wasio::current_task().is_none());
        assert_eq!(cancellable(sleep(Duration::from_secs(1))).await, Ok(()));
    }
}
