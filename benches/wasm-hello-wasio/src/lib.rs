//! Sleeps 1 ms on the loop, then logs a greeting: the smallest real wasio app.

use std::time::Duration;

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console)]
    fn log(s: &str);
}

/// Entry point.
#[wasm_bindgen(start)]
pub fn start() {
    wasio::spawn(async {
        wasio::sleep(Duration::from_millis(1)).await;
        log("hello from wasio");
    });
}
