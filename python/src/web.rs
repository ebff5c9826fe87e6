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
    wasio::spawn(async move {
        let code = fut.await;
        let _ = on_exit.call1(&JsValue::NULL, &JsValue::from_f64(code as f64));
    })
    .detach();
    PyRun { stop }
}
