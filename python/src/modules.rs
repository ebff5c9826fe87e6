//! The importable modules: `asyncio` (wasio), `time` (the loop clock), `random` (seeded), `sys`
//! and `math`. Each is built once per interpreter on first import.

use crate::cell::Borrows as _;
use std::rc::Rc;

use crate::interp::*;
use crate::value::*;

/// `sys.stdout` / `sys.stderr` (the flag: stderr).
pub struct StdStream(pub bool);

impl Object for StdStream {
    fn type_name(&self) -> &str {
        "TextIOWrapper"
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn getattr(&self, _me: &Value, name: &str) -> Option<Value> {
        let err = self.0;
        Some(match name {
            "write" => Value::native(name, move |i, a, _| {
                let s = crate::format::to_str(i, a.first().unwrap_or(&Value::None))?;
                i.write(err, &s);
                Ok(Value::Int(s.chars().count() as i64))
            }),
            "flush" => Value::native(name, |_, _, _| Ok(Value::None)),
            _ => return None,
        })
    }
}

fn num(i: &Interp, v: &Value) -> Res<f64> {
    match v {
        Value::Int(n) => Ok(*n as f64),
        Value::Float(f) => Ok(*f),
        Value::Bool(b) => Ok(*b as i64 as f64),
        _ => i.type_err("must be real number"),
    }
}

impl Interp {
    fn rand_f64(&self) -> f64 {
        self.rng.0.wr().random()
    }
    fn rand_below(&self, n: u64) -> u64 {
        self.rng.0.wr().below(n)
    }
}

fn build(i: &Interp, name: &str) -> Option<Rc<Scope>> {
    let m = Scope::new(None);
    let def = |n: &str, f: BuiltinFn| m.set(n.into(), Value::native(n, f));
    match name {
        "asyncio" => return Some(crate::asyncio::module(i)),
        "time" => {
            def("time", |_, _, _| Ok(Value::Float(wall_clock())));
            def("monotonic", |_, _, _| Ok(Value::Float(wasio::time())));
            def("perf_counter", |_, _, _| Ok(Value::Float(wasio::time())));
            def("sleep", |i, _, _| {
                i.err(
                    "RuntimeError",
                    "time.sleep() would block the event loop; use 'await asyncio.sleep()'",
                )
            });
        }
        "random" => {
            def("seed", |i, a, _| {
                let s = match a.first() {
                    Some(Value::Int(n)) => n.unsigned_abs(),
                    Some(Value::Str(s)) => s.bytes().fold(1469598103934665603u64, |h, b| {
                        (h ^ b as u64).wrapping_mul(1099511628211)
                    }),
                    _ => (wasio::time() * 1e9) as u64,
                };
                i.rng.0.wr().seed_u64(s);
                Ok(Value::None)
            });
            def("random", |i, _, _| Ok(Value::Float(i.rand_f64())));
            def("uniform", |i, a, _| {
                let (lo, hi) = (
                    num(i, a.first().unwrap_or(&Value::Int(0)))?,
                    num(i, a.get(1).unwrap_or(&Value::Int(1)))?,
                );
                Ok(Value::Float(lo + (hi - lo) * i.rand_f64()))
            });
            def("randint", |i, a, _| match (a.first(), a.get(1)) {
                (Some(Value::Int(lo)), Some(Value::Int(hi))) if hi >= lo => {
                    let span = (hi - lo + 1) as u64;
                    Ok(Value::Int(lo + i.rand_below(span) as i64))
                }
                _ => i.err("ValueError", "empty range for randrange()"),
            });
            def("randrange", |i, a, _| {
                let (lo, hi) = match (a.first(), a.get(1)) {
                    (Some(Value::Int(hi)), None) => (0, *hi),
                    (Some(Value::Int(lo)), Some(Value::Int(hi))) => (*lo, *hi),
                    _ => return i.type_err("randrange() requires ints"),
                };
                if hi <= lo {
                    return i.err("ValueError", "empty range for randrange()");
                }
                Ok(Value::Int(lo + i.rand_below((hi - lo) as u64) as i64))
            });
            def("choice", |i, a, _| {
                let items = crate::ops::collect(i, a.first().unwrap_or(&Value::None))?;
                if items.is_empty() {
                    return i.err("IndexError", "Cannot choose from an empty sequence");
                }
                Ok(items[i.rand_below(items.len() as u64) as usize].clone())
            });
            def("shuffle", |i, a, _| {
                if let Some(Value::List(l)) = a.first() {
                    let mut l = l.wr();
                    for k in (1..l.len()).rev() {
                        let j = i.rand_below(k as u64 + 1) as usize;
                        l.swap(k, j);
                    }
                }
                Ok(Value::None)
            });
        }
        "sys" => {
            m.set("stdout".into(), Value::Object(Rc::new(StdStream(false))));
            m.set("stderr".into(), Value::Object(Rc::new(StdStream(true))));
            m.set(
                "argv".into(),
                Value::list(i.argv.iter().map(|s| Value::str(s)).collect()),
            );
            m.set("version".into(), Value::str("3.11.0 (wasio-py)"));
            m.set(
                "platform".into(),
                Value::str(if cfg!(target_arch = "wasm32") {
                    "wasi"
                } else {
                    "linux"
                }),
            );
            m.set("maxsize".into(), Value::Int(i64::MAX));
            def("exit", |i, a, _| {
                Err(raise(new_exception(&i.ty("SystemExit"), a)))
            });
            def("getrecursionlimit", |i, _, _| {
                Ok(Value::Int(i.limits.max_depth as i64))
            });
        }
        "math" => {
            m.set("pi".into(), Value::Float(std::f64::consts::PI));
            m.set("e".into(), Value::Float(std::f64::consts::E));
            m.set("inf".into(), Value::Float(f64::INFINITY));
            m.set("nan".into(), Value::Float(f64::NAN));
            def("sqrt", |i, a, _| {
                let x = num(i, a.first().unwrap_or(&Value::None))?;
                if x < 0.0 {
                    return i.err("ValueError", "math domain error");
                }
                Ok(Value::Float(x.sqrt()))
            });
            def("floor", |i, a, _| {
                Ok(Value::Int(
                    num(i, a.first().unwrap_or(&Value::None))?.floor() as i64,
                ))
            });
            def("ceil", |i, a, _| {
                Ok(Value::Int(
                    num(i, a.first().unwrap_or(&Value::None))?.ceil() as i64,
                ))
            });
            def("isclose", |i, a, _| {
                let (x, y) = (
                    num(i, a.first().unwrap_or(&Value::None))?,
                    num(i, a.get(1).unwrap_or(&Value::None))?,
                );
                Ok(Value::Bool((x - y).abs() <= 1e-9 * x.abs().max(y.abs())))
            });
            def("log", |i, a, _| {
                Ok(Value::Float(
                    num(i, a.first().unwrap_or(&Value::None))?.ln(),
                ))
            });
            def("exp", |i, a, _| {
                Ok(Value::Float(
                    num(i, a.first().unwrap_or(&Value::None))?.exp(),
                ))
            });
        }
        _ => return None,
    }
    Some(m)
}

fn wall_clock() -> f64 {
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64())
    }
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    {
        wasio::time()
    }
}

/// `import a.b` (only top-level modules exist here).
pub fn import(i: &Interp, path: &[Rc<str>]) -> Res<Value> {
    let name = path.iter().map(|s| &**s).collect::<Vec<_>>().join(".");
    if let Some(m) = i.modules.rd().get(name.as_str()) {
        return Ok(m.clone());
    }
    let Some(scope) = build(i, &name) else {
        return i.err("ModuleNotFoundError", format!("No module named '{name}'"));
    };
    let m = Value::Module(Rc::new(Module {
        name: name.as_str().into(),
        scope,
    }));
    i.modules.wr().insert(name.into(), m.clone());
    Ok(m)
}
