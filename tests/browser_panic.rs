//! A panic in a browser build without the `recover` feature (the default): it is a trap, as with
//! wasm-bindgen-futures. The panic hook sees it (so `console_error_panic_hook` prints it), the
//! trap reaches the host as an uncaught `WebAssembly.RuntimeError`, and the loop on this thread
//! stops. Its own test binary: the stopped loop would take every later test in the file with it.
//! tests/browser_loop.rs has the same panics with the feature on (the loop recovers).
#![cfg(all(
    target_arch = "wasm32",
    target_os = "unknown",
    not(feature = "recover")
))]

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasio::browser::JsPromise;
use wasio::{spawn, yield_now};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen(inline_js = r#"
export function next_uncaught_error() {
  return new Promise(function (resolve) {
    const g = globalThis;
    if (typeof g.process === "object" && typeof g.process.on === "function") {
      const h = function (e) { g.process.off("uncaughtException", h); resolve(e); };
      g.process.on("uncaughtException", h);
    } else {
      const h = function (ev) { ev.preventDefault(); g.removeEventListener("error", h); resolve(ev.error); };
      g.addEventListener("error", h);
    }
  });
}
"#)]
extern "C" {
    /// Resolves with the next error the host reports as uncaught (Node's `uncaughtException`, a
    /// page's or worker's `error` event), which it then keeps from ending the process or logging.
    fn next_uncaught_error() -> Promise;
}

thread_local! {
    static HOOK_SAW: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// A promise that resolves after `ms` of real time (through JS, not wasio, whose loop is stopped).
fn js_delay(ms: i32) -> JsPromise {
    JsPromise::from(Promise::new(&mut |resolve, _| {
        let f = Function::new_with_args("r, ms", "setTimeout(r, ms)");
        f.call2(&JsValue::UNDEFINED, &resolve, &JsValue::from(ms))
            .unwrap();
    }))
}

#[wasm_bindgen_test]
async fn without_recover_a_panic_reaches_the_hook_and_the_host_and_stops_the_loop() {
    // Not restored afterwards: std counts the trapped panic as never finished, so this thread is
    // `panicking()` from then on and `set_hook` would refuse (one more way the trap is final).
    std::panic::set_hook(Box::new(|info| {
        HOOK_SAW.with(|s| s.borrow_mut().push(info.to_string()));
    }));
    let uncaught = JsPromise::from(next_uncaught_error());
    let doomed = spawn(async {
        yield_now().await;
        panic!("deliberate panic without recover");
    });
    let error = uncaught.await.expect("the host saw an uncaught error");
    assert!(
        error.is_instance_of::<js_sys::WebAssembly::RuntimeError>(),
        "the panic reached the host as a trap: {error:?}"
    );
    let saw = HOOK_SAW.with(|s| s.borrow().clone());
    assert_eq!(saw.len(), 1, "{saw:?}");
    assert!(
        saw[0].contains("deliberate panic without recover"),
        "{saw:?}"
    );
    // The loop has stopped: nothing runs any more, and the task that panicked never ends.
    let ran = Rc::new(Cell::new(false));
    let r = ran.clone();
    let later = spawn(async move { r.set(true) });
    js_delay(10).await.unwrap();
    assert!(!ran.get(), "a task spawned after the trap ran");
    assert!(!doomed.is_done() && !later.is_done());
}
