//! Event: set wakes every current waiter (in order), set-then-clear still releases them, later
//! waiters block after clear, cancelled waiters leave the list.

mod common;
mod sync_support;
use common::sim_test;
use sync_support::{settle, Log};

use wasio::spawn;
use wasio::sync::Event;

fn waiter(ev: &Event, log: &Log, name: &'static str) -> wasio::Task<()> {
    let (ev, log) = (ev.clone(), log.clone());
    spawn(async move {
        ev.wait().await;
        log.push(name);
    })
}

sim_test! {
    async fn set_wakes_every_current_waiter_in_order() {
        let ev = Event::new();
        let log = Log::default();
        let tasks = [waiter(&ev, &log, "a"), waiter(&ev, &log, "b"), waiter(&ev, &log, "c")];
        settle().await;
        assert_eq!(ev.waiting(), 3);
        assert!(log.take().is_empty());
        ev.set();
        assert_eq!(ev.waiting(), 0);
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(log.take(), ["a", "b", "c"]);
    }
}

sim_test! {
    async fn a_waiter_woken_by_set_then_clear_still_returns() {
        let ev = Event::new();
        let log = Log::default();
        let a = waiter(&ev, &log, "a");
        settle().await;
        ev.set();
        ev.clear(); // before `a` runs
        assert!(!ev.is_set());
        let late = waiter(&ev, &log, "late");
        a.await.unwrap();
        settle().await;
        assert_eq!(log.take(), ["a"]);
        assert_eq!(ev.waiting(), 1, "a waiter arriving after clear blocks");
        ev.set();
        late.await.unwrap();
        assert_eq!(log.take(), ["late"]);
    }
}

sim_test! {
    async fn wait_on_a_set_event_returns_at_once() {
        let ev = Event::new();
        ev.set();
        ev.set(); // idempotent
        ev.wait().await;
        assert!(ev.is_set());
        assert_eq!(ev.waiting(), 0);
    }
}

sim_test! {
    async fn cancelled_waiters_leave_the_list() {
        let ev = Event::new();
        let log = Log::default();
        let a = waiter(&ev, &log, "a");
        let b = waiter(&ev, &log, "b");
        let c = waiter(&ev, &log, "c");
        settle().await;
        b.cancel();
        settle().await;
        assert_eq!(ev.waiting(), 2);
        ev.set();
        c.cancel(); // woken, then cancelled before it runs: `a` is unaffected
        a.await.unwrap();
        assert!(c.await.unwrap_err().is_cancelled());
        assert!(b.await.unwrap_err().is_cancelled());
        assert_eq!(log.take(), ["a"]);
        assert_eq!(ev.waiting(), 0);
    }
}
