//! The loop: run/Runner semantics, nested runs, closing, threads, call_soon/later/at, traces.

mod common;
use common::sim_test;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use wasio::trace::{Event, EventKind, WaitReason};
use wasio::{call_at, call_later, call_soon, sleep, spawn, yield_now, Instant};

sim_test! {
    async fn call_soon_runs_in_fifo_order_with_tasks() {
        let l = Rc::new(RefCell::new(Vec::new()));
        let (a, b, c) = (l.clone(), l.clone(), l.clone());
        let _h1 = call_soon(move || a.borrow_mut().push(1));
        let t = spawn(async move { b.borrow_mut().push(2) });
        let _h2 = call_soon(move || c.borrow_mut().push(3));
        t.await.unwrap();
        yield_now().await;
        assert_eq!(*l.borrow(), [1, 2, 3]);
    }
}

sim_test! {
    async fn call_later_and_call_at_fire_at_their_time_and_cancel_unschedules() {
        let l = Rc::new(RefCell::new(Vec::new()));
        let t0 = Instant::now();
        let (a, b, c) = (l.clone(), l.clone(), l.clone());
        let _late = call_later(Duration::from_millis(30), move || a.borrow_mut().push(("later", wasio::time())));
        let _at = call_at(t0 + Duration::from_millis(10), move || b.borrow_mut().push(("at", wasio::time())));
        let gone = call_later(Duration::from_millis(20), move || c.borrow_mut().push(("cancelled", 0.0)));
        assert!(gone.cancel());
        assert!(!gone.cancel(), "cancelling twice has no effect");
        sleep(Duration::from_millis(50)).await;
        let t0s = t0.since_origin().as_secs_f64();
        let got: Vec<_> = l.borrow().iter().map(|(n, t)| (*n, ((t - t0s) * 1000.0).round() as u64)).collect();
        assert_eq!(got, [("at", 10), ("later", 30)]);
        assert!(gone.is_cancelled());
    }
}

sim_test! {
    async fn the_trace_reports_exact_events_in_order() {
        let events = Rc::new(RefCell::new(Vec::new()));
        let sink = events.clone();
        wasio::trace::set_subscriber(move |e: &Event| sink.borrow_mut().push(e.kind.clone()));
        let t = spawn(async { sleep(Duration::from_millis(5)).await });
        let id = t.id();
        t.await.unwrap();
        wasio::trace::clear_subscriber();
        let deadline = events.borrow().iter().find_map(|e| match e {
            EventKind::TimerArmed { deadline } => Some(*deadline),
            _ => None,
        });
        let d = deadline.expect("the sleep armed a timer");
        // The test body is not a task: its own waits are not traced, and it wakes nobody.
        assert_eq!(
            *events.borrow(),
            [
                EventKind::Spawn { task: id, name: None, by: None },
                EventKind::Wake { task: id, by: None },
                EventKind::PollBegin { task: id },
                EventKind::TimerArmed { deadline: d },
                EventKind::PollEnd { task: id, ready: false, reason: Some(WaitReason::Sleep) },
                EventKind::TimerFired { deadline: d },
                EventKind::Wake { task: id, by: None },
                EventKind::PollBegin { task: id },
                EventKind::PollEnd { task: id, ready: true, reason: None },
                EventKind::Complete { task: id },
            ]
        );
    }
}

sim_test! {
    async fn cancellation_is_traced() {
        let events = Rc::new(RefCell::new(Vec::new()));
        let sink = events.clone();
        wasio::trace::set_subscriber(move |e: &Event| sink.borrow_mut().push(e.kind.clone()));
        let t = spawn(sleep(Duration::from_secs(1)));
        let id = t.id();
        t.cancel();
        let _ = t.await;
        wasio::trace::clear_subscriber();
        let evs = events.borrow();
        assert_eq!(evs.first(), Some(&EventKind::Spawn { task: id, name: None, by: None }));
        assert!(evs.contains(&EventKind::CancelRequested { task: id }));
        assert_eq!(evs.last(), Some(&EventKind::Cancelled { task: id }));
    }
}

// ----- blocking-host behaviour (native and WASI) -------------------------------------------------

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
mod blocking {
    use super::*;
    use std::cell::Cell;

    struct DropFlag(Rc<Cell<bool>>);
    impl Drop for DropFlag {
        fn drop(&mut self) {
            self.0.set(true);
        }
    }

    #[test]
    fn run_returns_the_output_and_cancels_what_is_left() {
        let dropped = Rc::new(Cell::new(false));
        let flag = DropFlag(dropped.clone());
        let out = wasio::testing::run(async move {
            spawn(async move {
                let _f = flag;
                sleep(Duration::from_secs(3600)).await;
            })
            .detach();
            yield_now().await;
            assert_eq!(wasio::task_count(), 1);
            "main done"
        });
        assert_eq!(out, "main done");
        assert!(
            dropped.get(),
            "the pending task's destructor ran when run returned"
        );
        assert_eq!(wasio::run(async { wasio::task_count() }), 0);
    }

    #[test]
    fn run_inside_a_running_loop_is_a_typed_error() {
        let r = wasio::run(async { wasio::try_run(async { 1 }) });
        assert_eq!(r, Err(wasio::RunError::AlreadyRunning));
        let r = wasio::run(async { spawn(async { wasio::try_run(async {}) }).await.unwrap() });
        assert_eq!(r, Err(wasio::RunError::AlreadyRunning));
        assert_eq!(
            wasio::try_run(async { 2 }),
            Ok(2),
            "the loop is usable again afterwards"
        );
    }

    #[test]
    #[cfg(panic = "unwind")] // should_panic needs unwinding (wasm targets abort)
    #[should_panic(expected = "cannot be called while this thread's event loop is running")]
    fn run_inside_run_panics_with_a_clear_message() {
        wasio::run(async { wasio::run(async {}) });
    }

    #[test]
    #[allow(clippy::async_yields_async)] // handing task handles out of one run into the next
    fn a_runner_keeps_tasks_alive_between_runs_and_close_cancels_them() {
        let mut r = wasio::Runner::simulated();
        let t = r.run(async {
            spawn(async {
                sleep(Duration::from_secs(5)).await;
                5
            })
        });
        let forever = r.run(async { spawn(sleep(Duration::from_secs(99))) });
        assert_eq!(r.run(t).unwrap(), 5);
        assert_eq!(r.close(), 1);
        assert!(forever.is_cancelled());
    }

    #[test]
    #[allow(clippy::async_yields_async)] // handing task handles out of one run into the next
    fn close_cancels_tasks_never_polled_and_tasks_waiting() {
        let (never_dropped, waiting_dropped) =
            (Rc::new(Cell::new(false)), Rc::new(Cell::new(false)));
        let mut r = wasio::Runner::simulated();
        let (n, w) = (never_dropped.clone(), waiting_dropped.clone());
        let waiting = r.run(async move {
            let flag = DropFlag(w);
            let t = spawn(async move {
                let _flag = flag;
                sleep(Duration::from_secs(99)).await;
            });
            yield_now().await; // `t` has been polled once and waits on its timer
            t
        });
        // Spawned as the run ends: queued, never polled.
        let never = r.run(async move {
            let flag = DropFlag(n);
            spawn(async move {
                let _flag = flag;
            })
        });
        assert_eq!(r.run(async { wasio::task_count() }), 2);
        assert_eq!(r.close(), 2);
        assert!(never.is_cancelled() && waiting.is_cancelled());
        assert!(never_dropped.get() && waiting_dropped.get());
        // A closed runner refuses to run again (asyncio's "Runner is closed"); a new one runs.
        assert_eq!(r.try_run(async {}), Err(wasio::RunError::Closed));
        assert_eq!(wasio::run(async { wasio::task_count() }), 0);
        assert!(wasio::run(never).unwrap_err().is_cancelled());
    }

    #[test]
    fn a_one_hour_timeout_is_instant_and_deterministic_on_the_simulated_clock() {
        fn program() -> Vec<String> {
            let events = Rc::new(RefCell::new(Vec::new()));
            let sink = events.clone();
            wasio::trace::set_subscriber(move |e: &Event| sink.borrow_mut().push(format!("{e:?}")));
            let r = wasio::testing::run(async {
                let a = spawn(async {
                    sleep(Duration::from_secs(1800)).await;
                    "a"
                });
                let b = spawn(async {
                    sleep(Duration::from_secs(600)).await;
                    "b"
                });
                wasio::timeout(Duration::from_secs(3600), std::future::pending::<()>())
                    .await
                    .unwrap_err();
                (a.await.unwrap(), b.await.unwrap(), wasio::time())
            });
            wasio::trace::clear_subscriber();
            assert_eq!(r, ("a", "b", 3600.0));
            let v = events.borrow().clone();
            v
        }
        let wall = std::time::Instant::now();
        let first = program();
        let second = program();
        assert!(
            wall.elapsed() < Duration::from_secs(5),
            "virtual hours took {:?}",
            wall.elapsed()
        );
        assert!(first.len() > 10);
        // Task ids differ between runs (they are unique per thread); the shape must not.
        let strip = |v: Vec<String>| -> Vec<String> {
            v.into_iter()
                .map(|s| s.split("TaskId(").next().unwrap().to_string())
                .collect()
        };
        assert_eq!(strip(first), strip(second));
    }

    #[test]
    #[cfg(not(target_os = "wasi"))] // needs threads
    fn a_waker_woken_on_another_thread_resumes_the_task() {
        let out = wasio::run(async {
            let (tx, rx) = std::sync::mpsc::channel::<std::task::Waker>();
            let t = spawn(async move {
                let mut sent = false;
                std::future::poll_fn(|cx| {
                    if sent {
                        return std::task::Poll::Ready("woken from a thread");
                    }
                    sent = true;
                    tx.send(cx.waker().clone()).unwrap();
                    std::task::Poll::Pending
                })
                .await
            });
            yield_now().await;
            let waker = rx.recv().unwrap();
            std::thread::spawn(move || waker.wake()).join().unwrap();
            t.await.unwrap()
        });
        assert_eq!(out, "woken from a thread");
    }

    #[test]
    #[cfg(not(target_os = "wasi"))] // needs threads
    fn the_main_futures_waker_clones_wake_it_from_anywhere_and_may_outlive_the_run() {
        use std::task::Poll;
        let kept = wasio::run(async {
            let mut polls = 0;
            let mut kept = None;
            std::future::poll_fn(|cx| {
                polls += 1;
                match polls {
                    1 => {
                        let w = cx.waker().clone();
                        assert!(w.will_wake(cx.waker()));
                        kept = Some(w.clone());
                        // Woken (by value) on another thread while the loop waits.
                        std::thread::spawn(move || w.wake()).join().unwrap();
                        Poll::Pending
                    }
                    2 => {
                        cx.waker().wake_by_ref();
                        Poll::Pending
                    }
                    _ => Poll::Ready(()),
                }
            })
            .await;
            assert_eq!(polls, 3);
            kept.unwrap()
        });
        // A clone kept past the run: waking and dropping it does nothing harmful.
        kept.wake_by_ref();
        let again = kept.clone();
        kept.wake();
        drop(again);
        assert_eq!(wasio::run(async { 5 }), 5);
    }

    #[test]
    #[cfg(not(target_os = "wasi"))] // needs threads
    fn loop_handle_runs_callbacks_and_futures_from_other_threads() {
        let got = wasio::run(async {
            let h = wasio::LoopHandle::current();
            let hits = Rc::new(Cell::new(0));
            let (tx, rx) = futures_channel::oneshot::channel();
            let h2 = h.clone();
            std::thread::spawn(move || {
                h2.call_soon_threadsafe(move || {
                    tx.send(41).unwrap();
                })
                .unwrap();
            });
            let v = rx.await.unwrap();
            hits.set(v);
            let fut = std::thread::spawn(move || h.spawn_threadsafe(async { 1 }).unwrap())
                .join()
                .unwrap();
            hits.get() + fut.await.unwrap()
        });
        assert_eq!(got, 42);
    }

    #[test]
    #[cfg(not(target_os = "wasi"))] // needs threads
    fn waking_a_task_of_a_loop_that_is_gone_is_harmless() {
        let (tx, rx) = std::sync::mpsc::channel::<std::task::Waker>();
        let th = std::thread::spawn(move || {
            wasio::run(async move {
                let t = spawn(std::future::poll_fn(move |cx| {
                    tx.send(cx.waker().clone()).unwrap();
                    std::task::Poll::<()>::Pending
                }));
                yield_now().await;
                t.cancel();
            })
        });
        th.join().unwrap();
        let w = rx.recv().unwrap();
        w.wake_by_ref();
        w.wake();
    }

    /// Records the thread its value was dropped on.
    #[cfg(not(target_os = "wasi"))] // used by the threaded test below only
    struct DropsOn(std::sync::Arc<std::sync::Mutex<Vec<std::thread::ThreadId>>>);
    #[cfg(not(target_os = "wasi"))]
    impl Drop for DropsOn {
        fn drop(&mut self) {
            self.0.lock().unwrap().push(std::thread::current().id());
        }
    }

    #[test]
    #[cfg(not(target_os = "wasi"))] // needs threads
    fn wakers_cloned_woken_and_dropped_on_other_threads_free_the_task_once_at_home() {
        use std::sync::{Arc, Mutex};
        use std::task::Poll;
        let drops = Arc::new(Mutex::new(Vec::new()));
        let d = drops.clone();
        let polls = wasio::run(async move {
            let (tx, rx) = std::sync::mpsc::channel::<std::task::Waker>();
            let t = spawn(async move {
                let _dropped_with_the_future = DropsOn(d);
                let mut polls = 0;
                std::future::poll_fn(|cx| {
                    polls += 1;
                    if polls == 3 {
                        return Poll::Ready(polls);
                    }
                    tx.send(cx.waker().clone()).unwrap();
                    Poll::Pending
                })
                .await
            });
            yield_now().await;
            // Clone, wake by reference, drop; then wake by value from a second thread.
            let w = rx.try_recv().unwrap();
            std::thread::spawn(move || {
                let clones: Vec<_> = (0..10).map(|_| w.clone()).collect();
                clones[3].wake_by_ref();
                drop(clones);
                std::thread::spawn(move || w.wake()).join().unwrap();
            })
            .join()
            .unwrap();
            // The second poll (once the loop has taken the wakes in) sends another waker: clone it
            // and drop the original on a thread, then wake the clone at home.
            let w2 = loop {
                match rx.try_recv() {
                    Ok(w) => break w,
                    Err(_) => yield_now().await,
                }
            };
            let w3 = std::thread::spawn(move || {
                let c = w2.clone();
                drop(w2);
                c
            })
            .join()
            .unwrap();
            w3.wake(); // at home, by value
            t.await.unwrap()
        });
        assert_eq!(polls, 3);
        assert_eq!(*drops.lock().unwrap(), [std::thread::current().id()]);
    }
}

/// On WASI nothing outside the component can wake the loop: a run that can never progress is
/// reported instead of spinning or hanging.
#[cfg(target_os = "wasi")]
#[test]
fn a_deadlocked_run_is_a_typed_error_on_wasi() {
    assert_eq!(
        wasio::try_run(std::future::pending::<()>()),
        Err(wasio::RunError::Deadlock)
    );
    let waiting_for_nobody = wasio::try_run(async {
        let event = wasio::Event::new();
        let waiter = spawn({
            let event = event.clone();
            async move { event.wait().await }
        });
        waiter.await.unwrap();
    });
    assert_eq!(waiting_for_nobody, Err(wasio::RunError::Deadlock));
    assert_eq!(
        wasio::Runner::simulated().try_run(std::future::pending::<()>()),
        Err(wasio::RunError::Deadlock),
        "the simulated clock has no deadline to jump to either"
    );
    assert_eq!(
        wasio::try_run(async { 3 }),
        Ok(3),
        "the loop is usable afterwards"
    );
}

/// asyncio's "Runner is closed": a closed runner refuses to run, with a typed error, on every host
/// (on the browser it says so before saying that it cannot block).
#[cfg_attr(
    all(target_arch = "wasm32", target_os = "unknown"),
    wasm_bindgen_test::wasm_bindgen_test
)]
#[cfg_attr(not(all(target_arch = "wasm32", target_os = "unknown")), test)]
fn a_closed_runner_refuses_to_run() {
    let mut runner = wasio::Runner::new();
    runner.close(); // (in the browser, this also cancels what earlier tests left running)
    assert_eq!(runner.try_run(async { 1 }), Err(wasio::RunError::Closed));
    assert_eq!(wasio::RunError::Closed.to_string(), "Runner is closed");
    assert_eq!(runner.close(), 0, "closing again does nothing");
    let mut simulated = wasio::Runner::simulated();
    simulated.close();
    assert_eq!(simulated.try_run(async {}), Err(wasio::RunError::Closed));
}

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
#[test]
#[allow(clippy::async_yields_async)] // handing a task handle out of the run
fn a_runner_closed_after_running_cancels_its_tasks_then_refuses() {
    let mut runner = wasio::Runner::simulated();
    let t = runner.run(async {
        spawn(async {
            sleep(Duration::from_secs(5)).await;
        })
    });
    assert_eq!(runner.close(), 1);
    assert!(t.is_cancelled());
    assert_eq!(runner.try_run(async { 1 }), Err(wasio::RunError::Closed));
    #[cfg(not(target_arch = "wasm32"))] // needs unwinding
    {
        let panicked =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| runner.run(async {})));
        let msg = panicked.unwrap_err();
        assert_eq!(
            msg.downcast_ref::<String>().map(String::as_str),
            Some("Runner is closed")
        );
    }
    drop(runner);
    assert_eq!(wasio::try_run(async { 2 }), Ok(2), "a new runner runs");
}

// ----- run_coroutine_threadsafe: LoopHandle::spawn_threadsafe's handle --------------------------

/// Sets an atomic flag when dropped (a `Send` drop witness).
struct SendDropFlag(std::sync::Arc<std::sync::atomic::AtomicBool>);
impl Drop for SendDropFlag {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

sim_test! {
    async fn a_threadsafe_task_can_be_awaited_cancelled_and_refuses_to_block_its_own_loop() {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::Arc;
        let h = wasio::LoopHandle::current();
        // Awaited on its own loop.
        let t = h.spawn_threadsafe(async {
            sleep(Duration::from_secs(1)).await;
            7
        }).unwrap();
        assert!(!t.is_done());
        assert_eq!(t.await.unwrap(), 7);

        // Blocking on the loop's own thread would hang: a typed error, and the task runs on.
        let t = h.spawn_threadsafe(async { 8 }).unwrap();
        assert!(t.join().unwrap_err().is_would_block_loop());
        let t = h.spawn_threadsafe(async { 9 }).unwrap();
        sleep(Duration::from_millis(1)).await;
        assert!(t.is_done());
        assert_eq!(t.join().unwrap(), 9, "once it has ended, join returns at once");

        // Cancelled through the handle: the future is dropped on the loop, the outcome says so.
        let dropped = Arc::new(AtomicBool::new(false));
        let flag = SendDropFlag(dropped.clone());
        let t = h.spawn_threadsafe(async move {
            let _flag = flag;
            sleep(Duration::from_secs(60)).await;
        }).unwrap();
        sleep(Duration::from_secs(1)).await; // it runs and waits
        assert_eq!(wasio::task_count(), 1);
        assert!(t.cancel());
        assert!(!t.cancel(), "already requested");
        let t0 = Instant::now();
        assert!(t.await.unwrap_err().is_cancelled());
        assert_eq!(t0.elapsed(), Duration::ZERO, "cancelled at the next turn, not at 60 s");
        assert!(dropped.load(Ordering::SeqCst));
        assert_eq!(wasio::task_count(), 0);

        // A zero timeout cancels a task that has not ended.
        let t = h.spawn_threadsafe(std::future::pending::<()>()).unwrap();
        sleep(Duration::from_millis(1)).await;
        // (On the loop's own thread the outcome so far is the "would block" error, not a timeout.)
        assert!(t.join_timeout(Duration::ZERO).unwrap().unwrap_err().is_would_block_loop());
    }
}

#[cfg(not(any(target_os = "wasi", all(target_arch = "wasm32", target_os = "unknown"))))]
mod threadsafe_threads {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{mpsc, Arc};

    /// Runs a loop on its own thread until `stop` is sent, handing out its handle.
    fn loop_thread() -> (
        wasio::LoopHandle,
        futures_channel::oneshot::Sender<()>,
        std::thread::JoinHandle<()>,
    ) {
        let (tx, rx) = mpsc::channel();
        let (stop_tx, stop_rx) = futures_channel::oneshot::channel::<()>();
        let th = std::thread::spawn(move || {
            wasio::run(async move {
                tx.send(wasio::LoopHandle::current()).unwrap();
                let _ = stop_rx.await; // the loop parks until another thread says stop
            })
        });
        (rx.recv().unwrap(), stop_tx, th)
    }

    #[test]
    fn another_thread_blocks_on_the_result() {
        let (h, stop, th) = loop_thread();
        let t = h
            .spawn_threadsafe(async {
                sleep(Duration::from_millis(2)).await;
                "done"
            })
            .unwrap();
        assert_eq!(t.join().unwrap(), "done");
        let t = h.spawn_threadsafe(async { 5 }).unwrap();
        assert_eq!(t.join_timeout(Duration::from_secs(60)).unwrap().unwrap(), 5);
        stop.send(()).unwrap();
        th.join().unwrap();
    }

    #[test]
    fn a_timeout_while_blocking_cancels_the_task_on_its_loop() {
        let (h, stop, th) = loop_thread();
        let dropped = Arc::new(AtomicBool::new(false));
        let (on_loop, seen) = mpsc::channel();
        let flag = SendDropFlag(dropped.clone());
        let t = h
            .spawn_threadsafe(async move {
                let _flag = flag;
                on_loop.send(()).unwrap();
                std::future::pending::<()>().await
            })
            .unwrap();
        seen.recv().unwrap(); // it runs on the loop
        let probe = h.spawn_threadsafe(async { wasio::task_count() }).unwrap();
        assert_eq!(probe.join().unwrap(), 2, "the pending task and the probe");
        assert!(t.join_timeout(Duration::ZERO).is_err());
        // The cancellation reached the loop: the future was dropped there.
        let probe = h.spawn_threadsafe(async { wasio::task_count() }).unwrap();
        assert_eq!(probe.join().unwrap(), 1, "only the probe is left");
        assert!(dropped.load(Ordering::SeqCst));
        stop.send(()).unwrap();
        th.join().unwrap();
    }

    #[test]
    fn cancel_from_another_thread_wakes_a_blocked_joiner_and_a_closing_loop_cancels() {
        let (h, stop, th) = loop_thread();
        let (on_loop, seen) = mpsc::channel();
        let t = Arc::new(
            h.spawn_threadsafe(async move {
                on_loop.send(()).unwrap();
                std::future::pending::<()>().await
            })
            .unwrap(),
        );
        seen.recv().unwrap();
        let canceller = std::thread::spawn({
            let t = t.clone();
            move || t.cancel()
        });
        assert!(canceller.join().unwrap());
        let t = Arc::try_unwrap(t).unwrap();
        assert!(t.join().unwrap_err().is_cancelled());

        // A task still running when its loop closes: the blocked joiner learns it was cancelled.
        let t = h.spawn_threadsafe(std::future::pending::<()>()).unwrap();
        let joiner = std::thread::spawn(move || t.join());
        stop.send(()).unwrap();
        th.join().unwrap();
        assert!(joiner.join().unwrap().unwrap_err().is_cancelled());
        assert_eq!(
            h.spawn_threadsafe(async {}).unwrap_err(),
            wasio::task::LoopClosed,
            "the loop's thread has ended"
        );
    }
}
