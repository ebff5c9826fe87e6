//! JS `Promise` ⇄ Rust future.
//!
//! # Data structure
//!
//! [`JsPromise`] (a future over a JS promise) shares one `Rc<RefCell<Settle>>` with the JS
//! callbacks attached to the promise when the future is created. `Settle` is `Pending(waker)`
//! until the promise settles, then `Done(result)`, then `Taken` once the future returned it.
//!
//! The callbacks (`glue::wasio_settle`) call the browser driver's one Rust closure with a token:
//! the `Settle`'s `Rc` pointer, one reference leaked into JS for the callback (exactly one of the
//! promise's two callbacks runs, once), which `settled` takes back. So dropping the future early
//! is always safe (the late settlement lands in a `Settle` nobody reads), and no closure is made
//! per promise: a `Closure::once_into_js` per promise linked its own boxing, call and drop glue
//! into every app that awaits a promise (`fetch` awaits one per body chunk). A promise that never
//! settles keeps its `Settle` (a few words), as it kept its closure before.
//!
//! [`future_to_promise`] goes the other way: the future runs as a wasio task that resolves or
//! rejects the JS promise (with the `recover` feature, a second small task awaits it, so a task
//! that panics, and is ended by the loop's recovery, still rejects its promise).

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::borrow::{borrow, borrow_mut};
use crate::host::browser::{driver, glue};

enum Settle {
    Pending(Option<Waker>),
    Done(Result<JsValue, JsValue>),
    Taken,
}

/// A future that waits for a JS `Promise` to settle: `Ok(value)` when it resolves, `Err(reason)`
/// when it rejects.
///
/// Await it inside a wasio task (or any future). The promise starts being watched when the
/// `JsPromise` is created, so nothing is missed between creation and the first poll.
///
/// # Examples
///
/// ```no_run
/// # async fn demo() {
/// use wasio::browser::{js_sys::Promise, JsPromise, JsValue};
/// let p = Promise::resolve(&JsValue::from(42));
/// assert_eq!(JsPromise::from(p).await.unwrap(), 42);
/// # }
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct JsPromise {
    settle: Rc<RefCell<Settle>>,
}

impl JsPromise {
    /// Starts watching `promise`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn demo() {
    /// use wasio::browser::{js_sys::Promise, JsPromise, JsValue};
    /// let err = JsPromise::new(&Promise::reject(&JsValue::from("no"))).await.unwrap_err();
    /// assert_eq!(err, "no");
    /// # }
    /// ```
    pub fn new(promise: &Promise) -> JsPromise {
        let settle = Rc::new(RefCell::new(Settle::Pending(None)));
        // The callback's reference, taken back by `settled` (a wasm32 pointer fits a `u32`).
        let token = Rc::into_raw(settle.clone()) as usize as u32;
        driver::watch(promise, token, settled);
        JsPromise { settle }
    }
}

// The token is a pointer in a `u32`: wasm32 only.
const _: () = assert!(std::mem::size_of::<usize>() == 4);

/// A promise watched by [`JsPromise::new`] settled: records the result and wakes the future.
#[allow(unsafe_code)]
fn settled(token: u32, ok: bool, value: JsValue) {
    // SAFETY: `token` is a pointer from `Rc::into_raw` in `JsPromise::new`, whose reference JS
    // hands back here exactly once (a promise runs one of its two callbacks, once).
    let shared = unsafe { Rc::from_raw(token as usize as *const RefCell<Settle>) };
    let prev = std::mem::replace(
        &mut *borrow_mut(&shared),
        Settle::Done(if ok { Ok(value) } else { Err(value) }),
    );
    if let Settle::Pending(Some(w)) = prev {
        w.wake();
    }
}

impl From<Promise> for JsPromise {
    fn from(p: Promise) -> JsPromise {
        JsPromise::new(&p)
    }
}

impl fmt::Debug for JsPromise {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &*borrow(&self.settle) {
            Settle::Pending(_) => "pending",
            Settle::Done(_) => "settled",
            Settle::Taken => "taken",
        };
        f.debug_struct("JsPromise").field("state", &state).finish()
    }
}

impl Future for JsPromise {
    type Output = Result<JsValue, JsValue>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut s = borrow_mut(&self.settle);
        match &mut *s {
            Settle::Pending(w) => {
                match w {
                    Some(w) if w.will_wake(cx.waker()) => {}
                    _ => *w = Some(cx.waker().clone()),
                }
                crate::trace::wait::pending(crate::trace::WaitReason::Promise)
            }
            Settle::Done(_) => match std::mem::replace(&mut *s, Settle::Taken) {
                Settle::Done(r) => Poll::Ready(r),
                _ => unreachable!("matched Done above"),
            },
            Settle::Taken => Poll::Ready(Err(JsValue::from(js_sys::Error::new(
                "JsPromise polled after it completed",
            )))),
        }
    }
}

/// Runs `future` as a wasio task and returns a JS `Promise` of its result: for `#[wasm_bindgen]`
/// exports that JS awaits.
///
/// `Ok(v)` resolves the promise with `v`, `Err(e)` rejects it with `e`. If the task panics or is
/// cancelled, the promise rejects with a JS `Error` describing that. The loop starts on its own:
/// no setup is needed.
///
/// # Examples
///
/// ```no_run
/// use wasio::browser::{future_to_promise, js_sys::Promise, JsValue};
///
/// // #[wasm_bindgen] pub fn answer() -> Promise { ... }
/// pub fn answer() -> Promise {
///     future_to_promise(async {
///         wasio::sleep(std::time::Duration::from_millis(10)).await;
///         Ok(JsValue::from(42))
///     })
/// }
/// ```
pub fn future_to_promise<F>(future: F) -> Promise
where
    F: Future<Output = Result<JsValue, JsValue>> + 'static,
{
    // A promise settled through one glue call (`glue::wasio_resolve`): `Promise::new` with a Rust
    // closure as the executor linked a stack closure's glue into every app, and handing the
    // settling functions to Rust took three more imports.
    let promise = glue::wasio_deferred();
    let settle = Settler {
        promise: promise.clone(),
        armed: true,
    };
    settle_when_done(future, settle);
    promise
}

/// The promise, held by the task that runs the future until it settles it. Dropped before it
/// settled (the task was cancelled: the loop closed), it rejects the promise as a `JoinError` of
/// a cancelled task would.
struct Settler {
    promise: Promise,
    armed: bool,
}

impl Settler {
    fn settle(mut self, result: Result<JsValue, JsValue>) {
        self.armed = false;
        let (ok, v) = match &result {
            Ok(v) => (true, v),
            Err(e) => (false, e),
        };
        glue::wasio_resolve(&self.promise, ok, v);
    }

    fn fail(&self, message: &str) {
        glue::wasio_resolve(&self.promise, false, &js_sys::Error::new(message));
    }
}

impl Drop for Settler {
    fn drop(&mut self) {
        if self.armed {
            self.fail("wasio task failed: task was cancelled");
        }
    }
}

/// Without trap recovery, one task runs the future and settles the promise: a panic is a trap that
/// stops the loop (nothing could settle it), and cancellation drops the settling functions, which
/// reject. Half the tasks of the two-task form below, and no `Task` handle or `JoinError` text:
/// about 2 KB of the small app (`benches/wasm-app-wasio`, see `executor`'s size paragraph).
#[cfg(not(feature = "recover"))]
fn settle_when_done<F>(future: F, settle: Settler)
where
    F: Future<Output = Result<JsValue, JsValue>> + 'static,
{
    crate::task::spawn_detached(async move { settle.settle(future.await) });
}

/// With trap recovery, the future runs as its own task and a second task awaits its handle, so a
/// task that panics (ended by the loop's recovery) still rejects its promise.
#[cfg(feature = "recover")]
fn settle_when_done<F>(future: F, settle: Settler)
where
    F: Future<Output = Result<JsValue, JsValue>> + 'static,
{
    let task = crate::spawn(future);
    crate::task::spawn_detached(async move {
        match task.await {
            Ok(r) => settle.settle(r),
            Err(join) => {
                let mut settle = settle;
                settle.armed = false;
                settle.fail(&format!("wasio task failed: {join}"));
            }
        }
    });
}

/// Like [`future_to_promise`] for futures that cannot fail: the promise resolves with the output.
///
/// # Examples
///
/// ```no_run
/// let p = wasio::browser::spawn_promise(async { wasio::browser::JsValue::from("done") });
/// ```
pub fn spawn_promise<F>(future: F) -> Promise
where
    F: Future<Output = JsValue> + 'static,
{
    future_to_promise(async move { Ok(future.await) })
}
