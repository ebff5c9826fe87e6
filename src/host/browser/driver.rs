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
//! * `timer`: the one armed `setTimeout`, with the deadline it was armed for. After every slice
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

use std::cell::{Cell, RefCell};

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::clock::{now_nanos, timeout_ms};
use super::glue;
#[cfg(feature = "recover")]
use super::recovery;
use crate::borrow::borrow_mut;
use crate::executor::{self, Next, DEFAULT_BUDGET};

/// Wall time one slice may run ready tasks before it yields to the JS event loop.
pub(crate) const SLICE_NS: u64 = 4_000_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Micro,
    Macro,
    Timer,
}

struct Armed {
    deadline: u64,
    handle: JsValue,
}

struct Driver {
    micro_queued: Cell<bool>,
    macro_queued: Cell<bool>,
    in_slice: Cell<bool>,
    timer: RefCell<Option<Armed>>,
    /// `setTimeout` calls made (for diagnostics and tests).
    timers_armed: Cell<u64>,
    queue_micro: Function,
    queue_macro: Function,
    micro_slice: Function,
    macro_slice: Function,
    timer_slice: Function,
    _closure: Closure<dyn Fn(u8)>,
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
        // One Rust closure taking the kind, and three JS functions that call it with theirs:
        // each `Closure` costs its own glue in every app's wasm.
        let closure = Closure::<dyn Fn(u8)>::new(|kind: u8| {
            slice(match kind {
                0 => Kind::Micro,
                1 => Kind::Macro,
                _ => Kind::Timer,
            })
        });
        let f: &Function = closure.as_ref().unchecked_ref();
        #[cfg(feature = "recover")]
        let f = &glue::wasio_guard(f, on_error.as_ref().unchecked_ref());
        let micro_slice = glue::wasio_bind(f, 0);
        let macro_slice = glue::wasio_bind(f, 1);
        let timer_slice = glue::wasio_bind(f, 2);
        Driver {
            micro_queued: Cell::new(false),
            macro_queued: Cell::new(false),
            in_slice: Cell::new(false),
            timer: RefCell::new(None),
            timers_armed: Cell::new(0),
            queue_micro: glue::wasio_queue(false),
            queue_macro: glue::wasio_queue(true),
            micro_slice,
            macro_slice,
            timer_slice,
            _closure: closure,
            #[cfg(feature = "recover")]
            _on_error: on_error,
        }
    }

    fn post_micro(&self) {
        if !self.micro_queued.replace(true) {
            let _ = self
                .queue_micro
                .call1(&JsValue::UNDEFINED, &self.micro_slice);
        }
    }

    fn post_macro(&self) {
        if !self.macro_queued.replace(true) {
            let _ = self
                .queue_macro
                .call1(&JsValue::UNDEFINED, &self.macro_slice);
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
        let mut timer = borrow_mut(&self.timer);
        if matches!(&*timer, Some(a) if a.deadline == deadline) {
            return;
        }
        if let Some(old) = timer.take() {
            glue::clear_timeout(&old.handle);
        }
        let ms = timeout_ms(now_nanos(), deadline);
        let handle = glue::set_timeout(&self.timer_slice, ms);
        self.timers_armed.set(self.timers_armed.get() + 1);
        *timer = Some(Armed { deadline, handle });
    }

    fn disarm(&self) {
        if let Some(old) = borrow_mut(&self.timer).take() {
            glue::clear_timeout(&old.handle);
        }
    }
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
            Kind::Timer => drop(borrow_mut(&d.timer).take()),
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
