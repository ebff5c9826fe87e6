//! The article's first example: a task prints a dot every second while `main` waits five seconds.
//!
//! Run it as a WASI command (preview 2 or preview 1):
//!
//! ```text
//! cargo build --example waiting --target wasm32-wasip2 && wasmtime run target/wasm32-wasip2/debug/examples/waiting.wasm
//! ```
//!
//! Output: `Waiting 5 seconds`, then a dot a second (five in all), then `done`. The dots come from
//! a second task on the same thread: the loop sleeps in `wasi:io/poll` (or `poll_oneoff` on p1)
//! between them.
//!
//! `wasio::run` blocks until its future is done, which a native program or a WASI command may do.
//! A browser page may not (there `run` panics with `RunError::CannotBlock`): start the same code
//! with `wasio::spawn` from a `#[wasm_bindgen(start)]` function, write with `web_sys` instead of
//! `println!`, and see `examples/browser-app` for the whole setup.

use std::io::Write;
use std::time::Duration;

fn main() {
    wasio::run(async {
        println!("Waiting 5 seconds");
        let dots = wasio::spawn(async {
            for _ in 0..5 {
                wasio::sleep(Duration::from_secs(1)).await;
                print!(".");
                let _ = std::io::stdout().flush();
            }
        });
        wasio::sleep(Duration::from_millis(5_500)).await;
        dots.await.expect("the dots task ends by itself");
        println!();
        println!("done");
    });
}
