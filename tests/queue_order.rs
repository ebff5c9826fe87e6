//! Queue, LifoQueue and PriorityQueue without waiting: item order, Full/Empty errors, qsize,
//! empty/full, unbounded maxsize 0.

mod common;
mod sync_support;
use common::sim_test;

use wasio::queue::{LifoQueue, PriorityQueue, Queue, TryGetError, TryPutError};

sim_test! {
    async fn each_kind_returns_items_in_its_order() {
        let fifo = Queue::new(0);
        let lifo = LifoQueue::new(0);
        let prio = PriorityQueue::new(0);
        for i in [3, 1, 4, 1, 5, 9, 2, 6] {
            fifo.put(i).await.unwrap();
            lifo.put(i).await.unwrap();
            prio.put(i).await.unwrap();
        }
        let mut out = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..8 {
            out.0.push(fifo.get().await.unwrap());
            out.1.push(lifo.get().await.unwrap());
            out.2.push(prio.get().await.unwrap());
        }
        assert_eq!(out.0, [3, 1, 4, 1, 5, 9, 2, 6]);
        assert_eq!(out.1, [6, 2, 9, 5, 1, 4, 1, 3]);
        assert_eq!(out.2, [1, 1, 2, 3, 4, 5, 6, 9]);
    }
}

sim_test! {
    async fn nowait_errors_are_typed_and_give_the_item_back() {
        let q = Queue::new(2);
        assert_eq!(q.get_nowait(), Err(TryGetError::Empty));
        assert!(q.empty() && !q.full());
        q.put_nowait("a").unwrap();
        q.put_nowait("b").unwrap();
        assert!(q.full() && !q.empty());
        assert_eq!(q.qsize(), 2);
        assert_eq!(q.put_nowait("c"), Err(TryPutError::Full("c")));
        assert_eq!(q.put_nowait("c").unwrap_err().into_inner(), "c");
        assert_eq!(q.get_nowait(), Ok("a"));
        assert_eq!(q.qsize(), 1);
        q.put_nowait("c").unwrap();
        assert_eq!(q.get_nowait(), Ok("b"));
        assert_eq!(q.get_nowait(), Ok("c"));
        assert_eq!(q.get_nowait(), Err(TryGetError::Empty));
        assert_eq!(q.maxsize(), 2);
    }
}

sim_test! {
    async fn maxsize_zero_is_unbounded() {
        let q = Queue::new(0);
        for i in 0..10_000 {
            q.put_nowait(i).unwrap();
        }
        assert!(!q.full());
        assert_eq!(q.qsize(), 10_000);
        assert_eq!(q.unfinished_tasks(), 10_000);
    }
}

sim_test! {
    async fn an_item_put_while_a_getter_waits_goes_straight_to_it_in_every_order() {
        let q = PriorityQueue::new(0);
        let getter = wasio::spawn({
            let q = q.clone();
            async move { q.get().await.unwrap() }
        });
        sync_support::settle().await;
        q.put_nowait(5).unwrap(); // handed to the waiting getter
        q.put_nowait(1).unwrap(); // stored
        assert_eq!(q.qsize(), 2);
        assert_eq!(q.get_nowait(), Ok(1));
        assert_eq!(getter.await.unwrap(), 5);
        assert_eq!(q.qsize(), 0);
    }
}
