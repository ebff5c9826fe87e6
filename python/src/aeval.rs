//! The asynchronous evaluator: statements and expressions that contain `await` or `yield`.
//!
//! Each function returns a boxed future borrowing the frame and the tree, so a coroutine's body
//! is one Rust future that wasio polls as a task; `await` awaits a wasio future through
//! [`crate::coro::await_value`]. Statements without `await`/`yield` go back to the synchronous
//! evaluator, except loops (so a busy loop inside a coroutine still yields to the event loop every
//! [`Limits::yield_every`] steps) and, in the module frame, every compound statement (so
//! `asyncio.run(main())` anywhere at module level is awaited in place).

use crate::cell::Borrows as _;
use std::future::Future;
use std::pin::Pin;

use crate::ast::*;
use crate::interp::*;
use crate::ops;
use crate::value::*;

/// Whether code in frame `f` may yield to the event loop: not in a plain generator's body,
/// which `next()` drives synchronously (a suspension there would be lost).
fn may_suspend(f: &Frame) -> bool {
    f.gen.rd().is_none() || f.func.as_ref().is_some_and(|func| func.def.is_async)
}

/// The children of an expression that [`Interp::eval_node`] combines, in the order it asks
/// for their values, each with whether it is unpacked (`*x` in a display or a call).
pub fn children<'e>(e: &'e Expr, out: &mut Vec<(&'e Expr, bool)>) {
    match e {
        Expr::Call(callee, args) => {
            out.push((callee, false));
            for a in args {
                match a {
                    Arg::Pos(x) | Arg::Kw(_, x) | Arg::StarStar(x) => out.push((x, false)),
                    Arg::Star(x) => out.push((x, true)),
                }
            }
        }
        Expr::Bin(_, a, b) | Expr::Sub(a, b) => {
            out.push((a, false));
            out.push((b, false));
        }
        Expr::Attr(x, _) | Expr::Un(_, x) | Expr::Walrus(_, x) => out.push((x, false)),
        Expr::Slice(a, b, c) => {
            for x in [a, b, c].into_iter().flatten() {
                out.push((x, false));
            }
        }
        Expr::List(items) | Expr::Tuple(items) | Expr::Set(items) => {
            for it in items {
                match it {
                    Expr::Starred(x) => out.push((x, true)),
                    _ => out.push((it, false)),
                }
            }
        }
        Expr::Dict(items) => {
            for (k, v) in items {
                if let Some(k) = k {
                    out.push((k, false));
                }
                out.push((v, false));
            }
        }
        Expr::FStr(parts) => fstring_children(parts, out),
        _ => {}
    }
}

/// An f-string's fields in evaluation order: each value, then its spec's fields.
fn fstring_children<'e>(parts: &'e [FPart], out: &mut Vec<(&'e Expr, bool)>) {
    for p in parts {
        if let FPart::Expr(x, _, spec, _) = p {
            out.push((x, false));
            if let Some(spec) = spec {
                fstring_children(spec, out);
            }
        }
    }
}

/// A boxed local future.
pub type Fut<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

impl Interp {
    /// Evaluates an expression that may suspend.
    pub fn aeval<'a>(&'a self, f: &'a Frame, e: &'a Expr) -> Fut<'a, Res<Value>> {
        Box::pin(async move {
            match e {
                Expr::Await(x) => {
                    let v = self.aeval(f, x).await?;
                    crate::coro::await_value(self, v).await
                }
                Expr::Yield(x) => {
                    let v = match x {
                        Some(x) => self.aeval(f, x).await?,
                        None => Value::None,
                    };
                    crate::coro::yield_value(self, f, v).await
                }
                Expr::YieldFrom(x) => {
                    let it = self.aeval(f, x).await?;
                    let it = ops::iter(self, &it)?;
                    while let Some(v) = ops::next(self, &it)? {
                        crate::coro::yield_value(self, f, v).await?;
                    }
                    Ok(Value::None)
                }
                Expr::Cmp(l, rest) => {
                    let mut l = self.aeval(f, l).await?;
                    for (op, r) in rest {
                        let r = self.aeval(f, r).await?;
                        if !ops::compare(self, *op, &l, &r)? {
                            return Ok(Value::Bool(false));
                        }
                        l = r;
                    }
                    Ok(Value::Bool(true))
                }
                Expr::And(l, r) => {
                    let l = self.aeval(f, l).await?;
                    if !ops::truthy(self, &l)? {
                        return Ok(l);
                    }
                    self.aeval(f, r).await
                }
                Expr::Or(l, r) => {
                    let l = self.aeval(f, l).await?;
                    if ops::truthy(self, &l)? {
                        return Ok(l);
                    }
                    self.aeval(f, r).await
                }
                Expr::IfExp(c, a, b) => {
                    let c = self.aeval(f, c).await?;
                    if ops::truthy(self, &c)? {
                        self.aeval(f, a).await
                    } else {
                        self.aeval(f, b).await
                    }
                }
                Expr::Comp(CompKind::Gen, _, _, fors) if !fors.iter().any(|c| c.is_async) => {
                    self.eval(f, e)
                }
                Expr::Comp(kind, elt, val, fors) => {
                    let cf = self.comp_frame(f);
                    let mut out = vec![];
                    self.acomp_loop(&cf, fors, 0, elt, val.as_deref(), &mut out)
                        .await?;
                    self.finish_comp(*kind, out)
                }
                Expr::Call(callee, args) if matches!(&**callee, Expr::Name(n) if &**n == "super") => {
                    self.eval(f, e)
                }
                Expr::Call(..)
                | Expr::Bin(..)
                | Expr::Attr(..)
                | Expr::Un(..)
                | Expr::Sub(..)
                | Expr::Slice(..)
                | Expr::List(_)
                | Expr::Tuple(_)
                | Expr::Set(_)
                | Expr::Dict(_)
                | Expr::FStr(_)
                | Expr::Walrus(..) => {
                    // Every child's value first, in order (each may suspend; a `*x` is
                    // unpacked at once, as CPython extends the list before the next item),
                    // then the synchronous evaluator's code combines them.
                    let mut kids = vec![];
                    children(e, &mut kids);
                    let mut vals = Vec::with_capacity(kids.len());
                    for (k, spread) in kids {
                        let v = self.aeval(f, k).await?;
                        vals.push(if spread {
                            Value::list(ops::collect(self, &v)?)
                        } else {
                            v
                        });
                    }
                    let mut vals = vals.into_iter();
                    self.eval_node(f, e, &mut |_| Ok(vals.next().unwrap_or(Value::None)))
                }
                _ => self.eval(f, e),
            }
        })
    }

    fn acomp_loop<'a>(
        &'a self,
        f: &'a Frame,
        fors: &'a [CompFor],
        i: usize,
        elt: &'a Expr,
        val: Option<&'a Expr>,
        out: &'a mut Vec<Value>,
    ) -> Fut<'a, Res<()>> {
        Box::pin(async move {
            if i == fors.len() {
                let k = self.aeval(f, elt).await?;
                match val {
                    Some(v) => {
                        let v = self.aeval(f, v).await?;
                        out.push(Value::tuple(vec![k, v]));
                    }
                    None => out.push(k),
                }
                return Ok(());
            }
            let cf = &fors[i];
            let src = self.aeval(f, &cf.iter).await?;
            if cf.is_async {
                let ait = self.call_method(&src, "__aiter__", vec![])?;
                loop {
                    let Some(x) = self.anext(&ait).await? else {
                        break;
                    };
                    self.assign(f, &cf.target, x)?;
                    if self.acomp_ifs(f, cf).await? {
                        self.acomp_loop(f, fors, i + 1, elt, val, out).await?;
                    }
                }
            } else {
                let it = ops::iter(self, &src)?;
                while let Some(x) = ops::next(self, &it)? {
                    self.assign(f, &cf.target, x)?;
                    if self.acomp_ifs(f, cf).await? {
                        self.acomp_loop(f, fors, i + 1, elt, val, out).await?;
                    }
                }
            }
            Ok(())
        })
    }

    async fn acomp_ifs(&self, f: &Frame, cf: &CompFor) -> Res<bool> {
        for c in &cf.ifs {
            let c = self.aeval(f, c).await?;
            if !ops::truthy(self, &c)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Calls a method by name.
    pub fn call_method(&self, o: &Value, name: &str, args: Vec<Value>) -> Res<Value> {
        let m = ops::getattr(self, o, name)?;
        self.call(&m, args, vec![])
    }

    /// One step of `async for`: awaits `__anext__`, `None` at `StopAsyncIteration`.
    pub async fn anext(&self, ait: &Value) -> Res<Option<Value>> {
        let aw = self.call_method(ait, "__anext__", vec![])?;
        match crate::coro::await_value(self, aw).await {
            Ok(v) => Ok(Some(v)),
            Err(e) if !e.fatal && self.is_exc(&e.val, "StopAsyncIteration") => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Runs a block that may suspend.
    pub fn aexec_block<'a>(&'a self, f: &'a Frame, body: &'a [Stmt]) -> Fut<'a, Res<Flow>> {
        let fut: Fut<'a, Res<Flow>> = Box::pin(async move {
            for s in body {
                match self.aexec(f, s).await? {
                    Flow::Normal => {}
                    other => return Ok(other),
                }
            }
            Ok(Flow::Normal)
        });
        if NEST_UNITS == 0 {
            return fut;
        }
        Box::pin(crate::coro::Nested {
            i: self,
            units: NEST_UNITS,
            f: fut,
        })
    }

    /// Evaluates at module level and awaits an `asyncio.run` request.
    async fn module_value(&self, f: &Frame, e: &Expr) -> Res<Value> {
        let v = self.aeval(f, e).await?;
        if let Value::Coro(c) = &v {
            if c.run_request {
                return crate::coro::await_value(self, v).await;
            }
        }
        Ok(v)
    }

    /// Executes one statement that may suspend.
    pub async fn aexec(&self, f: &Frame, s: &Stmt) -> Res<Flow> {
        let module = f.kind == FrameKind::Module;
        let compound = matches!(s.kind, S::While(..) | S::For(..));
        let module_compound = module
            && matches!(
                s.kind,
                S::If(..) | S::Try(..) | S::With(..) | S::Expr(_) | S::Assign(..)
            );
        if !s.suspends && !compound && !module_compound {
            return self.exec(f, s);
        }
        self.tick()?;
        f.line.set(s.line);
        if self.should_yield() && may_suspend(f) {
            wasio::yield_now().await;
        }
        // The statements that evaluate one expression, then act without suspending: one
        // await point for all of them. `x += ...` reads `x` before the right side suspends.
        let one = match &s.kind {
            S::Expr(e) | S::Assign(_, e) | S::AnnAssign(_, Some(e)) | S::Return(Some(e)) => {
                Some((None, e))
            }
            S::AugAssign(Expr::Name(n), _, e) => Some((Some(self.load(f, n)?), e)),
            S::AugAssign(_, _, e) => Some((None, e)),
            _ => None,
        };
        if let Some((cur, e)) = one {
            let v = if module && matches!(s.kind, S::Expr(_) | S::Assign(..)) {
                self.module_value(f, e).await?
            } else {
                self.aeval(f, e).await?
            };
            match &s.kind {
                S::Assign(targets, _) => {
                    for t in targets {
                        self.assign(f, t, v.clone())?;
                    }
                }
                S::AnnAssign(t, _) => self.assign(f, t, v)?,
                S::Return(_) => return Ok(Flow::Return(v)),
                S::AugAssign(t, op, _) => match (t, cur) {
                    (Expr::Name(n), Some(cur)) => {
                        let nv = ops::inplace(self, *op, &cur, &v)?;
                        self.store(f, n, nv);
                    }
                    _ => self.aug_assign(f, t, *op, |_| Ok(v))?,
                },
                _ => {}
            }
            return Ok(Flow::Normal);
        }
        match &s.kind {
            S::Raise(e, c) => {
                let e = match e {
                    Some(e) => Some(self.aeval(f, e).await?),
                    None => None,
                };
                let c = match c {
                    Some(c) => Some(self.aeval(f, c).await?),
                    None => None,
                };
                return Err(self.make_raise(f, e, c));
            }
            S::Assert(c, m) => {
                let c = self.aeval(f, c).await?;
                if !ops::truthy(self, &c)? {
                    let args = match m {
                        Some(m) => vec![self.aeval(f, m).await?],
                        None => vec![],
                    };
                    return Err(raise(new_exception(&self.ty("AssertionError"), args)));
                }
            }
            S::If(c, a, b) => {
                let c = self.aeval(f, c).await?;
                let block = if ops::truthy(self, &c)? { a } else { b };
                return self.aexec_block(f, block).await;
            }
            S::While(_, body, orelse) | S::For(_, _, body, orelse, _) => {
                // One loop for `while`, `for` and `async for`.
                let (it, is_async) = match &s.kind {
                    S::For(_, src, _, _, is_async) => {
                        let src = self.aeval(f, src).await?;
                        let it = if *is_async {
                            self.call_method(&src, "__aiter__", vec![])?
                        } else {
                            ops::iter(self, &src)?
                        };
                        (it, *is_async)
                    }
                    _ => (Value::None, false),
                };
                loop {
                    // The condition, or the next item bound to the target.
                    let more = match &s.kind {
                        S::For(t, ..) => {
                            let x = if is_async {
                                self.anext(&it).await?
                            } else {
                                ops::next(self, &it)?
                            };
                            match x {
                                Some(x) => {
                                    self.assign(f, t, x)?;
                                    true
                                }
                                None => false,
                            }
                        }
                        S::While(c, ..) => {
                            let cv = self.aeval(f, c).await?;
                            ops::truthy(self, &cv)?
                        }
                        _ => false,
                    };
                    if !more {
                        return self.aexec_block(f, orelse).await;
                    }
                    match self.aexec_block(f, body).await? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                    if matches!(s.kind, S::While(..)) {
                        self.tick()?;
                    }
                    if !is_async && self.should_yield() && may_suspend(f) {
                        wasio::yield_now().await;
                    }
                }
            }
            S::Try(body, handlers, orelse, fin, star) => {
                let r = self.aexec_block(f, body).await;
                let r = match r {
                    Ok(Flow::Normal) => self.aexec_block(f, orelse).await,
                    Ok(other) => Ok(other),
                    Err(e) if *star => self.ahandle_star(f, handlers, e).await,
                    Err(e) => match self.match_handler(f, handlers, &e) {
                        Ok(Some(h)) => self.arun_handler(f, h, e).await,
                        Ok(None) => Err(e),
                        Err(e2) => Err(e2),
                    },
                };
                if fin.is_empty() {
                    return r;
                }
                if let Err(e) = &r {
                    f.handling.wr().push(e.val.clone());
                }
                let fr = self.aexec_block(f, fin).await;
                if r.is_err() {
                    f.handling.wr().pop();
                }
                return match fr? {
                    Flow::Normal => r,
                    other => Ok(other),
                };
            }
            S::With(items, body, is_async) => return self.awith(f, items, body, *is_async).await,
            _ => return self.exec(f, s),
        }
        Ok(Flow::Normal)
    }

    async fn arun_handler(&self, f: &Frame, h: &Handler, e: Box<Exc>) -> Res<Flow> {
        if let Some(n) = &h.name {
            self.store(f, n, e.val.clone());
        }
        f.handling.wr().push(e.val.clone());
        let r = self.aexec_block(f, &h.body).await;
        f.handling.wr().pop();
        if let Some(n) = &h.name {
            let _ = self.delete(f, n);
        }
        r
    }

    async fn ahandle_star(&self, f: &Frame, handlers: &[Handler], e: Box<Exc>) -> Res<Flow> {
        if e.fatal {
            return Err(e);
        }
        let mut rest = Some(e.val.clone());
        let mut raised = vec![];
        for h in handlers {
            let Some(cur) = rest.clone() else { break };
            let t = match &h.typ {
                Some(t) => self.eval(f, t)?,
                None => return self.err("SyntaxError", "expected exception type after except*"),
            };
            let (yes, no) = self.split_group(&cur, &t)?;
            rest = no;
            if let Some(g) = yes {
                let ex = Box::new(Exc {
                    val: g,
                    tb: e.tb.clone(),
                    fatal: false,
                });
                match self.arun_handler(f, h, ex).await {
                    Ok(Flow::Normal) => {}
                    Ok(other) => return Ok(other),
                    Err(e2) => raised.push(e2.val),
                }
            }
        }
        self.end_except_star(raised, rest, e.tb)
    }

    fn awith<'a>(
        &'a self,
        f: &'a Frame,
        items: &'a [(Expr, Option<Expr>)],
        body: &'a [Stmt],
        is_async: bool,
    ) -> Fut<'a, Res<Flow>> {
        Box::pin(async move {
            let Some(((cm, target), rest)) = items.split_first() else {
                return self.aexec_block(f, body).await;
            };
            let cm = self.aeval(f, cm).await?;
            let (enter, exit) = if is_async {
                ("__aenter__", "__aexit__")
            } else {
                ("__enter__", "__exit__")
            };
            let exitm = ops::getattr(self, &cm, exit)?;
            let mut v = self.call_method(&cm, enter, vec![])?;
            if is_async {
                v = crate::coro::await_value(self, v).await?;
            }
            if let Some(t) = target {
                self.assign(f, t, v)?;
            }
            let r = self.awith(f, rest, body, is_async).await;
            let (args, err) = match r {
                Ok(flow) => (vec![Value::None, Value::None, Value::None], Ok(flow)),
                Err(e) if e.fatal => return Err(e),
                Err(e) => (
                    vec![
                        Value::Class(ops::class_of(self, &e.val)),
                        e.val.clone(),
                        Value::None,
                    ],
                    Err(e),
                ),
            };
            let mut sup = self.call(&exitm, args, vec![])?;
            if is_async {
                sup = crate::coro::await_value(self, sup).await?;
            }
            match err {
                Ok(flow) => Ok(flow),
                Err(e) => {
                    if ops::truthy(self, &sup)? {
                        Ok(Flow::Normal)
                    } else {
                        Err(e)
                    }
                }
            }
        })
    }
}
