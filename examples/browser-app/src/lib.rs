//! A complete browser app on wasio (see `README.md` beside this file).
//!
//! The page loads `pkg/browser_app.js`, whose init runs [`start`]: it spawns the app's main task
//! and returns at once. In a browser the event loop belongs to the page, so wasio never blocks
//! it: `wasio::run` is for native and WASI programs, and here returns `RunError::CannotBlock`.
//! Work starts with `wasio::spawn`, and a Rust `async fn` reaches JS as a `Promise` through
//! `wasio::browser::future_to_promise` (see [`double_later`]).
//!
//! Output goes to the page (`<ul id="out">`) and to the console; `#status` says `done` (or
//! `failed: ...`) when the app has finished, which is what the test in
//! `scripts/test-browser-app.sh` waits for.

// The app only exists in the browser: natively this crate is empty.
#![cfg(all(target_arch = "wasm32", target_os = "unknown"))]

use std::io;
use std::rc::Rc;
use std::time::Duration;

use wasio::browser::{fetch, future_to_promise, js_sys::Promise, JsValue};
use wasio::queue::Queue;
use wasm_bindgen::prelude::*;

/// Writes a line to the page and to the console (`println!` goes nowhere in a page).
fn say(line: &str) {
    web_sys::console::log_1(&JsValue::from(line));
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let (Some(out), Ok(li)) = (doc.get_element_by_id("out"), doc.create_element("li")) {
        li.set_text_content(Some(line));
        let _ = out.append_child(&li);
    }
}

fn set_status(text: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("status"))
    {
        el.set_text_content(Some(text));
    }
}

/// The entry point: runs when the page initialises the module. It must not block, so it spawns.
#[wasm_bindgen(start)]
pub fn start() {
    wasio::spawn(async {
        match app().await {
            Ok(()) => set_status("done"),
            Err(e) => {
                say(&format!("error: {e}"));
                set_status(&format!("failed: {e}"));
            }
        }
    });
}

async fn app() -> io::Result<()> {
    // A ticker, running beside everything else.
    let ticker = wasio::spawn(async {
        for i in 1..=3 {
            wasio::sleep(Duration::from_millis(100)).await;
            say(&format!("tick {i}"));
        }
    });

    // A bounded queue with three consumers (asyncio's producer/consumer).
    let queue: Rc<Queue<u64>> = Rc::new(Queue::new(2));
    let consumers: Vec<_> = (1..=3)
        .map(|n| {
            let queue = queue.clone();
            wasio::spawn(async move {
                let mut done = 0;
                // `get` fails once the queue is shut down and empty: the consumer then stops.
                while let Ok(job) = queue.get().await {
                    wasio::sleep(Duration::from_millis(10 * job)).await;
                    done += 1;
                    let _ = queue.task_done();
                }
                say(&format!("consumer {n} did {done} jobs"));
                done
            })
        })
        .collect();
    for job in 1..=6 {
        queue.put(job).await.expect("the queue is open");
    }
    queue.join().await;
    queue.shutdown(false);
    let mut total = 0;
    for c in consumers {
        total += c.await.expect("a consumer ended");
    }
    say(&format!("all {total} jobs done"));

    // A fetch with a relative URL (resolved against the page's address), under a timeout: the
    // timeout's `Elapsed` converts into an `io::Error` of kind `TimedOut`, so `??` works here.
    let response = wasio::timeout(Duration::from_secs(10), fetch("data.txt")).await??;
    if !response.ok() {
        return Err(io::Error::other(format!(
            "data.txt: HTTP {}",
            response.status()
        )));
    }
    let body = wasio::timeout(Duration::from_secs(10), response.bytes()).await??;
    say(&format!(
        "fetched data.txt: {}",
        String::from_utf8_lossy(&body).trim()
    ));

    ticker.await.expect("the ticker ended");
    Ok(())
}

/// An export that JS awaits as a `Promise`: `await double_later(21)` gives 42 after 50 ms.
#[wasm_bindgen]
pub fn double_later(n: u32) -> Promise {
    future_to_promise(async move {
        wasio::sleep(Duration::from_millis(50)).await;
        Ok(JsValue::from(n * 2))
    })
}
