//! Queue put/get that wait: FIFO service of getters and putters, no barging by nowait calls,
//! cancellation before and after a promise loses and duplicates nothing.

mod common;
mod sync_support;
use common::sim_test;
use sync_support::{settle, Log};

use wasio::queue::{Queue, TryGetError, TryPutError};
use wasio::spawn;

fn getter(q: &Queue<i32>, log: &Log, name: &'static str) -> wasio::Task<i32> {
    let (q, log) = (q.clone(), log.clone());
    spawn(async move {
        let item = q.get().await.unwrap();
        log.push(format!("{name} got {item}"));
        item
    })
}

fn putter(q: &Queue<i32>, log: &Log, name: &'static str, item: i32) -> wasio::Task<()> {
    let (q, log) = (q.clone(), log.clone());
    spawn(async move {
        q.put(item).await.unwrap();
        log.push(format!("{name} put {item}"));
    })
}

sim_test! {
    async fn getters_are_served_in_fifo_order() {
        let q = Queue::new(0);
        let log = Log::default();
        let g = [getter(&q, &log, "a"), getter(&q, &log, "b"), getter(&q, &log, "c")];
        settle().await;
        for i in 1..=3 {
            q.put_nowait(i).unwrap();
        }
        for t in g {
            t.await.unwrap();
        }
        assert_eq!(log.take(), ["a got 1", "b got 2", "c got 3"]);
    }
}

sim_test! {
    async fn putters_are_served_in_fifo_order() {
        let q = Queue::new(1);
        let log = Log::default();
        q.put_nowait(0).unwrap();
        let p = [putter(&q, &log, "a", 1), putter(&q, &log, "b", 2), putter(&q, &log, "c", 3)];
        settle().await;
        assert!(log.take().is_empty());
        let mut got = Vec::new();
        for _ in 0..4 {
            got.push(q.get().await.unwrap());
            settle().await;
        }
        assert_eq!(got, [0, 1, 2, 3]);
        assert_eq!(log.take(), ["a put 1", "b put 2", "c put 3"]);
        for t in p {
            t.await.unwrap();
        }
    }
}

sim_test! {
    async fn get_nowait_does_not_take_an_item_handed_to_a_waiting_getter() {
        let q = Queue::new(0);
        let log = Log::default();
        let a = getter(&q, &log, "a");
        settle().await;
        q.put_nowait(1).unwrap();
        assert_eq!(q.qsize(), 1);
        assert!(q.empty(), "the only item is handed to `a`");
        assert_eq!(q.get_nowait(), Err(TryGetError::Empty));
        q.put_nowait(2).unwrap();
        assert_eq!(q.get_nowait(), Ok(2), "a stored item is free");
        assert_eq!(a.await.unwrap(), 1);
    }
}

sim_test! {
    async fn put_nowait_does_not_take_a_slot_promised_to_a_waiting_putter() {
        let q = Queue::new(1);
        let log = Log::default();
        q.put_nowait(0).unwrap();
        let a = putter(&q, &log, "a", 1);
        settle().await;
        assert_eq!(q.get_nowait(), Ok(0));
        assert_eq!(q.qsize(), 0);
        assert!(q.full(), "the free slot is promised");
        assert_eq!(q.put_nowait(9), Err(TryPutError::Full(9)));
        a.await.unwrap();
        assert_eq!(q.get_nowait(), Ok(1));
    }
}

sim_test! {
    async fn a_cancelled_get_consumes_no_item() {
        let q = Queue::new(0);
        let log = Log::default();
        let a = getter(&q, &log, "a");
        settle().await;
        a.cancel();
        settle().await;
        q.put_nowait(1).unwrap();
        assert_eq!(q.get_nowait(), Ok(1));
        assert!(log.take().is_empty());
    }
}

sim_test! {
    async fn a_get_cancelled_after_it_was_handed_an_item_passes_it_to_the_next_getter() {
        let q = Queue::new(0);
        let log = Log::default();
        let a = getter(&q, &log, "a");
        let b = getter(&q, &log, "b");
        let c = getter(&q, &log, "c");
        settle().await;
        q.put_nowait(1).unwrap(); // handed to `a`
        q.put_nowait(2).unwrap(); // handed to `b`
        a.cancel(); // before `a` runs: its item passes to the next waiting getter
        assert_eq!(b.await.unwrap(), 2);
        assert_eq!(c.await.unwrap(), 1);
        assert!(a.await.unwrap_err().is_cancelled());
        assert_eq!(log.take(), ["b got 2", "c got 1"]);
        assert_eq!(q.qsize(), 0);
    }
}

sim_test! {
    async fn an_item_handed_to_a_cancelled_sole_getter_stays_in_the_queue() {
        let q = Queue::new(0);
        let log = Log::default();
        let a = getter(&q, &log, "a");
        settle().await;
        q.put_nowait(1).unwrap();
        a.cancel();
        settle().await;
        assert!(!q.empty());
        assert_eq!(q.get_nowait(), Ok(1));
    }
}

sim_test! {
    async fn a_cancelled_put_inserts_nothing() {
        let q = Queue::new(1);
        let log = Log::default();
        q.put_nowait(0).unwrap();
        let a = putter(&q, &log, "a", 1);
        settle().await;
        a.cancel();
        settle().await;
        assert_eq!(q.get_nowait(), Ok(0));
        settle().await;
        assert_eq!(q.get_nowait(), Err(TryGetError::Empty));
        assert_eq!(q.unfinished_tasks(), 1);
        assert!(log.take().is_empty());
    }
}

sim_test! {
    async fn a_put_cancelled_after_its_promise_passes_the_slot_on() {
        let q = Queue::new(1);
        let log = Log::default();
        q.put_nowait(0).unwrap();
        let a = putter(&q, &log, "a", 1);
        let b = putter(&q, &log, "b", 2);
        settle().await;
        assert_eq!(q.get_nowait(), Ok(0)); // slot promised to `a`...
        a.cancel(); // ...cancelled before it runs
        b.await.unwrap();
        assert_eq!(log.take(), ["b put 2"]);
        assert_eq!(q.get_nowait(), Ok(2));
        assert_eq!(q.get_nowait(), Err(TryGetError::Empty));
        // Slot promised to a cancelled sole putter: back to free.
        q.put_nowait(3).unwrap();
        let c = putter(&q, &log, "c", 4);
        settle().await;
        assert_eq!(q.get_nowait(), Ok(3));
        c.cancel();
        settle().await;
        assert!(!q.full());
        q.put_nowait(5).unwrap();
        assert_eq!(q.get_nowait(), Ok(5));
    }
}

sim_test! {
    async fn ping_pong_between_two_tasks() {
        let ping = Queue::new(0);
        let pong = Queue::new(0);
        let echo = spawn({
            let (ping, pong) = (ping.clone(), pong.clone());
            async move {
                while let Ok(n) = ping.get().await {
                    pong.put(n * 2).await.unwrap();
                }
            }
        });
        for i in 0..100 {
            ping.put(i).await.unwrap();
            assert_eq!(pong.get().await, Ok(i * 2));
        }
        ping.shutdown(false);
        echo.await.unwrap();
    }
}

sim_test! {
    async fn an_item_handed_to_a_cancelled_getter_goes_back_where_it_was() {
        use wasio::queue::LifoQueue;
        let q = Queue::new(2);
        let log = Log::default();
        let a = getter(&q, &log, "a");
        settle().await;
        q.put_nowait(1).unwrap(); // handed to `a`: holds a slot
        q.put_nowait(2).unwrap();
        assert!(q.full(), "the handed item still takes a slot");
        a.cancel();
        settle().await;
        assert_eq!(q.qsize(), 2);
        assert_eq!(q.get_nowait(), Ok(1), "back at the front");
        assert_eq!(q.get_nowait(), Ok(2));

        let l = LifoQueue::new(0);
        let b = spawn({
            let l = l.clone();
            async move { l.get().await }
        });
        settle().await;
        l.put_nowait(1).unwrap(); // handed to `b`
        l.put_nowait(2).unwrap();
        b.cancel();
        settle().await;
        assert_eq!(l.get_nowait(), Ok(2));
        assert_eq!(l.get_nowait(), Ok(1), "back at the bottom");
    }
}

sim_test! {
    async fn a_put_polled_again_after_it_completed_stays_pending() {
        use std::future::Future;
        use std::task::{Context, Poll, Waker};
        let q = Queue::new(1);
        let mut put = q.put(1);
        let mut cx = Context::from_waker(Waker::noop());
        assert_eq!(std::pin::Pin::new(&mut put).poll(&mut cx), Poll::Ready(Ok(())));
        // Misuse, but no panic and no second item: it stays pending, as a fused future does.
        assert_eq!(std::pin::Pin::new(&mut put).poll(&mut cx), Poll::Pending);
        drop(put);
        assert_eq!((q.qsize(), q.get_nowait()), (1, Ok(1)));
    }
}
