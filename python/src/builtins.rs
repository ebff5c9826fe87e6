//! The builtins: types (with their constructors), the exception hierarchy, and the builtin
//! functions, installed into the interpreter's builtins scope.

use crate::cell::Borrows as _;
use std::cell::RefCell;
use std::rc::Rc;

use crate::format::{format_value, repr, to_str};
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

/// The exception classes: (name, base).
const EXCEPTIONS: &[(&str, &str)] = &[
    ("Exception", "BaseException"),
    ("KeyboardInterrupt", "BaseException"),
    ("SystemExit", "BaseException"),
    ("GeneratorExit", "BaseException"),
    ("CancelledError", "BaseException"),
    ("BaseExceptionGroup", "BaseException"),
    ("ExceptionGroup", "BaseExceptionGroup"),
    ("ArithmeticError", "Exception"),
    ("ZeroDivisionError", "ArithmeticError"),
    ("OverflowError", "ArithmeticError"),
    ("LookupError", "Exception"),
    ("KeyError", "LookupError"),
    ("IndexError", "LookupError"),
    ("ValueError", "Exception"),
    ("UnicodeDecodeError", "ValueError"),
    ("TypeError", "Exception"),
    ("NameError", "Exception"),
    ("UnboundLocalError", "NameError"),
    ("AttributeError", "Exception"),
    ("RuntimeError", "Exception"),
    ("RecursionError", "RuntimeError"),
    ("NotImplementedError", "RuntimeError"),
    ("StopIteration", "Exception"),
    ("StopAsyncIteration", "Exception"),
    ("AssertionError", "Exception"),
    ("MemoryError", "Exception"),
    ("ImportError", "Exception"),
    ("ModuleNotFoundError", "ImportError"),
    ("SyntaxError", "Exception"),
    ("EOFError", "Exception"),
    ("OSError", "Exception"),
    ("TimeoutError", "OSError"),
    ("ConnectionError", "OSError"),
    ("ConnectionRefusedError", "ConnectionError"),
    ("ConnectionResetError", "ConnectionError"),
    ("BrokenPipeError", "ConnectionError"),
    ("InvalidStateError", "Exception"),
    ("QueueEmpty", "Exception"),
    ("QueueFull", "Exception"),
    ("QueueShutDown", "Exception"),
    ("IncompleteReadError", "EOFError"),
    ("LimitOverrunError", "Exception"),
    ("BrokenBarrierError", "RuntimeError"),
];

/// Names that exist only inside the asyncio module (not builtins).
pub const ASYNCIO_ONLY: &[&str] = &[
    "CancelledError",
    "InvalidStateError",
    "QueueEmpty",
    "QueueFull",
    "QueueShutDown",
    "IncompleteReadError",
    "LimitOverrunError",
    "BrokenBarrierError",
];

/// Installs builtin types, exceptions and functions.
pub fn install(i: &Interp) {
    let b = &i.builtins;
    let object = Class::new("object".into(), vec![], Map::default(), None);
    i.types.wr().insert("object", object.clone());
    b.set("object".into(), Value::Class(object.clone()));
    let mk = |name: &'static str, ctor: Option<Value>| {
        let c = Class::new(name.into(), vec![object.clone()], Map::default(), ctor);
        i.types.wr().insert(name, c.clone());
        c
    };
    let ctor = |name: &'static str, f: fn(&Interp, Vec<Value>, Kw) -> Res<Value>| {
        Some(Value::native(name, f))
    };
    for (n, f) in [
        ("int", ctor("int", int_ctor)),
        ("float", ctor("float", float_ctor)),
        ("str", ctor("str", str_ctor)),
        (
            "bool",
            ctor("bool", |i, a, _| {
                Ok(Value::Bool(
                    a.first().map_or(Ok(false), |v| ops::truthy(i, v))?,
                ))
            }),
        ),
        ("bytes", ctor("bytes", bytes_ctor)),
        (
            "list",
            ctor("list", |i, a, _| {
                Ok(Value::list(
                    a.first().map_or(Ok(vec![]), |v| ops::collect(i, v))?,
                ))
            }),
        ),
        (
            "tuple",
            ctor("tuple", |i, a, _| {
                Ok(Value::tuple(
                    a.first().map_or(Ok(vec![]), |v| ops::collect(i, v))?,
                ))
            }),
        ),
        ("dict", ctor("dict", dict_ctor)),
        (
            "set",
            ctor("set", |i, a, _| {
                ops::make_set(i, a.first().map_or(Ok(vec![]), |v| ops::collect(i, v))?)
            }),
        ),
        (
            "frozenset",
            ctor("frozenset", |i, a, _| {
                ops::make_set(i, a.first().map_or(Ok(vec![]), |v| ops::collect(i, v))?)
            }),
        ),
        ("range", ctor("range", range_ctor)),
        (
            "type",
            ctor("type", |i, a, _| {
                Ok(Value::Class(ops::class_of(i, &arg(&a, 0))))
            }),
        ),
        ("NoneType", None),
        ("function", None),
        ("method", None),
        ("module", None),
        ("coroutine", None),
        ("generator", None),
        ("async_generator", None),
        ("Task", None),
    ] {
        let c = mk(n, f);
        if !matches!(
            n,
            "NoneType"
                | "function"
                | "method"
                | "module"
                | "coroutine"
                | "generator"
                | "async_generator"
                | "Task"
        ) {
            b.set(n.into(), Value::Class(c));
        }
    }
    // bool is a subclass of int
    let boolc = Class::new(
        "bool".into(),
        vec![i.ty("int")],
        Map::default(),
        Some(Value::native("bool", |i, a, _| {
            Ok(Value::Bool(
                a.first().map_or(Ok(false), |v| ops::truthy(i, v))?,
            ))
        })),
    );
    i.types.wr().insert("bool", boolc.clone());
    b.set("bool".into(), Value::Class(boolc));
    // exceptions
    let base = Class::new(
        "BaseException".into(),
        vec![object.clone()],
        Map::default(),
        None,
    );
    base.dict.wr().insert(
        "__init__".into(),
        Value::native("__init__", |_, a, _| {
            if let Some(Value::Inst(me)) = a.first() {
                me.dict
                    .wr()
                    .insert("args".into(), Value::tuple(a[1..].to_vec()));
            }
            Ok(Value::None)
        }),
    );
    base.dict.wr().insert(
        "with_traceback".into(),
        Value::native("with_traceback", |_, a, _| Ok(arg(&a, 0))),
    );
    base.dict.wr().insert(
        "add_note".into(),
        Value::native("add_note", |_, _, _| Ok(Value::None)),
    );
    i.types.wr().insert("BaseException", base.clone());
    b.set("BaseException".into(), Value::Class(base));
    for (n, parent) in EXCEPTIONS {
        let p = match b.get(parent) {
            Some(Value::Class(c)) => c,
            _ => continue,
        };
        let mut bases = vec![p];
        if *n == "ExceptionGroup" {
            bases.push(i.ty("Exception"));
        }
        let c = Class::new((*n).into(), bases, Map::default(), None);
        i.types.wr().insert(n, c.clone());
        b.set((*n).into(), Value::Class(c));
    }
    let eg = i.ty("BaseExceptionGroup");
    eg.dict.wr().insert(
        "__init__".into(),
        Value::native("__init__", |i, a, _| {
            if let Some(Value::Inst(me)) = a.first() {
                let excs = ops::collect(i, &arg(&a, 2))?;
                me.dict.wr().insert(
                    "args".into(),
                    Value::tuple(vec![arg(&a, 1), Value::list(excs)]),
                );
            }
            Ok(Value::None)
        }),
    );
    b.set("Ellipsis".into(), Value::Ellipsis);
    b.set("__name__".into(), Value::str("builtins"));
    for (n, f) in FUNCS {
        b.set((*n).into(), Value::native(n, *f));
    }
    b.set(
        "property".into(),
        Value::native("property", |_, a, _| {
            Ok(Value::Property(Rc::new((arg(&a, 0), arg(&a, 1)))))
        }),
    );
    b.set(
        "staticmethod".into(),
        Value::native("staticmethod", |_, a, _| {
            Ok(Value::StaticMethod(Rc::new(arg(&a, 0))))
        }),
    );
    b.set(
        "classmethod".into(),
        Value::native("classmethod", |_, a, _| {
            Ok(Value::ClassMethod(Rc::new(arg(&a, 0))))
        }),
    );
}

/// Attributes every exception object has (`args`, `__cause__`, `exceptions` of a group...).
pub fn exception_attr(i: &Interp, inst: &Instance, name: &str) -> Option<Value> {
    if !inst.class.is_sub(&i.ty("BaseException")) {
        return None;
    }
    match name {
        "__cause__" | "__context__" | "__traceback__" => Some(Value::None),
        "exceptions" => match inst.dict.rd().get("args") {
            Some(Value::Tuple(t)) if t.len() == 2 => {
                Some(Value::tuple(ops::collect(i, &t[1]).ok()?))
            }
            _ => None,
        },
        "message" => match inst.dict.rd().get("args") {
            Some(Value::Tuple(t)) if !t.is_empty() => Some(t[0].clone()),
            _ => None,
        },
        _ => None,
    }
}

fn int_ctor(i: &Interp, a: Vec<Value>, k: Kw) -> Res<Value> {
    let base = match (a.get(1), kw(&k, "base")) {
        (Some(Value::Int(b)), _) => Some(*b as u32),
        (_, Some(Value::Int(b))) => Some(b as u32),
        _ => None,
    };
    // from_str_radix panics outside 2..=36 (base 0, CPython's "infer from the prefix", is not
    // supported).
    if base.is_some_and(|b| !(2..=36).contains(&b)) {
        return i.err("ValueError", "int() base must be >= 2 and <= 36, or 0");
    }
    Ok(match a.first() {
        None => Value::Int(0),
        Some(Value::Int(n)) => Value::Int(*n),
        Some(v @ Value::Big(_)) => v.clone(),
        Some(Value::Bool(b)) => Value::Int(*b as i64),
        Some(Value::Float(f)) => {
            if !f.is_finite() {
                return i.err("OverflowError", "cannot convert float infinity to integer");
            }
            Value::Int(f.trunc() as i64)
        }
        Some(Value::Str(s)) => {
            let t: String = s.trim().chars().filter(|c| *c != '_').collect();
            let r = match base {
                Some(b) => {
                    // The prefix of the base's own literals (`0x` for 16), once, either case.
                    let prefix = match b {
                        16 => "0x",
                        8 => "0o",
                        2 => "0b",
                        _ => "",
                    };
                    let body = match t.get(..prefix.len()) {
                        Some(p) if !prefix.is_empty() && p.eq_ignore_ascii_case(prefix) => {
                            &t[prefix.len()..]
                        }
                        _ => &t[..],
                    };
                    i64::from_str_radix(body, b)
                }
                None => t.parse::<i64>(),
            };
            match r {
                Ok(n) => Value::Int(n),
                Err(_)
                    if base.is_none_or(|b| b == 10)
                        && crate::bigint::BigInt::parse(&t).is_some() =>
                {
                    crate::bigint::BigInt::parse(&t).map_or(Value::Int(0), Value::int)
                }
                Err(_) => {
                    return i.err(
                        "ValueError",
                        format!(
                            "invalid literal for int() with base {}: {}",
                            base.unwrap_or(10),
                            repr(i, &Value::Str(s.clone()))?
                        ),
                    )
                }
            }
        }
        Some(v @ Value::Inst(_)) => i.call_method(v, "__int__", vec![])?,
        Some(v) => {
            return i.type_err(format!(
                "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                ops::type_name(i, v)
            ))
        }
    })
}

fn float_ctor(i: &Interp, a: Vec<Value>, _: Kw) -> Res<Value> {
    Ok(match a.first() {
        None => Value::Float(0.0),
        Some(Value::Int(n)) => Value::Float(*n as f64),
        Some(Value::Big(b)) => Value::Float(b.to_f64()),
        Some(Value::Bool(b)) => Value::Float(*b as i64 as f64),
        Some(Value::Float(f)) => Value::Float(*f),
        Some(Value::Str(s)) => {
            let t = s.trim().to_ascii_lowercase();
            match t.as_str() {
                "inf" | "+inf" | "infinity" => Value::Float(f64::INFINITY),
                "-inf" | "-infinity" => Value::Float(f64::NEG_INFINITY),
                "nan" => Value::Float(f64::NAN),
                _ => match crate::floatparse::parse_f64(&t) {
                    Some(f) => Value::Float(f),
                    None => {
                        return i.err(
                            "ValueError",
                            format!(
                                "could not convert string to float: {}",
                                repr(i, &Value::Str(s.clone()))?
                            ),
                        )
                    }
                },
            }
        }
        Some(v) => {
            return i.type_err(format!(
                "float() argument must be a string or a real number, not '{}'",
                ops::type_name(i, v)
            ))
        }
    })
}

fn str_ctor(i: &Interp, a: Vec<Value>, _: Kw) -> Res<Value> {
    match (a.first(), a.get(1)) {
        (None, _) => Ok(Value::str("")),
        (Some(Value::Bytes(b)), Some(_)) => Ok(Value::Str(String::from_utf8_lossy(b).into())),
        (Some(v), _) => Ok(Value::Str(to_str(i, v)?.into())),
    }
}

fn bytes_ctor(i: &Interp, a: Vec<Value>, _: Kw) -> Res<Value> {
    Ok(match a.first() {
        None => Value::Bytes(Rc::from(&[][..])),
        Some(Value::Str(s)) => Value::Bytes(s.as_bytes().into()),
        Some(Value::Int(n)) => Value::Bytes(vec![0u8; (*n).max(0) as usize].into()),
        Some(v) => {
            let items = ops::collect(i, v)?;
            let mut out = vec![];
            for x in items {
                match x {
                    Value::Int(n) if (0..256).contains(&n) => out.push(n as u8),
                    _ => return i.err("ValueError", "bytes must be in range(0, 256)"),
                }
            }
            Value::Bytes(out.into())
        }
    })
}

fn dict_ctor(i: &Interp, a: Vec<Value>, k: Kw) -> Res<Value> {
    let mut d = Dict::default();
    if let Some(m) = a.first() {
        ops::dict_update(i, &mut d, m)?;
    }
    for (key, v) in k {
        d.insert(HKey::Str(key.clone()), Value::Str(key), v);
    }
    Ok(Value::Dict(Rc::new(RefCell::new(d))))
}

fn int_arg(i: &Interp, v: &Value) -> Res<i64> {
    match v {
        Value::Int(n) => Ok(*n),
        Value::Bool(b) => Ok(*b as i64),
        _ => i.type_err(format!(
            "'{}' object cannot be interpreted as an integer",
            ops::type_name(i, v)
        )),
    }
}

fn range_ctor(i: &Interp, a: Vec<Value>, _: Kw) -> Res<Value> {
    let (s, e, st) = match a.len() {
        1 => (0, int_arg(i, &a[0])?, 1),
        2 => (int_arg(i, &a[0])?, int_arg(i, &a[1])?, 1),
        3 => (int_arg(i, &a[0])?, int_arg(i, &a[1])?, int_arg(i, &a[2])?),
        _ => {
            return i.type_err(format!(
                "range expected at most 3 arguments, got {}",
                a.len()
            ))
        }
    };
    if st == 0 {
        return i.err("ValueError", "range() arg 3 must not be zero");
    }
    Ok(Value::Range(s, e, st))
}

/// Sorts values with `key=` and `reverse=` (stable, like CPython).
pub fn sort_values(i: &Interp, items: Vec<Value>, k: &Kw) -> Res<Vec<Value>> {
    let key = kw(k, "key").filter(|v| !matches!(v, Value::None));
    let reverse = match kw(k, "reverse") {
        Some(v) => ops::truthy(i, &v)?,
        None => false,
    };
    let keys = match &key {
        Some(f) => {
            let mut keys = Vec::with_capacity(items.len());
            for x in &items {
                keys.push(i.call(f, vec![x.clone()], vec![])?);
            }
            keys
        }
        None => items.clone(),
    };
    // `reverse=True` sorts as if each comparison were reversed: equal items keep their order.
    let order = crate::sort::stable_order(keys.len(), &mut |a, b| {
        let (a, b) = if reverse { (b, a) } else { (a, b) };
        Ok(ops::cmp(i, &keys[a], &keys[b])? == std::cmp::Ordering::Less)
    })?;
    Ok(order.into_iter().map(|x| items[x].clone()).collect())
}

fn minmax(i: &Interp, a: Vec<Value>, k: Kw, want_max: bool) -> Res<Value> {
    let name = if want_max { "max" } else { "min" };
    let items = if a.len() == 1 {
        ops::collect(i, &a[0])?
    } else {
        a
    };
    let key = kw(&k, "key").filter(|v| !matches!(v, Value::None));
    if items.is_empty() {
        if let Some(d) = kw(&k, "default") {
            return Ok(d);
        }
        return i.err("ValueError", format!("{name}() arg is an empty sequence"));
    }
    let mut best: Option<(Value, Value)> = None;
    for x in items {
        let kv = match &key {
            Some(f) => i.call(f, vec![x.clone()], vec![])?,
            None => x.clone(),
        };
        best = Some(match best {
            None => (kv, x),
            Some((bk, bx)) => {
                let o = ops::cmp(i, &kv, &bk)?;
                if (want_max && o == std::cmp::Ordering::Greater)
                    || (!want_max && o == std::cmp::Ordering::Less)
                {
                    (kv, x)
                } else {
                    (bk, bx)
                }
            }
        });
    }
    Ok(best.map(|b| b.1).unwrap_or(Value::None))
}

fn iter_fn(f: impl FnMut(&Interp) -> Res<Option<Value>> + 'static) -> Value {
    Value::Iter(Rc::new(RefCell::new(Iter::Fn(Box::new(f)))))
}

fn print(i: &Interp, a: Vec<Value>, k: Kw) -> Res<Value> {
    let sep = match kw(&k, "sep") {
        Some(Value::Str(s)) => s.to_string(),
        _ => " ".into(),
    };
    let end = match kw(&k, "end") {
        Some(Value::Str(s)) => s.to_string(),
        _ => "\n".into(),
    };
    let mut out = String::new();
    for (n, x) in a.iter().enumerate() {
        if n > 0 {
            out.push_str(&sep);
        }
        out.push_str(&to_str(i, x)?);
    }
    out.push_str(&end);
    match kw(&k, "file") {
        Some(Value::None) | None => i.write(false, &out),
        Some(f) => {
            if let Some(s) = f.downcast::<crate::modules::StdStream>() {
                i.write(s.0, &out);
            } else {
                i.call_method(&f, "write", vec![Value::Str(out.into())])?;
            }
        }
    }
    Ok(Value::None)
}

/// `str.format`.
pub fn str_format(i: &Interp, fmt: &str, a: &[Value], k: &Kw) -> Res<Value> {
    let mut out = String::new();
    let c: Vec<char> = fmt.chars().collect();
    let mut n = 0;
    let mut auto = 0;
    while n < c.len() {
        if c[n] == '{' && c.get(n + 1) == Some(&'{') {
            out.push('{');
            n += 2;
            continue;
        }
        if c[n] == '}' && c.get(n + 1) == Some(&'}') {
            out.push('}');
            n += 2;
            continue;
        }
        if c[n] != '{' {
            out.push(c[n]);
            n += 1;
            continue;
        }
        let st = n + 1;
        while n < c.len() && c[n] != '}' {
            n += 1;
        }
        let field: String = c[st..n].iter().collect();
        n += 1;
        let (name, spec) = field.split_once(':').unwrap_or((&field, ""));
        let (name, conv) = name
            .split_once('!')
            .map_or((name, None), |(a, b)| (a, b.chars().next()));
        let (head, attr) = name
            .split_once('.')
            .map_or((name, None), |(a, b)| (a, Some(b)));
        let mut v = if head.is_empty() {
            auto += 1;
            arg(a, auto - 1)
        } else if let Ok(idx) = head.parse::<usize>() {
            arg(a, idx)
        } else {
            match kw(k, head) {
                Some(v) => v,
                None => {
                    return Err(raise(new_exception(
                        &i.ty("KeyError"),
                        vec![Value::str(head)],
                    )))
                }
            }
        };
        if let Some(at) = attr {
            v = ops::getattr(i, &v, at)?;
        }
        let v = match conv {
            Some('r') => Value::Str(repr(i, &v)?.into()),
            Some('s') => Value::Str(to_str(i, &v)?.into()),
            _ => v,
        };
        out.push_str(&format_value(i, &v, spec)?);
    }
    Ok(Value::Str(out.into()))
}

fn round(i: &Interp, a: Vec<Value>, _: Kw) -> Res<Value> {
    let nd = match a.get(1) {
        Some(Value::Int(n)) => Some(*n),
        _ => None,
    };
    match (arg(&a, 0), nd) {
        (Value::Int(n), Some(d)) if (-18..0).contains(&d) => {
            // Half to even at a power of ten.
            let p = 10i64.pow(d.unsigned_abs() as u32);
            let (q, r) = (n.div_euclid(p), n.rem_euclid(p));
            let q = if 2 * r > p || (2 * r == p && q % 2 != 0) {
                q + 1
            } else {
                q
            };
            Ok(q.checked_mul(p).map_or(Value::Int(n), Value::Int))
        }
        (Value::Int(_), Some(d)) if d < 0 => Ok(Value::Int(0)),
        (Value::Int(n), _) => Ok(Value::Int(n)),
        (v @ Value::Big(_), _) => Ok(v),
        (Value::Float(f), None) => {
            let r = f.round();
            let r = if (f - f.trunc()).abs() == 0.5 {
                2.0 * (f / 2.0).round()
            } else {
                r
            };
            Ok(Value::Int(r as i64))
        }
        (Value::Float(f), Some(d)) if d < 0 => {
            let p = 10f64.powi(d.unsigned_abs().min(400) as i32);
            let q = f / p;
            let r = if (q - q.trunc()).abs() == 0.5 {
                2.0 * (q / 2.0).round()
            } else {
                q.round()
            };
            Ok(Value::Float(r * p))
        }
        (Value::Float(f), Some(d)) => {
            if !f.is_finite() {
                return Ok(Value::Float(f));
            }
            let s = crate::floatfmt::fixed(f, d.min(400) as usize);
            let v = crate::floatparse::parse_f64(&s).unwrap_or(f);
            Ok(Value::Float(if f < 0.0 { -v } else { v }))
        }
        (v, _) => i.type_err(format!(
            "type {} doesn't define __round__ method",
            ops::type_name(i, &v)
        )),
    }
}

const FUNCS: &[(&str, BuiltinFn)] = &[
    ("print", print),
    ("len", |i, a, _| {
        Ok(Value::Int(ops::len(i, &arg(&a, 0))? as i64))
    }),
    ("repr", |i, a, _| {
        Ok(Value::Str(repr(i, &arg(&a, 0))?.into()))
    }),
    ("ascii", |i, a, _| {
        Ok(Value::Str(repr(i, &arg(&a, 0))?.into()))
    }),
    ("abs", |i, a, _| match arg(&a, 0) {
        Value::Int(n) => Ok(n.checked_abs().map_or_else(
            || Value::int(crate::bigint::BigInt::from_i64(n).neg()),
            Value::Int,
        )),
        Value::Big(b) => Ok(Value::int(if b.neg { b.neg() } else { (*b).clone() })),
        Value::Bool(b) => Ok(Value::Int(b as i64)),
        Value::Float(f) => Ok(Value::Float(f.abs())),
        v @ Value::Inst(_) => i.call_method(&v, "__abs__", vec![]),
        v => i.type_err(format!(
            "bad operand type for abs(): '{}'",
            ops::type_name(i, &v)
        )),
    }),
    ("round", round),
    ("min", |i, a, k| minmax(i, a, k, false)),
    ("max", |i, a, k| minmax(i, a, k, true)),
    ("sum", |i, a, k| {
        let mut acc = a
            .get(1)
            .cloned()
            .or_else(|| kw(&k, "start"))
            .unwrap_or(Value::Int(0));
        let it = ops::iter(i, &arg(&a, 0))?;
        while let Some(x) = ops::next(i, &it)? {
            acc = ops::binop(i, crate::ast::BinOp::Add, &acc, &x)?;
        }
        Ok(acc)
    }),
    ("sorted", |i, a, k| {
        Ok(Value::list(sort_values(
            i,
            ops::collect(i, &arg(&a, 0))?,
            &k,
        )?))
    }),
    ("reversed", |i, a, _| {
        let mut v = ops::collect(i, &arg(&a, 0))?;
        v.reverse();
        Ok(Value::Iter(Rc::new(RefCell::new(Iter::Vals(v, 0)))))
    }),
    ("enumerate", |i, a, k| {
        let it = ops::iter(i, &arg(&a, 0))?;
        let mut n = match a.get(1).cloned().or_else(|| kw(&k, "start")) {
            Some(Value::Int(s)) => s,
            _ => 0,
        };
        Ok(iter_fn(move |i| {
            Ok(ops::next(i, &it)?.map(|x| {
                n += 1;
                Value::tuple(vec![Value::Int(n - 1), x])
            }))
        }))
    }),
    ("zip", |i, a, k| {
        let strict = kw(&k, "strict").is_some_and(|v| matches!(v, Value::Bool(true)));
        let its = a.iter().map(|x| ops::iter(i, x)).collect::<Res<Vec<_>>>()?;
        Ok(iter_fn(move |i| {
            if its.is_empty() {
                return Ok(None);
            }
            let mut out = Vec::with_capacity(its.len());
            for (n, it) in its.iter().enumerate() {
                match ops::next(i, it)? {
                    Some(x) => out.push(x),
                    None => {
                        if strict && n > 0 {
                            return i.err(
                                "ValueError",
                                format!("zip() argument {} is shorter than argument 1", n + 1),
                            );
                        }
                        return Ok(None);
                    }
                }
            }
            Ok(Some(Value::tuple(out)))
        }))
    }),
    ("map", |i, a, _| {
        let f = arg(&a, 0);
        let its = a[1..]
            .iter()
            .map(|x| ops::iter(i, x))
            .collect::<Res<Vec<_>>>()?;
        Ok(iter_fn(move |i| {
            let mut args = Vec::with_capacity(its.len());
            for it in &its {
                match ops::next(i, it)? {
                    Some(x) => args.push(x),
                    None => return Ok(None),
                }
            }
            i.call(&f, args, vec![]).map(Some)
        }))
    }),
    ("filter", |i, a, _| {
        let f = arg(&a, 0);
        let it = ops::iter(i, &arg(&a, 1))?;
        Ok(iter_fn(move |i| {
            while let Some(x) = ops::next(i, &it)? {
                let keep = if matches!(f, Value::None) {
                    x.clone()
                } else {
                    i.call(&f, vec![x.clone()], vec![])?
                };
                if ops::truthy(i, &keep)? {
                    return Ok(Some(x));
                }
            }
            Ok(None)
        }))
    }),
    ("iter", |i, a, _| ops::iter(i, &arg(&a, 0))),
    ("next", |i, a, _| match ops::next(i, &arg(&a, 0))? {
        Some(v) => Ok(v),
        None if a.len() > 1 => Ok(arg(&a, 1)),
        None => i.err("StopIteration", ""),
    }),
    ("anext", |i, a, _| {
        i.call_method(&arg(&a, 0), "__anext__", vec![])
    }),
    ("aiter", |i, a, _| {
        i.call_method(&arg(&a, 0), "__aiter__", vec![])
    }),
    ("any", |i, a, _| {
        let it = ops::iter(i, &arg(&a, 0))?;
        while let Some(x) = ops::next(i, &it)? {
            if ops::truthy(i, &x)? {
                return Ok(Value::Bool(true));
            }
        }
        Ok(Value::Bool(false))
    }),
    ("all", |i, a, _| {
        let it = ops::iter(i, &arg(&a, 0))?;
        while let Some(x) = ops::next(i, &it)? {
            if !ops::truthy(i, &x)? {
                return Ok(Value::Bool(false));
            }
        }
        Ok(Value::Bool(true))
    }),
    ("isinstance", |i, a, _| {
        let v = arg(&a, 0);
        let c = ops::class_of(i, &v);
        let check = |t: &Value| -> Res<bool> {
            match t {
                Value::Class(t) => {
                    Ok(c.is_sub(t) || (Rc::ptr_eq(t, &i.ty("int")) && matches!(v, Value::Bool(_))))
                }
                _ => i.type_err("isinstance() arg 2 must be a type, a tuple of types, or a union"),
            }
        };
        match arg(&a, 1) {
            Value::Tuple(ts) => {
                for t in ts.iter() {
                    if check(t)? {
                        return Ok(Value::Bool(true));
                    }
                }
                Ok(Value::Bool(false))
            }
            t => Ok(Value::Bool(check(&t)?)),
        }
    }),
    ("issubclass", |i, a, _| match (arg(&a, 0), arg(&a, 1)) {
        (Value::Class(c), Value::Class(t)) => Ok(Value::Bool(c.is_sub(&t))),
        (Value::Class(c), Value::Tuple(ts)) => Ok(Value::Bool(
            ts.iter()
                .any(|t| matches!(t, Value::Class(t) if c.is_sub(t))),
        )),
        _ => i.type_err("issubclass() arg 1 must be a class"),
    }),
    ("id", |_, a, _| Ok(Value::Int(arg(&a, 0).id() as i64))),
    ("hash", |i, a, _| {
        use std::hash::{Hash, Hasher};
        let k = ops::hash(i, &arg(&a, 0))?;
        if let HKey::Int(n) = k {
            return Ok(Value::Int(n));
        }
        let mut h = std::collections::hash_map::DefaultHasher::new();
        k.hash(&mut h);
        Ok(Value::Int(h.finish() as i64 >> 1))
    }),
    ("chr", |i, a, _| match arg(&a, 0) {
        Value::Int(n) => match char::from_u32(n as u32) {
            Some(c) => Ok(Value::Str(c.to_string().into())),
            None => i.err("ValueError", "chr() arg not in range(0x110000)"),
        },
        _ => i.type_err("an integer is required"),
    }),
    ("ord", |i, a, _| match arg(&a, 0) {
        Value::Str(s) if s.chars().count() == 1 => {
            Ok(Value::Int(s.chars().next().map_or(0, |c| c as i64)))
        }
        _ => i.type_err("ord() expected a character"),
    }),
    ("hex", |i, a, _| {
        format_value(i, &arg(&a, 0), "#x").map(|s| Value::Str(s.into()))
    }),
    ("bin", |i, a, _| {
        format_value(i, &arg(&a, 0), "#b").map(|s| Value::Str(s.into()))
    }),
    ("oct", |i, a, _| {
        format_value(i, &arg(&a, 0), "#o").map(|s| Value::Str(s.into()))
    }),
    ("divmod", |i, a, _| {
        let q = ops::binop(i, crate::ast::BinOp::FloorDiv, &arg(&a, 0), &arg(&a, 1))?;
        let r = ops::binop(i, crate::ast::BinOp::Mod, &arg(&a, 0), &arg(&a, 1))?;
        Ok(Value::tuple(vec![q, r]))
    }),
    ("pow", |i, a, _| {
        ops::binop(i, crate::ast::BinOp::Pow, &arg(&a, 0), &arg(&a, 1))
    }),
    ("format", |i, a, _| {
        let spec = match arg(&a, 1) {
            Value::Str(s) => s,
            _ => "".into(),
        };
        Ok(Value::Str(format_value(i, &arg(&a, 0), &spec)?.into()))
    }),
    ("getattr", |i, a, _| {
        let n = match arg(&a, 1) {
            Value::Str(s) => s,
            _ => return i.type_err("attribute name must be string"),
        };
        match ops::getattr(i, &arg(&a, 0), &n) {
            Ok(v) => Ok(v),
            Err(e) if a.len() > 2 && i.is_exc(&e.val, "AttributeError") => Ok(arg(&a, 2)),
            Err(e) => Err(e),
        }
    }),
    ("setattr", |i, a, _| {
        let n = match arg(&a, 1) {
            Value::Str(s) => s,
            _ => return i.type_err("attribute name must be string"),
        };
        ops::setattr(i, &arg(&a, 0), &n, arg(&a, 2))?;
        Ok(Value::None)
    }),
    ("hasattr", |i, a, _| {
        let n = match arg(&a, 1) {
            Value::Str(s) => s,
            _ => return i.type_err("attribute name must be string"),
        };
        Ok(Value::Bool(ops::getattr(i, &arg(&a, 0), &n).is_ok()))
    }),
    ("callable", |_, a, _| {
        Ok(Value::Bool(match arg(&a, 0) {
            Value::Func(_) | Value::Native(_) | Value::Bound(_) | Value::Class(_) => true,
            Value::Inst(i) => i.class.lookup("__call__").is_some(),
            _ => false,
        }))
    }),
    ("vars", |i, a, _| ops::getattr(i, &arg(&a, 0), "__dict__")),
    ("super", |i, a, _| match (arg(&a, 0), arg(&a, 1)) {
        (Value::Class(c), me) => Ok(Value::Super(Rc::new((c, me)))),
        _ => i.err("RuntimeError", "super(): no arguments"),
    }),
    ("input", |i, _, _| {
        i.err("EOFError", "EOF when reading a line")
    }),
    ("exit", |i, a, _| {
        Err(raise(new_exception(&i.ty("SystemExit"), a)))
    }),
    ("quit", |i, a, _| {
        Err(raise(new_exception(&i.ty("SystemExit"), a)))
    }),
];
