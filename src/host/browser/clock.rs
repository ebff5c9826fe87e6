//! The loop clock: `performance.now()` (milliseconds as a double, sub-millisecond where the host
//! allows) converted to nanoseconds since the page or process started.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// Nanoseconds since the time origin (page load, worker start or Node process start).
///
/// Out of line: the conversion's range checks were about 60 bytes at each of the loop clock's
/// readings (ten in the small app, `benches/wasm-app-wasio`), beside a call into JS that costs
/// far more than a call.
#[inline(never)]
pub(crate) fn now_nanos() -> u64 {
    let ms = performance_now();
    if ms.is_finite() && ms > 0.0 {
        (ms * 1_000_000.0) as u64
    } else {
        0
    }
}

/// Milliseconds to wait from `now` until `deadline` (both nanoseconds), rounded up so a timer
/// never fires before its deadline, and capped at the largest delay `setTimeout` accepts
/// (2^31-1 ms): a longer wait is chained, one capped leg after another.
pub(crate) fn timeout_ms(now: u64, deadline: u64) -> f64 {
    const MAX_MS: u64 = (1 << 31) - 1;
    let ns = deadline.saturating_sub(now);
    let ms = ns.div_ceil(1_000_000);
    ms.min(MAX_MS) as f64
}

#[cfg(test)]
mod tests {
    use super::timeout_ms;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn rounds_up_and_caps() {
        assert_eq!(timeout_ms(0, 0), 0.0);
        assert_eq!(timeout_ms(5, 1), 0.0);
        assert_eq!(timeout_ms(0, 1), 1.0);
        assert_eq!(timeout_ms(0, 1_000_000), 1.0);
        assert_eq!(timeout_ms(0, 1_000_001), 2.0);
        // 30 days: longer than setTimeout's limit, so the first leg is capped.
        let month = 30 * 24 * 3600 * 1_000_000_000u64;
        assert_eq!(timeout_ms(0, month), 2_147_483_647.0);
        assert_eq!(timeout_ms(0, u64::MAX), 2_147_483_647.0);
    }
}
