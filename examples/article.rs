//! The article's examples, on wasio, natively:
//!
//! 1. "Waiting 5 seconds" with a dot each second while another task counts;
//! 2. `gather` and `timeout` (asyncio.wait_for);
//! 3. a producer/consumer pair over a bounded queue with `task_done`/`join`.
//!
//! Run: `cargo run --example article` (add `-- --fast` to run on the simulated clock).
//!
//! `wasio::run` blocks until its future is done, which a native program or a WASI command may do.
//! A browser page may not (there `run` panics with `RunError::CannotBlock`): start the same code
//! with `wasio::spawn` from a `#[wasm_bindgen(start)]` function, write with `web_sys` instead of
//! `println!`, and see `examples/browser-app` for the whole setup.

use std::io::Write;
use std::time::Duration;

use wasio::queue::Queue;
use wasio::{gather, sleep, spawn, timeout};

async fn wait_with_dots() {
    print!("Waiting 5 seconds");
    for _ in 0..5 {
        std::io::stdout().flush().ok();
        sleep(Duration::from_secs(1)).await;
        print!(".");
    }
    println!(" done");
}

async fn fetch(name: &str, secs: u64) -> String {
    sleep(Duration::from_secs(secs)).await;
    format!("{name} after {secs}s")
}

async fn producer(q: Queue<u32>, id: u32) {
    for i in 0..3 {
        let item = id * 10 + i;
        q.put(item).await.expect("queue open");
        println!("  producer {id} put {item} (size {})", q.qsize());
        sleep(Duration::from_millis(300)).await;
    }
}

async fn consumer(q: Queue<u32>, id: u32) {
    loop {
        let Ok(item) = q.get().await else { return };
        sleep(Duration::from_millis(500)).await;
        println!("  consumer {id} handled {item}");
        q.task_done().expect("one task_done per item");
    }
}

async fn main_async() {
    println!("1. sleep");
    wait_with_dots().await;

    println!("2. gather and timeout");
    let (a, b) = gather((fetch("a", 1), fetch("b", 2))).await;
    println!("  gathered: {a}, {b}");
    match timeout(Duration::from_secs(1), fetch("slow", 3)).await {
        Ok(v) => println!("  got {v}"),
        Err(e) => println!("  slow fetch: {e}"),
    }

    println!("3. producer/consumer");
    let q = Queue::new(2);
    let producers: Vec<_> = (1..=2).map(|id| spawn(producer(q.clone(), id))).collect();
    let consumers: Vec<_> = (1..=3).map(|id| spawn(consumer(q.clone(), id))).collect();
    for p in producers {
        p.await.unwrap();
    }
    q.join().await;
    println!("  all items handled; stopping consumers");
    for c in consumers {
        c.cancel();
    }
    println!("elapsed on the loop clock: {:.1}s", wasio::time());
}

fn main() {
    if std::env::args().any(|a| a == "--fast") {
        wasio::testing::run(main_async());
    } else {
        wasio::run(main_async());
    }
}
