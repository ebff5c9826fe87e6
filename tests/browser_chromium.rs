//! Behaviour only a real page has: rendering frames while tasks keep the loop busy. Always runs in
//! headless Chromium (scripts/test-browser.sh), never in Node.
#![cfg(all(target_arch = "wasm32", target_os = "unknown"))]

use std::time::Duration;

use js_sys::{Function, Reflect};
use wasio::{spawn, yield_now, Instant};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn frames() -> u32 {
    Reflect::get(&js_sys::global(), &"__wasioFrames".into())
        .unwrap()
        .as_f64()
        .unwrap() as u32
}

#[wasm_bindgen_test]
async fn a_yield_loop_for_two_seconds_lets_animation_frames_keep_firing() {
    Function::new_no_args(
        "globalThis.__wasioFrames = 0;
         globalThis.__wasioFramesOn = true;
         const tick = () => { if (!globalThis.__wasioFramesOn) return; globalThis.__wasioFrames++; requestAnimationFrame(tick); };
         requestAnimationFrame(tick);",
    )
    .call0(&JsValue::UNDEFINED)
    .unwrap();
    let spinner = spawn(async {
        let t0 = Instant::now();
        let mut yields = 0u64;
        while t0.elapsed() < Duration::from_secs(2) {
            yield_now().await;
            yields += 1;
        }
        yields
    });
    let yields = spinner.await.unwrap();
    let n = frames();
    Function::new_no_args("globalThis.__wasioFramesOn = false;")
        .call0(&JsValue::UNDEFINED)
        .unwrap();
    // 60 Hz would give 120 frames; a starved renderer gives 0 or 1.
    assert!(
        n >= 30,
        "only {n} animation frames in 2 s of yielding ({yields} yields)"
    );
    assert!(
        yields > 10_000,
        "the yield loop itself ran only {yields} times"
    );
}
