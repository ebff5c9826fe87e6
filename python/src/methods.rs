//! Methods of the builtin types (str, bytes, list, tuple, dict, set, generators), looked up by
//! name and returned bound to their receiver as native functions.

use crate::cell::Borrows as _;
use std::cell::RefCell;
use std::rc::Rc;

use crate::format::to_str;
use crate::interp::*;
use crate::ops;
use crate::value::*;

type Args = Vec<Value>;

fn arg(a: &Args, k: usize) -> Value {
    a.get(k).cloned().unwrap_or(Value::None)
}

fn s_arg(i: &Interp, a: &Args, k: usize) -> Res<Rc<str>> {
    match a.get(k) {
        Some(Value::Str(s)) => Ok(s.clone()),
        Some(v) => i.type_err(format!("must be str, not {}", ops::type_name(i, v))),
        None => i.type_err("missing argument"),
    }
}

fn bound(
    o: &Value,
    name: &str,
    f: impl Fn(&Interp, &Value, Args, Vec<(Rc<str>, Value)>) -> Res<Value> + 'static,
) -> Value {
    let me = o.clone();
    Value::native(name, move |i, a, k| f(i, &me, a, k))
}

/// A builtin type's method bound to `o`, if it has one named `name`.
pub fn method(_i: &Interp, o: &Value, name: &str) -> Option<Value> {
    match o {
        Value::Str(_) => str_method(o, name),
        Value::Bytes(_) => bytes_method(o, name),
        Value::List(_) => list_method(o, name),
        Value::Tuple(_) => match name {
            "index" | "count" => list_method(o, name),
            _ => None,
        },
        Value::Dict(_) => dict_method(o, name),
        Value::Set(_) => set_method(o, name),
        Value::Gen(g) => gen_method(g.clone(), name),
        Value::Coro(c) => match name {
            "close" => Some(bound(o, name, {
                let c = c.clone();
                move |_, _, _, _| {
                    c.fut.wr().take();
                    Ok(Value::None)
                }
            })),
            "__name__" => Some(Value::Str(c.name.clone())),
            _ => None,
        },
        Value::Task(t) => crate::asyncio::task_method(t.clone(), name),
        Value::Int(_) | Value::Bool(_) => match name {
            "bit_length" => Some(bound(o, name, |_, me, _, _| {
                let n = if let Value::Int(n) = me { *n } else { 0 };
                Ok(Value::Int(64 - n.unsigned_abs().leading_zeros() as i64))
            })),
            "real" => Some(o.clone()),
            _ => None,
        },
        Value::Float(f) => match name {
            "is_integer" => {
                let f = *f;
                Some(Value::native(name, move |_, _, _| {
                    Ok(Value::Bool(f.fract() == 0.0))
                }))
            }
            _ => None,
        },
        _ => None,
    }
}

fn gen_method(g: Rc<crate::coro::Gen>, name: &str) -> Option<Value> {
    Some(match name {
        "__next__" => Value::native(name, move |i, _, _| {
            match crate::coro::resume(i, &g, Value::None)? {
                Some(v) => Ok(v),
                None => i.err("StopIteration", ""),
            }
        }),
        "send" => Value::native(name, move |i, a, _| {
            match crate::coro::resume(i, &g, arg(&a, 0))? {
                Some(v) => Ok(v),
                None => i.err("StopIteration", ""),
            }
        }),
        "__iter__" | "__aiter__" => Value::native(name, move |_, _, _| Ok(Value::Gen(g.clone()))),
        "__anext__" => Value::native(name, move |i, _, _| Ok(crate::coro::anext(i, g.clone()))),
        "close" => Value::native(name, move |_, _, _| {
            g.fut.wr().take();
            g.done.set(true);
            Ok(Value::None)
        }),
        "aclose" => Value::native(name, move |_, _, _| {
            g.fut.wr().take();
            g.done.set(true);
            Ok(crate::coro::Coro::value("aclose", async {
                Ok(Value::None)
            }))
        }),
        _ => return None,
    })
}

fn sv(me: &Value) -> Rc<str> {
    match me {
        Value::Str(s) => s.clone(),
        _ => "".into(),
    }
}

fn str_method(o: &Value, name: &str) -> Option<Value> {
    let f: MethodFn = match name {
        "upper" => |_, me, _, _| Ok(Value::Str(crate::casemap::upper(&sv(me)).into())),
        "lower" => |_, me, _, _| Ok(Value::Str(crate::casemap::lower(&sv(me)).into())),
        "title" => |_, me, _, _| {
            let mut out = String::new();
            let mut prev = false;
            for c in sv(me).chars() {
                if prev {
                    crate::casemap::push_lower(&mut out, c);
                } else {
                    crate::casemap::push_upper(&mut out, c);
                }
                prev = c.is_alphabetic();
            }
            Ok(Value::Str(out.into()))
        },
        "capitalize" => |_, me, _, _| {
            let s = sv(me);
            let mut out = String::with_capacity(s.len());
            let mut c = s.chars();
            if let Some(f) = c.next() {
                crate::casemap::push_upper(&mut out, f);
                out.push_str(&crate::casemap::lower(c.as_str()));
            }
            Ok(Value::Str(out.into()))
        },
        "strip" | "lstrip" | "rstrip" => return Some(strip(o, name)),
        "split" => |i, me, a, k| {
            let s = sv(me);
            let sep = match (a.first(), k.iter().find(|x| &*x.0 == "sep")) {
                (Some(Value::Str(x)), _) => Some(x.clone()),
                (_, Some((_, Value::Str(x)))) => Some(x.clone()),
                _ => None,
            };
            let maxsplit = match (a.get(1), k.iter().find(|x| &*x.0 == "maxsplit")) {
                (Some(Value::Int(n)), _) | (_, Some((_, Value::Int(n)))) => *n,
                _ => -1,
            };
            let parts: Vec<Value> = match sep {
                Some(sep) => {
                    if sep.is_empty() {
                        return i.err("ValueError", "empty separator");
                    }
                    let max = usize::try_from(maxsplit).unwrap_or(usize::MAX);
                    crate::strsearch::split(&s, &sep, max)
                        .into_iter()
                        .map(Value::str)
                        .collect()
                }
                None => {
                    let mut v: Vec<Value> = vec![];
                    let mut rest = s.trim_start();
                    while !rest.is_empty() {
                        if maxsplit >= 0 && v.len() as i64 == maxsplit {
                            v.push(Value::str(rest.trim_end()));
                            break;
                        }
                        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                        v.push(Value::str(&rest[..end]));
                        rest = rest[end..].trim_start();
                    }
                    v
                }
            };
            Ok(Value::list(parts))
        },
        "splitlines" => |_, me, _, _| Ok(Value::list(sv(me).lines().map(Value::str).collect())),
        "join" => |i, me, a, _| {
            let items = ops::collect(i, &arg(&a, 0))?;
            let mut out = String::new();
            for (n, x) in items.iter().enumerate() {
                if n > 0 {
                    out.push_str(&sv(me));
                }
                match x {
                    Value::Str(s) => out.push_str(s),
                    v => {
                        return i.type_err(format!(
                            "sequence item {n}: expected str instance, {} found",
                            ops::type_name(i, v)
                        ))
                    }
                }
            }
            Ok(Value::Str(out.into()))
        },
        "replace" => |i, me, a, _| {
            let (x, y) = (s_arg(i, &a, 0)?, s_arg(i, &a, 1)?);
            Ok(Value::Str(
                match a.get(2) {
                    Some(Value::Int(n)) if *n >= 0 => {
                        crate::strsearch::replace(&sv(me), &x, &y, *n as usize)
                    }
                    _ => crate::strsearch::replace(&sv(me), &x, &y, usize::MAX),
                }
                .into(),
            ))
        },
        "startswith" | "endswith" => return Some(starts_ends(o, name == "startswith")),
        "find" | "index" | "rfind" => return Some(find(o, name)),
        "count" => |i, me, a, _| {
            let x = s_arg(i, &a, 0)?;
            Ok(Value::Int(crate::strsearch::count(&sv(me), &x) as i64))
        },
        "format" => |i, me, a, k| crate::builtins::str_format(i, &sv(me), &a, &k),
        "isdigit" | "isnumeric" | "isdecimal" => |_, me, _, _| {
            let s = sv(me);
            Ok(Value::Bool(
                !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()),
            ))
        },
        "isalpha" => |_, me, _, _| {
            let s = sv(me);
            Ok(Value::Bool(
                !s.is_empty() && s.chars().all(char::is_alphabetic),
            ))
        },
        "isalnum" => |_, me, _, _| {
            let s = sv(me);
            Ok(Value::Bool(
                !s.is_empty() && s.chars().all(char::is_alphanumeric),
            ))
        },
        "isspace" => |_, me, _, _| {
            let s = sv(me);
            Ok(Value::Bool(
                !s.is_empty() && s.chars().all(char::is_whitespace),
            ))
        },
        "isupper" => |_, me, _, _| {
            Ok(Value::Bool(
                sv(me).chars().any(char::is_uppercase) && !sv(me).chars().any(char::is_lowercase),
            ))
        },
        "islower" => |_, me, _, _| {
            Ok(Value::Bool(
                sv(me).chars().any(char::is_lowercase) && !sv(me).chars().any(char::is_uppercase),
            ))
        },
        "encode" => |_, me, _, _| Ok(Value::Bytes(sv(me).as_bytes().into())),
        "center" | "ljust" | "rjust" => return Some(justify(o, name)),
        "zfill" => |_, me, a, _| {
            let w = if let Value::Int(w) = arg(&a, 0) {
                w as usize
            } else {
                0
            };
            let s = sv(me);
            let n = s.chars().count();
            if n >= w {
                return Ok(Value::Str(s));
            }
            let (sign, rest) = if s.starts_with('-') || s.starts_with('+') {
                s.split_at(1)
            } else {
                ("", &*s)
            };
            Ok(Value::Str(
                format!("{sign}{}{rest}", "0".repeat(w - n)).into(),
            ))
        },
        "partition" => |i, me, a, _| {
            let sep = s_arg(i, &a, 0)?;
            let s = sv(me);
            Ok(match crate::strsearch::find(&s, &sep) {
                Some(p) => Value::tuple(vec![
                    Value::str(&s[..p]),
                    Value::Str(sep.clone()),
                    Value::str(&s[p + sep.len()..]),
                ]),
                None => Value::tuple(vec![Value::Str(s.clone()), Value::str(""), Value::str("")]),
            })
        },
        _ => return None,
    };
    Some(bound(o, name, f))
}

fn strip(o: &Value, name: &str) -> Value {
    let kind = name.to_string();
    bound(o, name, move |_, me, a, _| {
        let s = sv(me);
        let chars: Option<Vec<char>> = match a.first() {
            Some(Value::Str(c)) => Some(c.chars().collect()),
            _ => None,
        };
        let pred = |c: char| match &chars {
            Some(cs) => cs.contains(&c),
            None => c.is_whitespace(),
        };
        let r = match kind.as_str() {
            "strip" => s.trim_matches(pred),
            "lstrip" => s.trim_start_matches(pred),
            _ => s.trim_end_matches(pred),
        };
        Ok(Value::str(r))
    })
}

fn starts_ends(o: &Value, starts: bool) -> Value {
    bound(
        o,
        if starts { "startswith" } else { "endswith" },
        move |i, me, a, _| {
            let s = sv(me);
            let pats = match arg(&a, 0) {
                Value::Tuple(t) => (*t).clone(),
                v => vec![v],
            };
            for p in pats {
                match p {
                    Value::Str(p) => {
                        if (starts && s.starts_with(&*p)) || (!starts && s.ends_with(&*p)) {
                            return Ok(Value::Bool(true));
                        }
                    }
                    _ => return i.type_err("startswith first arg must be str or a tuple of str"),
                }
            }
            Ok(Value::Bool(false))
        },
    )
}

fn find(o: &Value, name: &str) -> Value {
    let kind = name.to_string();
    bound(o, name, move |i, me, a, _| {
        let s = sv(me);
        let x = s_arg(i, &a, 0)?;
        let r = if kind == "rfind" {
            crate::strsearch::rfind(&s, &x)
        } else {
            crate::strsearch::find(&s, &x)
        };
        match r {
            Some(p) => Ok(Value::Int(s[..p].chars().count() as i64)),
            None if kind == "index" => i.err("ValueError", "substring not found"),
            None => Ok(Value::Int(-1)),
        }
    })
}

fn justify(o: &Value, name: &str) -> Value {
    let kind = name.to_string();
    bound(o, name, move |_, me, a, _| {
        let s = sv(me);
        let w = if let Value::Int(w) = arg(&a, 0) {
            w.max(0) as usize
        } else {
            0
        };
        let fill = match a.get(1) {
            Some(Value::Str(f)) => f.chars().next().unwrap_or(' '),
            _ => ' ',
        };
        let n = s.chars().count();
        if n >= w {
            return Ok(Value::Str(s));
        }
        let pad = w - n;
        let f = |k: usize| std::iter::repeat_n(fill, k).collect::<String>();
        Ok(Value::Str(
            match kind.as_str() {
                "ljust" => format!("{s}{}", f(pad)),
                "rjust" => format!("{}{s}", f(pad)),
                _ => {
                    let left = pad / 2 + (pad & w & 1);
                    format!("{}{s}{}", f(left), f(pad - left))
                }
            }
            .into(),
        ))
    })
}

fn bytes_method(o: &Value, name: &str) -> Option<Value> {
    let f: MethodFn = match name {
        "decode" => |i, me, _, _| match me {
            Value::Bytes(b) => match std::str::from_utf8(b) {
                Ok(s) => Ok(Value::str(s)),
                Err(_) => i.err("UnicodeDecodeError", "'utf-8' codec can't decode bytes"),
            },
            _ => Ok(Value::None),
        },
        "strip" => |_, me, _, _| match me {
            Value::Bytes(b) => Ok(Value::Bytes(b.trim_ascii().into())),
            _ => Ok(Value::None),
        },
        "upper" => |_, me, _, _| match me {
            Value::Bytes(b) => Ok(Value::Bytes(b.to_ascii_uppercase().into())),
            _ => Ok(Value::None),
        },
        "hex" => |_, me, _, _| match me {
            Value::Bytes(b) => Ok(Value::Str(
                b.iter()
                    .map(|x| format!("{x:02x}"))
                    .collect::<String>()
                    .into(),
            )),
            _ => Ok(Value::None),
        },
        _ => return None,
    };
    Some(bound(o, name, f))
}

fn lv(me: &Value) -> Rc<RefCell<Vec<Value>>> {
    match me {
        Value::List(l) => l.clone(),
        Value::Tuple(t) => Rc::new(RefCell::new((**t).clone())),
        _ => Rc::new(RefCell::new(vec![])),
    }
}

fn list_method(o: &Value, name: &str) -> Option<Value> {
    let f: MethodFn = match name {
        "append" => |i, me, a, _| {
            let l = lv(me);
            l.wr().push(arg(&a, 0));
            if l.rd().len() > i.limits.max_container {
                l.wr().pop();
                return i.err("MemoryError", "");
            }
            Ok(Value::None)
        },
        "extend" => |i, me, a, _| {
            let items = ops::collect(i, &arg(&a, 0))?;
            lv(me).wr().extend(items);
            Ok(Value::None)
        },
        "insert" => |_, me, a, _| {
            let l = lv(me);
            let n = l.rd().len() as i64;
            let k = if let Value::Int(k) = arg(&a, 0) { k } else { 0 };
            let k = if k < 0 { (k + n).max(0) } else { k.min(n) };
            l.wr().insert(k as usize, arg(&a, 1));
            Ok(Value::None)
        },
        "pop" => |i, me, a, _| {
            let l = lv(me);
            let n = l.rd().len() as i64;
            if n == 0 {
                return i.err("IndexError", "pop from empty list");
            }
            let k = if let Some(Value::Int(k)) = a.first() {
                *k
            } else {
                -1
            };
            let k = if k < 0 { k + n } else { k };
            if k < 0 || k >= n {
                return i.err("IndexError", "pop index out of range");
            }
            let v = l.wr().remove(k as usize);
            Ok(v)
        },
        "remove" => |i, me, a, _| {
            let l = lv(me);
            let items = l.rd().clone();
            for (k, x) in items.iter().enumerate() {
                if ops::eq(i, x, &arg(&a, 0))? {
                    l.wr().remove(k);
                    return Ok(Value::None);
                }
            }
            i.err("ValueError", "list.remove(x): x not in list")
        },
        "index" => |i, me, a, _| {
            let items = lv(me).rd().clone();
            for (k, x) in items.iter().enumerate() {
                if ops::eq(i, x, &arg(&a, 0))? {
                    return Ok(Value::Int(k as i64));
                }
            }
            let r = crate::format::repr(i, &arg(&a, 0))?;
            i.err("ValueError", format!("{r} is not in list"))
        },
        "count" => |i, me, a, _| {
            let items = lv(me).rd().clone();
            let mut n = 0;
            for x in &items {
                if ops::eq(i, x, &arg(&a, 0))? {
                    n += 1;
                }
            }
            Ok(Value::Int(n))
        },
        "clear" => |_, me, _, _| {
            lv(me).wr().clear();
            Ok(Value::None)
        },
        "copy" => |_, me, _, _| Ok(Value::list(lv(me).rd().clone())),
        "reverse" => |_, me, _, _| {
            lv(me).wr().reverse();
            Ok(Value::None)
        },
        "sort" => |i, me, _, k| {
            let l = lv(me);
            let items = l.rd().clone();
            let sorted = crate::builtins::sort_values(i, items, &k)?;
            *l.wr() = sorted;
            Ok(Value::None)
        },
        _ => return None,
    };
    Some(bound(o, name, f))
}

fn dv(me: &Value) -> Rc<RefCell<Dict>> {
    match me {
        Value::Dict(d) | Value::Set(d) => d.clone(),
        _ => Rc::new(RefCell::new(Dict::default())),
    }
}

fn dict_method(o: &Value, name: &str) -> Option<Value> {
    let f: MethodFn = match name {
        "get" => |i, me, a, _| {
            let h = ops::hash(i, &arg(&a, 0))?;
            Ok(dv(me).rd().get(&h).cloned().unwrap_or_else(|| arg(&a, 1)))
        },
        "keys" => |_, me, _, _| Ok(Value::list(dv(me).rd().keys())),
        "values" => |_, me, _, _| {
            Ok(Value::list(
                dv(me).rd().iter().map(|e| e.1.clone()).collect(),
            ))
        },
        "items" => |_, me, _, _| {
            Ok(Value::list(
                dv(me)
                    .rd()
                    .iter()
                    .map(|e| Value::tuple(vec![e.0.clone(), e.1.clone()]))
                    .collect(),
            ))
        },
        "pop" => |i, me, a, _| {
            let h = ops::hash(i, &arg(&a, 0))?;
            let r = dv(me).wr().remove(&h);
            match r {
                Some(v) => Ok(v),
                None if a.len() > 1 => Ok(arg(&a, 1)),
                None => Err(raise(new_exception(&i.ty("KeyError"), vec![arg(&a, 0)]))),
            }
        },
        "popitem" => |i, me, _, _| match dv(me).wr().pop_last() {
            Some((k, v)) => Ok(Value::tuple(vec![k, v])),
            None => i.err("KeyError", "popitem(): dictionary is empty"),
        },
        "setdefault" => |i, me, a, _| {
            let d = dv(me);
            let h = ops::hash(i, &arg(&a, 0))?;
            if let Some(v) = d.rd().get(&h) {
                return Ok(v.clone());
            }
            d.wr().insert(h, arg(&a, 0), arg(&a, 1));
            Ok(arg(&a, 1))
        },
        "update" => |i, me, a, k| {
            let d = dv(me);
            let mut nd = d.rd().clone();
            if let Some(m) = a.first() {
                ops::dict_update(i, &mut nd, m)?;
            }
            for (key, v) in k {
                nd.insert(HKey::Str(key.clone()), Value::Str(key), v);
            }
            *d.wr() = nd;
            Ok(Value::None)
        },
        "clear" => |_, me, _, _| {
            dv(me).wr().clear();
            Ok(Value::None)
        },
        "copy" => |_, me, _, _| Ok(Value::Dict(Rc::new(RefCell::new(dv(me).rd().clone())))),
        _ => return None,
    };
    Some(bound(o, name, f))
}

fn set_method(o: &Value, name: &str) -> Option<Value> {
    let f: MethodFn = match name {
        "add" => |i, me, a, _| {
            let h = ops::hash(i, &arg(&a, 0))?;
            dv(me).wr().insert(h, arg(&a, 0), Value::None);
            Ok(Value::None)
        },
        "discard" => |i, me, a, _| {
            let h = ops::hash(i, &arg(&a, 0))?;
            dv(me).wr().remove(&h);
            Ok(Value::None)
        },
        "remove" => |i, me, a, _| {
            let h = ops::hash(i, &arg(&a, 0))?;
            if dv(me).wr().remove(&h).is_none() {
                return Err(raise(new_exception(&i.ty("KeyError"), vec![arg(&a, 0)])));
            }
            Ok(Value::None)
        },
        "pop" => |i, me, _, _| match dv(me).wr().pop_first() {
            Some((k, _)) => Ok(k),
            None => i.err("KeyError", "pop from an empty set"),
        },
        "clear" => |_, me, _, _| {
            dv(me).wr().clear();
            Ok(Value::None)
        },
        "copy" => |_, me, _, _| Ok(Value::Set(Rc::new(RefCell::new(dv(me).rd().clone())))),
        "update" => |i, me, a, _| {
            for x in ops::collect(i, &arg(&a, 0))? {
                let h = ops::hash(i, &x)?;
                dv(me).wr().insert(h, x, Value::None);
            }
            Ok(Value::None)
        },
        "union" => |i, me, a, _| {
            let other = ops::make_set(i, ops::collect(i, &arg(&a, 0))?)?;
            ops::binop(i, crate::ast::BinOp::BitOr, me, &other)
        },
        "intersection" => |i, me, a, _| {
            let other = ops::make_set(i, ops::collect(i, &arg(&a, 0))?)?;
            ops::binop(i, crate::ast::BinOp::BitAnd, me, &other)
        },
        "difference" => |i, me, a, _| {
            let other = ops::make_set(i, ops::collect(i, &arg(&a, 0))?)?;
            ops::binop(i, crate::ast::BinOp::Sub, me, &other)
        },
        "issubset" => |i, me, a, _| {
            let other = ops::make_set(i, ops::collect(i, &arg(&a, 0))?)?;
            let o = dv(&other);
            Ok(Value::Bool(
                dv(me)
                    .rd()
                    .iter()
                    .all(|(k, _)| o.rd().contains(&hkey_unchecked(k))),
            ))
        },
        _ => return None,
    };
    let _ = to_str;
    Some(bound(o, name, f))
}
