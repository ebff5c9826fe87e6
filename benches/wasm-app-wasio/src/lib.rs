//! Issue 19's small web app on wasio: a ticker, a `Queue` with three consumers, a `timeout`
//! around a streamed `fetch`, and an exported function returning a Promise. The same app as
//! wasm-app-wbf, for the size table in benches/node/run.sh.

use std::time::Duration;

use wasio::browser::{future_to_promise, js_sys::Promise, JsValue};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console)]
    fn log(s: &str);
}

/// Fetches `url` and counts its body's bytes as they stream in, giving up after `ms`.
async fn streamed_len(url: &str, ms: u64) -> Result<usize, String> {
    let read = async {
        let mut body = wasio::http::fetch(url).await?.into_body();
        let mut n = 0;
        while let Some(chunk) = body.chunk().await? {
            n += chunk.len();
        }
        Ok::<usize, std::io::Error>(n)
    };
    match wasio::timeout(Duration::from_millis(ms), read).await {
        Ok(Ok(n)) => Ok(n),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("timed out".into()),
    }
}

/// Exported: a Promise of the byte count of `url`, or a rejection saying why not.
#[wasm_bindgen]
pub fn body_len(url: String) -> Promise {
    future_to_promise(async move {
        match streamed_len(&url, 5000).await {
            Ok(n) => Ok(JsValue::from(n as u32)),
            Err(e) => Err(JsValue::from(e)),
        }
    })
}

/// Entry point: the ticker and the queue's producer and consumers.
#[wasm_bindgen(start)]
pub fn start() {
    wasio::spawn(async {
        let mut ticker = wasio::interval(Duration::from_millis(100));
        for i in 0..5u32 {
            ticker.tick().await;
            log(&format!("tick {i}"));
        }
    });
    let queue = wasio::Queue::<u32>::new(4);
    for id in 0..3u32 {
        let queue = queue.clone();
        wasio::spawn(async move {
            while let Ok(job) = queue.get().await {
                wasio::sleep(Duration::from_millis(10)).await;
                log(&format!("consumer {id} did job {job}"));
            }
        });
    }
    wasio::spawn(async move {
        for job in 0..9 {
            let _ = queue.put(job).await;
        }
        queue.shutdown(false);
    });
    wasio::spawn(async {
        match streamed_len("data.txt", 2000).await {
            Ok(n) => log(&format!("fetched {n} bytes")),
            Err(e) => log(&format!("fetch failed: {e}")),
        }
    });
}
