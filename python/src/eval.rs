//! The synchronous evaluator: expressions and statements that contain no `await` or `yield`.
//!
//! It walks the tree directly, recursing on the Rust stack. Statements that suspend are handed
//! to the asynchronous evaluator ([`crate::aeval`]); a plain `def` never suspends, so its calls
//! run entirely here. The shared pieces both evaluators use (argument lists, assignment targets,
//! `raise`, matching `except` clauses) live here too.

use crate::cell::Borrows as _;
use std::cell::RefCell;
use std::rc::Rc;

use crate::ast::*;
use crate::interp::*;
use crate::ops;
use crate::value::*;

impl Interp {
    /// Evaluates an expression.
    pub fn eval(&self, f: &Frame, e: &Expr) -> Res<Value> {
        match e {
            Expr::Name(n) => self.load(f, n),
            Expr::Const(c) => Ok(self.constant(c)),
            Expr::Call(callee, args) => {
                if let (Expr::Name(n), true) = (&**callee, args.is_empty()) {
                    if &**n == "super" {
                        return self.zero_arg_super(f);
                    }
                }
                let c = self.eval(f, callee)?;
                let (a, k) = self.eval_args(f, args)?;
                // A Python function directly: one native frame fewer per Python call.
                match &c {
                    Value::Func(func) => self.call_function(func, a, k),
                    _ => self.call(&c, a, k),
                }
            }
            Expr::Bin(op, l, r) => {
                let l = self.eval(f, l)?;
                let r = self.eval(f, r)?;
                ops::binop(self, *op, &l, &r)
            }
            _ => self.eval_more(f, e),
        }
    }

    /// [`Interp::eval`] for the expressions that are not on the path of a Python call (so
    /// that `eval`'s native frame, on the stack once or twice per Python call, stays small).
    #[inline(never)]
    fn eval_more(&self, f: &Frame, e: &Expr) -> Res<Value> {
        match e {
            Expr::Cmp(l, rest) => {
                let mut l = self.eval(f, l)?;
                for (op, r) in rest {
                    let r = self.eval(f, r)?;
                    if !ops::compare(self, *op, &l, &r)? {
                        return Ok(Value::Bool(false));
                    }
                    l = r;
                }
                Ok(Value::Bool(true))
            }
            Expr::And(l, r) => {
                let l = self.eval(f, l)?;
                if !ops::truthy(self, &l)? {
                    return Ok(l);
                }
                self.eval(f, r)
            }
            Expr::Or(l, r) => {
                let l = self.eval(f, l)?;
                if ops::truthy(self, &l)? {
                    return Ok(l);
                }
                self.eval(f, r)
            }
            Expr::IfExp(c, a, b) => {
                let c = self.eval(f, c)?;
                if ops::truthy(self, &c)? {
                    self.eval(f, a)
                } else {
                    self.eval(f, b)
                }
            }
            Expr::Comp(CompKind::Gen, elt, _, fors) if !fors.iter().any(|c| c.is_async) => {
                self.genexp(f, elt, fors)
            }
            Expr::Comp(kind, elt, val, fors) => {
                let cf = self.comp_frame(f);
                let mut out = vec![];
                self.comp_loop(&cf, fors, 0, &mut |cf| {
                    let k = self.eval(cf, elt)?;
                    match val {
                        Some(v) => {
                            let v = self.eval(cf, v)?;
                            out.push(Value::tuple(vec![k, v]));
                        }
                        None => out.push(k),
                    }
                    Ok(())
                })?;
                self.finish_comp(*kind, out)
            }
            Expr::Lambda(def) => self.make_def(f, def),
            Expr::Starred(_) => self.err("SyntaxError", "can't use starred expression here"),
            Expr::Await(_) | Expr::Yield(_) | Expr::YieldFrom(_) => self.err(
                "SyntaxError",
                "'await' or 'yield' evaluated outside a coroutine",
            ),
            _ => self.eval_node(f, e, &mut |c| self.eval(f, c)),
        }
    }

    /// The expressions that evaluate every child, each once, in the order [`crate::aeval::children`] lists them, and
    /// then combine the values (calls, attributes, operators, subscripts, slices, displays,
    /// f-strings, `:=`): their one implementation, which gets each child's value from `kid`.
    /// The synchronous evaluator passes [`Interp::eval`]; the asynchronous one passes values it
    /// has already awaited, so it needs no code of its own for these.
    pub fn eval_node(
        &self,
        f: &Frame,
        e: &Expr,
        kid: &mut dyn FnMut(&Expr) -> Res<Value>,
    ) -> Res<Value> {
        match e {
            Expr::Call(callee, args) => {
                let c = kid(callee)?;
                let (a, k) = self.args_with(args, kid)?;
                self.call(&c, a, k)
            }
            Expr::Bin(op, l, r) => {
                let l = kid(l)?;
                let r = kid(r)?;
                ops::binop(self, *op, &l, &r)
            }
            Expr::Attr(o, n) => {
                let o = kid(o)?;
                ops::getattr(self, &o, n)
            }
            Expr::Un(op, x) => {
                let x = kid(x)?;
                ops::unop(self, *op, &x)
            }
            Expr::Sub(o, i) => {
                let o = kid(o)?;
                let i = kid(i)?;
                ops::getitem(self, &o, &i)
            }
            Expr::Slice(a, b, c) => {
                let mut g = |x: &Option<Box<Expr>>| -> Res<Value> {
                    match x {
                        Some(x) => kid(x),
                        None => Ok(Value::None),
                    }
                };
                Ok(Value::Slice(Rc::new((g(a)?, g(b)?, g(c)?))))
            }
            Expr::List(items) => Ok(Value::list(self.items_with(items, kid)?)),
            Expr::Tuple(items) => Ok(Value::tuple(self.items_with(items, kid)?)),
            Expr::Set(items) => {
                let v = self.items_with(items, kid)?;
                ops::make_set(self, v)
            }
            Expr::Dict(items) => {
                let mut d = Dict::default();
                for (k, v) in items {
                    match k {
                        Some(k) => {
                            let k = kid(k)?;
                            let v = kid(v)?;
                            ops::dict_set(self, &mut d, k, v)?;
                        }
                        None => {
                            let m = kid(v)?;
                            ops::dict_update(self, &mut d, &m)?;
                        }
                    }
                }
                Ok(Value::Dict(Rc::new(RefCell::new(d))))
            }
            Expr::FStr(parts) => self.fstring_with(parts, kid),
            Expr::Walrus(n, v) => {
                let v = kid(v)?;
                self.store_walrus(f, n, v.clone());
                Ok(v)
            }
            _ => self.err("SyntaxError", "invalid expression"),
        }
    }

    /// `n := v`: binds in the frame, or from a comprehension in the scope that contains it
    /// (PEP 572; a comprehension's frame is the one without a function).
    pub fn store_walrus(&self, f: &Frame, n: &Rc<str>, v: Value) {
        if f.func.is_none() && f.kind == FrameKind::Function {
            if let Some(outer) = &f.locals.parent {
                outer.set(n.clone(), v);
                return;
            }
        }
        self.store(f, n, v)
    }

    /// A literal's value.
    pub fn constant(&self, c: &Const) -> Value {
        match c {
            Const::None => Value::None,
            Const::True => Value::Bool(true),
            Const::False => Value::Bool(false),
            Const::Ellipsis => Value::Ellipsis,
            Const::Int(i) => Value::Int(*i),
            Const::BigInt(s) => {
                crate::bigint::BigInt::parse(s).map_or(Value::Float(f64::INFINITY), Value::int)
            }
            Const::Float(x) => Value::Float(*x),
            Const::Str(s) => Value::Str(s.clone()),
            Const::Bytes(b) => Value::Bytes(b.clone()),
        }
    }

    #[inline(never)]
    fn zero_arg_super(&self, f: &Frame) -> Res<Value> {
        let owner = f
            .func
            .as_ref()
            .and_then(|func| func.owner.rd().as_ref().and_then(|w| w.upgrade()));
        let first = f
            .func
            .as_ref()
            .and_then(|func| func.def.params.pos.first().map(|p| p.0.clone()));
        match (owner, first) {
            (Some(c), Some(p)) => {
                let me = f.locals.get(&p).unwrap_or(Value::None);
                Ok(Value::Super(Rc::new((c, me))))
            }
            _ => self.err("RuntimeError", "super(): no arguments"),
        }
    }

    /// List/tuple items (with `*unpacking`), each item's value from `kid`.
    fn items_with(
        &self,
        items: &[Expr],
        kid: &mut dyn FnMut(&Expr) -> Res<Value>,
    ) -> Res<Vec<Value>> {
        let mut v = Vec::with_capacity(items.len());
        for it in items {
            if let Expr::Starred(x) = it {
                let x = kid(x)?;
                v.extend(ops::collect(self, &x)?);
            } else {
                v.push(kid(it)?);
            }
        }
        Ok(v)
    }

    /// Evaluates call arguments.
    #[inline(never)]
    pub fn eval_args(&self, f: &Frame, args: &[Arg]) -> Res<(Vec<Value>, Kwargs)> {
        self.args_with(args, &mut |e| self.eval(f, e))
    }

    /// Call arguments, each argument expression's value from `kid`.
    fn args_with(
        &self,
        args: &[Arg],
        kid: &mut dyn FnMut(&Expr) -> Res<Value>,
    ) -> Res<(Vec<Value>, Kwargs)> {
        let mut a = Vec::with_capacity(args.len());
        let mut k = vec![];
        for arg in args {
            match arg {
                Arg::Pos(e) => a.push(kid(e)?),
                Arg::Star(e) => {
                    let v = kid(e)?;
                    a.extend(ops::collect(self, &v)?);
                }
                Arg::Kw(n, e) => k.push((n.clone(), kid(e)?)),
                Arg::StarStar(e) => {
                    let v = kid(e)?;
                    self.spread_kwargs(&v, &mut k)?;
                }
            }
        }
        Ok((a, k))
    }

    /// Adds a `**mapping` to keyword arguments.
    pub fn spread_kwargs(&self, v: &Value, k: &mut Vec<(Rc<str>, Value)>) -> Res<()> {
        match v {
            Value::Dict(d) => {
                for (key, val) in d.rd().iter() {
                    match key {
                        Value::Str(s) => k.push((s.clone(), val.clone())),
                        _ => return self.type_err("keywords must be strings"),
                    }
                }
                Ok(())
            }
            _ => self.type_err("argument after ** must be a mapping"),
        }
    }

    /// Builds an f-string, each replacement field's value from `kid`.
    fn fstring_with(
        &self,
        parts: &[FPart],
        kid: &mut dyn FnMut(&Expr) -> Res<Value>,
    ) -> Res<Value> {
        let mut s = String::new();
        for p in parts {
            match p {
                FPart::Lit(l) => s.push_str(l),
                FPart::Expr(e, conv, spec, debug) => {
                    // The value, then the spec's fields, then the conversion and format.
                    let v = kid(e)?;
                    let spec = match spec {
                        Some(sp) => match self.fstring_with(sp, kid)? {
                            Value::Str(x) => x,
                            _ => "".into(),
                        },
                        None => "".into(),
                    };
                    if let Some(d) = debug {
                        s.push_str(d);
                    }
                    let v = match conv {
                        Some('r' | 'a') => Value::Str(crate::format::repr(self, &v)?.into()),
                        Some('s') => Value::Str(crate::format::to_str(self, &v)?.into()),
                        _ => v,
                    };
                    s.push_str(&crate::format::format_value(self, &v, &spec)?);
                }
            }
        }
        Ok(Value::Str(s.into()))
    }

    /// The frame a comprehension runs in (its own scope, seeing the enclosing one).
    pub fn comp_frame(&self, f: &Frame) -> Frame {
        Frame {
            locals: Scope::new(Some(f.locals.clone())),
            globals: f.globals.clone(),
            func: None,
            kind: FrameKind::Function,
            line: std::cell::Cell::new(f.line.get()),
            name: f.name.clone(),
            file: f.file.clone(),
            handling: RefCell::new(vec![]),
            gen: RefCell::new(f.gen.rd().clone()),
        }
    }

    fn comp_loop(
        &self,
        f: &Frame,
        fors: &[CompFor],
        i: usize,
        body: &mut dyn FnMut(&Frame) -> Res<()>,
    ) -> Res<()> {
        if i == fors.len() {
            return body(f);
        }
        let cf = &fors[i];
        let it = self.eval(f, &cf.iter)?;
        let it = ops::iter(self, &it)?;
        'items: while let Some(x) = ops::next(self, &it)? {
            self.assign(f, &cf.target, x)?;
            for c in &cf.ifs {
                let c = self.eval(f, c)?;
                if !ops::truthy(self, &c)? {
                    continue 'items;
                }
            }
            self.comp_loop(f, fors, i + 1, body)?;
        }
        Ok(())
    }

    /// A generator expression: a lazy generator over its clauses (the first iterable is
    /// evaluated now, as in Python; the rest as items are drawn).
    fn genexp(&self, f: &Frame, elt: &Rc<Expr>, fors: &Rc<Vec<CompFor>>) -> Res<Value> {
        let first = self.eval(f, &fors[0].iter)?;
        let first = ops::iter(self, &first)?;
        let cf = self.comp_frame(f);
        let slot = Rc::new(crate::coro::Slot::default());
        *cf.gen.wr() = Some(slot.clone());
        let (i2, elt, fors) = (self.clone(), elt.clone(), fors.clone());
        let fut = async move {
            i2.genexp_loop(&cf, &elt, &fors, 0, Some(first))
                .await
                .map(|_| Value::None)
        };
        Ok(Value::Gen(Rc::new(crate::coro::Gen {
            name: "<genexpr>".into(),
            fut: RefCell::new(Some(Box::pin(fut))),
            slot,
            is_async: false,
            done: std::cell::Cell::new(false),
        })))
    }

    fn genexp_loop<'a>(
        &'a self,
        f: &'a Frame,
        elt: &'a Expr,
        fors: &'a [CompFor],
        i: usize,
        first: Option<Value>,
    ) -> crate::aeval::Fut<'a, Res<()>> {
        Box::pin(async move {
            if i == fors.len() {
                let v = self.eval(f, elt)?;
                crate::coro::yield_value(self, f, v).await?;
                return Ok(());
            }
            let cf = &fors[i];
            let it = match first {
                Some(it) => it,
                None => {
                    let src = self.eval(f, &cf.iter)?;
                    ops::iter(self, &src)?
                }
            };
            'items: while let Some(x) = ops::next(self, &it)? {
                self.assign(f, &cf.target, x)?;
                for c in &cf.ifs {
                    let c = self.eval(f, c)?;
                    if !ops::truthy(self, &c)? {
                        continue 'items;
                    }
                }
                self.genexp_loop(f, elt, fors, i + 1, None).await?;
            }
            Ok(())
        })
    }

    /// Turns collected comprehension items into the right container.
    pub fn finish_comp(&self, kind: CompKind, out: Vec<Value>) -> Res<Value> {
        Ok(match kind {
            CompKind::List => Value::list(out),
            CompKind::Gen => Value::Iter(Rc::new(RefCell::new(Iter::Vals(out, 0)))),
            CompKind::Set => ops::make_set(self, out)?,
            CompKind::Dict => {
                let mut d = Dict::default();
                for kv in out {
                    if let Value::Tuple(t) = kv {
                        ops::dict_set(self, &mut d, t[0].clone(), t[1].clone())?;
                    }
                }
                Value::Dict(Rc::new(RefCell::new(d)))
            }
        })
    }

    /// Makes a function from a `def` or `lambda` in frame `f` (defaults evaluated now).
    pub fn make_def(&self, f: &Frame, def: &Rc<FuncDef>) -> Res<Value> {
        let mut defaults = vec![];
        for (_, d) in &def.params.pos {
            if let Some(d) = d {
                defaults.push(self.eval(f, d)?);
            }
        }
        let mut kwd = vec![];
        for (_, d) in &def.params.kwonly {
            kwd.push(match d {
                Some(d) => Some(self.eval(f, d)?),
                None => None,
            });
        }
        Ok(Value::Func(self.make_function(f, def, defaults, kwd)))
    }

    /// Assigns to a target (name, attribute, item, or unpacking).
    pub fn assign(&self, f: &Frame, t: &Expr, v: Value) -> Res<()> {
        match t {
            Expr::Name(n) => {
                self.store(f, n, v);
                Ok(())
            }
            Expr::Attr(o, n) => {
                let o = self.eval(f, o)?;
                ops::setattr(self, &o, n, v)
            }
            Expr::Sub(o, i) => {
                let o = self.eval(f, o)?;
                let i = self.eval(f, i)?;
                ops::setitem(self, &o, i, v)
            }
            Expr::Tuple(ts) | Expr::List(ts) => {
                let items = ops::collect(self, &v)?;
                let star = ts.iter().position(|t| matches!(t, Expr::Starred(_)));
                match star {
                    None => {
                        if items.len() != ts.len() {
                            if items.len() > ts.len() {
                                return self.err(
                                    "ValueError",
                                    format!("too many values to unpack (expected {})", ts.len()),
                                );
                            }
                            return self.err(
                                "ValueError",
                                format!(
                                    "not enough values to unpack (expected {}, got {})",
                                    ts.len(),
                                    items.len()
                                ),
                            );
                        }
                        for (t, x) in ts.iter().zip(items) {
                            self.assign(f, t, x)?;
                        }
                    }
                    Some(si) => {
                        let after = ts.len() - si - 1;
                        if items.len() < ts.len() - 1 {
                            return self.err(
                                "ValueError",
                                format!(
                                    "not enough values to unpack (expected at least {}, got {})",
                                    ts.len() - 1,
                                    items.len()
                                ),
                            );
                        }
                        let mut items = items;
                        let tail = items.split_off(items.len() - after);
                        let mid = items.split_off(si);
                        for (t, x) in ts[..si].iter().zip(items) {
                            self.assign(f, t, x)?;
                        }
                        if let Expr::Starred(st) = &ts[si] {
                            self.assign(f, st, Value::list(mid))?;
                        }
                        for (t, x) in ts[si + 1..].iter().zip(tail) {
                            self.assign(f, t, x)?;
                        }
                    }
                }
                Ok(())
            }
            Expr::Starred(x) => self.assign(f, x, v),
            _ => self.err("SyntaxError", "cannot assign"),
        }
    }

    /// Deletes a target.
    pub fn del(&self, f: &Frame, t: &Expr) -> Res<()> {
        match t {
            Expr::Name(n) => self.delete(f, n),
            Expr::Sub(o, i) => {
                let o = self.eval(f, o)?;
                let i = self.eval(f, i)?;
                ops::delitem(self, &o, &i)
            }
            Expr::Attr(o, n) => {
                let o = self.eval(f, o)?;
                ops::delattr(self, &o, n)
            }
            Expr::Tuple(ts) | Expr::List(ts) => ts.iter().try_for_each(|t| self.del(f, t)),
            _ => self.err("SyntaxError", "cannot delete"),
        }
    }

    /// Builds the exception a `raise X from Y` raises.
    pub fn make_raise(&self, f: &Frame, e: Option<Value>, cause: Option<Value>) -> Box<Exc> {
        let v = match e {
            None => match f.handling.rd().last() {
                Some(v) => return raise(v.clone()),
                None => {
                    return raise(self.exc_val("RuntimeError", "No active exception to reraise"))
                }
            },
            Some(Value::Class(c)) => match self.instantiate(&c, vec![], vec![]) {
                Ok(v) => v,
                Err(e) => return e,
            },
            Some(v @ Value::Inst(_)) if self.is_exc(&v, "BaseException") => v,
            Some(_) => {
                return raise(
                    self.exc_val("TypeError", "exceptions must derive from BaseException"),
                )
            }
        };
        if let Value::Inst(i) = &v {
            if let Some(c) = cause {
                let c = match c {
                    Value::Class(c) => self.instantiate(&c, vec![], vec![]).unwrap_or(Value::None),
                    c => c,
                };
                i.dict.wr().insert("__cause__".into(), c);
            }
            if let Some(ctx) = f.handling.rd().last() {
                if !ctx.is(&v) {
                    i.dict
                        .wr()
                        .entry("__context__".into())
                        .or_insert(ctx.clone());
                }
            }
        }
        raise(v)
    }

    /// Finds the `except` clause that handles `e` (evaluating clause types in order).
    pub fn match_handler<'h>(
        &self,
        f: &Frame,
        handlers: &'h [Handler],
        e: &Exc,
    ) -> Res<Option<&'h Handler>> {
        if e.fatal {
            return Ok(None);
        }
        for h in handlers {
            match &h.typ {
                None => return Ok(Some(h)),
                Some(t) => {
                    let t = self.eval(f, t)?;
                    if self.exc_matches(&e.val, &t)? {
                        return Ok(Some(h));
                    }
                }
            }
        }
        Ok(None)
    }

    /// For `except*`: splits a group by a clause type; gives (matched group, rest group).
    pub fn split_group(&self, e: &Value, t: &Value) -> Res<(Option<Value>, Option<Value>)> {
        let eg = self.ty("BaseExceptionGroup");
        let (msg, subs) = match e {
            Value::Inst(i) if i.class.is_sub(&eg) => {
                let d = i.dict.rd();
                let args = d.get("args").cloned();
                match args {
                    Some(Value::Tuple(a)) if a.len() == 2 => {
                        (a[0].clone(), ops::collect(self, &a[1])?)
                    }
                    _ => (Value::str(""), vec![]),
                }
            }
            _ => {
                // a naked exception: matched whole (wrapped in a group) or not at all
                if self.exc_matches(e, t)? {
                    let g = self.make_group(Value::str(""), vec![e.clone()]);
                    return Ok((Some(g), None));
                }
                return Ok((None, Some(e.clone())));
            }
        };
        let mut yes = vec![];
        let mut no = vec![];
        for s in subs {
            if self.is_exc(&s, "BaseExceptionGroup") {
                let (a, b) = self.split_group(&s, t)?;
                yes.extend(a);
                no.extend(b);
            } else if self.exc_matches(&s, t)? {
                yes.push(s);
            } else {
                no.push(s);
            }
        }
        let mk = |v: Vec<Value>| {
            if v.is_empty() {
                None
            } else {
                Some(self.make_group(msg.clone(), v))
            }
        };
        Ok((mk(yes), mk(no)))
    }

    /// A new `ExceptionGroup(msg, excs)`.
    pub fn make_group(&self, msg: Value, excs: Vec<Value>) -> Value {
        let all_exc = excs.iter().all(|e| self.is_exc(e, "Exception"));
        let c = self.ty(if all_exc {
            "ExceptionGroup"
        } else {
            "BaseExceptionGroup"
        });
        new_exception(&c, vec![msg, Value::list(excs)])
    }

    /// Executes one statement.
    pub fn exec(&self, f: &Frame, s: &Stmt) -> Res<Flow> {
        self.tick()?;
        f.line.set(s.line);
        match &s.kind {
            S::Expr(e) => {
                self.eval(f, e)?;
            }
            S::Assign(targets, v) => {
                let v = self.eval(f, v)?;
                for t in targets {
                    self.assign(f, t, v.clone())?;
                }
            }
            S::Pass | S::Global | S::Nonlocal => {}
            S::Break => return Ok(Flow::Break),
            S::Continue => return Ok(Flow::Continue),
            S::Return(v) => {
                let v = match v {
                    Some(v) => self.eval(f, v)?,
                    None => Value::None,
                };
                return Ok(Flow::Return(v));
            }
            S::If(c, a, b) => {
                let c = self.eval(f, c)?;
                return if ops::truthy(self, &c)? {
                    self.exec_block(f, a)
                } else {
                    self.exec_block(f, b)
                };
            }
            S::While(..) => return self.exec_while(f, s),
            S::For(..) => return self.exec_for(f, s),
            S::Try(..) => return self.exec_try(f, s),
            _ => return self.exec_more(f, s),
        }
        Ok(Flow::Normal)
    }

    /// [`Interp::exec`] for the statements that are not on the path of a Python call (so that
    /// `exec`'s native frame, on the stack once per Python call, stays small).
    #[inline(never)]
    fn exec_more(&self, f: &Frame, s: &Stmt) -> Res<Flow> {
        match &s.kind {
            S::AugAssign(t, op, v) => {
                self.aug_assign(f, t, *op, |i| i.eval(f, v))?;
            }
            S::AnnAssign(t, Some(v)) => {
                let v = self.eval(f, v)?;
                self.assign(f, t, v)?;
            }
            S::Raise(e, c) => {
                let e = e.as_ref().map(|e| self.eval(f, e)).transpose()?;
                let c = c.as_ref().map(|c| self.eval(f, c)).transpose()?;
                return Err(self.make_raise(f, e, c));
            }
            S::Del(ts) => {
                for t in ts {
                    self.del(f, t)?;
                }
            }
            S::Assert(c, m) => {
                let c = self.eval(f, c)?;
                if !ops::truthy(self, &c)? {
                    let args = match m {
                        Some(m) => vec![self.eval(f, m)?],
                        None => vec![],
                    };
                    let cls = self.ty("AssertionError");
                    return Err(raise(new_exception(&cls, args)));
                }
            }
            S::With(items, body, is_async) => {
                if *is_async {
                    return self.err("SyntaxError", "'async with' outside async function");
                }
                return self.exec_with(f, items, body);
            }
            S::Def(def) => {
                let mut v = self.make_def(f, def)?;
                for d in def.decorators.iter().rev() {
                    let d = self.eval(f, d)?;
                    v = self.call(&d, vec![v], vec![])?;
                }
                self.store(f, &def.name, v);
            }
            S::Class(cd) => {
                let v = self.make_class(f, cd)?;
                self.store(f, &cd.name, v);
            }
            S::Import(mods) => {
                for (path, alias) in mods {
                    let m = crate::modules::import(self, path)?;
                    match alias {
                        Some(a) => self.store(f, a, m),
                        None => {
                            let top = crate::modules::import(self, &path[..1])?;
                            self.store(f, &path[0], top)
                        }
                    }
                }
            }
            S::ImportFrom(path, names) => {
                let m = crate::modules::import(self, path)?;
                for (n, alias) in names {
                    let v = ops::getattr(self, &m, n).or_else(|_| {
                        self.err(
                            "ImportError",
                            format!("cannot import name '{n}' from '{}'", path.join(".")),
                        )
                    })?;
                    self.store(f, alias.as_ref().unwrap_or(n), v);
                }
            }
            _ => {}
        }
        Ok(Flow::Normal)
    }

    /// `while`.
    #[inline(never)]
    fn exec_while(&self, f: &Frame, s: &Stmt) -> Res<Flow> {
        let S::While(c, body, orelse) = &s.kind else {
            return Ok(Flow::Normal);
        };
        let _nest = self.nest(NEST_UNITS)?;
        loop {
            let cv = self.eval(f, c)?;
            if !ops::truthy(self, &cv)? {
                return self.exec_block(f, orelse);
            }
            match self.exec_block(f, body)? {
                Flow::Break => break,
                Flow::Return(v) => return Ok(Flow::Return(v)),
                _ => {}
            }
            self.tick()?;
        }
        Ok(Flow::Normal)
    }

    /// `for`.
    #[inline(never)]
    fn exec_for(&self, f: &Frame, s: &Stmt) -> Res<Flow> {
        let S::For(t, it, body, orelse, _) = &s.kind else {
            return Ok(Flow::Normal);
        };
        let _nest = self.nest(NEST_UNITS)?;
        let it = self.eval(f, it)?;
        let it = ops::iter(self, &it)?;
        loop {
            let x = match ops::next(self, &it)? {
                Some(x) => x,
                None => return self.exec_block(f, orelse),
            };
            self.assign(f, t, x)?;
            match self.exec_block(f, body)? {
                Flow::Break => break,
                Flow::Return(v) => return Ok(Flow::Return(v)),
                _ => {}
            }
        }
        Ok(Flow::Normal)
    }

    /// `try`.
    #[inline(never)]
    fn exec_try(&self, f: &Frame, s: &Stmt) -> Res<Flow> {
        let S::Try(body, handlers, orelse, fin, star) = &s.kind else {
            return Ok(Flow::Normal);
        };
        let _nest = self.nest(NEST_UNITS)?;
        let r = self.exec_block(f, body);
        let r = match r {
            Ok(Flow::Normal) => self.exec_block(f, orelse),
            Ok(other) => Ok(other),
            Err(e) if *star => self.handle_star(f, handlers, e),
            Err(e) => match self.match_handler(f, handlers, &e) {
                Ok(Some(h)) => self.run_handler(f, h, e),
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
        let fr = self.exec_block(f, fin);
        if r.is_err() {
            f.handling.wr().pop();
        }
        match fr? {
            Flow::Normal => r,
            other => Ok(other),
        }
    }

    /// `target op= value`.
    pub fn aug_assign(
        &self,
        f: &Frame,
        t: &Expr,
        op: BinOp,
        rhs: impl FnOnce(&Interp) -> Res<Value>,
    ) -> Res<()> {
        match t {
            Expr::Name(n) => {
                let cur = self.load(f, n)?;
                let r = rhs(self)?;
                let v = ops::inplace(self, op, &cur, &r)?;
                self.store(f, n, v);
            }
            Expr::Attr(o, n) => {
                let o = self.eval(f, o)?;
                let cur = ops::getattr(self, &o, n)?;
                let r = rhs(self)?;
                let v = ops::inplace(self, op, &cur, &r)?;
                ops::setattr(self, &o, n, v)?;
            }
            Expr::Sub(o, i) => {
                let o = self.eval(f, o)?;
                let i = self.eval(f, i)?;
                let cur = ops::getitem(self, &o, &i)?;
                let r = rhs(self)?;
                let v = ops::inplace(self, op, &cur, &r)?;
                ops::setitem(self, &o, i, v)?;
            }
            _ => return self.err("SyntaxError", "illegal expression for augmented assignment"),
        }
        Ok(())
    }

    /// Runs an `except` clause for `e`.
    #[allow(clippy::boxed_local)]
    pub fn run_handler(&self, f: &Frame, h: &Handler, e: Box<Exc>) -> Res<Flow> {
        if let Some(n) = &h.name {
            self.store(f, n, e.val.clone());
        }
        f.handling.wr().push(e.val.clone());
        let r = self.exec_block(f, &h.body);
        f.handling.wr().pop();
        if let Some(n) = &h.name {
            let _ = self.delete(f, n);
        }
        r
    }

    /// How an `except*` statement ends (both evaluators): what its handlers raised, plus the
    /// part of the group no handler matched, is re-raised as one exception or as a new group;
    /// with nothing left, the statement completes normally.
    pub(crate) fn end_except_star(
        &self,
        mut raised: Vec<Value>,
        rest: Option<Value>,
        tb: Vec<(Rc<str>, u32, Rc<str>)>,
    ) -> Res<Flow> {
        raised.extend(rest);
        let val = match raised.len() {
            0 => return Ok(Flow::Normal),
            1 => raised.pop().unwrap_or(Value::None),
            _ => self.make_group(Value::str(""), raised),
        };
        Err(Box::new(Exc {
            val,
            tb,
            fatal: false,
        }))
    }

    fn handle_star(&self, f: &Frame, handlers: &[Handler], e: Box<Exc>) -> Res<Flow> {
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
                match self.run_handler(f, h, ex) {
                    Ok(Flow::Normal) => {}
                    Ok(other) => return Ok(other),
                    Err(e2) => raised.push(e2.val),
                }
            }
        }
        self.end_except_star(raised, rest, e.tb)
    }

    fn exec_with(&self, f: &Frame, items: &[(Expr, Option<Expr>)], body: &[Stmt]) -> Res<Flow> {
        let _nest = self.nest(NEST_UNITS)?;
        let Some(((cm, target), rest)) = items.split_first() else {
            return self.exec_block(f, body);
        };
        let cm = self.eval(f, cm)?;
        let exit = ops::getattr(self, &cm, "__exit__")?;
        let enter = ops::getattr(self, &cm, "__enter__")?;
        let v = self.call(&enter, vec![], vec![])?;
        if let Some(t) = target {
            self.assign(f, t, v)?;
        }
        let r = self.exec_with(f, rest, body);
        match r {
            Ok(flow) => {
                self.call(&exit, vec![Value::None, Value::None, Value::None], vec![])?;
                Ok(flow)
            }
            Err(e) if e.fatal => Err(e),
            Err(e) => {
                let cls = ops::class_of(self, &e.val);
                let sup = self.call(
                    &exit,
                    vec![Value::Class(cls), e.val.clone(), Value::None],
                    vec![],
                )?;
                if ops::truthy(self, &sup)? {
                    Ok(Flow::Normal)
                } else {
                    Err(e)
                }
            }
        }
    }

    /// Runs a class statement's body and builds the class.
    pub fn make_class(&self, f: &Frame, cd: &ClassDef) -> Res<Value> {
        let (args, kwargs) = self.eval_args(f, &cd.bases)?;
        if !kwargs.is_empty() {
            return self.err(
                "SyntaxError",
                "class keyword arguments (metaclass=...) are not supported",
            );
        }
        let mut bases = vec![];
        for b in args {
            match b {
                Value::Class(c) => bases.push(c),
                _ => return self.type_err("bases must be types"),
            }
        }
        if bases.is_empty() {
            bases.push(self.ty("object"));
        }
        let parent = match f.kind {
            FrameKind::Module => None,
            FrameKind::Function => Some(f.locals.clone()),
            FrameKind::Class => f.locals.parent.clone(),
        };
        let qual: Rc<str> = if f.kind == FrameKind::Module {
            cd.name.clone()
        } else {
            format!("{}.{}", f.name, cd.name).into()
        };
        let cf = Frame {
            locals: Scope::new(parent),
            globals: f.globals.clone(),
            func: None,
            kind: FrameKind::Class,
            line: std::cell::Cell::new(f.line.get()),
            name: qual,
            file: f.file.clone(),
            handling: RefCell::new(vec![]),
            gen: RefCell::new(f.gen.rd().clone()),
        };
        cf.locals.set("__module__".into(), Value::str("__main__"));
        cf.locals
            .set("__qualname__".into(), Value::Str(cf.name.clone()));
        match self.exec_block(&cf, &cd.body) {
            Ok(_) => {}
            Err(mut e) => {
                e.tb.push((cf.file.clone(), cf.line.get(), cd.name.clone()));
                return Err(e);
            }
        }
        let dict: Map<Rc<str>, Value> = cf.locals.vars.rd().clone();
        let c = Class::new(cd.name.clone(), bases, dict, None);
        for v in c.dict.rd().values() {
            let func = match v {
                Value::Func(func) => Some(func.clone()),
                Value::StaticMethod(x) | Value::ClassMethod(x) => match &**x {
                    Value::Func(func) => Some(func.clone()),
                    _ => None,
                },
                Value::Property(p) => match &p.0 {
                    Value::Func(func) => Some(func.clone()),
                    _ => None,
                },
                _ => None,
            };
            if let Some(func) = func {
                *func.owner.wr() = Some(Rc::downgrade(&c));
            }
        }
        let mut v = Value::Class(c);
        for d in cd.decorators.iter().rev() {
            let d = self.eval(f, d)?;
            v = self.call(&d, vec![v], vec![])?;
        }
        Ok(v)
    }
}
