//! The `asyncio` module, mapped onto wasio.
//!
//! Each Python task is a [`PyTask`]: a wasio task (`wasio::spawn`) running the coroutine's future,
//! plus what asyncio shows of it (name, result or exception, done callbacks, cancel requests).
//! `sleep` is `wasio::sleep`, `wait_for` is `wasio::timeout`, the loop's `call_soon`/`call_later`
//! are wasio's, `Queue`/`Lock`/`Event`/`Condition`/`Semaphore`/`Barrier` are wasio's primitives
//! holding Python values, and streams are wasio's `open_connection`/`start_server`.
//!
//! Cancellation: asyncio throws `CancelledError` *into* the task at its current `await`, so
//! `except`/`finally` (with awaits) run. wasio's `Task::cancel` drops the future instead, so every
//! wasio future a Python `await` waits on goes through ONE function, [`suspend`]: it delivers a
//! pending cancel request of the current task as `CancelledError` before polling. When wasio gains
//! an abortable await with task-level cancel requests, only `suspend` and `PyTask::cancel` change.

use crate::cell::Borrows as _;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;
use std::task::Poll;
use std::time::Duration;

use crate::coro::Coro;
use crate::interp::*;
use crate::ops;
use crate::value::*;

type Kw = Vec<(Rc<str>, Value)>;

fn arg(a: &[Value], k: usize) -> Value {
    a.get(k).cloned().unwrap_or(Value::None)
}

fn kw(k: &Kw, n: &str) -> Option<Value> {
    k.iter().find(|x| &*x.0 == n).map(|x| x.1.clone())
}

fn clone_exc(e: &Exc) -> Box<Exc> {
    Box::new(Exc {
        val: e.val.clone(),
        tb: e.tb.clone(),
        fatal: e.fatal,
    })
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<PyTask>>> = const { RefCell::new(None) };
    static SEQ: Cell<u64> = const { Cell::new(0) };
    static NEXT_NAME: Cell<u64> = const { Cell::new(1) };
}

/// The Python task being polled right now.
pub fn current() -> Option<Rc<PyTask>> {
    CURRENT.with(|c| c.rd().clone())
}

/// A Python task: a wasio task and its asyncio state.
pub struct PyTask {
    pub name: RefCell<Rc<str>>,
    pub coro_name: Rc<str>,
    /// The coroutine's frame, if a user function's (for `repr`).
    pub frame: Option<Rc<Frame>>,
    pub result: RefCell<Option<Res<Value>>>,
    pub cancelled: Cell<bool>,
    pub done: wasio::Event,
    pub cancel_msg: RefCell<Value>,
    /// The wasio task, for cancel requests and their count.
    pub tref: RefCell<Option<wasio::TaskRef>>,
    pub callbacks: RefCell<Vec<Value>>,
    pub seq: Cell<u64>,
    pub group: RefCell<Option<Rc<Group>>>,
    pub handle: RefCell<Option<wasio::Task<()>>>,
    pub started: Cell<bool>,
}

impl PyTask {
    /// Whether it has finished.
    pub fn is_done(&self) -> bool {
        self.result.rd().is_some()
    }
    /// Requests cancellation: `CancelledError` at the task's next await (wasio's cancel request).
    pub fn cancel(&self, msg: Value) -> bool {
        if self.is_done() {
            return false;
        }
        *self.cancel_msg.wr() = msg;
        self.tref.rd().as_ref().is_some_and(|t| t.request_cancel())
    }
    /// asyncio's `cancelling()`: requests made and not withdrawn.
    pub fn cancelling(&self) -> u32 {
        self.tref.rd().as_ref().map_or(0, |t| t.cancelling())
    }
    /// asyncio's `uncancel()`.
    pub fn uncancel(&self) -> u32 {
        self.tref.rd().as_ref().map_or(0, |t| t.uncancel())
    }
}

fn cancelled_exc(i: &Interp, msg: &Value) -> Box<Exc> {
    let args = if matches!(msg, Value::None) {
        vec![]
    } else {
        vec![msg.clone()]
    };
    raise(new_exception(&i.ty("CancelledError"), args))
}

/// THE await point: waits for a wasio future through `wasio::task::cancellable`, so a cancel
/// request of the current task arrives as `CancelledError` here (the future is dropped, which
/// wasio's futures are cancel safe for; an output that is ready wins over a request).
pub async fn suspend<F: Future>(i: &Interp, fut: F) -> Res<F::Output> {
    match wasio::task::cancellable(fut).await {
        Ok(v) => Ok(v),
        Err(_) => {
            let msg = current().map_or(Value::None, |t| t.cancel_msg.replace(Value::None));
            Err(cancelled_exc(i, &msg))
        }
    }
}

/// Runs `fut` with `task` as the current Python task on every poll.
struct Scoped<F> {
    task: Rc<PyTask>,
    fut: std::pin::Pin<Box<F>>,
}

impl<F: Future> Future for Scoped<F> {
    type Output = F::Output;
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> Poll<F::Output> {
        let prev = CURRENT.with(|c| c.replace(Some(self.task.clone())));
        let r = self.fut.as_mut().poll(cx);
        CURRENT.with(|c| *c.wr() = prev);
        r
    }
}

/// Wraps a coroutine in a task (`create_task`).
pub fn create_task(i: &Interp, coro: Value, name: Option<Rc<str>>) -> Res<Rc<PyTask>> {
    let (fut, cname, frame) = match coro {
        Value::Coro(c) => match c.fut.wr().take() {
            Some(f) => (f, c.name.clone(), c.frame.clone()),
            None => return i.err("RuntimeError", "cannot reuse already awaited coroutine"),
        },
        Value::Task(_) => return i.type_err("a coroutine was expected, got a Task"),
        v => {
            return i.type_err(format!(
                "a coroutine was expected, got {}",
                crate::format::repr(i, &v)?
            ))
        }
    };
    // the wasio task's name (traces): create_task's name=, else the coroutine's name
    let trace_name = name.clone().unwrap_or_else(|| cname.clone());
    let name = name.unwrap_or_else(|| {
        let n = NEXT_NAME.with(|c| {
            let n = c.get();
            c.set(n + 1);
            n
        });
        format!("Task-{n}").into()
    });
    let t = Rc::new(PyTask {
        name: RefCell::new(name),
        coro_name: cname,
        frame,
        result: RefCell::new(None),
        cancelled: Cell::new(false),
        done: wasio::Event::new(),
        cancel_msg: RefCell::new(Value::None),
        tref: RefCell::new(None),
        callbacks: RefCell::new(vec![]),
        seq: Cell::new(0),
        group: RefCell::new(None),
        handle: RefCell::new(None),
        started: Cell::new(false),
    });
    let t2 = t.clone();
    let i2 = i.clone();
    let body = async move {
        let t3 = current().unwrap_or_else(|| t2.clone());
        t3.started.set(true);
        // a task cancelled before its first step never runs its coroutine (as asyncio)
        let r = if t3.cancelling() > 0 {
            Err(cancelled_exc(&i2, &t3.cancel_msg.rd()))
        } else {
            fut.await
        };
        finish(&i2, &t3, r);
    };
    let handle = wasio::spawn_named(
        &trace_name,
        Scoped {
            task: t.clone(),
            fut: Box::pin(body),
        },
    );
    *t.tref.wr() = Some(handle.as_ref());
    *t.handle.wr() = Some(handle);
    track(&t);
    Ok(t)
}

/// What an embedder is told when a Python task ends: its wasio task id, how its coroutine
/// ended (`"complete"`, `"cancelled"` or `"error"`, which the loop cannot tell apart: each ends
/// its wasio task normally) and, for an error, the exception's repr.
pub(crate) type OutcomeHook = Box<dyn Fn(wasio::TaskId, &str, Option<String>)>;

thread_local! {
    /// Set by the browser entry while a trace callback listens.
    pub(crate) static OUTCOME_HOOK: RefCell<Option<OutcomeHook>> = const { RefCell::new(None) };
}

fn finish(i: &Interp, t: &Rc<PyTask>, r: Res<Value>) {
    let seq = SEQ.with(|s| {
        let n = s.get() + 1;
        s.set(n);
        n
    });
    t.seq.set(seq);
    if let Err(e) = &r {
        if !e.fatal && i.is_exc(&e.val, "CancelledError") {
            t.cancelled.set(true);
        }
    }
    let fatal = matches!(&r, Err(e) if e.fatal);
    OUTCOME_HOOK.with(|h| {
        if let (Some(hook), Some(task)) = (h.rd().as_ref(), t.tref.rd().as_ref()) {
            let outcome = match &r {
                Ok(_) => ("complete", None),
                Err(_) if t.cancelled.get() => ("cancelled", None),
                Err(e) => ("error", crate::format::repr(i, &e.val).ok()),
            };
            hook(task.id(), outcome.0, outcome.1);
        }
    });
    *t.result.wr() = Some(r);
    t.done.set();
    if fatal {
        // fuel or Stop: end the whole program
        i.stop.set(true);
    }
    let cbs = std::mem::take(&mut *t.callbacks.wr());
    for cb in cbs {
        let (i2, t2) = (i.clone(), t.clone());
        wasio::call_soon(move || {
            if let Err(e) = i2.call(&cb, vec![Value::Task(t2)], vec![]) {
                i2.write(
                    true,
                    &format!("Exception in callback\n{}", i2.format_traceback(&e)),
                );
            }
        });
    }
    if let Some(g) = t.group.rd().clone() {
        // as asyncio: the group hears of it through a done callback, scheduled with call_soon
        let (i2, t2) = (i.clone(), t.clone());
        wasio::call_soon(move || g.child_done(&i2, &t2));
    }
}

fn task_result(t: &PyTask) -> Res<Value> {
    match &*t.result.rd() {
        Some(Ok(v)) => Ok(v.clone()),
        Some(Err(e)) => Err(clone_exc(e)),
        None => Ok(Value::None),
    }
}

/// Waits for `t` to end, telling traces the wait is on a task (its `done` event would say event).
async fn task_done(t: &PyTask) {
    tasks_event(&t.done).await
}

/// Waits for `event`, which tasks set (a task's end, a task group's change), as a wait on a task.
async fn tasks_event(event: &wasio::Event) {
    let mut wait = std::pin::pin!(event.wait());
    std::future::poll_fn(|cx| {
        if !event.is_set() {
            wasio::trace::record_wait(wasio::trace::WaitReason::Task);
        }
        wait.as_mut().poll(cx)
    })
    .await
}

/// `await task`: waits for it; if the awaiting task is cancelled meanwhile, the awaited task is
/// cancelled too (as asyncio does) and its outcome is awaited.
pub async fn join(i: &Interp, t: Rc<PyTask>) -> Res<Value> {
    if let Some(me) = current() {
        if Rc::ptr_eq(&me, &t) {
            return i.err("RuntimeError", "Task cannot await on itself");
        }
    }
    if !t.is_done() {
        if let Err(e) = suspend(i, task_done(&t)).await {
            t.cancel(Value::None);
            t.done.wait().await;
            if !t.cancelled.get() {
                return Err(e);
            }
        }
    }
    task_result(&t)
}

/// Makes a task of a coroutine, or passes a task through.
pub fn ensure_task(i: &Interp, v: Value) -> Res<Rc<PyTask>> {
    match v {
        Value::Task(t) => Ok(t),
        v => create_task(i, v, None),
    }
}

/// `repr(task)`, as CPython 3.11 writes it.
pub fn task_repr(i: &Interp, t: &PyTask) -> Res<String> {
    let state = if t.cancelled.get() {
        "cancelled"
    } else if t.is_done() {
        "finished"
    } else {
        "pending"
    };
    let coro = match &t.frame {
        Some(f) if t.is_done() => {
            let line = f.func.as_ref().map_or(0, |func| func.def.line);
            format!("{}() done, defined at {}:{line}", t.coro_name, f.file)
        }
        Some(f) => format!("{}() running at {}:{}", t.coro_name, f.file, f.line.get()),
        None => format!("{}()", t.coro_name),
    };
    let tail = match &*t.result.rd() {
        Some(Ok(v)) => format!(" result={}", crate::format::repr(i, v)?),
        Some(Err(e)) if !t.cancelled.get() => {
            format!(" exception={}", crate::format::repr(i, &e.val)?)
        }
        _ => String::new(),
    };
    Ok(format!(
        "<Task {state} name='{}' coro=<{coro}>{tail}>",
        t.name.rd()
    ))
}

/// A task's methods.
pub fn task_method(t: Rc<PyTask>, name: &str) -> Option<Value> {
    Some(match name {
        "cancel" => Value::native(name, move |_, a, k| {
            let msg = a
                .first()
                .cloned()
                .or_else(|| kw(&k, "msg"))
                .unwrap_or(Value::None);
            Ok(Value::Bool(t.cancel(msg)))
        }),
        "cancelled" => Value::native(name, move |_, _, _| Ok(Value::Bool(t.cancelled.get()))),
        "done" => Value::native(name, move |_, _, _| Ok(Value::Bool(t.is_done()))),
        "result" => Value::native(name, move |i, _, _| {
            if !t.is_done() {
                return i.err("InvalidStateError", "Result is not set.");
            }
            task_result(&t)
        }),
        "exception" => Value::native(name, move |i, _, _| {
            if !t.is_done() {
                return i.err("InvalidStateError", "Exception is not set.");
            }
            match task_result(&t) {
                Ok(_) => Ok(Value::None),
                Err(e) if t.cancelled.get() => Err(e),
                Err(e) => Ok(e.val),
            }
        }),
        "get_name" => Value::native(name, move |_, _, _| Ok(Value::Str(t.name.rd().clone()))),
        "set_name" => Value::native(name, move |i, a, _| {
            *t.name.wr() = crate::format::to_str(i, &arg(&a, 0))?.into();
            Ok(Value::None)
        }),
        "get_coro" => Value::native(name, move |_, _, _| Ok(Value::Str(t.coro_name.clone()))),
        "cancelling" => Value::native(name, move |_, _, _| Ok(Value::Int(t.cancelling() as i64))),
        "uncancel" => Value::native(name, move |_, _, _| Ok(Value::Int(t.uncancel() as i64))),
        "add_done_callback" => Value::native(name, move |i, a, _| {
            let cb = arg(&a, 0);
            if t.is_done() {
                let (i2, t2) = (i.clone(), t.clone());
                wasio::call_soon(move || {
                    let _ = i2.call(&cb, vec![Value::Task(t2)], vec![]);
                });
            } else {
                t.callbacks.wr().push(cb);
            }
            Ok(Value::None)
        }),
        "remove_done_callback" => Value::native(name, move |_, a, _| {
            let cb = arg(&a, 0);
            let mut cbs = t.callbacks.wr();
            let before = cbs.len();
            cbs.retain(|c| !c.is(&cb));
            Ok(Value::Int((before - cbs.len()) as i64))
        }),
        _ => return None,
    })
}

#[derive(Clone, Copy, PartialEq)]
enum When {
    All,
    First,
    FirstExc,
}

fn met(tasks: &[Rc<PyTask>], when: When) -> bool {
    match when {
        When::All => tasks.iter().all(|t| t.is_done()),
        When::First => tasks.is_empty() || tasks.iter().any(|t| t.is_done()),
        When::FirstExc => {
            tasks.iter().all(|t| t.is_done())
                || tasks
                    .iter()
                    .any(|t| !t.cancelled.get() && matches!(&*t.result.rd(), Some(Err(_))))
        }
    }
}

/// Waits until `when` holds for `tasks` (or the timeout passes), through wasio's `as_completed`.
async fn wait_tasks(
    i: &Interp,
    tasks: &[Rc<PyTask>],
    when: When,
    timeout: Option<Duration>,
) -> Res<()> {
    if met(tasks, when) {
        return Ok(());
    }
    let body = async {
        let mut ac = wasio::as_completed(
            tasks
                .iter()
                .filter(|t| !t.is_done())
                .map(|t| tasks_event(&t.done)),
        );
        while ac.next().await.is_some() {
            if met(tasks, when) {
                break;
            }
        }
    };
    match timeout {
        Some(d) => {
            let _ = suspend(i, wasio::timeout(d, body)).await?;
        }
        None => suspend(i, body).await?,
    }
    Ok(())
}

fn secs(i: &Interp, v: &Value) -> Res<Duration> {
    let s = match v {
        Value::Int(n) => *n as f64,
        Value::Float(f) => *f,
        Value::Bool(b) => *b as i64 as f64,
        _ => return i.type_err("a number of seconds is required"),
    };
    if s.is_nan() {
        return i.err("ValueError", "Invalid delay: NaN (not a number)");
    }
    Ok(Duration::from_secs_f64(s.clamp(0.0, 1e12)))
}

fn opt_secs(i: &Interp, v: Option<Value>) -> Res<Option<Duration>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(v) => secs(i, &v).map(Some),
    }
}

fn coro(name: &str, f: impl Future<Output = Res<Value>> + 'static) -> Res<Value> {
    Ok(Coro::value(name, f))
}

/// Builds the `asyncio` module namespace.
pub fn module(i: &Interp) -> Rc<Scope> {
    let m = Scope::new(None);
    let def = |n: &str, f: fn(&Interp, Vec<Value>, Kw) -> Res<Value>| {
        m.set(n.into(), Value::native(n, f))
    };
    def("run", |i, a, _| {
        let main = arg(&a, 0);
        if !matches!(main, Value::Coro(_)) {
            return i.err(
                "ValueError",
                format!(
                    "a coroutine was expected, got {}",
                    crate::format::repr(i, &main)?
                ),
            );
        }
        if i.loop_depth.get() > 0 {
            return i.err(
                "RuntimeError",
                "asyncio.run() cannot be called from a running event loop",
            );
        }
        let i2 = i.clone();
        let fut = async move {
            i2.loop_depth.set(i2.loop_depth.get() + 1);
            let t = create_task(&i2, main, None)?;
            task_done(&t).await;
            // cancel what is left, and let it run its cleanup
            let left: Vec<Rc<PyTask>> = live_tasks(&i2);
            for l in &left {
                l.cancel(Value::None);
            }
            for l in &left {
                l.done.wait().await;
            }
            i2.loop_depth.set(i2.loop_depth.get() - 1);
            task_result(&t)
        };
        if let Some(simulated) = i.blocking_run.get() {
            // native and WASI: a loop of its own, until main is done (as CPython's asyncio.run)
            let mut runner = if simulated {
                wasio::Runner::simulated()
            } else {
                wasio::Runner::new()
            };
            return match runner.try_run(fut) {
                Ok(r) => r,
                Err(e) => i.err("RuntimeError", e.to_string()),
            };
        }
        Ok(Value::Coro(Rc::new(Coro {
            name: "run".into(),
            fut: RefCell::new(Some(Box::pin(fut))),
            run_request: true,
            frame: None,
        })))
    });
    def("sleep", |i, a, k| {
        let d = secs(i, &arg(&a, 0))?;
        let result = a
            .get(1)
            .cloned()
            .or_else(|| kw(&k, "result"))
            .unwrap_or(Value::None);
        let i2 = i.clone();
        coro("sleep", async move {
            if d.is_zero() {
                suspend(&i2, wasio::yield_now()).await?;
            } else {
                suspend(&i2, wasio::sleep(d)).await?;
            }
            Ok(result)
        })
    });
    def("create_task", |i, a, k| {
        let name = match kw(&k, "name") {
            Some(Value::None) | None => None,
            Some(v) => Some(crate::format::to_str(i, &v)?.into()),
        };
        Ok(Value::Task(create_task(i, arg(&a, 0), name)?))
    });
    def("ensure_future", |i, a, _| {
        Ok(Value::Task(ensure_task(i, arg(&a, 0))?))
    });
    def("current_task", |_, _, _| {
        Ok(current().map_or(Value::None, Value::Task))
    });
    def("all_tasks", |i, _, _| {
        let v: Vec<Value> = live_tasks(i).into_iter().map(Value::Task).collect();
        ops::make_set(i, v)
    });
    def("iscoroutine", |_, a, _| {
        Ok(Value::Bool(matches!(arg(&a, 0), Value::Coro(_))))
    });
    def("iscoroutinefunction", |_, a, _| {
        Ok(Value::Bool(
            matches!(arg(&a, 0), Value::Func(f) if f.def.is_async),
        ))
    });
    def("gather", |i, a, k| {
        let ret_exc = match kw(&k, "return_exceptions") {
            Some(v) => ops::truthy(i, &v)?,
            None => false,
        };
        let tasks = a
            .into_iter()
            .map(|x| ensure_task(i, x))
            .collect::<Res<Vec<_>>>()?;
        let i2 = i.clone();
        coro("gather", async move {
            let when = if ret_exc { When::All } else { When::FirstExc };
            if let Err(e) = wait_tasks(&i2, &tasks, when, None).await {
                for t in &tasks {
                    t.cancel(Value::None);
                }
                return Err(e);
            }
            if !ret_exc {
                let failed = tasks
                    .iter()
                    .filter(|t| matches!(&*t.result.rd(), Some(Err(_))))
                    .min_by_key(|t| t.seq.get());
                if let Some(t) = failed {
                    return task_result(t);
                }
            }
            let mut out = vec![];
            for t in &tasks {
                out.push(match task_result(t) {
                    Ok(v) => v,
                    Err(e) => e.val,
                });
            }
            Ok(Value::list(out))
        })
    });
    def("wait_for", |i, a, k| {
        let t = ensure_task(i, arg(&a, 0))?;
        let d = opt_secs(i, a.get(1).cloned().or_else(|| kw(&k, "timeout")))?;
        let i2 = i.clone();
        coro("wait_for", async move {
            let r = match d {
                Some(d) => suspend(&i2, wasio::timeout(d, task_done(&t))).await,
                None => suspend(&i2, task_done(&t)).await.map(Ok),
            };
            match r {
                Err(e) => {
                    t.cancel(Value::None);
                    t.done.wait().await;
                    Err(e)
                }
                Ok(Ok(())) => task_result(&t),
                Ok(Err(_elapsed)) => {
                    t.cancel(Value::None);
                    t.done.wait().await;
                    if t.cancelled.get() {
                        i2.err("TimeoutError", "")
                    } else {
                        task_result(&t)
                    }
                }
            }
        })
    });
    def("wait", |i, a, k| {
        let tasks = ops::collect(i, &arg(&a, 0))?
            .into_iter()
            .map(|x| ensure_task(i, x))
            .collect::<Res<Vec<_>>>()?;
        if tasks.is_empty() {
            return i.err("ValueError", "Set of Tasks/Futures is empty.");
        }
        let d = opt_secs(i, kw(&k, "timeout"))?;
        let when = match kw(&k, "return_when") {
            Some(Value::Str(s)) if &*s == "FIRST_COMPLETED" => When::First,
            Some(Value::Str(s)) if &*s == "FIRST_EXCEPTION" => When::FirstExc,
            _ => When::All,
        };
        let i2 = i.clone();
        coro("wait", async move {
            wait_tasks(&i2, &tasks, when, d).await?;
            let (done, pending): (Vec<_>, Vec<_>) = tasks.into_iter().partition(|t| t.is_done());
            let done = ops::make_set(&i2, done.into_iter().map(Value::Task).collect())?;
            let pending = ops::make_set(&i2, pending.into_iter().map(Value::Task).collect())?;
            Ok(Value::tuple(vec![done, pending]))
        })
    });
    def("as_completed", |i, a, k| {
        let tasks = ops::collect(i, &arg(&a, 0))?
            .into_iter()
            .map(|x| ensure_task(i, x))
            .collect::<Res<Vec<_>>>()?;
        let d = opt_secs(i, kw(&k, "timeout"))?;
        let deadline = d.map(|d| wasio::Instant::now().saturating_add(d));
        let left = Rc::new(RefCell::new(tasks));
        let n = left.rd().len();
        let mut k = 0;
        Ok(Value::Iter(Rc::new(RefCell::new(Iter::Fn(Box::new(
            move |i| {
                if k >= n {
                    return Ok(None);
                }
                k += 1;
                let left = left.clone();
                let i2 = i.clone();
                Ok(Some(Coro::value("as_completed", async move {
                    let pending: Vec<Rc<PyTask>> = left.rd().clone();
                    let to = deadline.map(|dl| dl.saturating_duration_since(wasio::Instant::now()));
                    wait_tasks(&i2, &pending, When::First, to).await?;
                    let pick = pending
                        .iter()
                        .filter(|t| t.is_done())
                        .min_by_key(|t| t.seq.get())
                        .cloned();
                    match pick {
                        Some(t) => {
                            left.wr().retain(|x| !Rc::ptr_eq(x, &t));
                            task_result(&t)
                        }
                        None => i2.err("TimeoutError", ""),
                    }
                })))
            },
        ))))))
    });
    def("shield", |i, a, _| {
        let t = ensure_task(i, arg(&a, 0))?;
        let i2 = i.clone();
        coro("shield", async move {
            suspend(&i2, t.done.wait()).await?;
            task_result(&t)
        })
    });
    def("timeout", |i, a, _| {
        let d = opt_secs(i, Some(arg(&a, 0)))?;
        let at = d.map(|d| wasio::time() + d.as_secs_f64());
        Ok(Value::Object(Rc::new(Timeout::new(at))))
    });
    def("timeout_at", |_, a, _| {
        let at = match arg(&a, 0) {
            Value::Int(n) => Some(n as f64),
            Value::Float(f) => Some(f),
            _ => None,
        };
        Ok(Value::Object(Rc::new(Timeout::new(at))))
    });
    def("get_running_loop", |_, _, _| {
        Ok(Value::Object(Rc::new(Loop)))
    });
    def("get_event_loop", |_, _, _| Ok(Value::Object(Rc::new(Loop))));
    def("TaskGroup", |_, _, _| {
        Ok(Value::Object(Rc::new(TaskGroupObj(Rc::new(
            Group::default(),
        )))))
    });
    def("Queue", |i, a, k| crate::asyncio_sync::queue(i, a, k, 0));
    def("LifoQueue", |i, a, k| {
        crate::asyncio_sync::queue(i, a, k, 1)
    });
    def("PriorityQueue", |i, a, k| {
        crate::asyncio_sync::queue(i, a, k, 2)
    });
    def("Lock", crate::asyncio_sync::lock);
    def("Event", crate::asyncio_sync::event);
    def("Condition", crate::asyncio_sync::condition);
    def("Semaphore", |i, a, k| {
        crate::asyncio_sync::semaphore(i, a, k, false)
    });
    def("BoundedSemaphore", |i, a, k| {
        crate::asyncio_sync::semaphore(i, a, k, true)
    });
    def("Barrier", crate::asyncio_sync::barrier);
    def("open_connection", crate::asyncio_net::open_connection);
    def("start_server", crate::asyncio_net::start_server);
    for n in ["FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED"] {
        m.set(n.into(), Value::str(n));
    }
    for n in [
        "CancelledError",
        "InvalidStateError",
        "QueueEmpty",
        "QueueFull",
        "QueueShutDown",
        "IncompleteReadError",
        "LimitOverrunError",
        "BrokenBarrierError",
        "TimeoutError",
    ] {
        if let Some(v) = i.builtins.get(n) {
            m.set(n.into(), v);
        }
    }
    m.set("Task".into(), Value::Class(i.ty("Task")));
    m
}

fn live_tasks(_i: &Interp) -> Vec<Rc<PyTask>> {
    LIVE.with(|l| {
        let mut l = l.wr();
        l.retain(|w| w.upgrade().is_some_and(|t| !t.is_done()));
        l.iter().filter_map(|w| w.upgrade()).collect()
    })
}

thread_local! {
    static LIVE: RefCell<Vec<std::rc::Weak<PyTask>>> = const { RefCell::new(Vec::new()) };
}

/// Records a task as live (for `all_tasks` and the end of `asyncio.run`).
pub fn track(t: &Rc<PyTask>) {
    LIVE.with(|l| l.wr().push(Rc::downgrade(t)));
}

/// `asyncio.timeout()`: an async context manager that cancels the task at the deadline and turns
/// that cancellation into `TimeoutError` on exit.
struct Timeout {
    at: RefCell<Option<f64>>,
    handle: RefCell<Option<wasio::CallHandle>>,
    expired: Rc<Cell<bool>>,
    task: RefCell<Option<Rc<PyTask>>>,
}

impl Timeout {
    fn new(at: Option<f64>) -> Timeout {
        Timeout {
            at: RefCell::new(at),
            handle: RefCell::new(None),
            expired: Rc::new(Cell::new(false)),
            task: RefCell::new(None),
        }
    }
    fn arm(&self) {
        if let Some(h) = self.handle.wr().take() {
            h.cancel();
        }
        let (Some(at), Some(t)) = (*self.at.rd(), self.task.rd().clone()) else {
            return;
        };
        let delay = Duration::from_secs_f64((at - wasio::time()).max(0.0));
        let expired = self.expired.clone();
        *self.handle.wr() = Some(wasio::call_later(delay, move || {
            expired.set(true);
            t.cancel(Value::None);
        }));
    }
}

impl Object for Timeout {
    fn type_name(&self) -> &str {
        "Timeout"
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn getattr(&self, me: &Value, name: &str) -> Option<Value> {
        if let Some(m) = object_method(me, name) {
            return Some(m);
        }
        let at = self.at.rd().map_or(Value::None, Value::Float);
        match name {
            "when" => Some(Value::native("when", move |_, _, _| Ok(at.clone()))),
            "expired" => {
                let e = self.expired.clone();
                Some(Value::native("expired", move |_, _, _| {
                    Ok(Value::Bool(e.get()))
                }))
            }
            _ => None,
        }
    }
}

/// Methods of objects whose methods need the object itself (bound through the value).
pub fn object_method(me: &Value, name: &str) -> Option<Value> {
    if me.downcast::<Timeout>().is_some() {
        let me = me.clone();
        return Some(match name {
            "__aenter__" => Value::native(name, move |_, _, _| {
                let t = me.downcast::<Timeout>().expect("timeout");
                *t.task.wr() = current();
                t.arm();
                let me2 = me.clone();
                Ok(Coro::value("__aenter__", async move { Ok(me2) }))
            }),
            "__aexit__" => Value::native(name, move |i, a, _| {
                let t = me.downcast::<Timeout>().expect("timeout");
                if let Some(h) = t.handle.wr().take() {
                    h.cancel();
                }
                let exc = arg(&a, 1);
                let mut convert = false;
                if t.expired.get() && i.is_exc(&exc, "CancelledError") {
                    if let Some(task) = t.task.rd().as_ref() {
                        convert = task.uncancel() == 0;
                    }
                }
                let i2 = i.clone();
                Ok(Coro::value("__aexit__", async move {
                    if convert {
                        let e = i2.exc_val("TimeoutError", "");
                        if let Value::Inst(inst) = &e {
                            inst.dict.wr().insert("__cause__".into(), exc);
                        }
                        return Err(raise(e));
                    }
                    Ok(Value::Bool(false))
                }))
            }),
            "reschedule" => Value::native(name, move |_, a, _| {
                let t = me.downcast::<Timeout>().expect("timeout");
                *t.at.wr() = match arg(&a, 0) {
                    Value::Int(n) => Some(n as f64),
                    Value::Float(f) => Some(f),
                    _ => None,
                };
                t.arm();
                Ok(Value::None)
            }),
            _ => return None,
        });
    }
    None
}

/// The running loop object (`get_running_loop()`): wasio's clock and callbacks.
struct Loop;

impl Object for Loop {
    fn type_name(&self) -> &str {
        "_UnixSelectorEventLoop"
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn getattr(&self, _me: &Value, name: &str) -> Option<Value> {
        fn cb(i: &Interp, f: Value, args: Vec<Value>) -> impl FnOnce() + 'static {
            let i = i.clone();
            move || {
                if let Err(e) = i.call(&f, args, vec![]) {
                    i.write(
                        true,
                        &format!("Exception in callback\n{}", i.format_traceback(&e)),
                    );
                }
            }
        }
        Some(match name {
            "time" => Value::native(name, |_, _, _| Ok(Value::Float(wasio::time()))),
            "call_soon" => Value::native(name, |i, a, _| {
                let h = wasio::call_soon(cb(i, arg(&a, 0), a[1.min(a.len())..].to_vec()));
                Ok(Value::Object(Rc::new(Handle(h))))
            }),
            "call_later" => Value::native(name, |i, a, _| {
                let d = secs(i, &arg(&a, 0))?;
                let h = wasio::call_later(d, cb(i, arg(&a, 1), a[2.min(a.len())..].to_vec()));
                Ok(Value::Object(Rc::new(Handle(h))))
            }),
            "call_at" => Value::native(name, |i, a, _| {
                let at = match arg(&a, 0) {
                    Value::Int(n) => n as f64,
                    Value::Float(f) => f,
                    _ => return i.type_err("a time is required"),
                };
                let d = Duration::from_secs_f64((at - wasio::time()).max(0.0));
                let when = wasio::Instant::now().saturating_add(d);
                let h = wasio::call_at(when, cb(i, arg(&a, 1), a[2.min(a.len())..].to_vec()));
                Ok(Value::Object(Rc::new(Handle(h))))
            }),
            "create_task" => Value::native(name, |i, a, k| {
                let name = match kw(&k, "name") {
                    Some(Value::None) | None => None,
                    Some(v) => Some(crate::format::to_str(i, &v)?.into()),
                };
                Ok(Value::Task(create_task(i, arg(&a, 0), name)?))
            }),
            "create_future" => Value::native(name, |i, _, _| {
                i.err(
                    "NotImplementedError",
                    "loop.create_future() is not supported",
                )
            }),
            _ => return None,
        })
    }
}

struct Handle(wasio::CallHandle);

impl Object for Handle {
    fn type_name(&self) -> &str {
        "TimerHandle"
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn getattr(&self, me: &Value, name: &str) -> Option<Value> {
        let me = me.clone();
        Some(match name {
            "cancel" => Value::native(name, move |_, _, _| {
                if let Some(h) = me.downcast::<Handle>() {
                    h.0.cancel();
                }
                Ok(Value::None)
            }),
            "cancelled" => Value::native(name, move |_, _, _| {
                Ok(Value::Bool(
                    me.downcast::<Handle>().is_some_and(|h| h.0.is_cancelled()),
                ))
            }),
            _ => return None,
        })
    }
}

/// A TaskGroup's shared state.
#[derive(Default)]
pub struct Group {
    tasks: RefCell<Vec<Rc<PyTask>>>,
    errors: RefCell<Vec<Value>>,
    base_error: RefCell<Option<Value>>,
    aborting: Cell<bool>,
    parent: RefCell<Option<Rc<PyTask>>>,
    parent_cancel_requested: Cell<bool>,
    entered: Cell<bool>,
    exiting: Cell<bool>,
    changed: wasio::Event,
}

impl Group {
    fn abort(&self) {
        self.aborting.set(true);
        for t in self.tasks.rd().iter() {
            if !t.is_done() {
                t.cancel(Value::None);
            }
        }
    }
    fn child_done(&self, i: &Interp, t: &Rc<PyTask>) {
        self.tasks.wr().retain(|x| !Rc::ptr_eq(x, t));
        self.changed.set();
        if t.cancelled.get() {
            return;
        }
        let exc = match &*t.result.rd() {
            Some(Err(e)) => e.val.clone(),
            _ => return,
        };
        let base = !i.is_exc(&exc, "Exception");
        self.errors.wr().push(exc.clone());
        if base && self.base_error.rd().is_none() {
            *self.base_error.wr() = Some(exc);
        }
        if !self.aborting.get() && !self.parent_cancel_requested.get() {
            self.abort();
            self.parent_cancel_requested.set(true);
            if let Some(p) = self.parent.rd().as_ref() {
                p.cancel(Value::None);
            }
        }
    }
}

struct TaskGroupObj(Rc<Group>);

impl Object for TaskGroupObj {
    fn type_name(&self) -> &str {
        "TaskGroup"
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn getattr(&self, me: &Value, name: &str) -> Option<Value> {
        let g = self.0.clone();
        let me = me.clone();
        Some(match name {
            "__aenter__" => Value::native(name, move |i, _, _| {
                if g.entered.replace(true) {
                    return i.err("RuntimeError", "TaskGroup has already been entered");
                }
                *g.parent.wr() = current();
                let me = me.clone();
                Ok(Coro::value("__aenter__", async move { Ok(me) }))
            }),
            "create_task" => Value::native(name, move |i, a, k| {
                if !g.entered.get() {
                    return i.err("RuntimeError", "TaskGroup has not been entered");
                }
                if g.exiting.get() && g.tasks.rd().is_empty() {
                    return i.err("RuntimeError", "TaskGroup is finished");
                }
                let name = match kw(&k, "name") {
                    Some(Value::None) | None => None,
                    Some(v) => Some(crate::format::to_str(i, &v)?.into()),
                };
                let t = create_task(i, arg(&a, 0), name)?;
                *t.group.wr() = Some(g.clone());
                g.tasks.wr().push(t.clone());
                if g.aborting.get() {
                    t.cancel(Value::None);
                }
                Ok(Value::Task(t))
            }),
            "__aexit__" => Value::native(name, move |i, a, _| {
                let g = g.clone();
                let exc = arg(&a, 1);
                let i2 = i.clone();
                Ok(Coro::value("__aexit__", async move {
                    let i = &i2;
                    g.exiting.set(true);
                    let is_cancel = i.is_exc(&exc, "CancelledError");
                    let has_exc = !matches!(exc, Value::None);
                    if has_exc
                        && !i.is_exc(&exc, "Exception")
                        && !is_cancel
                        && g.base_error.rd().is_none()
                    {
                        *g.base_error.wr() = Some(exc.clone());
                    }
                    let mut propagate: Option<Value> = None;
                    if has_exc {
                        if is_cancel {
                            let parent = g.parent.rd().clone();
                            let swallow = g.parent_cancel_requested.get()
                                && parent.as_ref().is_some_and(|p| p.uncancel() == 0);
                            if !swallow {
                                propagate = Some(exc.clone());
                            }
                        }
                        if !g.aborting.get() {
                            g.abort();
                        }
                    }
                    while !g.tasks.rd().is_empty() {
                        g.changed.clear();
                        if let Err(e) = suspend(i, tasks_event(&g.changed)).await {
                            if !g.aborting.get() {
                                propagate = Some(e.val.clone());
                                g.abort();
                            }
                        }
                    }
                    if let Some(b) = g.base_error.rd().clone() {
                        return Err(raise(b));
                    }
                    let mut errors = g.errors.rd().clone();
                    if let Some(p) = propagate {
                        if errors.is_empty() {
                            return Err(raise(p));
                        }
                    }
                    if has_exc && !is_cancel {
                        errors.push(exc);
                    }
                    if !errors.is_empty() {
                        return Err(raise(
                            i.make_group(Value::str("unhandled errors in a TaskGroup"), errors),
                        ));
                    }
                    Ok(Value::Bool(false))
                }))
            }),
            _ => return None,
        })
    }
}
