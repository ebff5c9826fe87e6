//! Trap recovery in the browser driver (the `recover` feature): the panic recorder and the error
//! handler of the JS guard around the driver's callbacks.
//!
//! # State (one per thread)
//!
//! * `LAST_PANIC`: the message of the last panic, recorded by a panic hook installed when the
//!   driver starts (the hook then calls the one installed before it). A trap carries no message,
//!   so the error handler takes it from here; a slice clears it when it starts, so a message
//!   belongs to the slice it was recorded in.
//!
//! When a callback is cut short, [`on_error`] ends the interrupted task as panicked with that
//! message (`Executor::recover_interrupted_turn`), reports on the console, and lets the driver
//! drive on (`driver::resume`). See `driver.rs` for the whole story and
//! `src/browser/mod.rs` ("Failures") for what users see.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use super::{driver, glue};
use crate::executor;

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs the panic recorder and returns the guard's error handler.
pub(super) fn install() -> Closure<dyn Fn(JsValue)> {
    install_panic_recorder();
    Closure::<dyn Fn(JsValue)>::new(on_error)
}

/// A slice found the previous one never returned, and the guard did not see it (defensive: the
/// guard should always run): unwedges the executor before the slice runs anything.
pub(super) fn unwedge() {
    let _ = executor::with(|ex| ex.recover_interrupted_turn("task aborted mid-poll"));
}

/// A new slice starts: a panic recorded before it belongs to no trap of this slice.
pub(super) fn forget_last_panic() {
    LAST_PANIC.with(|p| {
        if p.borrow().is_some() {
            p.borrow_mut().take();
        }
    });
}

/// A callback threw or trapped: unwedge the loop, report, and drive on.
fn on_error(error: JsValue) {
    let panic = LAST_PANIC.with(|p| p.borrow_mut().take());
    let message = match &panic {
        Some(m) => format!("task panicked: {m}"),
        // A trap with no panic recorded: a wasm trap of its own (unreachable, out-of-bounds), or
        // a panic in a build whose panics trap at once (`-C panic=immediate-abort`: the
        // playground's module), which runs no hook.
        None if error.is_instance_of::<js_sys::WebAssembly::RuntimeError>() => format!(
            "task aborted by a wasm trap ({})",
            String::from(error.unchecked_ref::<js_sys::Error>().message())
        ),
        None => "task aborted by a JavaScript exception".to_string(),
    };
    let recovered = executor::with(|ex| ex.recover_interrupted_turn(&message));
    let what = match recovered {
        // `TaskId(n)`, as `{id:?}` prints it, without linking the Debug builders (PadAdapter,
        // integer Debug) into every browser app.
        Some(Some(id)) => format!(
            "wasio: TaskId({}) stopped the event loop's turn ({message}); \
             it is ended as panicked and the loop goes on",
            id.as_u64()
        ),
        _ => "wasio: an event loop callback threw; the loop goes on".to_string(),
    };
    glue::console_error2(&what, &error);
    let next = executor::with(|ex| ex.next(ex.state()));
    driver::resume(next);
}

/// Records each panic's message (then calls the previous hook), so that when `panic=abort` turns
/// the panic into a trap, the loop can report it and hand it to the task's awaiters.
#[cfg(not(panic = "immediate-abort"))]
fn install_panic_recorder() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = LAST_PANIC.try_with(|p| *p.borrow_mut() = Some(info.to_string()));
        previous(info);
    }));
}

/// Under `-C panic=immediate-abort` (the npm package's and the playground's builds) a panic traps
/// at once and runs no hook: there is nothing to record, and installing the recorder would link
/// the panic message's formatting for nothing.
#[cfg(panic = "immediate-abort")]
fn install_panic_recorder() {}
