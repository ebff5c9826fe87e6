//! The browser entry (wasm32-unknown-unknown, wasm-bindgen) for the playground: run a program,
//! stream its stdout/stderr to a JS callback, learn its exit code, and stop it.
//!
//! The program runs as a wasio task on the page's (or worker's) event loop; the interpreter
//! yields to the loop every few thousand steps, so a busy loop never freezes the host, and
//! [`PyRun::stop`] ends the program at its next step.
//!
//! ```js
//! import init, { run_python } from "./wasio_py.js";
//! await init();
//! const run = run_python("main.py", source, (isErr, text) => print(isErr, text), (code) => done(code));
//! stopButton.onclick = () => run.stop();
//! ```
//!
//! [`run_python_with`] also runs on the simulated clock, and [`python_trace`] hands the runtime's
//! trace events (each Python task is a wasio task, named as in asyncio) to a JS callback as
//! `(kind, task, detail, time, by)`, the same tuple the wasio npm package's bindings send.

use crate::cell::Borrows as _;
use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::interp::Sink;
use crate::program::{program, Config};

/// A running program.
#[wasm_bindgen]
pub struct PyRun {
    stop: Rc<Cell<bool>>,
}

#[wasm_bindgen]
impl PyRun {
    /// Stops the program at its next step (it ends with `KeyboardInterrupt`, exit code 1).
    pub fn stop(&self) {
        self.stop.set(true);
    }
}

/// Starts `source` (named `name` in tracebacks). `on_output(is_stderr, text)` receives what it
/// prints; `on_exit(code)` is called once with its exit code (0, or 1 after a traceback).
/// `fuel` limits the statements run (0: unlimited).
#[wasm_bindgen]
pub fn run_python(
    name: &str,
    source: &str,
    on_output: js_sys::Function,
    on_exit: js_sys::Function,
    fuel: f64,
) -> PyRun {
    run_python_with(name, source, on_output, on_exit, fuel, false)
}

/// [`run_python`], on wasio's simulated clock when `simulated` (sleeps take no real time; the
/// clock starts at zero and jumps to the next deadline whenever the loop is idle). The module
/// body runs as a task named `<module>`; each Python task is a wasio task named by
/// `create_task(name=...)`, else by its coroutine (`main` for `asyncio.run(main())`).
#[wasm_bindgen]
pub fn run_python_with(
    name: &str,
    source: &str,
    on_output: js_sys::Function,
    on_exit: js_sys::Function,
    fuel: f64,
    simulated: bool,
) -> PyRun {
    let stop = Rc::new(Cell::new(false));
    let sink: Sink = Rc::new(move |err, text| {
        let _ = on_output.call2(
            &JsValue::NULL,
            &JsValue::from_bool(err),
            &JsValue::from_str(text),
        );
    });
    let mut config = Config::default();
    if fuel > 0.0 {
        config.limits.fuel = Some(fuel as u64);
    }
    let fut = program(name, source, config, sink, stop.clone());
    let body = async move {
        let code = fut.await;
        let _ = on_exit.call1(&JsValue::NULL, &JsValue::from_f64(code as f64));
    };
    // One boxed future type for both clocks: one task type in the binary, not two.
    let body: std::pin::Pin<Box<dyn std::future::Future<Output = ()>>> = if simulated {
        Box::pin(wasio::testing::simulate(body))
    } else {
        Box::pin(body)
    };
    wasio::spawn_named("<module>", body).detach();
    PyRun { stop }
}

/// The loop clock in milliseconds (simulated time inside a simulated run), on the same origin as
/// the trace events' times.
#[wasm_bindgen]
pub fn python_loop_time() -> f64 {
    wasio::Instant::now().since_origin().as_secs_f64() * 1000.0
}

/// Sends every runtime event to `callback(kind, task, detail, time, by)` (replacing any earlier
/// one; `None` stops) in the crate's encoding (`wasio::browser::subscribe_trace`): `kind` 0 spawn, 1 wake, 2 poll begin, 3 poll end, 4 complete, 5 cancel
/// requested, 6 cancelled, 7 timer armed, 8 timer fired; `task` the task id (-1: none); `detail`
/// the spawn's name, a pending poll's wait reason (`"sleep"`, `"queue_get"`...) or `true` when the
/// poll ended the task, or a timer's deadline; `time` loop milliseconds; `by` the task that
/// spawned or woke it (-1: none). Kind 10 says how a Python task's coroutine ended (the loop sees
/// every one end normally): `detail` is `[outcome, error]`, outcome `"complete"`, `"cancelled"` or
/// `"error"` and error the exception's repr.
#[wasm_bindgen]
pub fn python_trace(callback: Option<js_sys::Function>) {
    use wasio::trace;
    let Some(callback) = callback else {
        trace::clear_subscriber();
        crate::asyncio::OUTCOME_HOOK.with(|h| *h.wr() = None);
        return;
    };
    // How each Python task's coroutine ended: kind 10, detail [outcome, exception repr].
    let cb = callback.clone();
    let hook: crate::asyncio::OutcomeHook = Box::new(move |task, outcome, error| {
        let detail = js_sys::Array::of2(
            &JsValue::from(outcome),
            &error.map_or(JsValue::UNDEFINED, JsValue::from),
        );
        let now = wasio::Instant::now().since_origin().as_secs_f64() * 1000.0;
        let args = js_sys::Array::of5(
            &JsValue::from(10),
            &JsValue::from(task.as_u64() as f64),
            &detail,
            &JsValue::from(now),
            &JsValue::from(-1),
        );
        let _ = cb.apply(&JsValue::UNDEFINED, &args);
    });
    crate::asyncio::OUTCOME_HOOK.with(|h| *h.wr() = Some(hook));
    wasio::browser::subscribe_trace(callback);
}
