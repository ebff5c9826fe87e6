//! Sleeps 1 ms (a `setTimeout` promise), then logs a greeting: the same app as wasm-hello-wasio
//! with wasm-bindgen-futures alone.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console)]
    fn log(s: &str);
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(f: &js_sys::Function, ms: i32) -> JsValue;
}

/// Entry point.
#[wasm_bindgen(start)]
pub fn start() {
    wasm_bindgen_futures::spawn_local(async {
        let p = js_sys::Promise::new(&mut |resolve, _| {
            set_timeout(&resolve, 1);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(p).await;
        log("hello from wasm-bindgen-futures");
    });
}
