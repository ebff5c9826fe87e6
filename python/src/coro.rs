//! Coroutines and generators: a Python function body run by the asynchronous evaluator is one
//! boxed Rust future.
//!
//! A [`Coro`] holds that future until something awaits it (once). A generator ([`Gen`]) holds it
//! too, with a [`Slot`]: `yield v` puts `v` in the slot and returns `Pending` once, without
//! registering a waker; the driver (`next()`, or an async generator's `__anext__`) sees `Pending`
//! with a value in the slot and hands the value out. `Pending` with an empty slot is a real wait
//! (an `await` inside an async generator) and goes up to the task. [`await_value`] is the one
//! place an `await` expression awaits anything.

use crate::cell::Borrows as _;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use crate::aeval::Fut;
use crate::interp::*;
use crate::value::*;

/// A coroutine object: a future that can be awaited once.
pub struct Coro {
    pub name: Rc<str>,
    pub fut: RefCell<Option<Fut<'static, Res<Value>>>>,
    /// Made by `asyncio.run`: awaited in place by the module-level evaluator.
    pub run_request: bool,
    /// A user coroutine's frame (its file, current line and function), for `repr(task)`.
    pub frame: Option<Rc<Frame>>,
}

impl Coro {
    /// A coroutine value around a future.
    pub fn value(name: &str, fut: impl Future<Output = Res<Value>> + 'static) -> Value {
        Value::Coro(Rc::new(Coro {
            name: name.into(),
            fut: RefCell::new(Some(Box::pin(fut))),
            run_request: false,
            frame: None,
        }))
    }
}

/// Where a generator's `yield` leaves its value and finds what `send` sent.
#[derive(Default)]
pub struct Slot {
    pub out: RefCell<Option<Value>>,
    pub sent: RefCell<Option<Value>>,
}

/// A generator or async generator.
pub struct Gen {
    pub name: Rc<str>,
    pub fut: RefCell<Option<Fut<'static, Res<Value>>>>,
    pub slot: Rc<Slot>,
    pub is_async: bool,
    pub done: Cell<bool>,
}

/// Makes the coroutine or generator object for a call of an `async def` or generator function.
pub fn make(i: &Interp, frame: Rc<Frame>, func: Rc<Function>) -> Value {
    let is_gen = func.def.is_generator;
    let is_async = func.def.is_async;
    let slot = Rc::new(Slot::default());
    if is_gen {
        *frame.gen.wr() = Some(slot.clone());
    }
    let name = func.name.rd().clone();
    let keep = frame.clone();
    let i2 = i.clone();
    let fut = async move {
        let r = i2
            .aexec_block(
                &frame,
                &frame.func.as_ref().map(|f| f.def.clone()).unwrap().body,
            )
            .await;
        match r {
            Ok(Flow::Return(v)) => Ok(v),
            Ok(_) => Ok(Value::None),
            Err(mut e) => {
                e.tb.push((frame.file.clone(), frame.line.get(), frame.name.clone()));
                Err(e)
            }
        }
    };
    if is_gen {
        Value::Gen(Rc::new(Gen {
            name,
            fut: RefCell::new(Some(Box::pin(fut))),
            slot,
            is_async,
            done: Cell::new(false),
        }))
    } else {
        Value::Coro(Rc::new(Coro {
            name,
            fut: RefCell::new(Some(Box::pin(fut))),
            run_request: false,
            frame: Some(keep),
        }))
    }
}

/// A future polled `units` deeper in the depth count ([`Interp::nest`]) for as long as each
/// poll lasts (never while it is suspended, when other tasks run). An `await` of a coroutine
/// nests its body's polls inside the awaiter's, as a call nests frames, so unbounded
/// `await f()` recursion raises `RecursionError` as in CPython; on wasm the async evaluator's
/// blocks count too ([`NEST_UNITS`]), as they hold native stack.
pub struct Nested<'a, T> {
    pub i: &'a Interp,
    pub units: usize,
    pub f: Fut<'a, Res<T>>,
}

impl<T> Future for Nested<'_, T> {
    type Output = Res<T>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Res<T>> {
        let i = self.i;
        let _nest = match i.nest(self.units) {
            Ok(g) => g,
            Err(e) => return Poll::Ready(Err(e)),
        };
        self.f.as_mut().poll(cx)
    }
}

/// Awaits any awaitable value: a coroutine, a task, or an object with `__await__`.
pub async fn await_value(i: &Interp, v: Value) -> Res<Value> {
    match v {
        Value::Coro(c) => {
            let fut = c.fut.wr().take();
            match fut {
                Some(f) => {
                    Nested {
                        i,
                        units: AWAIT_UNITS,
                        f,
                    }
                    .await
                }
                None => i.err("RuntimeError", "cannot reuse already awaited coroutine"),
            }
        }
        Value::Task(t) => crate::asyncio::join(i, t).await,
        Value::Inst(_) => {
            let m = crate::ops::getattr(i, &v, "__await__")?;
            let it = i.call(&m, vec![], vec![])?;
            Box::pin(await_value(i, it)).await
        }
        other => i.type_err(format!(
            "object {} can't be used in 'await' expression",
            crate::ops::type_name(i, &other)
        )),
    }
}

struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            Poll::Pending
        }
    }
}

/// `yield v` inside a generator frame: hands `v` out, returns what is sent back.
pub async fn yield_value(i: &Interp, f: &Frame, v: Value) -> Res<Value> {
    let slot = match f.gen.rd().clone() {
        Some(s) => s,
        None => return i.err("SyntaxError", "'yield' outside generator"),
    };
    *slot.out.wr() = Some(v);
    YieldOnce(false).await;
    let sent = slot.sent.wr().take().unwrap_or(Value::None);
    Ok(sent)
}

/// Resumes a (sync) generator: `Some(value)` yielded, `None` when it returned.
pub fn resume(i: &Interp, g: &Gen, sent: Value) -> Res<Option<Value>> {
    if g.done.get() {
        return Ok(None);
    }
    let _nest = i.nest(AWAIT_UNITS)?;
    let Some(mut fut) = g.fut.wr().take() else {
        return i.err("ValueError", "generator already executing");
    };
    *g.slot.sent.wr() = Some(sent);
    let mut cx = Context::from_waker(std::task::Waker::noop());
    match fut.as_mut().poll(&mut cx) {
        Poll::Ready(r) => {
            g.done.set(true);
            r.map(|_| None)
        }
        Poll::Pending => {
            *g.fut.wr() = Some(fut);
            match g.slot.out.wr().take() {
                Some(v) => Ok(Some(v)),
                None => i.err("RuntimeError", "a generator awaited outside a coroutine"),
            }
        }
    }
}

/// An async generator's `__anext__()` awaitable.
pub fn anext(i: &Interp, g: Rc<Gen>) -> Value {
    let name = g.name.clone();
    let i = i.clone();
    Coro::value(&name, async move {
        std::future::poll_fn(move |cx| {
            if g.done.get() {
                return Poll::Ready(Err(raise(i.exc_val("StopAsyncIteration", ""))));
            }
            let Some(mut fut) = g.fut.wr().take() else {
                return Poll::Ready(Err(raise(i.exc_val("StopAsyncIteration", ""))));
            };
            match fut.as_mut().poll(cx) {
                Poll::Ready(r) => {
                    g.done.set(true);
                    Poll::Ready(r.and_then(|_| Err(raise(i.exc_val("StopAsyncIteration", "")))))
                }
                Poll::Pending => {
                    *g.fut.wr() = Some(fut);
                    match g.slot.out.wr().take() {
                        Some(v) => Poll::Ready(Ok(v)),
                        None => Poll::Pending,
                    }
                }
            }
        })
        .await
    })
}
