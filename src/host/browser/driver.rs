//! The browser driver: how the JS event loop runs wasio's executor.
//!
//! Words: a *turn* is one turn of the executor (`Executor::turn`); a *step* is a turn with the
//! loop's policy around it ([`executor::step`]); a *slice* is one JS callback of this driver (a
//! microtask, a macrotask or the timer) that runs steps until nothing is ready or its time slice
//! is spent.
//!
//! # State (one per thread, `DRIVER`)
//!
//! * `micro_queued`: a microtask slice is queued. Set by [`request_turn`], cleared when that slice
//!   starts. A wake-up queues at most one microtask until the slice runs.
//! * `macro_queued`: a macrotask slice is queued (`scheduler.postTask`, `setImmediate` in Node, a
//!   `MessageChannel`, or `setTimeout(0)` as the last resort). Queued when a slice spends its time
//!   budget with tasks still ready, so rendering, input and I/O callbacks run in between, and on
//!   the simulated clock to jump time once everything else (microtasks included) has settled.
//!   While it is queued, wake-ups queue nothing: the macrotask will run them.
//! * `timer`: the deadline the one armed `setTimeout` is for (its handle stays in the driver's JS
//!   half, `glue::wasio_driver`, which also holds the micro- and macrotask primitives and the
//!   slice callbacks, so each post or re-arm is one call into JS). After every slice
//!   that leaves nothing ready, it is compared with the executor's earliest deadline and re-armed
//!   only if that changed (cleared if no deadline is left). A delay longer than `setTimeout`'s
//!   2^31-1 ms limit is armed as a capped leg; the slice that leg runs finds the deadline not yet
//!   due and arms the next leg. `yield_now` and zero sleeps make a task ready, which never goes
//!   through `setTimeout`, so the browser's nesting clamp (4 ms) never applies to them.
//! * `in_slice`: a slice is running. A slice can be cut short by a JS exception or a wasm trap (a
//!   panic under `panic=abort`); what happens then depends on the `recover` feature:
//!   * with it, the JS guard around every callback calls `on_error`, which resets this flag and
//!     the executor's (`recover_interrupted_turn`), ends the interrupted task as panicked (its
//!     awaiters get a `JoinError`), reports on the console, and drives on: the remaining tasks
//!     still run. A slice that finds `in_slice` still set does the same recovery first
//!     (defensive: the guard should always have run).
//!   * without it (the default), the callbacks are the bare closures: the trap or exception
//!     reaches the host as an uncaught error, as it does from wasm-bindgen-futures' queue, and
//!     `in_slice` stays set. Wake-ups then queue nothing, and a slice that finds `in_slice` set
//!     (an armed timer, a queued macrotask) returns at once: the loop on this thread has
//!     stopped. Running on would poll tasks around a future left half-updated by the trap.
//!
//! # Size: what `recover` costs
//!
//! The guard, `on_error`, the panic recorder (a `std::panic::set_hook` whose message formatting
//! links `core::fmt`'s writer, integer formatting and `format!`), and the executor's and task's
//! recovery code (`recovery.rs` beside this file, `executor/recover.rs`, `abandon` in
//! `task_cell.rs`) exist only with the feature. The linker cannot drop them by itself: whether an
//! app ever panics is not something it can see, so the choice is a cargo feature (see
//! `src/browser/mod.rs`'s "Failures").
//!
//! # Slices
//!
//! A slice runs loop steps ([`executor::step`], each polling up to `DEFAULT_BUDGET` tasks,
//! including tasks woken during it) until nothing is ready or [`SLICE_NS`] of wall time has passed
//! (checked after each step), so a task that yields in a loop costs one poll per yield, not one
//! JS task per yield. The step owns the loop policy; this driver only maps its [`Next`] onto JS:
//! `Run` queues a macrotask, `Jump` (the simulated clock, `wasio::testing::simulate`) a macrotask
//! whose step jumps the clock once every microtask has settled, and `Wait` the one `setTimeout`.

use std::cell::Cell;

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::clock::{now_nanos, timeout_ms};
use super::glue;
#[cfg(feature = "recover")]
use super::recovery;
use crate::executor::{self, Next, DEFAULT_BUDGET};

/// Wall time one slice may run ready tasks before it yields to the JS event loop.
pub(crate) const SLICE_NS: u64 = 4_000_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Micro,
    Macro,
    Timer,
}

struct Driver {
    micro_queued: Cell<bool>,
    macro_queued: Cell<bool>,
    in_slice: Cell<bool>,
    /// The deadline the one `setTimeout` is armed for (its handle is kept in `js`).
    timer: Cell<Option<u64>>,
    /// `setTimeout` calls made (for diagnostics and tests).
    timers_armed: Cell<u64>,
    /// The JS half (`glue::wasio_driver`): the microtask and macrotask primitives, the closure
    /// bound to each kind of slice, and the timer's handle. One object where five JS functions
    /// and a timer handle were kept here, each an import's worth of glue to use.
    js: JsValue,
    /// What kinds 3 and 4 of the callback call (see [`watch`]).
    settled: Cell<Option<Settled>>,
    _closure: Closure<dyn Fn(u32, u32, JsValue)>,
    #[cfg(feature = "recover")]
    _on_error: Closure<dyn Fn(JsValue)>,
}

thread_local! {
    static DRIVER: Driver = Driver::new();
}

impl Driver {
    fn new() -> Driver {
        #[cfg(feature = "recover")]
        let on_error = recovery::install();
        // The host's one Rust closure: it takes the kind of callback, bound in JS to each kind
        // of slice (0, 1, 2), and is the settlement callback of every watched promise (3
        // fulfilled, 4 rejected, with its token): each `Closure` type costs its own glue in
        // every app's wasm.
        let closure = Closure::<dyn Fn(u32, u32, JsValue)>::new(|kind, token, value| match kind {
            0 => slice(Kind::Micro),
            1 => slice(Kind::Macro),
            2 => slice(Kind::Timer),
            _ => {
                if let Some(settled) = DRIVER.with(|d| d.settled.get()) {
                    settled(token, kind == 3, value);
                }
            }
        });
        let f: &Function = closure.as_ref().unchecked_ref();
        #[cfg(feature = "recover")]
        let f = &glue::wasio_guard(f, on_error.as_ref().unchecked_ref());
        Driver {
            micro_queued: Cell::new(false),
            macro_queued: Cell::new(false),
            in_slice: Cell::new(false),
            timer: Cell::new(None),
            timers_armed: Cell::new(0),
            js: glue::wasio_driver(f),
            settled: Cell::new(None),
            _closure: closure,
            #[cfg(feature = "recover")]
            _on_error: on_error,
        }
    }

    fn post_micro(&self) {
        if !self.micro_queued.replace(true) {
            glue::wasio_post(&self.js, false);
        }
    }

    fn post_macro(&self) {
        if !self.macro_queued.replace(true) {
            glue::wasio_post(&self.js, true);
        }
    }

    /// Maps what the loop needs after a slice onto JS.
    fn after(&self, next: Next) {
        match next {
            Next::Run => self.post_macro(),
            Next::Jump => {
                self.disarm();
                self.post_macro();
            }
            Next::Wait(None) => self.disarm(),
            Next::Wait(Some(d)) => self.arm(d),
        }
    }

    fn arm(&self, deadline: u64) {
        if self.timer.get() == Some(deadline) {
            return;
        }
        // Clears the old timer, if any, and arms the new one: one call.
        glue::wasio_timer(&self.js, timeout_ms(now_nanos(), deadline));
        self.timers_armed.set(self.timers_armed.get() + 1);
        self.timer.set(Some(deadline));
    }

    fn disarm(&self) {
        if self.timer.take().is_some() {
            glue::wasio_timer(&self.js, -1.0);
        }
    }
}

/// Settles a watched promise: its token, and whether it was fulfilled (else rejected).
pub(crate) type Settled = fn(u32, bool, JsValue);

/// Calls `settled(token, fulfilled, value)` through the driver's callback when `promise`
/// settles (`wasio::browser::JsPromise`; every watcher passes the same `settled`).
pub(crate) fn watch(promise: &js_sys::Promise, token: u32, settled: Settled) {
    DRIVER.with(|d| {
        d.settled.set(Some(settled));
        glue::wasio_settle(&d.js, promise, token);
    });
}

/// Asks for a slice (the executor calls this at most once until its next turn starts).
pub(crate) fn request_turn() {
    DRIVER.with(|d| {
        if !d.in_slice.get() && !d.macro_queued.get() {
            d.post_micro();
        }
    });
}

/// How many times the loop has called `setTimeout` on this thread.
pub(crate) fn timers_armed() -> u64 {
    DRIVER.with(|d| d.timers_armed.get())
}

fn slice(kind: Kind) {
    let stale = DRIVER.with(|d| {
        match kind {
            Kind::Micro => d.micro_queued.set(false),
            Kind::Macro => d.macro_queued.set(false),
            Kind::Timer => d.timer.set(None),
        }
        d.in_slice.replace(true)
    });
    if stale {
        // A slice ended without returning: a trap or a JS exception cut it short.
        #[cfg(feature = "recover")]
        recovery::unwedge();
        // Without `recover` the loop has stopped (see the module docs): leave `in_slice` set.
        #[cfg(not(feature = "recover"))]
        return;
    }
    #[cfg(feature = "recover")]
    recovery::forget_last_panic();
    // A macrotask runs after every microtask: the host has settled, so a simulated clock may jump.
    let settled = kind == Kind::Macro;
    let start = now_nanos();
    let next = loop {
        // A step that leaves tasks ready has polled a full budget of them: then the clock is
        // worth reading (a call into JS) to see whether the slice is spent.
        let next = executor::step(DEFAULT_BUDGET, settled);
        if next != Next::Run || now_nanos().saturating_sub(start) >= SLICE_NS {
            break next;
        }
    };
    DRIVER.with(|d| {
        d.in_slice.set(false);
        d.after(next);
    });
}

/// Clears `in_slice` and maps `next` onto JS after a callback was cut short (the `recover`
/// feature's error handler, `recovery.rs`, calls it once it has unwedged the executor).
#[cfg(feature = "recover")]
pub(super) fn resume(next: Next) {
    DRIVER.with(|d| {
        d.in_slice.set(false);
        d.after(next);
    });
}
