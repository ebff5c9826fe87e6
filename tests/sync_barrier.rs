//! Barrier: 0 parties is an error, distinct indices in arrival order, nobody passes early, reuse,
//! reset and abort break the waiters, cancelled waiters stop counting.

mod common;
mod sync_support;
use common::sim_test;
use sync_support::{settle, Log};

use wasio::spawn;
use wasio::sync::{Barrier, BrokenBarrier, ZeroParties};

fn party(b: &Barrier, log: &Log, name: &'static str) -> wasio::Task<Result<usize, BrokenBarrier>> {
    let (b, log) = (b.clone(), log.clone());
    spawn(async move {
        log.push(format!("{name} arrives"));
        let r = b.wait().await;
        log.push(format!("{name} passes"));
        r
    })
}

sim_test! {
    async fn zero_parties_is_an_error() {
        assert_eq!(Barrier::new(0).unwrap_err(), ZeroParties);
    }
}

sim_test! {
    async fn nobody_passes_before_the_last_party_and_indices_are_distinct() {
        let b = Barrier::new(3).unwrap();
        let log = Log::default();
        let x = party(&b, &log, "x");
        let y = party(&b, &log, "y");
        settle().await;
        assert_eq!(log.take(), ["x arrives", "y arrives"]);
        assert_eq!(b.n_waiting(), 2);
        let z = party(&b, &log, "z");
        assert_eq!(z.await.unwrap(), Ok(2));
        assert_eq!(x.await.unwrap(), Ok(0));
        assert_eq!(y.await.unwrap(), Ok(1));
        assert_eq!(log.take(), ["z arrives", "z passes", "x passes", "y passes"]);
        assert_eq!(b.n_waiting(), 0);
    }
}

sim_test! {
    async fn the_barrier_is_reusable_round_after_round() {
        let b = Barrier::new(2).unwrap();
        let log = Log::default();
        for _ in 0..3 {
            let first = party(&b, &log, "first");
            settle().await;
            let second = party(&b, &log, "second");
            assert_eq!((first.await.unwrap(), second.await.unwrap()), (Ok(0), Ok(1)));
        }
    }
}

sim_test! {
    async fn reset_breaks_the_waiters_and_leaves_the_barrier_usable() {
        let b = Barrier::new(3).unwrap();
        let log = Log::default();
        let x = party(&b, &log, "x");
        let y = party(&b, &log, "y");
        settle().await;
        b.reset();
        assert!(!b.broken());
        assert_eq!(x.await.unwrap(), Err(BrokenBarrier));
        assert_eq!(y.await.unwrap(), Err(BrokenBarrier));
        let tasks = [party(&b, &log, "a"), party(&b, &log, "b"), party(&b, &log, "c")];
        let mut got = Vec::new();
        for t in tasks {
            got.push(t.await.unwrap());
        }
        assert_eq!(got, [Ok(0), Ok(1), Ok(2)]);
    }
}

sim_test! {
    async fn abort_breaks_current_and_later_waits_until_reset() {
        let b = Barrier::new(2).unwrap();
        let log = Log::default();
        let x = party(&b, &log, "x");
        settle().await;
        b.abort();
        assert!(b.broken());
        assert_eq!(x.await.unwrap(), Err(BrokenBarrier));
        assert_eq!(b.wait().await, Err(BrokenBarrier));
        assert_eq!(b.n_waiting(), 0);
        b.reset();
        let y = party(&b, &log, "y");
        settle().await;
        assert_eq!(b.wait().await, Ok(1));
        assert_eq!(y.await.unwrap(), Ok(0));
    }
}

sim_test! {
    async fn a_cancelled_waiter_no_longer_counts() {
        let b = Barrier::new(3).unwrap();
        let log = Log::default();
        let x = party(&b, &log, "x");
        let y = party(&b, &log, "y");
        settle().await;
        x.cancel();
        settle().await;
        assert_eq!(b.n_waiting(), 1);
        let z = party(&b, &log, "z");
        settle().await;
        assert_eq!(b.n_waiting(), 2, "only y and z wait: x no longer counts");
        let w = party(&b, &log, "w");
        assert_eq!(w.await.unwrap(), Ok(2));
        assert_eq!(y.await.unwrap(), Ok(0));
        assert_eq!(z.await.unwrap(), Ok(1));
        assert!(x.await.unwrap_err().is_cancelled());
    }
}
