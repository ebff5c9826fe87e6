//! Timers: `sleep` and `yieldNow` as waits.

use std::time::Duration;

use wasio::trace::WaitReason;
use wasm_bindgen::prelude::*;

use crate::waits::{self, boxed};

/// `ms` milliseconds as a duration (JS has checked it is finite and not negative; huge values
/// saturate at about 584 years, which the loop's timer chains through `setTimeout`'s limit).
pub(crate) fn millis(ms: f64) -> Duration {
    Duration::from_nanos((ms * 1e6) as u64)
}

/// Starts a sleep of `ms` milliseconds owned by task `owner` (`u32::MAX`: the running task, if
/// any); returns the wait id.
#[wasm_bindgen]
pub fn sleep(ms: f64, owner: u32) -> u32 {
    let s = wasio::sleep(millis(ms));
    waits::start(
        owner,
        WaitReason::Sleep,
        boxed(async move {
            s.await;
            Ok(JsValue::UNDEFINED)
        }),
    )
}

/// Starts a `yield_now` owned by `owner`; returns the wait id.
#[wasm_bindgen]
pub fn yield_now(owner: u32) -> u32 {
    waits::start(
        owner,
        WaitReason::Yield,
        boxed(async {
            wasio::yield_now().await;
            Ok(JsValue::UNDEFINED)
        }),
    )
}

/// The loop clock in milliseconds (simulated time inside `runSimulated`).
#[wasm_bindgen]
pub fn loop_time() -> f64 {
    wasio::time() * 1000.0
}
