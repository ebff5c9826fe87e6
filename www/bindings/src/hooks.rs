//! The JS functions the bindings call back: installed once by the JS layer's init.
//!
//! * `settle(wait, code, value)`: a wait ended; `code` is a [`Fail`](crate::waits::Fail) or 0
//!   with `value` the result.
//! * `run(task)`: a task's first poll; JS calls the user's function with the task's signal.
//! * `done(task)`: a task's future ended (finished, or dropped by cancellation or loop close).

use std::cell::RefCell;

use js_sys::Function;
use wasm_bindgen::prelude::*;

struct Hooks {
    settle: Function,
    run: Function,
    done: Function,
}

thread_local! {
    static HOOKS: RefCell<Option<Hooks>> = const { RefCell::new(None) };
}

/// Installs the JS layer's callbacks (called once, right after the module is instantiated).
#[wasm_bindgen]
pub fn install(settle: Function, run: Function, done: Function) {
    HOOKS.with(|h| *h.borrow_mut() = Some(Hooks { settle, run, done }));
}

/// The hook `pick` chooses, cloned out of the cell so a hook that calls back into the bindings
/// finds the cell free.
fn hook(pick: fn(&Hooks) -> &Function) -> Option<Function> {
    HOOKS.with(|h| h.borrow().as_ref().map(|h| pick(h).clone()))
}

pub(crate) fn settle(wait: u32, code: u32, value: &JsValue) {
    if let Some(f) = hook(|h| &h.settle) {
        let _ = f.call3(&JsValue::UNDEFINED, &wait.into(), &code.into(), value);
    }
}

pub(crate) fn run(task: u32) {
    if let Some(f) = hook(|h| &h.run) {
        let _ = f.call1(&JsValue::UNDEFINED, &task.into());
    }
}

pub(crate) fn done(task: u32) {
    if let Some(f) = hook(|h| &h.done) {
        let _ = f.call1(&JsValue::UNDEFINED, &task.into());
    }
}
