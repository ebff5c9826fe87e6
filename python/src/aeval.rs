//! The asynchronous evaluator: statements and expressions that contain `await` or `yield`.
//!
//! Each function returns a boxed future borrowing the frame and the tree, so a coroutine's body
//! is one Rust future that wasio polls as a task; `await` awaits a wasio future through
//! [`crate::coro::await_value`]. Statements without `await`/`yield` go back to the synchronous
//! evaluator, except loops (so a busy loop inside a coroutine still yields to the event loop every
//! [`Limits::yield_every`] steps) and, in the module frame, every compound statement (so
//! `asyncio.run(main())` anywhere at module level is awaited in place).

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use crate::ast::*;
use crate::interp::*;
use crate::ops;
use crate::value::*;

/// Whether code in frame `f` may yield to the event loop: not in a plain generator's body,
/// which `next()` drives synchronously (a suspension there would be lost).
fn may_suspend(f: &Frame) -> bool {
    f.gen.borrow().is_none() || f.func.as_ref().is_some_and(|func| func.def.is_async)
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
                Expr::Call(callee, args) => {
                    if matches!(&**callee, Expr::Name(n) if &**n == "super") {
                        return self.eval(f, e);
                    }
                    let c = self.aeval(f, callee).await?;
                    let (a, k) = self.aeval_args(f, args).await?;
                    self.call(&c, a, k)
                }
                Expr::Attr(o, n) => {
                    let o = self.aeval(f, o).await?;
                    ops::getattr(self, &o, n)
                }
                Expr::Bin(op, l, r) => {
                    let l = self.aeval(f, l).await?;
                    let r = self.aeval(f, r).await?;
                    ops::binop(self, *op, &l, &r)
                }
                Expr::Un(op, x) => {
                    let x = self.aeval(f, x).await?;
                    ops::unop(self, *op, &x)
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
                Expr::Sub(o, i) => {
                    let o = self.aeval(f, o).await?;
                    let i = self.aeval(f, i).await?;
                    ops::getitem(self, &o, &i)
                }
                Expr::List(items) => Ok(Value::list(self.aeval_items(f, items).await?)),
                Expr::Tuple(items) => Ok(Value::tuple(self.aeval_items(f, items).await?)),
                Expr::Set(items) => {
                    let v = self.aeval_items(f, items).await?;
                    ops::make_set(self, v)
                }
                Expr::Dict(items) => {
                    let mut d = Dict::default();
                    for (k, v) in items {
                        match k {
                            Some(k) => {
                                let k = self.aeval(f, k).await?;
                                let v = self.aeval(f, v).await?;
                                ops::dict_set(self, &mut d, k, v)?;
                            }
                            None => {
                                let m = self.aeval(f, v).await?;
                                ops::dict_update(self, &mut d, &m)?;
                            }
                        }
                    }
                    Ok(Value::Dict(Rc::new(std::cell::RefCell::new(d))))
                }
                Expr::FStr(parts) => {
                    let mut s = String::new();
                    for p in parts {
                        match p {
                            FPart::Lit(l) => s.push_str(l),
                            FPart::Expr(e, conv, spec, debug) => {
                                let v = self.aeval(f, e).await?;
                                self.fpart(f, &mut s, v, *conv, spec, debug)?;
                            }
                        }
                    }
                    Ok(Value::Str(s.into()))
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
                Expr::Walrus(n, v) => {
                    let v = self.aeval(f, v).await?;
                    self.store_walrus(f, n, v.clone());
                    Ok(v)
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

    async fn aeval_items(&self, f: &Frame, items: &[Expr]) -> Res<Vec<Value>> {
        let mut v = Vec::with_capacity(items.len());
        for it in items {
            if let Expr::Starred(x) = it {
                let x = self.aeval(f, x).await?;
                v.extend(ops::collect(self, &x)?);
            } else {
                v.push(self.aeval(f, it).await?);
            }
        }
        Ok(v)
    }

    async fn aeval_args(&self, f: &Frame, args: &[Arg]) -> Res<(Vec<Value>, Kwargs)> {
        let mut a = Vec::with_capacity(args.len());
        let mut k = vec![];
        for arg in args {
            match arg {
                Arg::Pos(e) => a.push(self.aeval(f, e).await?),
                Arg::Star(e) => {
                    let v = self.aeval(f, e).await?;
                    a.extend(ops::collect(self, &v)?);
                }
                Arg::Kw(n, e) => k.push((n.clone(), self.aeval(f, e).await?)),
                Arg::StarStar(e) => {
                    let v = self.aeval(f, e).await?;
                    self.spread_kwargs(&v, &mut k)?;
                }
            }
        }
        Ok((a, k))
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
        match &s.kind {
            S::Expr(e) => {
                if module {
                    self.module_value(f, e).await?;
                } else {
                    self.aeval(f, e).await?;
                }
            }
            S::Assign(targets, v) => {
                let v = if module {
                    self.module_value(f, v).await?
                } else {
                    self.aeval(f, v).await?
                };
                for t in targets {
                    self.assign(f, t, v.clone())?;
                }
            }
            S::AugAssign(t, op, v) => match t {
                Expr::Name(n) => {
                    let cur = self.load(f, n)?;
                    let r = self.aeval(f, v).await?;
                    let nv = ops::inplace(self, *op, &cur, &r)?;
                    self.store(f, n, nv);
                }
                _ => {
                    let r = self.aeval(f, v).await?;
                    self.aug_assign(f, t, *op, |_| Ok(r))?;
                }
            },
            S::AnnAssign(t, v) => {
                if let Some(v) = v {
                    let v = self.aeval(f, v).await?;
                    self.assign(f, t, v)?;
                }
            }
            S::Return(v) => {
                let v = match v {
                    Some(v) => self.aeval(f, v).await?,
                    None => Value::None,
                };
                return Ok(Flow::Return(v));
            }
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
                return if ops::truthy(self, &c)? {
                    self.aexec_block(f, a).await
                } else {
                    self.aexec_block(f, b).await
                };
            }
            S::While(c, body, orelse) => loop {
                let cv = self.aeval(f, c).await?;
                if !ops::truthy(self, &cv)? {
                    return self.aexec_block(f, orelse).await;
                }
                match self.aexec_block(f, body).await? {
                    Flow::Break => break,
                    Flow::Return(v) => return Ok(Flow::Return(v)),
                    _ => {}
                }
                self.tick()?;
                if self.should_yield() && may_suspend(f) {
                    wasio::yield_now().await;
                }
            },
            S::For(t, src, body, orelse, is_async) => {
                let src = self.aeval(f, src).await?;
                if *is_async {
                    let ait = self.call_method(&src, "__aiter__", vec![])?;
                    loop {
                        let Some(x) = self.anext(&ait).await? else {
                            return self.aexec_block(f, orelse).await;
                        };
                        self.assign(f, t, x)?;
                        match self.aexec_block(f, body).await? {
                            Flow::Break => break,
                            Flow::Return(v) => return Ok(Flow::Return(v)),
                            _ => {}
                        }
                    }
                } else {
                    let it = ops::iter(self, &src)?;
                    loop {
                        let Some(x) = ops::next(self, &it)? else {
                            return self.aexec_block(f, orelse).await;
                        };
                        self.assign(f, t, x)?;
                        match self.aexec_block(f, body).await? {
                            Flow::Break => break,
                            Flow::Return(v) => return Ok(Flow::Return(v)),
                            _ => {}
                        }
                        if self.should_yield() && may_suspend(f) {
                            wasio::yield_now().await;
                        }
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
                    f.handling.borrow_mut().push(e.val.clone());
                }
                let fr = self.aexec_block(f, fin).await;
                if r.is_err() {
                    f.handling.borrow_mut().pop();
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
        f.handling.borrow_mut().push(e.val.clone());
        let r = self.aexec_block(f, &h.body).await;
        f.handling.borrow_mut().pop();
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
