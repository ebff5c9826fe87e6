//! task_done/join accounting and shutdown (graceful and immediate), including waiters and
//! promises in flight when the queue shuts down.

mod common;
mod sync_support;
use common::sim_test;
use sync_support::{settle, Log};

use wasio::queue::{Queue, QueueShutDown, TaskDoneUnderflow, TryGetError, TryPutError};
use wasio::spawn;

fn joiner(q: &Queue<i32>, log: &Log, name: &'static str) -> wasio::Task<()> {
    let (q, log) = (q.clone(), log.clone());
    spawn(async move {
        q.join().await;
        log.push(name);
    })
}

sim_test! {
    async fn join_returns_once_every_item_is_marked_done() {
        let q = Queue::new(0);
        let log = Log::default();
        q.join().await; // nothing put yet
        q.put_nowait(1).unwrap();
        q.put_nowait(2).unwrap();
        let a = joiner(&q, &log, "a");
        let b = joiner(&q, &log, "b");
        settle().await;
        q.get_nowait().unwrap();
        q.get_nowait().unwrap();
        settle().await;
        assert!(log.take().is_empty(), "taken is not done");
        q.task_done().unwrap();
        settle().await;
        assert!(log.take().is_empty());
        q.task_done().unwrap();
        a.await.unwrap();
        b.await.unwrap();
        assert_eq!(log.take(), ["a", "b"]);
        assert_eq!(q.task_done(), Err(TaskDoneUnderflow));
        assert_eq!(q.unfinished_tasks(), 0);
    }
}

sim_test! {
    async fn a_cancelled_join_leaves_the_list() {
        let q = Queue::new(0);
        let log = Log::default();
        q.put_nowait(1).unwrap();
        let a = joiner(&q, &log, "a");
        let b = joiner(&q, &log, "b");
        settle().await;
        a.cancel();
        settle().await;
        q.task_done().unwrap();
        b.await.unwrap();
        assert_eq!(log.take(), ["b"]);
    }
}

sim_test! {
    async fn graceful_shutdown_fails_puts_and_drains_gets() {
        let q = Queue::new(0);
        q.put_nowait(1).unwrap();
        q.put_nowait(2).unwrap();
        q.shutdown(false);
        assert!(q.is_shut_down());
        assert_eq!(q.put_nowait(3), Err(TryPutError::ShutDown(3)));
        assert_eq!(q.put(4).await, Err(QueueShutDown(4)));
        assert_eq!(q.get().await, Ok(1));
        assert_eq!(q.get_nowait(), Ok(2));
        assert_eq!(q.get().await, Err(QueueShutDown(())));
        assert_eq!(q.get_nowait(), Err(TryGetError::ShutDown));
        assert_eq!(q.unfinished_tasks(), 2, "graceful shutdown keeps the accounting");
    }
}

sim_test! {
    async fn shutdown_releases_waiting_getters_and_putters_with_errors() {
        let empty = Queue::<i32>::new(0);
        let full = Queue::new(1);
        full.put_nowait(0).unwrap();
        let g = spawn({
            let q = empty.clone();
            async move { q.get().await }
        });
        let p = spawn({
            let q = full.clone();
            async move { q.put(7).await }
        });
        settle().await;
        empty.shutdown(false);
        full.shutdown(false);
        assert_eq!(g.await.unwrap(), Err(QueueShutDown(())));
        assert_eq!(p.await.unwrap(), Err(QueueShutDown(7)), "the item comes back");
        assert_eq!(full.get_nowait(), Ok(0));
    }
}

sim_test! {
    async fn graceful_shutdown_still_delivers_an_item_handed_to_a_getter() {
        let q = Queue::new(0);
        let g = spawn({
            let q = q.clone();
            async move { q.get().await }
        });
        settle().await;
        q.put_nowait(1).unwrap();
        q.shutdown(false);
        assert_eq!(g.await.unwrap(), Ok(1));
    }
}

sim_test! {
    async fn immediate_shutdown_empties_the_queue_fails_getters_and_releases_join() {
        let q = Queue::new(0);
        let log = Log::default();
        let g = spawn({
            let q = q.clone();
            async move { q.get().await }
        });
        settle().await;
        q.put_nowait(1).unwrap(); // handed to `g`, which has not run
        q.put_nowait(2).unwrap();
        let j = joiner(&q, &log, "joined");
        settle().await;
        // `g` took 1 (not done yet), 2 is queued.
        assert_eq!(g.await.unwrap(), Ok(1));
        assert_eq!(q.unfinished_tasks(), 2);
        let g2 = spawn({
            let q = q.clone();
            async move { q.get().await }
        });
        q.put_nowait(3).unwrap();
        q.shutdown(true);
        assert_eq!(q.qsize(), 0);
        assert_eq!(q.unfinished_tasks(), 1, "dropped items count as done");
        assert_eq!(g2.await.unwrap(), Err(QueueShutDown(())));
        settle().await;
        assert!(log.take().is_empty());
        q.task_done().unwrap();
        j.await.unwrap();
        assert_eq!(log.take(), ["joined"]);
    }
}

sim_test! {
    async fn immediate_shutdown_revokes_items_handed_to_getters() {
        let q = Queue::new(0);
        let g = spawn({
            let q = q.clone();
            async move { q.get().await }
        });
        settle().await;
        q.put_nowait(1).unwrap(); // handed...
        q.shutdown(true); // ...and dropped
        assert_eq!(g.await.unwrap(), Err(QueueShutDown(())));
        assert_eq!(q.unfinished_tasks(), 0);
        q.join().await;
    }
}

sim_test! {
    async fn shutdown_revokes_slots_promised_to_putters() {
        let q = Queue::new(1);
        q.put_nowait(0).unwrap();
        let p = spawn({
            let q = q.clone();
            async move { q.put(1).await }
        });
        settle().await;
        assert_eq!(q.get_nowait(), Ok(0)); // slot promised to `p`
        q.shutdown(false);
        assert_eq!(p.await.unwrap(), Err(QueueShutDown(1)));
        assert_eq!(q.qsize(), 0);
    }
}

sim_test! {
    async fn items_dropped_by_immediate_shutdown_may_use_the_queue_in_their_destructor() {
        struct Reenter(Queue<Reenter>);
        impl Drop for Reenter {
            fn drop(&mut self) {
                let _ = self.0.qsize();
            }
        }
        let q: Queue<Reenter> = Queue::new(0);
        assert!(q.put_nowait(Reenter(q.clone())).is_ok());
        q.shutdown(true);
        assert_eq!(q.qsize(), 0);
    }
}
