//! The browser/Node host's event-loop driving, in Node and in headless Chromium.
//!
//! Simulated-clock tests use `sim_test!`; the rest measure the host itself (JS timers, microtasks,
//! promises), so they run on the real clock and keep their waits short. The tests of trap
//! recovery exist only with the `recover` feature; the suite scripts run this file both ways.
#![cfg(all(target_arch = "wasm32", target_os = "unknown"))]

mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use common::sim_test;
use js_sys::{Function, Promise, Reflect};
use wasio::browser::JsPromise;
use wasio::{sleep, sleep_until, spawn, yield_now, Instant};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

#[cfg(feature = "recover")]
#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` without `catch`: a syntax error throws through the calling wasm frame.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse)]
    fn json_parse_throwing(s: &str) -> JsValue;
}

/// Wraps the global `setTimeout`/`clearTimeout` to count calls; returns a reader of the counts.
fn count_js_timers() -> impl Fn() -> (u32, u32) {
    let counts = count_js_timers_and_early_fires();
    move || {
        let (set, clear, _) = counts();
        (set, clear)
    }
}

/// As `count_js_timers`, plus how many timer callbacks ran before the delay they were armed
/// with had passed by `performance.now()` (Node's timers can run up to a millisecond early by
/// that clock: the driver then arms one more timer for the rest, so a test of exact counts
/// allows one extra arm per early fire).
fn count_js_timers_and_early_fires() -> impl Fn() -> (u32, u32, u32) {
    Function::new_no_args(
        "if (!globalThis.__wasioTimerCount) {
           const st = globalThis.setTimeout, ct = globalThis.clearTimeout;
           globalThis.__wasioTimerCount = { set: 0, clear: 0, early: 0 };
           globalThis.setTimeout = function (cb, ms, ...rest) {
             const c = globalThis.__wasioTimerCount;
             c.set++;
             const at = performance.now();
             const wrapped = typeof cb === 'function'
               ? function (...a) { if (performance.now() - at < (ms || 0)) c.early++; return cb.apply(this, a); }
               : cb;
             return st.call(this, wrapped, ms, ...rest);
           };
           globalThis.clearTimeout = function (...a) { globalThis.__wasioTimerCount.clear++; return ct.apply(this, a); };
         }
         globalThis.__wasioTimerCount.set = 0;
         globalThis.__wasioTimerCount.clear = 0;
         globalThis.__wasioTimerCount.early = 0;",
    )
    .call0(&JsValue::UNDEFINED)
    .unwrap();
    || {
        let c = Reflect::get(&js_sys::global(), &"__wasioTimerCount".into()).unwrap();
        let get = |k: &str| Reflect::get(&c, &k.into()).unwrap().as_f64().unwrap() as u32;
        (get("set"), get("clear"), get("early"))
    }
}

/// A promise that resolves after `ms` of real time (through JS, not wasio).
fn js_delay(ms: i32) -> JsPromise {
    let p = Promise::new(&mut |resolve, _| {
        let f = Function::new_with_args("r, ms", "setTimeout(r, ms)");
        f.call2(&JsValue::UNDEFINED, &resolve, &JsValue::from(ms))
            .unwrap();
    });
    JsPromise::from(p)
}

#[wasm_bindgen_test]
async fn spawn_starts_the_loop_lazily_with_no_setup() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let l = log.clone();
    let t = spawn(async move {
        l.borrow_mut().push("task ran");
        7
    });
    assert!(log.borrow().is_empty(), "spawn only queues the task");
    assert_eq!(t.await.unwrap(), 7);
    assert_eq!(*log.borrow(), ["task ran"]);
}

#[wasm_bindgen_test]
async fn a_real_timer_fires_no_earlier_than_its_deadline() {
    let t0 = Instant::now();
    let start = js_sys::Date::now();
    spawn(sleep(Duration::from_millis(30))).await.unwrap();
    assert!(
        t0.elapsed() >= Duration::from_millis(30),
        "{:?}",
        t0.elapsed()
    );
    assert!(js_sys::Date::now() - start >= 29.0);
}

#[wasm_bindgen_test]
async fn js_promises_resolve_and_reject_into_results() {
    let ok = JsPromise::from(Promise::resolve(&JsValue::from(42))).await;
    assert_eq!(ok.unwrap(), 42);
    let err = JsPromise::new(&Promise::reject(&JsValue::from("no"))).await;
    assert_eq!(err.unwrap_err(), "no");
    // Awaited inside a wasio task, a promise settled by a JS timer wakes the task.
    let t = spawn(async { js_delay(5).await.map(|_| "woke") });
    assert_eq!(t.await.unwrap().unwrap(), "woke");
}

// Both builds: without `recover` one task runs the future and settles the promise; with it a
// second task awaits the first. Either way a cancelled task rejects its promise.
#[wasm_bindgen_test]
async fn futures_become_promises_that_resolve_reject_and_reject_when_cancelled() {
    use wasio::browser::{future_to_promise, spawn_promise};
    let p = future_to_promise(async {
        sleep(Duration::from_millis(1)).await;
        Ok(JsValue::from(5))
    });
    assert_eq!(JsPromise::from(p).await.unwrap(), 5);
    let p = future_to_promise(async { Err(JsValue::from("bad")) });
    assert_eq!(JsPromise::from(p).await.unwrap_err(), "bad");
    let p = spawn_promise(async { JsValue::from("plain") });
    assert_eq!(JsPromise::from(p).await.unwrap(), "plain");
    // The task cancels itself: its future is dropped at the next await, unfinished.
    let dropped = Rc::new(Cell::new(false));
    let d = dropped.clone();
    let p = future_to_promise(async move {
        let _mark = scopeguard(move || d.set(true));
        wasio::current_task().unwrap().cancel();
        yield_now().await;
        Ok(JsValue::from("never"))
    });
    let err = JsPromise::from(p).await.unwrap_err();
    let msg = String::from(err.dyn_into::<js_sys::Error>().unwrap().message());
    assert_eq!(msg, "wasio task failed: task was cancelled");
    assert!(dropped.get());
}

/// Runs `f` when dropped.
fn scopeguard(f: impl FnOnce()) -> impl Drop {
    struct Guard<F: FnOnce()>(Option<F>);
    impl<F: FnOnce()> Drop for Guard<F> {
        fn drop(&mut self) {
            if let Some(f) = self.0.take() {
                f();
            }
        }
    }
    Guard(Some(f))
}

// Trap recovery is the `recover` feature (scripts/test-node.sh and test-browser.sh run this file
// with it too); tests/browser_panic.rs is the same panic without it.
#[cfg(feature = "recover")]
#[wasm_bindgen_test]
async fn a_promise_task_that_panics_rejects_its_promise() {
    use wasio::browser::future_to_promise;
    let p = future_to_promise(async {
        yield_now().await;
        panic!("boom in a promise task");
    });
    let err = JsPromise::from(p).await.unwrap_err();
    let msg = String::from(err.dyn_into::<js_sys::Error>().unwrap().message());
    assert!(msg.contains("panicked"), "{msg}");
    assert!(msg.contains("boom in a promise task"), "{msg}");
}

// Trap recovery is the `recover` feature (scripts/test-node.sh and test-browser.sh run this file
// with it too); tests/browser_panic.rs is the same panic without it.
#[cfg(feature = "recover")]
#[wasm_bindgen_test]
async fn a_panicking_task_neither_wedges_the_loop_nor_hangs_its_awaiter() {
    let order = Rc::new(RefCell::new(Vec::new()));
    let o = order.clone();
    let survivor = spawn(async move {
        for i in 0..3 {
            yield_now().await;
            o.borrow_mut().push(i);
        }
        "survived"
    });
    let doomed = spawn(async {
        yield_now().await;
        panic!("deliberate test panic");
    });
    let err = doomed.await.unwrap_err();
    assert!(err.is_panic());
    assert!(err.to_string().contains("deliberate test panic"), "{err}");
    assert_eq!(survivor.await.unwrap(), "survived");
    assert_eq!(*order.borrow(), [0, 1, 2]);
    // The loop still works afterwards: timers, yields, new tasks.
    spawn(async { sleep(Duration::from_millis(2)).await })
        .await
        .unwrap();
}

// Trap recovery is the `recover` feature (scripts/test-node.sh and test-browser.sh run this file
// with it too); tests/browser_panic.rs is the same panic without it.
#[cfg(feature = "recover")]
#[wasm_bindgen_test]
async fn a_js_exception_thrown_through_a_task_is_contained() {
    let other = spawn(async {
        yield_now().await;
        yield_now().await;
        1
    });
    let thrower = spawn(async {
        yield_now().await;
        json_parse_throwing("{ not json");
        unreachable!("the exception unwinds past this line");
    });
    let err = thrower.await.unwrap_err();
    assert!(err.is_panic(), "{err}");
    assert!(err.to_string().contains("JavaScript exception"), "{err}");
    assert_eq!(other.await.unwrap(), 1);
}

// Trap recovery is the `recover` feature (scripts/test-node.sh and test-browser.sh run this file
// with it too). A trap that no panic recorded (here `unreachable`; in a build with
// `-C panic=immediate-abort`, every panic) ends its task as a trap, named as one.
#[cfg(feature = "recover")]
#[wasm_bindgen_test]
async fn a_wasm_trap_without_a_panic_is_contained_and_named_a_trap() {
    let other = spawn(async {
        yield_now().await;
        yield_now().await;
        2
    });
    let trapper = spawn(async {
        yield_now().await;
        core::arch::wasm32::unreachable()
    });
    let err = trapper.await.unwrap_err();
    assert!(err.is_panic(), "{err}");
    assert!(
        err.to_string()
            .contains("task aborted by a wasm trap (unreachable"),
        "{err}"
    );
    assert_eq!(other.await.unwrap(), 2);
}

#[wasm_bindgen_test]
async fn ten_thousand_sleeps_on_one_deadline_arm_one_js_timer() {
    let counts = count_js_timers();
    let armed_before = wasio::browser::timers_armed();
    // Far enough ahead that spawning and polling 10,000 tasks (debug build, slow CI machine) ends
    // before it: every sleep must still be pending when it is first polled.
    let at = Instant::now() + Duration::from_millis(1500);
    let done = Rc::new(Cell::new(0u32));
    let tasks: Vec<_> = (0..10_000)
        .map(|_| {
            let done = done.clone();
            spawn(async move {
                sleep_until(at).await;
                done.set(done.get() + 1);
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(done.get(), 10_000);
    assert_eq!(counts(), (1, 0), "(setTimeout calls, clearTimeout calls)");
    assert_eq!(wasio::browser::timers_armed() - armed_before, 1);
    assert!(Instant::now() >= at);
}

#[wasm_bindgen_test]
async fn an_earlier_deadline_re_arms_and_a_later_one_does_not() {
    let with_early = count_js_timers_and_early_fires();
    let counts = || {
        let (set, clear, _) = with_early();
        (set, clear)
    };
    let late = spawn(sleep(Duration::from_millis(60)));
    yield_now().await;
    let later = spawn(sleep(Duration::from_millis(80)));
    yield_now().await;
    assert_eq!(counts(), (1, 0), "a later deadline keeps the armed timer");
    let early = spawn(sleep(Duration::from_millis(10)));
    yield_now().await;
    assert_eq!(
        counts(),
        (2, 1),
        "an earlier deadline replaces the armed timer once"
    );
    early.await.unwrap();
    let (set, clear, early_fires) = with_early();
    assert_eq!(clear, 1, "no timer is cleared when one fires");
    assert!(
        (3..=3 + early_fires).contains(&set),
        "when it fired, the next deadline is armed: {set} arms, {early_fires} early fires"
    );
    late.await.unwrap();
    later.await.unwrap();
}

#[wasm_bindgen_test]
async fn a_thousand_yields_take_milliseconds_and_no_timers() {
    let counts = count_js_timers();
    let start = js_sys::Date::now();
    let t = spawn(async {
        for _ in 0..1000 {
            yield_now().await;
        }
        for _ in 0..1000 {
            sleep(Duration::ZERO).await;
        }
    });
    t.await.unwrap();
    let ms = js_sys::Date::now() - start;
    assert_eq!(
        counts().0,
        0,
        "yield_now and zero sleeps never use setTimeout"
    );
    assert!(
        ms < 250.0,
        "2,000 yields took {ms} ms (clamped timers would take 8 s)"
    );
}

#[wasm_bindgen_test]
async fn a_busy_yield_loop_lets_js_callbacks_run_between_turns() {
    // A JS timer set while a task yields in a loop still fires: the loop gives the event loop a
    // macrotask turn when its time slice is spent.
    let fired = Rc::new(Cell::new(false));
    let f = fired.clone();
    let timer = spawn(async move {
        js_delay(1).await.unwrap();
        f.set(true);
    });
    let f = fired.clone();
    let spinner = spawn(async move {
        let mut spins = 0u64;
        while !f.get() {
            yield_now().await;
            spins += 1;
            assert!(spins < 50_000_000, "the JS timer never got to run");
        }
        spins
    });
    assert!(spinner.await.unwrap() > 0);
    timer.await.unwrap();
}

sim_test! {
    async fn the_simulated_clock_jumps_in_the_js_driven_loop() {
        let t0 = Instant::now();
        let a = spawn(async { sleep(Duration::from_secs(3600)).await; Instant::now() });
        let b = spawn(async { sleep(Duration::from_secs(60)).await; Instant::now() });
        assert_eq!(b.await.unwrap() - t0, Duration::from_secs(60));
        assert_eq!(a.await.unwrap() - t0, Duration::from_secs(3600));
        sleep(Duration::from_secs(86_400 * 30)).await; // beyond setTimeout's limit: virtual anyway
        assert_eq!(t0.elapsed(), Duration::from_secs(3600 + 86_400 * 30));
    }
}

sim_test! {
    async fn simulated_time_waits_for_pending_microtasks() {
        // A JS promise chain that is already running finishes before the clock jumps.
        let p = Function::new_no_args(
            "let p = Promise.resolve(0); for (let i = 0; i < 100; i++) p = p.then(x => x + 1); return p;",
        )
        .call0(&JsValue::UNDEFINED)
        .unwrap()
        .unchecked_into::<Promise>();
        let t0 = Instant::now();
        let timer = spawn(async { sleep(Duration::from_millis(5)).await; Instant::now() });
        assert_eq!(JsPromise::from(p).await.unwrap(), 100);
        assert_eq!(t0.elapsed(), Duration::ZERO, "no time passed while JS work was ready");
        assert_eq!(timer.await.unwrap() - t0, Duration::from_millis(5));
    }
}

#[wasm_bindgen_test]
fn run_cannot_block_on_this_host() {
    assert_eq!(
        wasio::try_run(async { 1 }),
        Err(wasio::RunError::CannotBlock)
    );
}
