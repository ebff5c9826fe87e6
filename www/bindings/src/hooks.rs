//! The JS functions the bindings call back: installed once by the JS layer's init, as one object
//! whose methods take plain numbers (no `JsValue` is made for a wait id or a task slot).
//!
//! * `settle(wait, code, value)`: a wait ended; `code` is a [`Fail`](crate::waits::Fail) or 0
//!   with `value` the result.
//! * `run(task)`: a task's first poll; JS calls the user's function with the task's signal.
//! * `done(task)`: a task's future ended (finished, or dropped by cancellation or loop close).

use std::cell::OnceCell;

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The JS layer's `{ settle, run, done }`.
    pub type Hooks;
    // `catch`: a throwing hook (a trace subscriber's error) must not unwind through the bindings.
    #[wasm_bindgen(method, catch)]
    fn settle(this: &Hooks, wait: u32, code: u32, value: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch)]
    fn run(this: &Hooks, task: u32) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch)]
    fn done(this: &Hooks, task: u32) -> Result<(), JsValue>;
}

thread_local! {
    /// Set once; read without a borrow that a hook calling back into the bindings could meet.
    static HOOKS: OnceCell<Hooks> = const { OnceCell::new() };
}

/// Installs the JS layer's callbacks `{ settle, run, done }` (called once, right after the
/// module is instantiated; later calls change nothing).
#[wasm_bindgen]
pub fn install(hooks: Hooks) {
    HOOKS.with(|h| {
        let _ = h.set(hooks);
    });
}

pub(crate) fn settle(wait: u32, code: u32, value: &JsValue) {
    HOOKS.with(|h| {
        if let Some(h) = h.get() {
            let _ = h.settle(wait, code, value);
        }
    });
}

pub(crate) fn run(task: u32) {
    HOOKS.with(|h| {
        if let Some(h) = h.get() {
            let _ = h.run(task);
        }
    });
}

pub(crate) fn done(task: u32) {
    HOOKS.with(|h| {
        if let Some(h) = h.get() {
            let _ = h.done(task);
        }
    });
}
