//! The trace: every event's loop time (virtual on the simulated clock), what a pending task waits
//! on, and which task woke which. Exact event sequences, on every host.

mod common;
use common::sim_test;

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use wasio::queue::Queue;
use wasio::sync::{Barrier, Condition, Event, Lock, Semaphore};
use wasio::trace::{self, EventKind, WaitReason};
use wasio::{sleep, spawn, spawn_named, yield_now, TaskId};

/// Records every event from now until `stop`.
struct Recorder(Rc<RefCell<Vec<trace::Event>>>);

impl Recorder {
    fn start() -> Recorder {
        let events = Rc::new(RefCell::new(Vec::new()));
        let sink = events.clone();
        trace::set_subscriber(move |e| sink.borrow_mut().push(e.clone()));
        Recorder(events)
    }

    /// Stops recording and returns the events as lines `"<ms> <kind> <task> [by <task>] [on <reason>]"`,
    /// tasks by the names given (timer events show their deadline in ms).
    fn stop(self, names: &[(TaskId, &str)]) -> Vec<String> {
        trace::clear_subscriber();
        let name = |id: TaskId| {
            names
                .iter()
                .find(|(t, _)| *t == id)
                .map_or_else(|| format!("#{id}"), |(_, n)| n.to_string())
        };
        let by = |b: Option<TaskId>| b.map_or_else(String::new, |b| format!(" by {}", name(b)));
        let ms = |t: wasio::Instant| t.since_origin().as_millis();
        self.0
            .borrow()
            .iter()
            .map(|e| {
                let rest = match &e.kind {
                    EventKind::Spawn { task, by: b, .. } | EventKind::Wake { task, by: b } => {
                        format!("{}{}", name(*task), by(*b))
                    }
                    EventKind::PollEnd {
                        task,
                        ready,
                        reason,
                    } => format!(
                        "{}{}{}",
                        name(*task),
                        if *ready { " ready" } else { "" },
                        reason.map_or_else(String::new, |r| format!(" on {}", r.name()))
                    ),
                    EventKind::TimerArmed { deadline } | EventKind::TimerFired { deadline } => {
                        format!("{}", ms(*deadline))
                    }
                    other => name(other.task().expect("a task event")),
                };
                format!("{} {} {}", ms(e.time), e.kind.name(), rest)
            })
            .collect()
    }
}

/// The reasons task `id` reported at the end of its pending polls, in order.
fn reasons_of(events: &[trace::Event], id: TaskId) -> Vec<Option<WaitReason>> {
    events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::PollEnd {
                task,
                ready: false,
                reason,
            } if task == id => Some(reason),
            _ => None,
        })
        .collect()
}

sim_test! {
    async fn a_producer_and_consumer_trace_times_reasons_and_wakers_exactly() {
        let rec = Recorder::start();
        let q = Rc::new(Queue::new(1));
        let (qp, qc) = (q.clone(), q.clone());
        let consumer = spawn_named("consumer", async move {
            let a: u32 = qc.get().await.unwrap();
            let b = qc.get().await.unwrap();
            a + b
        });
        let producer = spawn_named("producer", async move {
            sleep(Duration::from_millis(10)).await;
            qp.put(1).await.unwrap();
            qp.put(2).await.unwrap();
            qp.put(3).await.unwrap();
            qp.put(4).await.unwrap(); // the queue stays full: cancelled while it waits
        });
        let (c, p) = (consumer.id(), producer.id());
        assert_eq!(consumer.await.unwrap(), 3);
        sleep(Duration::from_millis(5)).await;
        producer.cancel();
        let _ = producer.await;
        let lines = rec.stop(&[(c, "consumer"), (p, "producer")]);
        assert_eq!(
            lines,
            [
                "0 spawn consumer",
                "0 wake consumer",
                "0 spawn producer",
                "0 wake producer",
                "0 poll_begin consumer",
                "0 poll_end consumer on queue_get",
                "0 poll_begin producer",
                "0 timer_armed 10",
                "0 poll_end producer on sleep",
                "10 timer_fired 10",
                "10 wake producer",
                "10 poll_begin producer",
                // put(1) goes straight to the waiting consumer, which holds the one slot until it
                // runs; put(2) waits for room.
                "10 wake consumer by producer",
                "10 poll_end producer on queue_put",
                // The consumer takes 1, which makes room for put(2), and waits for its next item.
                "10 poll_begin consumer",
                "10 wake producer by consumer",
                "10 poll_end consumer on queue_get",
                // put(2) hands its item over; put(3) waits.
                "10 poll_begin producer",
                "10 wake consumer by producer",
                "10 poll_end producer on queue_put",
                // The consumer takes 2 (room for 3) and ends; nobody it wakes is a task.
                "10 poll_begin consumer",
                "10 wake producer by consumer",
                "10 poll_end consumer ready",
                "10 complete consumer",
                // put(3) fills the slot; put(4) waits until it is cancelled.
                "10 poll_begin producer",
                "10 poll_end producer on queue_put",
                "10 timer_armed 15",
                "15 timer_fired 15",
                "15 cancel_requested producer",
                "15 wake producer",
                "15 poll_begin producer",
                "15 poll_end producer ready",
                "15 cancelled producer",
            ]
        );
    }
}

sim_test! {
    async fn a_wake_names_the_task_that_was_running_and_none_for_timers() {
        let rec = Recorder::start();
        let event = Rc::new(Event::new());
        let (e1, e2) = (event.clone(), event.clone());
        let waiter = spawn(async move { e1.wait().await });
        let setter = spawn(async move {
            sleep(Duration::from_millis(3)).await;
            e2.set();
        });
        let (w, s) = (waiter.id(), setter.id());
        waiter.await.unwrap();
        setter.await.unwrap();
        let lines = rec.stop(&[(w, "waiter"), (s, "setter")]);
        assert_eq!(
            lines,
            [
                "0 spawn waiter",
                "0 wake waiter",
                "0 spawn setter",
                "0 wake setter",
                "0 poll_begin waiter",
                "0 poll_end waiter on event",
                "0 poll_begin setter",
                "0 timer_armed 3",
                "0 poll_end setter on sleep",
                "3 timer_fired 3",
                "3 wake setter",
                "3 poll_begin setter",
                "3 wake waiter by setter",
                "3 poll_end setter ready",
                "3 complete setter",
                "3 poll_begin waiter",
                "3 poll_end waiter ready",
                "3 complete waiter",
            ]
        );
    }
}

sim_test! {
    async fn spawning_and_finishing_inside_a_task_name_that_task() {
        let rec = Recorder::start();
        let parent = spawn(async {
            let child = spawn_named("child", async { yield_now().await });
            let id = child.id();
            child.await.unwrap();
            id
        });
        let p = parent.id();
        let c = parent.await.unwrap();
        let lines = rec.stop(&[(p, "parent"), (c, "child")]);
        assert_eq!(
            lines,
            [
                "0 spawn parent",
                "0 wake parent",
                "0 poll_begin parent",
                "0 spawn child by parent",
                "0 wake child by parent",
                "0 poll_end parent on task",
                "0 poll_begin child",
                "0 wake child by child",
                "0 poll_end child on yield",
                "0 poll_begin child",
                "0 wake parent by child",
                "0 poll_end child ready",
                "0 complete child",
                "0 poll_begin parent",
                "0 poll_end parent ready",
                "0 complete parent",
            ]
        );
    }
}

sim_test! {
    async fn names_travel_with_spawn() {
        let rec = Recorder::start();
        let t = spawn_named("worker", async {});
        let id = t.id();
        t.await.unwrap();
        trace::clear_subscriber();
        let events = rec.0.borrow();
        assert_eq!(
            events[0].kind,
            EventKind::Spawn { task: id, name: Some("worker".into()), by: None }
        );
        assert_eq!(events[0].task(), Some(id));
    }
}

/// Spawns `blocked` (which must wait on something), lets it wait, runs `release`, and returns the
/// reasons its pending polls reported.
async fn reasons_while<B, R>(blocked: B, release: R) -> Vec<Option<WaitReason>>
where
    B: Future + 'static,
    R: Future,
{
    let rec = Recorder::start();
    let t = spawn(blocked);
    let id = t.id();
    sleep(Duration::from_millis(1)).await; // it runs and waits
    release.await;
    let _ = t.await;
    trace::clear_subscriber();
    let events = rec.0.borrow();
    reasons_of(&events, id)
}

sim_test! {
    async fn every_primitive_says_what_it_waits_on() {
        use WaitReason as W;

        let lock = Rc::new(Lock::new());
        let guard = lock.acquire().await;
        let l = lock.clone();
        let got = reasons_while(async move { let _g = l.acquire().await; }, async { drop(guard) }).await;
        assert_eq!(got, [Some(W::Lock)]);

        let sem = Rc::new(Semaphore::new(0));
        let s = sem.clone();
        let got = reasons_while(async move { s.acquire().await.forget(); }, async { sem.release() }).await;
        assert_eq!(got, [Some(W::Semaphore)]);

        let ev = Rc::new(Event::new());
        let e = ev.clone();
        let got = reasons_while(async move { e.wait().await }, async { ev.set() }).await;
        assert_eq!(got, [Some(W::Event)]);

        let cond = Rc::new(Condition::new(()));
        let c = cond.clone();
        let held = cond.clone();
        let got = reasons_while(
            async move {
                let g = c.lock().await;
                drop(c.wait(g).await);
            },
            async move {
                // Hold the lock while notifying: the woken waiter then waits to re-lock.
                let g = held.lock().await;
                held.notify(1);
                yield_now().await;
                drop(g);
            },
        )
        .await;
        assert_eq!(got, [Some(W::Condition), Some(W::Lock)]);

        let barrier = Rc::new(Barrier::new(2).unwrap());
        let b = barrier.clone();
        let got = reasons_while(async move { b.wait().await.unwrap(); }, async move {
            barrier.wait().await.unwrap();
        })
        .await;
        assert_eq!(got, [Some(W::Barrier)]);

        let q: Rc<Queue<u8>> = Rc::new(Queue::new(1));
        let q1 = q.clone();
        let got = reasons_while(async move { q1.get().await.unwrap(); }, async { q.put(1).await.unwrap() }).await;
        assert_eq!(got, [Some(W::QueueGet)]);

        q.put_nowait(1).unwrap();
        let q1 = q.clone();
        let got = reasons_while(async move { q1.put(2).await.unwrap(); }, async { q.get().await.unwrap(); }).await;
        assert_eq!(got, [Some(W::QueuePut)]);

        let q: Rc<Queue<u8>> = Rc::new(Queue::new(0));
        q.put_nowait(1).unwrap();
        let q1 = q.clone();
        let got = reasons_while(async move { q1.join().await }, async {
            q.get().await.unwrap();
            q.task_done().unwrap();
        })
        .await;
        assert_eq!(got, [Some(W::QueueJoin)]);

        let got = reasons_while(async { sleep(Duration::from_millis(5)).await }, async {}).await;
        assert_eq!(got, [Some(W::Sleep)]);

        let got = reasons_while(async { yield_now().await }, async {}).await;
        assert_eq!(got, [Some(W::Yield)]);

        let got = reasons_while(
            async { spawn(sleep(Duration::from_millis(5))).await.unwrap() },
            async {},
        )
        .await;
        assert_eq!(got, [Some(W::Task)]);

        let got = reasons_while(
            async {
                let a = spawn(sleep(Duration::from_millis(5)));
                let b = spawn(sleep(Duration::from_millis(7)));
                let (a, b) = wasio::gather((a, b)).await;
                a.unwrap();
                b.unwrap();
            },
            async {},
        )
        .await;
        assert_eq!(got, [Some(W::Task), Some(W::Task)]);

        let got = reasons_while(
            async {
                let group = wasio::TaskGroup::<()>::new();
                group.spawn(async { sleep(Duration::from_millis(5)).await; Ok(()) });
                group.join().await.unwrap();
            },
            async {},
        )
        .await;
        assert_eq!(got, [Some(W::Task)]);

        // A future from elsewhere says nothing, and no reason leaks from an earlier poll.
        let got = reasons_while(
            async {
                let mut first = true;
                std::future::poll_fn(|cx| {
                    if std::mem::take(&mut first) {
                        cx.waker().wake_by_ref();
                        return std::task::Poll::Pending;
                    }
                    std::task::Poll::Ready(())
                })
                .await
            },
            async {},
        )
        .await;
        assert_eq!(got, [None]);
    }
}

sim_test! {
    async fn a_timeout_reports_what_it_wraps_not_its_timer() {
        let q: Rc<Queue<u8>> = Rc::new(Queue::new(0));
        let q1 = q.clone();
        let got = reasons_while(
            async move { wasio::timeout(Duration::from_secs(1), q1.get()).await.unwrap().unwrap() },
            async { q.put_nowait(1).unwrap() },
        )
        .await;
        assert_eq!(got, [Some(WaitReason::QueueGet)]);
        let got = reasons_while(
            async { wasio::timeout(Duration::from_millis(3), std::future::pending::<()>()).await.unwrap_err() },
            async {},
        )
        .await;
        assert_eq!(got, [Some(WaitReason::Sleep)]);
    }
}

sim_test! {
    async fn streams_say_read_write_and_accept() {
        use wasio::net::{open_connection, start_server};
        const N: usize = 1 << 20;
        let rec = Recorder::start();
        let server = start_server(
            |mut r, mut w| async move {
                let data = r.readexactly(N).await.unwrap();
                w.write(format!("{}\n", data.len()).as_bytes()).unwrap();
                w.drain().await.unwrap();
            },
            "mem://trace-echo",
        )
        .await
        .unwrap();
        let client = spawn(async {
            let (mut r, mut w) = open_connection("mem://trace-echo").await.unwrap();
            sleep(Duration::from_millis(2)).await; // the handler now waits to read
            w.write(&vec![7; N]).unwrap();
            w.drain().await.unwrap(); // more than the stream holds: waits for the handler
            r.readline().await.unwrap()
        });
        let c = client.id();
        assert_eq!(client.await.unwrap(), format!("{N}\n").as_bytes());
        server.close();
        server.wait_closed().await;
        trace::clear_subscriber();
        let events = rec.0.borrow();
        let all: Vec<WaitReason> = events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::PollEnd { reason, .. } => reason,
                _ => None,
            })
            .collect();
        assert!(all.contains(&WaitReason::Accept), "{all:?}");
        let mine: Vec<WaitReason> = reasons_of(&events, c).into_iter().map(Option::unwrap).collect();
        assert_eq!(mine.first(), Some(&WaitReason::Sleep), "{mine:?}");
        assert!(mine.contains(&WaitReason::Write), "{mine:?}");
        assert!(
            mine.iter().all(|r| matches!(r, WaitReason::Sleep | WaitReason::Write | WaitReason::Read)),
            "{mine:?}"
        );
        // The handler waited to read the megabyte.
        assert!(all.contains(&WaitReason::Read), "{all:?}");
    }
}

/// Awaiting a JS promise is a wait on `Promise` (in Node and in Chromium).
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
#[wasm_bindgen_test::wasm_bindgen_test]
async fn a_js_promise_wait_says_promise() {
    use wasio::browser::JsPromise;
    let got = wasio::testing::simulate(reasons_while(
        async {
            let p = js_sys::Promise::resolve(&wasm_bindgen::JsValue::from(1));
            JsPromise::from(p).await.unwrap();
        },
        async {},
    ))
    .await;
    assert_eq!(got, [Some(WaitReason::Promise)]);
}

sim_test! {
    async fn a_connect_that_waits_for_the_backlog_says_connect() {
        use wasio::net::{open_connection, start_server};
        // The in-memory listener queues at most 128 unaccepted connections: a task that opens
        // 129 without yielding waits on the 129th until the server's accept loop runs.
        let server = start_server(|_r, _w| async {}, "mem://trace-backlog").await.unwrap();
        let rec = Recorder::start();
        let client = spawn(async {
            let mut conns = Vec::new();
            for _ in 0..129 {
                conns.push(open_connection("mem://trace-backlog").await.unwrap());
            }
            conns.len()
        });
        let id = client.id();
        assert_eq!(client.await.unwrap(), 129);
        trace::clear_subscriber();
        assert_eq!(reasons_of(&rec.0.borrow(), id), [Some(WaitReason::Connect)]);
        server.close();
    }
}

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
#[wasm_bindgen_test::wasm_bindgen_test]
async fn subscribe_trace_hands_js_each_event_as_kind_task_detail_time_by() {
    use js_sys::{Array, Function};
    use wasm_bindgen::{JsCast, JsValue};
    let log = Array::new();
    let push = Function::new_with_args("k, t, d, time, by", "this.push([k, t, d, time, by])");
    wasio::browser::subscribe_trace(push.bind0(&log));
    let (child, parent) = wasio::testing::simulate(async {
        let parent = wasio::current_task().map(|t| t.id());
        let child = spawn_named("child", yield_now());
        let id = child.id();
        child.await.unwrap();
        (id, parent)
    })
    .await;
    trace::clear_subscriber();
    let id = child.as_u64() as f64;
    let rows: Vec<Array> = log.iter().map(|r| r.unchecked_into()).collect();
    let of_child: Vec<(f64, JsValue)> = rows
        .iter()
        .filter(|r| r.get(1).as_f64() == Some(id))
        .map(|r| (r.get(0).as_f64().unwrap(), r.get(2)))
        .collect();
    // spawn (named), its polls: pending on yield, then the poll that ended it, and complete.
    let kinds: Vec<f64> = of_child.iter().map(|(k, _)| *k).collect();
    assert_eq!(kinds.first(), Some(&0.0), "spawn first: {kinds:?}");
    assert_eq!(of_child[0].1.as_string().as_deref(), Some("child"));
    assert!(of_child
        .iter()
        .any(|(k, d)| *k == 3.0 && d.as_string().as_deref() == Some("yield")));
    assert!(of_child
        .iter()
        .any(|(k, d)| *k == 3.0 && *d == JsValue::TRUE));
    assert_eq!(kinds.last(), Some(&4.0), "complete last: {kinds:?}");
    // The spawn names the task that spawned it (the simulated run's own task), or -1 if none.
    let spawn = rows
        .iter()
        .find(|r| r.get(0).as_f64() == Some(0.0) && r.get(1).as_f64() == Some(id));
    let by = spawn.unwrap().get(4).as_f64().unwrap();
    assert_eq!(by, parent.map_or(-1.0, |p| p.as_u64() as f64));
    // Times are loop milliseconds: numbers, never decreasing.
    let times: Vec<f64> = rows.iter().map(|r| r.get(3).as_f64().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
}
