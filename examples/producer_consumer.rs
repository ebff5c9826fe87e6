//! The article's producer/consumer example: two producers and three consumers share a bounded
//! queue; `join` waits until every item has been processed, then the consumers are cancelled.
//!
//! ```text
//! cargo build --example producer_consumer --target wasm32-wasip2 && wasmtime run target/wasm32-wasip2/debug/examples/producer_consumer.wasm
//! ```
//!
//! Each consumer spends 10 ms per item (a real timer in `wasi:io/poll`), so the three work in
//! parallel: 20 items take seven rounds (about 80 ms), not 200 ms. The last line is `consumed 20 items, sum 190`.
//!
//! `wasio::run` blocks until its future is done, which a native program or a WASI command may do.
//! A browser page may not (there `run` panics with `RunError::CannotBlock`): start the same code
//! with `wasio::spawn` from a `#[wasm_bindgen(start)]` function, write with `web_sys` instead of
//! `println!`, and see `examples/browser-app` for the whole setup.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use wasio::queue::Queue;
use wasio::{sleep, spawn, Instant};

fn main() {
    wasio::run(async {
        let queue = Rc::new(Queue::new(3));
        let count = Rc::new(Cell::new(0u32));
        let sum = Rc::new(Cell::new(0u32));
        let start = Instant::now();

        let producers: Vec<_> = (0..2u32)
            .map(|p| {
                let q = queue.clone();
                spawn(async move {
                    for i in p * 10..p * 10 + 10 {
                        q.put(i).await.expect("queue open");
                        println!("producer {p} put {i} (queue holds {})", q.qsize());
                    }
                })
            })
            .collect();

        let consumers: Vec<_> = (0..3)
            .map(|c| {
                let (q, count, sum) = (queue.clone(), count.clone(), sum.clone());
                spawn(async move {
                    loop {
                        let item = q.get().await.expect("queue open");
                        sleep(Duration::from_millis(10)).await;
                        println!("consumer {c} done with {item} at {:?}", start.elapsed());
                        count.set(count.get() + 1);
                        sum.set(sum.get() + item);
                        q.task_done().expect("one task_done per get");
                    }
                })
            })
            .collect();

        for p in producers {
            p.await.expect("producer finishes");
        }
        queue.join().await;
        for c in &consumers {
            c.cancel();
        }
        println!("all processed in {:?}", start.elapsed());
        println!("consumed {} items, sum {}", count.get(), sum.get());
    });
}
