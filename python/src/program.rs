//! Running a whole program: parse, execute the module body as one wasio task, and report an
//! uncaught exception as CPython does (traceback on stderr, exit code 1).

use crate::cell::Borrows as _;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::interp::*;
use crate::value::*;

/// How to run a program.
///
/// # Examples
///
/// ```
/// let mut config = wasio_py::Config { simulated_clock: true, ..Default::default() };
/// config.limits.fuel = Some(1_000);
/// let sink: wasio_py::Sink = std::rc::Rc::new(|_stderr, _text| {});
/// assert_eq!(wasio_py::run_with("spin.py", "while True:\n    pass\n", config, sink), 1);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Steps, depth and size limits.
    pub limits: Limits,
    /// `sys.argv`.
    pub argv: Vec<String>,
    /// Run on wasio's simulated clock (sleeps take no real time).
    pub simulated_clock: bool,
}

/// What a captured run printed and its exit code.
///
/// # Examples
///
/// ```
/// let out = wasio_py::run_source("boom.py", "print('a')\n1 / 0\n");
/// assert_eq!((out.stdout.as_str(), out.code), ("a\n", 1));
/// assert!(out.stderr.ends_with("ZeroDivisionError: division by zero\n"));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Output {
    /// What the program printed to stdout.
    pub stdout: String,
    /// What it printed to stderr (tracebacks included).
    pub stderr: String,
    /// Its exit code: 0, or 1 after an uncaught exception (or `sys.exit`'s code).
    pub code: i32,
}

/// A parsed program ready to run: the interpreter, its module frame and body.
struct Prepared {
    i: Interp,
    frame: Frame,
    body: Vec<crate::ast::Stmt>,
    name: Rc<str>,
}

/// Parses and sets up; a syntax error is reported (CPython's form) as exit code 1.
fn prepare(
    name: &str,
    source: &str,
    config: &Config,
    sink: Sink,
    stop: Rc<Cell<bool>>,
) -> Result<Prepared, i32> {
    let name: Rc<str> = name.into();
    let i = Interp::with_stop(sink, config.limits.clone(), config.argv.clone(), stop);
    i.sources.wr().insert(name.clone(), source.into());
    let body = match crate::parser::parse_module(source) {
        Ok(b) => b,
        Err(e) => {
            let line = source
                .lines()
                .nth(e.line.saturating_sub(1) as usize)
                .unwrap_or("")
                .trim();
            i.write(
                true,
                &format!(
                    "  File \"{name}\", line {}\n    {line}\nSyntaxError: {}\n",
                    e.line, e.msg
                ),
            );
            return Err(1);
        }
    };
    let globals = Scope::new(None);
    globals.set("__name__".into(), Value::str("__main__"));
    globals.set("__file__".into(), Value::Str(name.clone()));
    let frame = Frame {
        locals: globals.clone(),
        globals,
        func: None,
        kind: FrameKind::Module,
        line: Cell::new(1),
        name: "<module>".into(),
        file: name.clone(),
        handling: RefCell::new(vec![]),
        gen: RefCell::new(None),
    };
    Ok(Prepared {
        i,
        frame,
        body,
        name,
    })
}

/// The exit code for the module's outcome (printing the traceback of an uncaught exception).
fn finish(p: &Prepared, r: Res<Flow>) -> i32 {
    let i = &p.i;
    match r {
        Ok(_) => 0,
        Err(mut e) => {
            if !e.fatal && i.is_exc(&e.val, "SystemExit") {
                if let Value::Inst(inst) = &e.val {
                    if let Some(Value::Tuple(t)) = inst.dict.rd().get("args") {
                        return match t.first() {
                            None | Some(Value::None) => 0,
                            Some(Value::Int(n)) => *n as i32,
                            Some(v) => {
                                i.write(
                                    true,
                                    &format!(
                                        "{}\n",
                                        crate::format::to_str(i, v).unwrap_or_default()
                                    ),
                                );
                                1
                            }
                        };
                    }
                }
                return 0;
            }
            e.tb.push((p.name.clone(), p.frame.line.get(), "<module>".into()));
            i.write(true, &i.format_traceback(&e));
            1
        }
    }
}

/// The program as a future (for hosts whose loop is already running, like the browser): the
/// module body runs as a wasio task and `asyncio.run(main())` at module level is awaited in place.
/// Writes to `sink`, resolves to the exit code. `stop` set to true stops it at its next step.
///
/// # Cancel safety
///
/// Dropping the future ends the program where it is (its tasks are dropped with the loop).
///
/// # Examples
///
/// ```
/// use std::{cell::{Cell, RefCell}, rc::Rc};
/// let out = Rc::new(RefCell::new(String::new()));
/// let o = out.clone();
/// let sink: wasio_py::Sink = Rc::new(move |_err, s| o.borrow_mut().push_str(s));
/// let src = "import asyncio\nasync def main():\n    await asyncio.sleep(1)\n    print('done')\nasyncio.run(main())\n";
/// let fut = wasio_py::program("p.py", src, Default::default(), sink, Rc::new(Cell::new(false)));
/// let code = wasio::testing::run(async move { wasio::spawn(fut).await.unwrap() });
/// assert_eq!((out.borrow().as_str(), code), ("done\n", 0));
/// ```
pub fn program(
    name: &str,
    source: &str,
    config: Config,
    sink: Sink,
    stop: Rc<Cell<bool>>,
) -> impl std::future::Future<Output = i32> {
    let p = prepare(name, source, &config, sink, stop);
    async move {
        let p = match p {
            Ok(p) => p,
            Err(code) => return code,
        };
        let r = p.i.aexec_block(&p.frame, &p.body).await;
        finish(&p, r)
    }
}

/// Runs a program to completion (native and WASI): the module body runs directly, and each
/// `asyncio.run()` (from anywhere, as in CPython) runs a wasio loop of its own until its coroutine
/// is done. Writes to `sink`, returns the exit code.
///
/// # Examples
///
/// ```
/// let sink: wasio_py::Sink = std::rc::Rc::new(|stderr, text| if !stderr { print!("{text}") });
/// let config = wasio_py::Config { simulated_clock: true, ..Default::default() };
/// assert_eq!(wasio_py::run_with("ok.py", "print(sum(range(10)))\n", config, sink), 0);
/// ```
pub fn run_with(name: &str, source: &str, config: Config, sink: Sink) -> i32 {
    let p = match prepare(name, source, &config, sink, Rc::new(Cell::new(false))) {
        Ok(p) => p,
        Err(code) => return code,
    };
    p.i.blocking_run.set(Some(config.simulated_clock));
    let r = p.i.exec_block(&p.frame, &p.body);
    finish(&p, r)
}

/// Runs a program and captures what it prints (on the simulated clock).
///
/// # Examples
///
/// ```
/// let out = wasio_py::run_source("hi.py", "print('hi', 2 ** 70)\n");
/// assert_eq!(out.stdout, "hi 1180591620717411303424\n");
/// ```
pub fn run_source(name: &str, source: &str) -> Output {
    let out = Rc::new(RefCell::new(Output::default()));
    let o2 = out.clone();
    let sink: Sink = Rc::new(move |err, s| {
        let mut o = o2.wr();
        if err {
            o.stderr.push_str(s);
        } else {
            o.stdout.push_str(s);
        }
    });
    let code = run_with(
        name,
        source,
        Config {
            simulated_clock: true,
            ..Config::default()
        },
        sink,
    );
    let mut o = out.rd().clone();
    o.code = code;
    o
}
