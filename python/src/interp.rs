//! The interpreter's state and the operations every evaluator shares: frames, name lookup and
//! binding, calling functions (binding arguments to parameters), exceptions and tracebacks, and
//! the step counter that enforces fuel, recursion depth and Stop.
//!
//! [`Interp`] is a cheap handle (`Rc`) to one interpreter: its builtins, its modules, its output
//! sink, its limits and the table of live asyncio tasks. A [`Frame`] is one running function
//! (or class body, or module): its locals [`Scope`], its globals, and the line it is on.

use crate::cell::Borrows as _;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::ast::{FuncDef, Stmt};
use crate::value::*;

/// An exception in flight: the exception object and the frames it has left (innermost first).
pub struct Exc {
    pub val: Value,
    pub tb: Vec<(Rc<str>, u32, Rc<str>)>,
    /// Not catchable by `except` (fuel exhausted, Stop).
    pub fatal: bool,
}

/// The result of evaluating anything.
pub type Res<T> = Result<T, Box<Exc>>;

/// How a statement ended.
pub enum Flow {
    Normal,
    Return(Value),
    Break,
    Continue,
}

/// Resource limits the embedder sets.
///
/// # Examples
///
/// ```
/// let mut config = wasio_py::Config::default();
/// config.limits.max_depth = 50;
/// config.limits.max_container = 1_000;
/// let out = std::rc::Rc::new(std::cell::RefCell::new(String::new()));
/// let o = out.clone();
/// let sink: wasio_py::Sink = std::rc::Rc::new(move |_, s| o.borrow_mut().push_str(s));
/// wasio_py::run_with("deep.py", "def f(n):\n    return f(n + 1)\nf(0)\n", config, sink);
/// assert!(out.borrow().ends_with("RecursionError: maximum recursion depth exceeded\n"));
/// ```
#[derive(Clone, Debug)]
pub struct Limits {
    /// Statements executed before the program is stopped (`None`: unlimited).
    pub fuel: Option<u64>,
    /// Nested Python calls before `RecursionError` (default 1000 natively, as CPython; 800 in
    /// WASI builds and 500 in the browser build, where a loop, `try`, `with` or async block
    /// around a recursive call counts one more and an awaited coroutine three more, so that
    /// the native wasm stack is never exhausted).
    pub max_depth: usize,
    /// Elements (list items, dict entries, string bytes) one container may hold before `MemoryError`.
    pub max_container: usize,
    /// Statements between two yields to the event loop.
    pub yield_every: u32,
}

impl Default for Limits {
    fn default() -> Self {
        // The interpreter recurses on the native stack. wasmtime gives wasm 512 KiB by default:
        // about 550 bytes per plain Python call, more inside loops, `try` and awaits, which on
        // wasm nest deeper in the depth count too (see `NEST_UNITS`), so 800 units keep every
        // shape below the stack's end (RecursionError, never a trap). V8 (Node, browsers) has
        // about 1 MB, but its optimising tier inlines wasm functions into larger frames: a
        // program run a second time in one page overflowed at 800, so the browser build stops
        // at 500. Natively the interpreter runs on a large stack and counts Python calls only,
        // as CPython does.
        let max_depth = if cfg!(all(target_arch = "wasm32", target_os = "unknown")) {
            500
        } else if cfg!(target_arch = "wasm32") {
            800
        } else {
            1000
        };
        Limits {
            fuel: None,
            max_depth,
            max_container: 64 << 20,
            yield_every: 2000,
        }
    }
}

/// Where output goes: `(is_stderr, text)`.
///
/// # Examples
///
/// ```
/// let sink: wasio_py::Sink = std::rc::Rc::new(|stderr, text| if stderr { eprint!("{text}") } else { print!("{text}") });
/// sink(false, "hello\n");
/// ```
pub type Sink = Rc<dyn Fn(bool, &str)>;

/// The interpreter state (behind [`Interp`]).
pub struct Inner {
    pub builtins: Rc<Scope>,
    pub types: RefCell<Map<&'static str, Rc<Class>>>,
    pub modules: RefCell<Map<Rc<str>, Value>>,
    pub sink: Sink,
    pub limits: Limits,
    pub steps: Cell<u64>,
    pub since_yield: Cell<u32>,
    pub depth: Cell<usize>,
    pub stop: Rc<Cell<bool>>,
    pub sources: RefCell<Map<Rc<str>, Rc<str>>>,
    pub argv: Vec<String>,
    pub rng: crate::random::Rng,
    pub loop_depth: Cell<u32>,
    /// `Some(simulated clock?)`: `asyncio.run` blocks in a loop of its own (native, WASI);
    /// `None`: it is awaited by the module-level evaluator (a host whose loop already runs).
    pub blocking_run: Cell<Option<bool>>,
}

/// A handle to one interpreter.
#[derive(Clone)]
pub struct Interp(pub Rc<Inner>);

impl std::ops::Deref for Interp {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// Depth units a loop, `try` or `with` statement adds on wasm (0 natively): the native wasm
/// stack (512 KiB in wasmtime) holds their evaluator frames as well as the calls'.
pub const NEST_UNITS: usize = if cfg!(target_arch = "wasm32") { 1 } else { 0 };

/// Depth units an awaited coroutine adds: one Python call; three on wasm (four with its body
/// block), where the async evaluator's frames for one level are about four times a plain call's.
pub const AWAIT_UNITS: usize = if cfg!(target_arch = "wasm32") { 3 } else { 1 };

/// Leaves the nesting [`Interp::nest`] entered.
pub struct DepthGuard<'a>(&'a Interp, usize);

impl Drop for DepthGuard<'_> {
    fn drop(&mut self) {
        self.0.depth.set(self.0.depth.get() - self.1);
    }
}

/// One running function, class body or module.
pub struct Frame {
    pub locals: Rc<Scope>,
    pub globals: Rc<Scope>,
    pub func: Option<Rc<Function>>,
    pub kind: FrameKind,
    pub line: Cell<u32>,
    pub name: Rc<str>,
    pub file: Rc<str>,
    /// The exception being handled (for bare `raise`).
    pub handling: RefCell<Vec<Value>>,
    /// For a generator's frame: where `yield` hands values out.
    pub gen: RefCell<Option<Rc<crate::coro::Slot>>>,
}

/// What a frame runs.
#[derive(Clone, Copy, PartialEq)]
pub enum FrameKind {
    Module,
    Class,
    Function,
}

impl Interp {
    /// A new interpreter that stops (with an uncatchable `KeyboardInterrupt`) once `stop` is set.
    pub fn with_stop(
        sink: Sink,
        limits: Limits,
        argv: Vec<String>,
        stop: Rc<Cell<bool>>,
    ) -> Interp {
        let i = Interp(Rc::new(Inner {
            builtins: Scope::new(None),
            types: RefCell::new(Map::default()),
            modules: RefCell::new(Map::default()),
            sink,
            limits,
            steps: Cell::new(0),
            since_yield: Cell::new(0),
            depth: Cell::new(0),
            stop,
            sources: RefCell::new(Map::default()),
            argv,
            rng: Default::default(),
            loop_depth: Cell::new(0),
            blocking_run: Cell::new(None),
        }));
        crate::builtins::install(&i);
        i
    }

    /// A builtin type by name.
    pub fn ty(&self, n: &'static str) -> Rc<Class> {
        self.types
            .rd()
            .get(n)
            .cloned()
            .unwrap_or_else(|| panic!("missing builtin type {n}"))
    }

    // ---------- exceptions ----------

    /// A new exception instance of builtin class `cls` with one message argument.
    pub fn exc_val(&self, cls: &str, msg: &str) -> Value {
        let c = match self.builtins.get(cls) {
            Some(Value::Class(c)) => c,
            _ => self.ty("Exception"),
        };
        let args = if msg.is_empty() {
            vec![]
        } else {
            vec![Value::str(msg)]
        };
        new_exception(&c, args)
    }

    /// An error result of builtin class `cls`.
    #[inline]
    pub fn err<T>(&self, cls: &str, msg: impl AsRef<str>) -> Res<T> {
        Err(self.exc(cls, msg.as_ref(), false))
    }

    /// An error that `except` cannot catch.
    #[inline]
    pub fn fatal<T>(&self, cls: &str, msg: &str) -> Res<T> {
        Err(self.exc(cls, msg, true))
    }

    /// `TypeError` with a message.
    #[inline]
    pub fn type_err<T>(&self, msg: impl AsRef<str>) -> Res<T> {
        Err(self.exc("TypeError", msg.as_ref(), false))
    }

    /// The exception of [`Interp::err`] and [`Interp::fatal`]: one compiled copy, whatever
    /// result type and message type their callers have.
    #[inline(never)]
    fn exc(&self, cls: &str, msg: &str, fatal: bool) -> Box<Exc> {
        Box::new(Exc {
            val: self.exc_val(cls, msg),
            tb: vec![],
            fatal,
        })
    }

    /// Whether exception value `e` is an instance of class `cls`.
    pub fn exc_matches(&self, e: &Value, cls: &Value) -> Res<bool> {
        match cls {
            Value::Class(c) => Ok(match e {
                Value::Inst(i) => i.class.is_sub(c),
                _ => false,
            }),
            Value::Tuple(t) => {
                for c in t.iter() {
                    if self.exc_matches(e, c)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            _ => self
                .type_err("catching classes that do not inherit from BaseException is not allowed"),
        }
    }

    /// Whether `e` is an instance of the builtin class named `n`.
    pub fn is_exc(&self, e: &Value, n: &str) -> bool {
        match (e, self.builtins.get(n)) {
            (Value::Inst(i), Some(Value::Class(c))) => i.class.is_sub(&c),
            _ => false,
        }
    }

    // ---------- steps, fuel, depth ----------

    /// Counts one step; fails when the fuel is spent or Stop was requested.
    #[inline]
    pub fn tick(&self) -> Res<()> {
        let s = self.steps.get() + 1;
        self.steps.set(s);
        if s & 1023 == 0 || self.limits.fuel.is_some_and(|f| s > f) {
            if self.limits.fuel.is_some_and(|f| s > f) {
                return self.fatal(
                    "RuntimeError",
                    "fuel exhausted: the program ran too many steps",
                );
            }
            if self.stop.get() {
                return self.fatal("KeyboardInterrupt", "stopped");
            }
        }
        Ok(())
    }

    /// Enters `units` of nesting (a Python call, or on wasm a loop, `try`, `with` or awaited
    /// coroutine), failing with `RecursionError` at the limit; the guard leaves it.
    #[inline]
    pub fn nest(&self, units: usize) -> Res<DepthGuard<'_>> {
        let d = self.depth.get();
        if d + units > self.limits.max_depth {
            return self.err("RecursionError", "maximum recursion depth exceeded");
        }
        self.depth.set(d + units);
        Ok(DepthGuard(self, units))
    }

    /// Whether an async evaluator should yield to the loop now.
    pub fn should_yield(&self) -> bool {
        let n = self.since_yield.get() + 1;
        if n >= self.limits.yield_every {
            self.since_yield.set(0);
            true
        } else {
            self.since_yield.set(n);
            false
        }
    }

    // ---------- names ----------

    /// Reads a name in a frame.
    pub fn load(&self, f: &Frame, n: &str) -> Res<Value> {
        if f.kind != FrameKind::Module {
            let declared_global = f
                .func
                .as_ref()
                .is_some_and(|func| func.def.globals.iter().any(|g| &**g == n));
            if !declared_global {
                let mut s = Some(&f.locals);
                while let Some(sc) = s {
                    if let Some(v) = sc.get(n) {
                        return Ok(v);
                    }
                    s = sc.parent.as_ref();
                }
            }
        }
        if let Some(v) = f.globals.get(n) {
            return Ok(v);
        }
        if let Some(v) = self.builtins.get(n) {
            return Ok(v);
        }
        self.err("NameError", format!("name '{n}' is not defined"))
    }

    /// Binds a name in a frame (honouring `global`/`nonlocal`).
    pub fn store(&self, f: &Frame, n: &Rc<str>, v: Value) {
        if let Some(func) = &f.func {
            if f.kind == FrameKind::Function {
                if func.def.globals.iter().any(|g| g == n) {
                    f.globals.set(n.clone(), v);
                    return;
                }
                if func.def.nonlocals.iter().any(|g| g == n) {
                    let mut s = f.locals.parent.as_ref();
                    while let Some(sc) = s {
                        if sc.vars.rd().contains_key(n) {
                            sc.set(n.clone(), v);
                            return;
                        }
                        s = sc.parent.as_ref();
                    }
                }
            }
        }
        f.locals.set(n.clone(), v);
    }

    /// Deletes a name.
    pub fn delete(&self, f: &Frame, n: &str) -> Res<()> {
        let target = if f
            .func
            .as_ref()
            .is_some_and(|func| func.def.globals.iter().any(|g| &**g == n))
        {
            &f.globals
        } else {
            &f.locals
        };
        if target.vars.wr().remove(n).is_none() {
            return self.err("NameError", format!("name '{n}' is not defined"));
        }
        Ok(())
    }

    // ---------- functions ----------

    /// Makes a function object from a definition (evaluating nothing: defaults come in).
    pub fn make_function(
        &self,
        f: &Frame,
        def: &Rc<FuncDef>,
        defaults: Vec<Value>,
        kwdefaults: Vec<Option<Value>>,
    ) -> Rc<Function> {
        let closure = match f.kind {
            FrameKind::Module => None,
            FrameKind::Function => Some(f.locals.clone()),
            FrameKind::Class => f.locals.parent.clone(),
        };
        let qualname: Rc<str> = if f.kind == FrameKind::Module {
            def.name.clone()
        } else {
            format!("{}.{}", f.name, def.name).into()
        };
        Rc::new(Function {
            def: def.clone(),
            name: RefCell::new(def.name.clone()),
            qualname,
            globals: f.globals.clone(),
            closure,
            defaults,
            kwdefaults,
            owner: RefCell::new(None),
            dict: RefCell::new(Map::default()),
        })
    }

    /// Calls any callable value.
    pub fn call(
        &self,
        callee: &Value,
        mut args: Vec<Value>,
        kwargs: Vec<(Rc<str>, Value)>,
    ) -> Res<Value> {
        match callee {
            Value::Func(f) => self.call_function(f, args, kwargs),
            Value::Native(n) => n.f.call(self, args, kwargs),
            Value::Bound(b) => {
                args.insert(0, b.0.clone());
                self.call(&b.1, args, kwargs)
            }
            _ => self.call_other(callee, args, kwargs),
        }
    }

    /// [`Interp::call`] for classes, callable instances and static methods (a function of its
    /// own so that `call`, on the native stack once per Python call, stays small).
    #[inline(never)]
    fn call_other(
        &self,
        callee: &Value,
        args: Vec<Value>,
        kwargs: Vec<(Rc<str>, Value)>,
    ) -> Res<Value> {
        match callee {
            Value::Class(c) => self.instantiate(c, args, kwargs),
            Value::Inst(_) | Value::Object(_) => {
                let m = crate::ops::getattr(self, callee, "__call__").or_else(|_| {
                    self.type_err(format!(
                        "'{}' object is not callable",
                        crate::ops::type_name(self, callee)
                    ))
                })?;
                self.call(&m, args, kwargs)
            }
            Value::StaticMethod(inner) => self.call(inner, args, kwargs),
            _ => self.type_err(format!(
                "'{}' object is not callable",
                crate::ops::type_name(self, callee)
            )),
        }
    }

    /// Creates an instance of a class (running `__init__`), or calls a builtin type's constructor.
    pub fn instantiate(
        &self,
        c: &Rc<Class>,
        args: Vec<Value>,
        kwargs: Vec<(Rc<str>, Value)>,
    ) -> Res<Value> {
        for k in c.mro.rd().iter() {
            if let Some(ctor) = &k.ctor {
                if Rc::ptr_eq(k, c) || !self.is_builtin_exception(k) {
                    if Rc::ptr_eq(k, c) {
                        return self.call(ctor, args, kwargs);
                    }
                    break;
                }
            }
        }
        let inst = Value::Inst(Rc::new(Instance {
            class: c.clone(),
            dict: RefCell::new(Map::default()),
        }));
        if c.is_sub(&self.ty("BaseException")) {
            if let Value::Inst(i) = &inst {
                i.dict
                    .wr()
                    .insert("args".into(), Value::tuple(args.clone()));
            }
        }
        if let Some(init) = c.lookup("__init__") {
            let r = self.call(
                &init,
                std::iter::once(inst.clone()).chain(args).collect(),
                kwargs,
            )?;
            if !matches!(r, Value::None) {
                return self.type_err("__init__() should return None");
            }
        } else if !kwargs.is_empty() || (!args.is_empty() && !c.is_sub(&self.ty("BaseException"))) {
            return self.type_err(format!("{}() takes no arguments", c.name));
        }
        Ok(inst)
    }

    fn is_builtin_exception(&self, c: &Rc<Class>) -> bool {
        c.is_sub(&self.ty("BaseException"))
    }

    /// Calls a user function: binds arguments, then runs it (or makes its coroutine/generator).
    ///
    /// Python recursion recurses here on the native stack: this function, [`Interp::exec_block`],
    /// `exec` and `eval` stay on it for each Python call, so they are kept small (argument
    /// binding, generators and tracebacks are in functions of their own, never inlined). In
    /// wasmtime's default 512 KiB wasm stack that makes about 4x CPython's 1000 calls fit.
    pub fn call_function(
        &self,
        func: &Rc<Function>,
        args: Vec<Value>,
        kwargs: Vec<(Rc<str>, Value)>,
    ) -> Res<Value> {
        let frame = self.function_frame(func, args, kwargs)?;
        let def = &func.def;
        if def.is_async || def.is_generator {
            return Ok(crate::coro::make(self, frame, func.clone()));
        }
        let d = self.depth.get();
        if d >= self.limits.max_depth {
            return self.recursion_error();
        }
        self.depth.set(d + 1);
        let r = self.exec_block(&frame, &def.body);
        self.depth.set(d);
        match r {
            Ok(Flow::Return(v)) => Ok(v),
            Ok(_) => Ok(Value::None),
            Err(e) => Err(Self::leave_frame(e, &frame)),
        }
    }

    #[cold]
    #[inline(never)]
    fn recursion_error(&self) -> Res<Value> {
        self.err("RecursionError", "maximum recursion depth exceeded")
    }

    /// Adds a frame an exception leaves to its traceback.
    #[cold]
    #[inline(never)]
    fn leave_frame(mut e: Box<Exc>, frame: &Frame) -> Box<Exc> {
        e.tb.push((frame.file.clone(), frame.line.get(), frame.name.clone()));
        e
    }

    /// A call's frame, its arguments bound to the parameters.
    #[inline(never)]
    fn function_frame(
        &self,
        func: &Rc<Function>,
        args: Vec<Value>,
        kwargs: Vec<(Rc<str>, Value)>,
    ) -> Res<Rc<Frame>> {
        let scope = Scope::new(func.closure.clone());
        self.bind_args(func, &scope, args, kwargs)?;
        Ok(Rc::new(Frame {
            locals: scope,
            globals: func.globals.clone(),
            func: Some(func.clone()),
            kind: FrameKind::Function,
            line: Cell::new(func.def.line),
            name: func.name.rd().clone(),
            file: self.file_of(&func.globals),
            handling: RefCell::new(vec![]),
            gen: RefCell::new(None),
        }))
    }

    /// The file name a globals scope belongs to.
    pub fn file_of(&self, globals: &Rc<Scope>) -> Rc<str> {
        match globals.get("__file__") {
            Some(Value::Str(s)) => s,
            _ => "<string>".into(),
        }
    }

    #[inline(never)]
    fn bind_args(
        &self,
        func: &Function,
        scope: &Scope,
        args: Vec<Value>,
        kwargs: Vec<(Rc<str>, Value)>,
    ) -> Res<()> {
        let p = &func.def.params;
        let fname = func.name.rd().clone();
        let npos = p.pos.len();
        let mut vars = scope.vars.wr();
        let nargs = args.len();
        let mut extra = vec![];
        for (i, a) in args.into_iter().enumerate() {
            if i < npos {
                vars.insert(p.pos[i].0.clone(), a);
            } else {
                extra.push(a);
            }
        }
        if let Some(star) = &p.star {
            vars.insert(star.clone(), Value::tuple(extra));
        } else if !extra.is_empty() {
            let req = p.pos.iter().filter(|x| x.1.is_none()).count();
            let takes = if req == npos {
                format!("{npos}")
            } else {
                format!("from {req} to {npos}")
            };
            return self.type_err(format!(
                "{fname}() takes {takes} positional argument{} but {nargs} {} given",
                if npos == 1 && req == npos { "" } else { "s" },
                if nargs == 1 { "was" } else { "were" }
            ));
        }
        let mut kwdict = Dict::default();
        for (k, v) in kwargs {
            if let Some(idx) = p.pos.iter().position(|x| x.0 == k) {
                if idx < p.posonly {
                    kwdict.insert(HKey::Str(k.clone()), Value::Str(k), v);
                    continue;
                }
                if vars.contains_key(&k) {
                    return self
                        .type_err(format!("{fname}() got multiple values for argument '{k}'"));
                }
                vars.insert(k, v);
            } else if p.kwonly.iter().any(|x| x.0 == k) {
                vars.insert(k, v);
            } else if p.starstar.is_some() {
                kwdict.insert(HKey::Str(k.clone()), Value::Str(k), v);
            } else {
                return self.type_err(format!(
                    "{fname}() got an unexpected keyword argument '{k}'"
                ));
            }
        }
        let ndef = func.defaults.len();
        let mut missing = vec![];
        for (i, (n, _)) in p.pos.iter().enumerate() {
            if !vars.contains_key(n) {
                if i + ndef >= npos {
                    vars.insert(n.clone(), func.defaults[i + ndef - npos].clone());
                } else {
                    missing.push(format!("'{n}'"));
                }
            }
        }
        if !missing.is_empty() {
            let list = match missing.len() {
                1 => missing[0].clone(),
                _ => format!(
                    "{} and {}",
                    missing[..missing.len() - 1].join(", "),
                    missing[missing.len() - 1]
                ),
            };
            return self.type_err(format!(
                "{fname}() missing {} required positional argument{}: {list}",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" }
            ));
        }
        for (i, (n, _)) in p.kwonly.iter().enumerate() {
            if !vars.contains_key(n) {
                match &func.kwdefaults[i] {
                    Some(d) => {
                        vars.insert(n.clone(), d.clone());
                    }
                    None => {
                        return self.type_err(format!(
                            "{fname}() missing 1 required keyword-only argument: '{n}'"
                        ));
                    }
                }
            }
        }
        if let Some(ss) = &p.starstar {
            vars.insert(ss.clone(), Value::Dict(Rc::new(RefCell::new(kwdict))));
        }
        Ok(())
    }

    /// Runs a module's statements synchronously (used for class bodies too).
    #[inline]
    pub fn exec_block(&self, f: &Frame, body: &[Stmt]) -> Res<Flow> {
        for s in body {
            match self.exec(f, s)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    /// Writes to stdout or stderr.
    pub fn write(&self, err: bool, s: &str) {
        (self.sink)(err, s)
    }

    /// Formats an uncaught exception as CPython does.
    pub fn format_traceback(&self, e: &Exc) -> String {
        if self.is_exc(&e.val, "BaseExceptionGroup") {
            let mut out = String::from("  + Exception Group Traceback (most recent call last):\n");
            let body = self.format_traceback(&Exc {
                val: Value::None,
                tb: e.tb.clone(),
                fatal: false,
            });
            let lines: Vec<&str> = body.lines().collect();
            for l in lines.iter().skip(1).take(lines.len().saturating_sub(2)) {
                out.push_str(&format!("  | {}\n", l.strip_prefix("  ").unwrap_or(l)));
            }
            self.format_group_body(&e.val, &mut out, "  ");
            return out;
        }
        let mut out = String::new();
        if !e.tb.is_empty() {
            out.push_str("Traceback (most recent call last):\n");
            for (file, line, name) in e.tb.iter().rev() {
                out.push_str(&format!("  File \"{file}\", line {line}, in {name}\n"));
                if let Some(src) = self.sources.rd().get(file) {
                    if let Some(l) = src.lines().nth(*line as usize - 1) {
                        out.push_str(&format!("    {}\n", l.trim()));
                    }
                }
            }
        }
        out.push_str(&crate::format::exc_line(self, &e.val));
        out.push('\n');
        out
    }
}

impl Interp {
    fn format_group_body(&self, g: &Value, out: &mut String, ind: &str) {
        out.push_str(&format!("{ind}| {}\n", crate::format::exc_line(self, g)));
        let subs = match crate::ops::getattr(self, g, "exceptions") {
            Ok(v) => crate::ops::collect(self, &v).unwrap_or_default(),
            Err(_) => vec![],
        };
        for (n, s) in subs.iter().enumerate() {
            let bar = if n == 0 {
                format!("{ind}+-+")
            } else {
                format!("{ind}  +")
            };
            out.push_str(&format!(
                "{bar}---------------- {} ----------------\n",
                n + 1
            ));
            let inner = format!("{ind}  ");
            if self.is_exc(s, "BaseExceptionGroup") {
                out.push_str(&format!(
                    "{inner}| Exception Group Traceback (most recent call last):\n"
                ));
                self.format_group_body(s, out, &inner);
            } else {
                out.push_str(&format!("{inner}| {}\n", crate::format::exc_line(self, s)));
            }
        }
        out.push_str(&format!("{ind}  +------------------------------------\n"));
    }
}

/// A new exception object of class `c` with `args`.
pub fn new_exception(c: &Rc<Class>, args: Vec<Value>) -> Value {
    let mut d = Map::default();
    d.insert("args".into(), Value::tuple(args));
    Value::Inst(Rc::new(Instance {
        class: c.clone(),
        dict: RefCell::new(d),
    }))
}

/// Wraps a raised exception value into an `Exc`.
pub fn raise(val: Value) -> Box<Exc> {
    Box::new(Exc {
        val,
        tb: vec![],
        fatal: false,
    })
}
