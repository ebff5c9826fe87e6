//! Issue 19's small web app on wasm-bindgen-futures + gloo-timers + async-channel: a ticker, a
//! channel with three consumers, a timeout around a streamed `fetch` (a hand-wired
//! AbortController and ReadableStream reader), and an exported function returning a Promise. The
//! same app as wasm-app-wasio, for the size table in benches/node/run.sh.

use gloo_timers::callback::Timeout;
use gloo_timers::future::TimeoutFuture;
use js_sys::{Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, spawn_local, JsFuture};
use web_sys::{AbortController, ReadableStreamDefaultReader, RequestInit, Response};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console)]
    fn log(s: &str);
    #[wasm_bindgen(js_name = fetch)]
    fn fetch_with_init(url: &str, init: &RequestInit) -> Promise;
}

/// Fetches `url` and counts its body's bytes as they stream in, giving up after `ms`.
async fn streamed_len(url: &str, ms: u32) -> Result<usize, String> {
    let controller = AbortController::new().map_err(|e| format!("{e:?}"))?;
    let init = RequestInit::new();
    init.set_signal(Some(&controller.signal()));
    let abort = controller.clone();
    let _timer = Timeout::new(ms, move || abort.abort());
    let read = async {
        let resp: Response = JsFuture::from(fetch_with_init(url, &init))
            .await?
            .dyn_into()?;
        let body = resp.body().ok_or_else(|| JsValue::from_str("no body"))?;
        let reader: ReadableStreamDefaultReader = body.get_reader().dyn_into()?;
        let mut n = 0;
        loop {
            let step: Object = JsFuture::from(reader.read()).await?.dyn_into()?;
            if Reflect::get(&step, &"done".into())?.is_truthy() {
                break;
            }
            n += Uint8Array::new(&Reflect::get(&step, &"value".into())?).length() as usize;
        }
        Ok::<usize, JsValue>(n)
    };
    match read.await {
        Ok(n) => Ok(n),
        Err(_) if controller.signal().aborted() => Err("timed out".into()),
        Err(e) => Err(format!("{e:?}")),
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

/// Entry point: the ticker and the channel's producer and consumers.
#[wasm_bindgen(start)]
pub fn start() {
    spawn_local(async {
        for i in 0..5u32 {
            TimeoutFuture::new(100).await;
            log(&format!("tick {i}"));
        }
    });
    let (tx, rx) = async_channel::bounded::<u32>(4);
    for id in 0..3u32 {
        let rx = rx.clone();
        spawn_local(async move {
            while let Ok(job) = rx.recv().await {
                TimeoutFuture::new(10).await;
                log(&format!("consumer {id} did job {job}"));
            }
        });
    }
    spawn_local(async move {
        for job in 0..9 {
            let _ = tx.send(job).await;
        }
        tx.close();
    });
    spawn_local(async {
        match streamed_len("data.txt", 2000).await {
            Ok(n) => log(&format!("fetched {n} bytes")),
            Err(e) => log(&format!("fetch failed: {e}")),
        }
    });
}
