//! Condition: notify(n) wakes the oldest n, notify_all wakes everyone, a notified waiter retakes
//! the lock in FIFO order with other lockers, a notification handed to a cancelled waiter passes
//! on, wait_for checks its predicate with the lock held.

mod common;
mod sync_support;
use common::sim_test;
use sync_support::{settle, Log};

use wasio::spawn;
use wasio::sync::Condition;

fn waiter(cond: &Condition<u32>, log: &Log, name: &'static str) -> wasio::Task<()> {
    let (cond, log) = (cond.clone(), log.clone());
    spawn(async move {
        let g = cond.lock().await;
        log.push(format!("{name} waits"));
        let mut g = cond.wait(g).await;
        *g += 1;
        log.push(format!("{name} woke"));
    })
}

sim_test! {
    async fn notify_wakes_the_oldest_waiters_first() {
        let cond = Condition::new(0);
        let log = Log::default();
        let tasks = [
            waiter(&cond, &log, "a"),
            waiter(&cond, &log, "b"),
            waiter(&cond, &log, "c"),
            waiter(&cond, &log, "d"),
        ];
        settle().await;
        assert_eq!(log.take(), ["a waits", "b waits", "c waits", "d waits"]);
        assert!(!cond.mutex().is_locked(), "waiting releases the lock");
        assert_eq!(cond.notify(1), 1);
        settle().await;
        assert_eq!(log.take(), ["a woke"]);
        assert_eq!(cond.notify(2), 2);
        settle().await;
        assert_eq!(log.take(), ["b woke", "c woke"]);
        assert_eq!(cond.notify(5), 1);
        settle().await;
        assert_eq!(log.take(), ["d woke"]);
        assert_eq!(cond.notify(1), 0);
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(*cond.lock().await, 4);
    }
}

sim_test! {
    async fn notify_all_wakes_every_waiter() {
        let cond = Condition::new(0);
        let log = Log::default();
        let tasks = [waiter(&cond, &log, "a"), waiter(&cond, &log, "b"), waiter(&cond, &log, "c")];
        settle().await;
        log.take();
        assert_eq!(cond.notify_all(), 3);
        assert_eq!(cond.waiting(), 0);
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(log.take(), ["a woke", "b woke", "c woke"]);
    }
}

sim_test! {
    async fn a_notified_waiter_queues_for_the_lock_behind_earlier_lockers() {
        let cond = Condition::new(0);
        let log = Log::default();
        let a = waiter(&cond, &log, "a");
        settle().await;
        let g = cond.lock().await;
        let locker = spawn({
            let (cond, log) = (cond.clone(), log.clone());
            async move {
                let _g = cond.lock().await;
                log.push("locker got");
            }
        });
        settle().await;
        cond.notify(1);
        drop(g); // handed to `locker`, which was waiting first
        a.await.unwrap();
        locker.await.unwrap();
        assert_eq!(log.take(), ["a waits", "locker got", "a woke"]);
    }
}

sim_test! {
    async fn a_notification_handed_to_a_cancelled_waiter_passes_on() {
        let cond = Condition::new(0);
        let log = Log::default();
        let a = waiter(&cond, &log, "a");
        let b = waiter(&cond, &log, "b");
        let c = waiter(&cond, &log, "c");
        settle().await;
        log.take();
        assert_eq!(cond.notify(1), 1); // to `a`...
        a.cancel(); // ...cancelled before it runs: `b` gets it, `c` does not
        settle().await;
        assert!(a.await.unwrap_err().is_cancelled());
        assert_eq!(log.take(), ["b woke"]);
        assert_eq!(cond.waiting(), 1);
        b.await.unwrap();
        c.cancel();
        settle().await;
        assert_eq!(cond.waiting(), 0);
        assert!(!cond.mutex().is_locked());
    }
}

sim_test! {
    async fn cancelled_while_retaking_the_lock_passes_the_lock_on() {
        let cond = Condition::new(0);
        let log = Log::default();
        let a = waiter(&cond, &log, "a");
        settle().await;
        let g = cond.lock().await;
        cond.notify(1);
        settle().await; // `a` took the notification and now waits for the lock
        let b = spawn({
            let (cond, log) = (cond.clone(), log.clone());
            async move {
                let _g = cond.lock().await;
                log.push("b got");
            }
        });
        settle().await;
        assert_eq!(cond.mutex().waiting(), 2);
        drop(g); // handed to `a`...
        a.cancel(); // ...which is cancelled before it runs
        b.await.unwrap();
        assert_eq!(log.take(), ["a waits", "b got"]);
        assert!(!cond.mutex().is_locked());
    }
}

sim_test! {
    async fn wait_for_rechecks_the_predicate_after_each_notification() {
        let cond = Condition::new(0);
        let log = Log::default();
        let t = spawn({
            let (cond, log) = (cond.clone(), log.clone());
            async move {
                let g = cond.lock().await;
                let g = cond
                    .wait_for(g, |n| {
                        log.push(format!("check {n}"));
                        *n >= 2
                    })
                    .await;
                *g
            }
        });
        for _ in 0..3 {
            settle().await;
            *cond.lock().await += 1;
            cond.notify_all();
        }
        assert_eq!(t.await.unwrap(), 2);
        assert_eq!(log.take(), ["check 0", "check 1", "check 2"]);
    }
}

sim_test! {
    async fn a_waiter_cancelled_while_retaking_the_lock_passes_its_notification_on() {
        // asyncio's test_cancelled_wakeup: `a` is notified, then cancelled while it queues for
        // the lock; its wake-up goes to `b`, which would otherwise wait for ever.
        let cond = Condition::new(0);
        let log = Log::default();
        let a = waiter(&cond, &log, "a");
        let b = waiter(&cond, &log, "b");
        settle().await;
        assert_eq!(log.take(), ["a waits", "b waits"]);
        let g = cond.lock().await;
        assert_eq!(cond.notify(1), 1); // to `a`, which then queues for the lock we hold
        settle().await;
        assert_eq!((cond.waiting(), cond.mutex().waiting()), (1, 1));
        a.cancel();
        settle().await;
        assert!(a.await.unwrap_err().is_cancelled());
        assert_eq!(cond.waiting(), 0, "the notification passed on to `b`");
        drop(g);
        b.await.unwrap();
        assert_eq!(log.take(), ["b woke"]);
        assert_eq!(*cond.lock().await, 1);
    }
}

// ----- LockCondition: asyncio's Condition(lock), the lock held without a guard -----

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasio::sync::{Lock, LockCondition, NotLocked};
use wasio::trace::{self, EventKind, WaitReason};

fn lock_waiter(cond: &LockCondition, log: &Log, name: &'static str) -> wasio::Task<()> {
    let (cond, log) = (cond.clone(), log.clone());
    spawn(async move {
        cond.acquire().await.forget();
        log.push(format!("{name} waits"));
        cond.wait().unwrap().await;
        assert!(cond.locked(), "{name} returns with the lock held");
        log.push(format!("{name} woke"));
        cond.release().unwrap();
    })
}

sim_test! {
    async fn lock_condition_wakes_the_oldest_waiters_first() {
        let cond = LockCondition::new();
        let log = Log::default();
        let tasks = [
            lock_waiter(&cond, &log, "a"),
            lock_waiter(&cond, &log, "b"),
            lock_waiter(&cond, &log, "c"),
            lock_waiter(&cond, &log, "d"),
        ];
        settle().await;
        assert_eq!(log.take(), ["a waits", "b waits", "c waits", "d waits"]);
        assert!(!cond.locked(), "waiting releases the lock");
        assert_eq!(cond.waiting(), 4);
        assert_eq!(cond.notify(1), 1);
        settle().await;
        assert_eq!(log.take(), ["a woke"]);
        assert_eq!(cond.notify(2), 2);
        settle().await;
        assert_eq!(log.take(), ["b woke", "c woke"]);
        assert_eq!(cond.notify_all(), 1);
        settle().await;
        assert_eq!(log.take(), ["d woke"]);
        assert_eq!(cond.notify(1), 0);
        for t in tasks {
            t.await.unwrap();
        }
        assert!(!cond.locked());
    }
}

sim_test! {
    async fn lock_condition_wait_without_the_lock_is_an_error_and_with_it_releases_it_at_once() {
        let cond = LockCondition::new();
        assert_eq!(cond.wait().err(), Some(NotLocked));
        assert_eq!(cond.wait_for(|| false).await, Err(NotLocked));
        assert_eq!(cond.waiting(), 0);
        assert!(!cond.locked());
        // `wait` itself joins the line and releases the lock; a wait dropped before its first
        // poll leaves both: the lock released, nobody in line.
        cond.acquire().await.forget();
        let w = cond.wait().unwrap();
        assert!(!cond.locked());
        assert_eq!(cond.waiting(), 1);
        drop(w);
        assert!(!cond.locked());
        assert_eq!(cond.waiting(), 0);
        assert_eq!(cond.release(), Err(NotLocked));
    }
}

sim_test! {
    async fn lock_condition_a_waiter_cancelled_while_retaking_the_lock_passes_its_notification_on() {
        // The lost-wake-up regression (issue 13 item 1, asyncio's test_cancelled_wakeup): `a` is
        // notified, then cancelled while it queues for the lock; its wake-up goes to `b`.
        let lock = Lock::new();
        let cond = LockCondition::with_lock(lock.clone());
        let log = Log::default();
        let a = lock_waiter(&cond, &log, "a");
        let b = lock_waiter(&cond, &log, "b");
        settle().await;
        assert_eq!(log.take(), ["a waits", "b waits"]);
        lock.acquire().await.forget();
        assert_eq!(cond.notify(1), 1); // to `a`, which then queues for the lock we hold
        settle().await;
        assert_eq!((cond.waiting(), lock.waiting()), (1, 1));
        a.cancel();
        settle().await;
        assert!(a.await.unwrap_err().is_cancelled());
        assert_eq!(cond.waiting(), 0, "the notification passed on to `b`");
        assert_eq!(lock.waiting(), 1, "`a` left the lock's line, `b` joined it");
        lock.release().unwrap();
        b.await.unwrap();
        assert_eq!(log.take(), ["b woke"]);
        assert!(!lock.locked(), "the cancelled `a` left the lock released");
    }
}

sim_test! {
    async fn lock_condition_a_notification_handed_to_a_cancelled_waiter_passes_on() {
        let cond = LockCondition::new();
        let log = Log::default();
        let a = lock_waiter(&cond, &log, "a");
        let b = lock_waiter(&cond, &log, "b");
        let c = lock_waiter(&cond, &log, "c");
        settle().await;
        log.take();
        assert_eq!(cond.notify(1), 1); // to `a`...
        a.cancel(); // ...cancelled before it runs: `b` gets it, `c` does not
        settle().await;
        assert!(a.await.unwrap_err().is_cancelled());
        assert_eq!(log.take(), ["b woke"]);
        assert_eq!(cond.waiting(), 1);
        b.await.unwrap();
        c.cancel();
        settle().await;
        assert_eq!(cond.waiting(), 0);
        assert!(!cond.locked());
    }
}

sim_test! {
    async fn lock_condition_a_notified_waiter_queues_behind_earlier_lockers() {
        let cond = LockCondition::new();
        let log = Log::default();
        let a = lock_waiter(&cond, &log, "a");
        settle().await;
        cond.acquire().await.forget();
        let locker = spawn({
            let (cond, log) = (cond.clone(), log.clone());
            async move {
                cond.acquire().await.forget();
                log.push("locker got");
                cond.release().unwrap();
            }
        });
        settle().await;
        cond.notify(1);
        cond.release().unwrap(); // handed to `locker`, which was waiting first
        a.await.unwrap();
        locker.await.unwrap();
        assert_eq!(log.take(), ["a waits", "locker got", "a woke"]);
    }
}

sim_test! {
    async fn lock_condition_wait_for_rechecks_the_predicate_with_the_lock_held() {
        let cond = LockCondition::new();
        let n = Rc::new(Cell::new(0));
        let log = Log::default();
        let t = spawn({
            let (cond, n, log) = (cond.clone(), n.clone(), log.clone());
            async move {
                cond.acquire().await.forget();
                cond.wait_for(|| {
                    log.push(format!("check {} locked {}", n.get(), cond.locked()));
                    n.get() >= 2
                })
                .await
                .unwrap();
                cond.release().unwrap();
                n.get()
            }
        });
        for _ in 0..3 {
            settle().await;
            cond.acquire().await.forget();
            n.set(n.get() + 1);
            cond.notify_all();
            cond.release().unwrap();
        }
        assert_eq!(t.await.unwrap(), 2);
        assert_eq!(log.take(), ["check 0 locked true", "check 1 locked true", "check 2 locked true"]);
    }
}

sim_test! {
    async fn lock_condition_waits_are_traced_as_condition_then_lock() {
        let events = Rc::new(RefCell::new(Vec::new()));
        let sink = events.clone();
        trace::set_subscriber(move |e| sink.borrow_mut().push(e.clone()));
        let cond = LockCondition::new();
        let t = spawn({
            let cond = cond.clone();
            async move {
                cond.acquire().await.forget();
                cond.wait().unwrap().await;
                cond.release().unwrap();
            }
        });
        let id = t.id();
        settle().await;
        cond.acquire().await.forget(); // the woken waiter then waits to re-lock
        cond.notify(1);
        settle().await;
        cond.release().unwrap();
        t.await.unwrap();
        trace::clear_subscriber();
        let reasons: Vec<_> = events
            .borrow()
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::PollEnd { task, ready: false, reason } if task == id => Some(reason),
                _ => None,
            })
            .collect();
        assert_eq!(reasons, [Some(WaitReason::Condition), Some(WaitReason::Lock)]);
    }
}

sim_test! {
    async fn lock_condition_a_notified_wait_dropped_before_its_first_poll_passes_it_on() {
        let cond = LockCondition::new();
        cond.acquire().await.forget();
        let first = cond.wait().unwrap();
        cond.acquire().await.forget();
        let second = cond.wait().unwrap();
        assert_eq!(cond.waiting(), 2);
        assert_eq!(cond.notify(1), 1); // to `first`, never polled
        drop(first);
        assert_eq!(cond.waiting(), 0, "the notification passed on to `second`");
        second.await;
        assert!(cond.locked());
        cond.release().unwrap();
    }
}
