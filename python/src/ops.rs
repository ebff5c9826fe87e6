//! Operators and protocols on values: truth, arithmetic, comparison, attributes, items and
//! iteration, with the builtin types' fast paths first and the user classes' dunder methods after.

use crate::cell::Borrows as _;
use std::cell::RefCell;
use std::cmp::Ordering;
use std::rc::Rc;

use crate::ast::{BinOp, CmpOp, UnOp};
use crate::interp::*;
use crate::value::*;

/// The class of a value.
pub fn class_of(i: &Interp, v: &Value) -> Rc<Class> {
    let n = match v {
        Value::Inst(x) => return x.class.clone(),
        Value::None => "NoneType",
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::Big(_) => "int",
        Value::Float(_) => "float",
        Value::Str(_) => "str",
        Value::Bytes(_) => "bytes",
        Value::List(_) => "list",
        Value::Tuple(_) => "tuple",
        Value::Dict(_) => "dict",
        Value::Set(_) => "set",
        Value::Range(..) => "range",
        Value::Func(_) | Value::Native(_) => "function",
        Value::Bound(_) => "method",
        Value::Class(_) => "type",
        Value::Module(_) => "module",
        Value::Coro(_) => "coroutine",
        Value::Gen(g) => {
            if g.is_async {
                "async_generator"
            } else {
                "generator"
            }
        }
        Value::Task(_) => "Task",
        _ => "object",
    };
    i.types
        .rd()
        .get(n)
        .cloned()
        .unwrap_or_else(|| i.ty("object"))
}

/// The type name of a value, as error messages show it.
pub fn type_name(i: &Interp, v: &Value) -> String {
    match v {
        Value::Object(o) => o.type_name().to_string(),
        Value::Iter(_) => "iterator".into(),
        Value::Slice(_) => "slice".into(),
        Value::Property(_) => "property".into(),
        _ => class_of(i, v).name.to_string(),
    }
}

/// Truth value.
pub fn truthy(i: &Interp, v: &Value) -> Res<bool> {
    Ok(match v {
        Value::None => false,
        Value::Bool(b) => *b,
        Value::Int(n) => *n != 0,
        Value::Float(f) => *f != 0.0,
        Value::Str(s) => !s.is_empty(),
        Value::Bytes(b) => !b.is_empty(),
        Value::List(l) => !l.rd().is_empty(),
        Value::Tuple(t) => !t.is_empty(),
        Value::Dict(d) | Value::Set(d) => !d.rd().is_empty(),
        Value::Range(a, b, s) => range_len(*a, *b, *s) > 0,
        Value::Inst(inst) => {
            if let Some(m) = inst.class.lookup("__bool__") {
                let r = i.call(&m, vec![v.clone()], vec![])?;
                return truthy(i, &r);
            }
            if let Some(m) = inst.class.lookup("__len__") {
                let r = i.call(&m, vec![v.clone()], vec![])?;
                return truthy(i, &r);
            }
            true
        }
        _ => true,
    })
}

/// Number of items in a range.
pub fn range_len(a: i64, b: i64, s: i64) -> i64 {
    if s > 0 && b > a {
        (b - a + s - 1) / s
    } else if s < 0 && a > b {
        (a - b - s - 1) / (-s)
    } else {
        0
    }
}

fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Big(b) => Some(b.to_f64()),
        Value::Bool(b) => Some(*b as i64 as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    }
}

fn op_symbol(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::FloorDiv => "//",
        BinOp::Mod => "%",
        BinOp::Pow => "** or pow()",
        BinOp::LShift => "<<",
        BinOp::RShift => ">>",
        BinOp::BitAnd => "&",
        BinOp::BitOr => "|",
        BinOp::BitXor => "^",
        BinOp::MatMul => "@",
    }
}

fn dunder(op: BinOp) -> (&'static str, &'static str) {
    match op {
        BinOp::Add => ("__add__", "__radd__"),
        BinOp::Sub => ("__sub__", "__rsub__"),
        BinOp::Mul => ("__mul__", "__rmul__"),
        BinOp::Div => ("__truediv__", "__rtruediv__"),
        BinOp::FloorDiv => ("__floordiv__", "__rfloordiv__"),
        BinOp::Mod => ("__mod__", "__rmod__"),
        BinOp::Pow => ("__pow__", "__rpow__"),
        BinOp::LShift => ("__lshift__", "__rlshift__"),
        BinOp::RShift => ("__rshift__", "__rrshift__"),
        BinOp::BitAnd => ("__and__", "__rand__"),
        BinOp::BitOr => ("__or__", "__ror__"),
        BinOp::BitXor => ("__xor__", "__rxor__"),
        BinOp::MatMul => ("__matmul__", "__rmatmul__"),
    }
}

fn big(v: &Value) -> Option<crate::bigint::BigInt> {
    match v {
        Value::Int(n) => Some(crate::bigint::BigInt::from_i64(*n)),
        Value::Bool(b) => Some(crate::bigint::BigInt::from_i64(*b as i64)),
        Value::Big(b) => Some((**b).clone()),
        _ => None,
    }
}

/// Integer arithmetic beyond 64 bits.
fn big_binop(i: &Interp, op: BinOp, l: &Value, r: &Value) -> Res<Value> {
    let (Some(a), Some(b)) = (big(l), big(r)) else {
        return unsupported(i, op, l, r);
    };
    Ok(match op {
        BinOp::Add => Value::int(a.add(&b)),
        BinOp::Sub => Value::int(a.sub(&b)),
        BinOp::Mul => Value::int(a.mul(&b)),
        BinOp::FloorDiv | BinOp::Mod => match a.divmod(&b) {
            Some((q, m)) => Value::int(if op == BinOp::FloorDiv { q } else { m }),
            None => return i.err("ZeroDivisionError", "integer division or modulo by zero"),
        },
        BinOp::Div => {
            if b.mag.is_empty() {
                return i.err("ZeroDivisionError", "division by zero");
            }
            Value::Float(a.to_f64() / b.to_f64())
        }
        BinOp::Pow => match b.to_i64() {
            Some(e) if e < 0 => Value::Float(a.to_f64().powf(e as f64)),
            Some(e) if a.bit_length() as u64 * e as u64 <= 1 << 24 => Value::int(a.pow(e as u64)),
            _ => return i.err("MemoryError", ""),
        },
        BinOp::LShift => match b.to_i64() {
            Some(e) if e < 0 => return i.err("ValueError", "negative shift count"),
            Some(_) if a.mag.is_empty() => Value::Int(0),
            Some(e) if a.bit_length() as i64 + e <= 1 << 26 => Value::int(a.shl(e as usize)),
            _ => return i.err("MemoryError", ""),
        },
        BinOp::RShift => match b.to_i64() {
            Some(e) if e < 0 => return i.err("ValueError", "negative shift count"),
            Some(e) => Value::int(a.shr(e.min(a.bit_length() as i64 + 1) as usize)),
            None if b.neg => return i.err("ValueError", "negative shift count"),
            None => Value::Int(if a.neg { -1 } else { 0 }),
        },
        BinOp::BitAnd => Value::int(a.bitwise(b'&', &b)),
        BinOp::BitOr => Value::int(a.bitwise(b'|', &b)),
        BinOp::BitXor => Value::int(a.bitwise(b'^', &b)),
        BinOp::MatMul => return unsupported(i, op, l, r),
    })
}

#[allow(dead_code)]
fn overflow<T>(i: &Interp) -> Res<T> {
    i.err(
        "OverflowError",
        "integer result too large (this interpreter's int is 64-bit)",
    )
}

fn check_len(i: &Interp, n: usize) -> Res<()> {
    if n > i.limits.max_container {
        return i.err("MemoryError", "");
    }
    Ok(())
}

/// `l op r`.
pub fn binop(i: &Interp, op: BinOp, l: &Value, r: &Value) -> Res<Value> {
    use Value::*;
    if let (Some(a), Some(b)) = (int(l), int(r)) {
        return Ok(match op {
            BinOp::Add => match a.checked_add(b) {
                Some(v) => Int(v),
                Option::None => return big_binop(i, op, l, r),
            },
            BinOp::Sub => match a.checked_sub(b) {
                Some(v) => Int(v),
                Option::None => return big_binop(i, op, l, r),
            },
            BinOp::Mul => match a.checked_mul(b) {
                Some(v) => Int(v),
                Option::None => return big_binop(i, op, l, r),
            },
            BinOp::Div => {
                if b == 0 {
                    return i.err("ZeroDivisionError", "division by zero");
                }
                Float(a as f64 / b as f64)
            }
            BinOp::FloorDiv => {
                if b == 0 {
                    return i.err("ZeroDivisionError", "integer division or modulo by zero");
                }
                Int(a.div_euclid(b) - if b < 0 && a.rem_euclid(b) != 0 { 1 } else { 0 })
            }
            BinOp::Mod => {
                if b == 0 {
                    return i.err("ZeroDivisionError", "integer division or modulo by zero");
                }
                let m = a % b;
                Int(if m != 0 && ((m < 0) != (b < 0)) {
                    m + b
                } else {
                    m
                })
            }
            BinOp::Pow => {
                if b < 0 {
                    Float((a as f64).powf(b as f64))
                } else {
                    match a.checked_pow(u32::try_from(b).unwrap_or(u32::MAX)) {
                        Some(v) => Int(v),
                        Option::None => return big_binop(i, op, l, r),
                    }
                }
            }
            BinOp::LShift => match (0..64)
                .contains(&b)
                .then(|| a.checked_shl(b as u32))
                .flatten()
                .filter(|x| x >> b == a)
            {
                Some(v) => Int(v),
                Option::None => return big_binop(i, op, l, r),
            },
            BinOp::RShift => {
                if b < 0 {
                    return i.err("ValueError", "negative shift count");
                }
                Int(a >> b.min(63))
            }
            BinOp::BitAnd => {
                if let (Bool(x), Bool(y)) = (l, r) {
                    return Ok(Bool(*x & *y));
                }
                Int(a & b)
            }
            BinOp::BitOr => {
                if let (Bool(x), Bool(y)) = (l, r) {
                    return Ok(Bool(*x | *y));
                }
                Int(a | b)
            }
            BinOp::BitXor => {
                if let (Bool(x), Bool(y)) = (l, r) {
                    return Ok(Bool(*x ^ *y));
                }
                Int(a ^ b)
            }
            BinOp::MatMul => {
                return i.type_err("unsupported operand type(s) for @: 'int' and 'int'")
            }
        });
    }
    if (matches!(l, Big(_)) || matches!(r, Big(_))) && big(l).is_some() && big(r).is_some() {
        return big_binop(i, op, l, r);
    }
    if let (Some(a), Some(b)) = (num(l), num(r)) {
        return Ok(match op {
            BinOp::Add => Float(a + b),
            BinOp::Sub => Float(a - b),
            BinOp::Mul => Float(a * b),
            BinOp::Div => {
                if b == 0.0 {
                    return i.err("ZeroDivisionError", "float division by zero");
                }
                Float(a / b)
            }
            BinOp::FloorDiv => {
                if b == 0.0 {
                    return i.err("ZeroDivisionError", "float floor division by zero");
                }
                Float((a / b).floor())
            }
            BinOp::Mod => {
                if b == 0.0 {
                    return i.err("ZeroDivisionError", "float modulo");
                }
                let m = a % b;
                Float(if m != 0.0 && ((m < 0.0) != (b < 0.0)) {
                    m + b
                } else {
                    m
                })
            }
            BinOp::Pow => Float(a.powf(b)),
            _ => return unsupported(i, op, l, r),
        });
    }
    match (op, l, r) {
        (BinOp::Add, Str(a), Str(b)) => {
            check_len(i, a.len() + b.len())?;
            let mut s = String::with_capacity(a.len() + b.len());
            s.push_str(a);
            s.push_str(b);
            return Ok(Str(s.into()));
        }
        (BinOp::Add, Bytes(a), Bytes(b)) => return Ok(Bytes([&a[..], &b[..]].concat().into())),
        (BinOp::Add, List(a), List(b)) => {
            let mut v = a.rd().clone();
            v.extend(b.rd().iter().cloned());
            return Ok(Value::list(v));
        }
        (BinOp::Add, Tuple(a), Tuple(b)) => {
            let mut v = (**a).clone();
            v.extend(b.iter().cloned());
            return Ok(Value::tuple(v));
        }
        (BinOp::Mul, Str(_) | List(_) | Tuple(_) | Bytes(_), Int(_) | Bool(_)) => {
            return repeat(i, l, int(r).unwrap_or(0))
        }
        (BinOp::Mul, Int(_) | Bool(_), Str(_) | List(_) | Tuple(_) | Bytes(_)) => {
            return repeat(i, r, int(l).unwrap_or(0))
        }
        (BinOp::Mod, Str(fmt), _) => return crate::format::percent(i, fmt, r),
        (BinOp::BitOr, Dict(a), Dict(b)) => {
            let mut d = a.rd().clone();
            dict_update(i, &mut d, &Dict(b.clone()))?;
            return Ok(Dict(Rc::new(RefCell::new(d))));
        }
        (BinOp::BitOr | BinOp::BitAnd | BinOp::Sub | BinOp::BitXor, Set(a), Set(b)) => {
            let a = a.rd();
            let b = b.rd();
            let mut out = crate::value::Dict::default();
            match op {
                BinOp::BitOr => {
                    for (k, _) in a.iter().chain(b.iter()) {
                        out.insert(hkey_unchecked(k), k.clone(), None);
                    }
                }
                BinOp::BitAnd => {
                    for (k, _) in a.iter() {
                        if b.contains(&hkey_unchecked(k)) {
                            out.insert(hkey_unchecked(k), k.clone(), None);
                        }
                    }
                }
                BinOp::Sub => {
                    for (k, _) in a.iter() {
                        if !b.contains(&hkey_unchecked(k)) {
                            out.insert(hkey_unchecked(k), k.clone(), None);
                        }
                    }
                }
                _ => {
                    for (k, _) in a.iter() {
                        if !b.contains(&hkey_unchecked(k)) {
                            out.insert(hkey_unchecked(k), k.clone(), None);
                        }
                    }
                    for (k, _) in b.iter() {
                        if !a.contains(&hkey_unchecked(k)) {
                            out.insert(hkey_unchecked(k), k.clone(), None);
                        }
                    }
                }
            }
            return Ok(Set(Rc::new(RefCell::new(out))));
        }
        _ => {}
    }
    let (fwd, rev) = dunder(op);
    if let Inst(inst) = l {
        if let Some(m) = inst.class.lookup(fwd) {
            let res = i.call(&m, vec![l.clone(), r.clone()], vec![])?;
            if !matches!(res, Value::Ellipsis) {
                return Ok(res);
            }
        }
    }
    if let Inst(inst) = r {
        if let Some(m) = inst.class.lookup(rev) {
            return i.call(&m, vec![r.clone(), l.clone()], vec![]);
        }
    }
    unsupported(i, op, l, r)
}

fn unsupported<T>(i: &Interp, op: BinOp, l: &Value, r: &Value) -> Res<T> {
    if op == BinOp::Add && matches!(l, Value::Str(_)) {
        return i.type_err(format!(
            "can only concatenate str (not \"{}\") to str",
            type_name(i, r)
        ));
    }
    i.type_err(format!(
        "unsupported operand type(s) for {}: '{}' and '{}'",
        op_symbol(op),
        type_name(i, l),
        type_name(i, r)
    ))
}

fn repeat(i: &Interp, v: &Value, n: i64) -> Res<Value> {
    let n = n.max(0) as usize;
    Ok(match v {
        Value::Str(s) => {
            check_len(i, s.len().saturating_mul(n))?;
            Value::Str(s.repeat(n).into())
        }
        Value::Bytes(b) => Value::Bytes(b.repeat(n).into()),
        Value::List(l) => {
            let l = l.rd();
            check_len(i, l.len().saturating_mul(n))?;
            let mut out = Vec::with_capacity(l.len() * n);
            for _ in 0..n {
                out.extend(l.iter().cloned());
            }
            Value::list(out)
        }
        Value::Tuple(t) => {
            check_len(i, t.len().saturating_mul(n))?;
            let mut out = Vec::with_capacity(t.len() * n);
            for _ in 0..n {
                out.extend(t.iter().cloned());
            }
            Value::tuple(out)
        }
        _ => Value::None,
    })
}

/// `l op= r` (lists extend in place).
pub fn inplace(i: &Interp, op: BinOp, l: &Value, r: &Value) -> Res<Value> {
    if let (BinOp::Add, Value::List(a)) = (op, l) {
        let items = collect(i, r)?;
        a.wr().extend(items);
        check_len(i, a.rd().len())?;
        return Ok(l.clone());
    }
    if let Value::Inst(inst) = l {
        let name = format!("__i{}", &dunder(op).0[2..]);
        if let Some(m) = inst.class.lookup(&name) {
            return i.call(&m, vec![l.clone(), r.clone()], vec![]);
        }
    }
    binop(i, op, l, r)
}

/// A unary operator.
pub fn unop(i: &Interp, op: UnOp, v: &Value) -> Res<Value> {
    Ok(match (op, v) {
        (UnOp::Not, _) => Value::Bool(!truthy(i, v)?),
        (UnOp::Neg, Value::Int(n)) => match n.checked_neg() {
            Some(v) => Value::Int(v),
            None => Value::int(crate::bigint::BigInt::from_i64(*n).neg()),
        },
        (UnOp::Neg, Value::Big(b)) => Value::int(b.neg()),
        (UnOp::Pos, Value::Big(_)) => v.clone(),
        (UnOp::Neg, Value::Bool(b)) => Value::Int(-(*b as i64)),
        (UnOp::Neg, Value::Float(f)) => Value::Float(-f),
        (UnOp::Pos, Value::Int(_) | Value::Float(_)) => v.clone(),
        (UnOp::Pos, Value::Bool(b)) => Value::Int(*b as i64),
        (UnOp::Invert, Value::Int(n)) => Value::Int(!n),
        (UnOp::Invert, Value::Bool(b)) => Value::Int(!(*b as i64)),
        (UnOp::Invert, Value::Big(b)) => Value::int(b.invert()),
        (_, Value::Inst(inst)) => {
            let n = match op {
                UnOp::Neg => "__neg__",
                UnOp::Pos => "__pos__",
                _ => "__invert__",
            };
            match inst.class.lookup(n) {
                Some(m) => i.call(&m, vec![v.clone()], vec![])?,
                None => {
                    return i.type_err(format!(
                        "bad operand type for unary {}: '{}'",
                        unsym(op),
                        type_name(i, v)
                    ))
                }
            }
        }
        _ => {
            return i.type_err(format!(
                "bad operand type for unary {}: '{}'",
                unsym(op),
                type_name(i, v)
            ))
        }
    })
}

fn unsym(op: UnOp) -> &'static str {
    match op {
        UnOp::Neg => "-",
        UnOp::Pos => "+",
        UnOp::Invert => "~",
        UnOp::Not => "not",
    }
}

/// Equality.
pub fn eq(i: &Interp, a: &Value, b: &Value) -> Res<bool> {
    use Value::*;
    Ok(match (a, b) {
        (None, None) => true,
        (Str(x), Str(y)) => x == y,
        (Bytes(x), Bytes(y)) => x == y,
        (Int(_) | Bool(_) | Float(_), Int(_) | Bool(_) | Float(_)) => {
            if let (Some(x), Some(y)) = (int(a), int(b)) {
                x == y
            } else {
                num(a) == num(b)
            }
        }
        (Big(_), Int(_) | Bool(_) | Big(_)) | (Int(_) | Bool(_), Big(_)) => big(a) == big(b),
        (Big(_), Float(_)) | (Float(_), Big(_)) => num(a) == num(b),
        (List(x), List(y)) => {
            if Rc::ptr_eq(x, y) {
                return Ok(true);
            }
            let (x, y) = (x.rd().clone(), y.rd().clone());
            seq_eq(i, &x, &y)?
        }
        (Tuple(x), Tuple(y)) => seq_eq(i, x, y)?,
        (Dict(x), Dict(y)) => {
            let (x, y) = (x.rd(), y.rd());
            if x.len() != y.len() {
                return Ok(false);
            }
            for (k, v) in x.iter() {
                match y.get(&hkey_unchecked(k)) {
                    Some(v2) => {
                        if !eq(i, v, v2)? {
                            return Ok(false);
                        }
                    }
                    Option::None => return Ok(false),
                }
            }
            true
        }
        (Set(x), Set(y)) => {
            let (x, y) = (x.rd(), y.rd());
            x.len() == y.len() && x.iter().all(|(k, _)| y.contains(&hkey_unchecked(k)))
        }
        (Range(a1, b1, c1), Range(a2, b2, c2)) => (a1, b1, c1) == (a2, b2, c2),
        (Inst(x), _) if x.class.lookup("__eq__").is_some() => {
            let m = x.class.lookup("__eq__").unwrap_or(Value::None);
            let r = i.call(&m, vec![a.clone(), b.clone()], vec![])?;
            if matches!(r, Value::Ellipsis) {
                a.is(b)
            } else {
                truthy(i, &r)?
            }
        }
        _ => a.is(b),
    })
}

fn seq_eq(i: &Interp, x: &[Value], y: &[Value]) -> Res<bool> {
    if x.len() != y.len() {
        return Ok(false);
    }
    for (a, b) in x.iter().zip(y) {
        if !eq(i, a, b)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Ordering for `<` and friends (and sorting).
pub fn cmp(i: &Interp, a: &Value, b: &Value) -> Res<Ordering> {
    use Value::*;
    match (a, b) {
        (Int(_) | Bool(_), Int(_) | Bool(_)) => return Ok(int(a).cmp(&int(b))),
        (Big(_), Int(_) | Bool(_) | Big(_)) | (Int(_) | Bool(_), Big(_)) => {
            if let (Some(x), Some(y)) = (big(a), big(b)) {
                return Ok(x.compare(&y));
            }
        }
        (Big(_), Float(_)) | (Float(_), Big(_)) => {
            return Ok(num(a).partial_cmp(&num(b)).unwrap_or(Ordering::Equal))
        }
        (Int(_) | Bool(_) | Float(_), Int(_) | Bool(_) | Float(_)) => {
            return Ok(num(a).partial_cmp(&num(b)).unwrap_or(Ordering::Equal))
        }
        (Str(x), Str(y)) => return Ok(x.cmp(y)),
        (Bytes(x), Bytes(y)) => return Ok(x.cmp(y)),
        (List(_) | Tuple(_), List(_) | Tuple(_))
            if std::mem::discriminant(a) == std::mem::discriminant(b) =>
        {
            let x = collect(i, a)?;
            let y = collect(i, b)?;
            for (p, q) in x.iter().zip(y.iter()) {
                if !eq(i, p, q)? {
                    return cmp(i, p, q);
                }
            }
            return Ok(x.len().cmp(&y.len()));
        }
        (Inst(x), _) => {
            if let Some(m) = x.class.lookup("__lt__") {
                if truthy(i, &i.call(&m, vec![a.clone(), b.clone()], vec![])?)? {
                    return Ok(Ordering::Less);
                }
                if eq(i, a, b)? {
                    return Ok(Ordering::Equal);
                }
                return Ok(Ordering::Greater);
            }
        }
        _ => {}
    }
    i.type_err(format!(
        "'<' not supported between instances of '{}' and '{}'",
        type_name(i, a),
        type_name(i, b)
    ))
}

/// A comparison operator.
pub fn compare(i: &Interp, op: CmpOp, a: &Value, b: &Value) -> Res<bool> {
    Ok(match op {
        CmpOp::Eq => eq(i, a, b)?,
        CmpOp::Ne => !eq(i, a, b)?,
        CmpOp::Is => a.is(b),
        CmpOp::IsNot => !a.is(b),
        CmpOp::In => contains(i, b, a)?,
        CmpOp::NotIn => !contains(i, b, a)?,
        CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge => {
            if let Value::Inst(x) = a {
                let n = match op {
                    CmpOp::Lt => "__lt__",
                    CmpOp::Le => "__le__",
                    CmpOp::Gt => "__gt__",
                    _ => "__ge__",
                };
                if let Some(m) = x.class.lookup(n) {
                    let r = i.call(&m, vec![a.clone(), b.clone()], vec![])?;
                    return truthy(i, &r);
                }
            }
            let sym = match op {
                CmpOp::Lt => "<",
                CmpOp::Le => "<=",
                CmpOp::Gt => ">",
                _ => ">=",
            };
            let o = cmp(i, a, b).map_err(|_| {
                raise(i.exc_val(
                    "TypeError",
                    &format!(
                        "'{sym}' not supported between instances of '{}' and '{}'",
                        type_name(i, a),
                        type_name(i, b)
                    ),
                ))
            })?;
            match op {
                CmpOp::Lt => o == Ordering::Less,
                CmpOp::Le => o != Ordering::Greater,
                CmpOp::Gt => o == Ordering::Greater,
                _ => o != Ordering::Less,
            }
        }
    })
}

/// `x in container`.
pub fn contains(i: &Interp, c: &Value, x: &Value) -> Res<bool> {
    match c {
        Value::Str(s) => match x {
            Value::Str(n) => Ok(crate::strsearch::find(s, n).is_some()),
            _ => i.type_err(format!(
                "'in <string>' requires string as left operand, not {}",
                type_name(i, x)
            )),
        },
        Value::Bytes(b) => match x {
            Value::Bytes(n) => Ok(n.is_empty() || b.windows(n.len()).any(|w| w == &n[..])),
            Value::Int(v) => Ok(b.contains(&(*v as u8))),
            _ => Ok(false),
        },
        Value::Dict(d) | Value::Set(d) => Ok(d.rd().contains(&hash(i, x)?)),
        Value::Range(a, b, s) => Ok(match int(x) {
            Some(v) => {
                if *s > 0 {
                    v >= *a && v < *b && (v - a) % s == 0
                } else {
                    v <= *a && v > *b && (a - v) % (-s) == 0
                }
            }
            None => false,
        }),
        Value::Inst(inst) if inst.class.lookup("__contains__").is_some() => {
            let m = inst.class.lookup("__contains__").unwrap_or(Value::None);
            let r = i.call(&m, vec![c.clone(), x.clone()], vec![])?;
            truthy(i, &r)
        }
        _ => {
            let it = iter(i, c)?;
            while let Some(v) = next(i, &it)? {
                if eq(i, &v, x)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
    }
}

/// The hash key of a value, `TypeError` if unhashable.
pub fn hash(i: &Interp, v: &Value) -> Res<HKey> {
    if let Value::Inst(inst) = v {
        if let Some(m) = inst.class.lookup("__hash__") {
            if let Value::Int(h) = i.call(&m, vec![v.clone()], vec![])? {
                return Ok(HKey::Int(h));
            }
        }
    }
    hkey(v).map_or_else(
        || i.type_err(format!("unhashable type: '{}'", type_name(i, v))),
        Ok,
    )
}

/// `d[k] = v` on a dict table.
pub fn dict_set(i: &Interp, d: &mut Dict, k: Value, v: Value) -> Res<()> {
    let h = hash(i, &k)?;
    d.insert(h, k, v);
    check_len(i, d.len())
}

/// `d.update(m)`.
pub fn dict_update(i: &Interp, d: &mut Dict, m: &Value) -> Res<()> {
    match m {
        Value::Dict(o) => {
            let o = o.rd().clone();
            for (k, v) in o.iter() {
                dict_set(i, d, k.clone(), v.clone())?;
            }
        }
        _ => {
            for kv in collect(i, m)? {
                let kv = collect(i, &kv)?;
                if kv.len() != 2 {
                    return i.err(
                        "ValueError",
                        "dictionary update sequence element has wrong length",
                    );
                }
                dict_set(i, d, kv[0].clone(), kv[1].clone())?;
            }
        }
    }
    Ok(())
}

/// A set from items.
pub fn make_set(i: &Interp, items: Vec<Value>) -> Res<Value> {
    let mut d = Dict::default();
    for x in items {
        dict_set(i, &mut d, x, Value::None)?;
    }
    Ok(Value::Set(Rc::new(RefCell::new(d))))
}

/// `len(v)`.
pub fn len(i: &Interp, v: &Value) -> Res<usize> {
    Ok(match v {
        Value::Str(s) => s.chars().count(),
        Value::Bytes(b) => b.len(),
        Value::List(l) => l.rd().len(),
        Value::Tuple(t) => t.len(),
        Value::Dict(d) | Value::Set(d) => d.rd().len(),
        Value::Range(a, b, s) => range_len(*a, *b, *s) as usize,
        Value::Inst(inst) if inst.class.lookup("__len__").is_some() => {
            let m = inst.class.lookup("__len__").unwrap_or(Value::None);
            match i.call(&m, vec![v.clone()], vec![])? {
                Value::Int(n) => n as usize,
                _ => return i.type_err("'__len__' should return an integer"),
            }
        }
        _ => return i.type_err(format!("object of type '{}' has no len()", type_name(i, v))),
    })
}

fn norm_index(i: &Interp, idx: &Value, n: usize, what: &str) -> Res<usize> {
    let k = match idx {
        Value::Int(k) => *k,
        Value::Bool(b) => *b as i64,
        Value::Inst(_) => match i.call_method(idx, "__index__", vec![]) {
            Ok(Value::Int(k)) => k,
            _ => {
                return i.type_err(format!(
                    "{what} indices must be integers or slices, not {}",
                    type_name(i, idx)
                ))
            }
        },
        _ => {
            return i.type_err(format!(
                "{what} indices must be integers or slices, not {}",
                type_name(i, idx)
            ))
        }
    };
    let k2 = if k < 0 { k + n as i64 } else { k };
    if k2 < 0 || k2 >= n as i64 {
        return i.err("IndexError", format!("{what} index out of range"));
    }
    Ok(k2 as usize)
}

/// Resolves slice bounds to (start, stop, step) over a length.
pub fn slice_indices(i: &Interp, s: &(Value, Value, Value), n: usize) -> Res<(i64, i64, i64)> {
    let step = match &s.2 {
        Value::None => 1,
        v => int(v).map_or_else(|| i.type_err("slice indices must be integers or None"), Ok)?,
    };
    if step == 0 {
        return i.err("ValueError", "slice step cannot be zero");
    }
    let n = n as i64;
    let get = |v: &Value, def: i64| -> Res<i64> {
        match v {
            Value::None => Ok(def),
            v => {
                let k = int(v)
                    .map_or_else(|| i.type_err("slice indices must be integers or None"), Ok)?;
                let k = if k < 0 { k + n } else { k };
                Ok(if step > 0 {
                    k.clamp(0, n)
                } else {
                    k.clamp(-1, n - 1)
                })
            }
        }
    };
    let (a, b) = if step > 0 {
        (get(&s.0, 0)?, get(&s.1, n)?)
    } else {
        (get(&s.0, n - 1)?, get(&s.1, -1)?)
    };
    Ok((a, b, step))
}

fn slice_pick<T: Clone>(v: &[T], a: i64, b: i64, s: i64) -> Vec<T> {
    let mut out = vec![];
    let mut k = a;
    while (s > 0 && k < b) || (s < 0 && k > b) {
        if k >= 0 && (k as usize) < v.len() {
            out.push(v[k as usize].clone());
        }
        k += s;
    }
    out
}

/// `o[idx]`.
pub fn getitem(i: &Interp, o: &Value, idx: &Value) -> Res<Value> {
    match (o, idx) {
        (Value::List(l), Value::Slice(s)) => {
            let l = l.rd();
            let (a, b, st) = slice_indices(i, s, l.len())?;
            Ok(Value::list(slice_pick(&l, a, b, st)))
        }
        (Value::Tuple(t), Value::Slice(s)) => {
            let (a, b, st) = slice_indices(i, s, t.len())?;
            Ok(Value::tuple(slice_pick(t, a, b, st)))
        }
        (Value::Str(t), Value::Slice(s)) => {
            let chars: Vec<char> = t.chars().collect();
            let (a, b, st) = slice_indices(i, s, chars.len())?;
            Ok(Value::Str(
                slice_pick(&chars, a, b, st)
                    .into_iter()
                    .collect::<String>()
                    .into(),
            ))
        }
        (Value::Bytes(t), Value::Slice(s)) => {
            let (a, b, st) = slice_indices(i, s, t.len())?;
            Ok(Value::Bytes(slice_pick(t, a, b, st).into()))
        }
        (Value::List(l), _) => {
            let l = l.rd();
            let k = norm_index(i, idx, l.len(), "list")?;
            Ok(l[k].clone())
        }
        (Value::Tuple(t), _) => {
            let k = norm_index(i, idx, t.len(), "tuple")?;
            Ok(t[k].clone())
        }
        (Value::Str(s), _) => {
            if s.is_ascii() {
                let k = norm_index(i, idx, s.len(), "string")?;
                return Ok(Value::Str(s[k..k + 1].into()));
            }
            let chars: Vec<char> = s.chars().collect();
            let k = norm_index(i, idx, chars.len(), "string")?;
            Ok(Value::Str(chars[k].to_string().into()))
        }
        (Value::Bytes(b), _) => {
            let k = norm_index(i, idx, b.len(), "index")?;
            Ok(Value::Int(b[k] as i64))
        }
        (Value::Range(a, _, s), _) => {
            let n = len(i, o)?;
            let k = norm_index(i, idx, n, "range object")?;
            Ok(Value::Int(a + s * k as i64))
        }
        (Value::Dict(d), _) => {
            let h = hash(i, idx)?;
            match d.rd().get(&h) {
                Some(v) => Ok(v.clone()),
                None => Err(raise(crate::interp::new_exception(
                    &i.ty("KeyError"),
                    vec![idx.clone()],
                ))),
            }
        }
        (Value::Inst(inst), _) if inst.class.lookup("__getitem__").is_some() => {
            let m = inst.class.lookup("__getitem__").unwrap_or(Value::None);
            i.call(&m, vec![o.clone(), idx.clone()], vec![])
        }
        (Value::Class(_), _) => Ok(o.clone()),
        _ => i.type_err(format!("'{}' object is not subscriptable", type_name(i, o))),
    }
}

/// `o[idx] = v`.
pub fn setitem(i: &Interp, o: &Value, idx: Value, v: Value) -> Res<()> {
    match o {
        Value::List(l) => {
            if let Value::Slice(s) = &idx {
                let items = collect(i, &v)?;
                let mut l = l.wr();
                let (a, b, st) = slice_indices(i, s, l.len())?;
                if st != 1 {
                    return i.err("ValueError", "extended slice assignment is not supported");
                }
                let b = b.max(a);
                l.splice(a as usize..b as usize, items);
                return Ok(());
            }
            let mut l = l.wr();
            let k = norm_index(i, &idx, l.len(), "list assignment")?;
            l[k] = v;
            Ok(())
        }
        Value::Dict(d) => {
            let h = hash(i, &idx)?;
            d.wr().insert(h, idx, v);
            check_len(i, d.rd().len())
        }
        Value::Inst(inst) if inst.class.lookup("__setitem__").is_some() => {
            let m = inst.class.lookup("__setitem__").unwrap_or(Value::None);
            i.call(&m, vec![o.clone(), idx, v], vec![])?;
            Ok(())
        }
        _ => i.type_err(format!(
            "'{}' object does not support item assignment",
            type_name(i, o)
        )),
    }
}

/// `del o[idx]`.
pub fn delitem(i: &Interp, o: &Value, idx: &Value) -> Res<()> {
    match o {
        Value::List(l) => {
            if let Value::Slice(s) = idx {
                let mut l = l.wr();
                let (a, b, st) = slice_indices(i, s, l.len())?;
                if st == 1 && b > a {
                    l.drain(a as usize..b as usize);
                }
                return Ok(());
            }
            let mut l = l.wr();
            let k = norm_index(i, idx, l.len(), "list assignment")?;
            l.remove(k);
            Ok(())
        }
        Value::Dict(d) => {
            let h = hash(i, idx)?;
            if d.wr().remove(&h).is_none() {
                return Err(raise(crate::interp::new_exception(
                    &i.ty("KeyError"),
                    vec![idx.clone()],
                )));
            }
            Ok(())
        }
        _ => i.type_err(format!(
            "'{}' object doesn't support item deletion",
            type_name(i, o)
        )),
    }
}

/// An iterator over a value.
pub fn iter(i: &Interp, v: &Value) -> Res<Value> {
    let st = match v {
        Value::List(_) | Value::Tuple(_) => Iter::Seq(v.clone(), 0),
        Value::Range(a, b, s) => Iter::Range(*a, *b, *s),
        Value::Str(s) => Iter::Chars(s.clone(), 0),
        Value::Bytes(b) => Iter::Vals(b.iter().map(|x| Value::Int(*x as i64)).collect(), 0),
        Value::Dict(d) => Iter::Vals(d.rd().keys(), 0),
        Value::Set(d) => Iter::Vals(d.rd().set_order(), 0),
        Value::Iter(_) | Value::Gen(_) => return Ok(v.clone()),
        Value::Inst(inst) => {
            if let Some(m) = inst.class.lookup("__iter__") {
                return i.call(&m, vec![v.clone()], vec![]);
            }
            if inst.class.lookup("__getitem__").is_some() {
                let v = v.clone();
                let mut k = 0;
                Iter::Fn(Box::new(move |i| match getitem(i, &v, &Value::Int(k)) {
                    Ok(x) => {
                        k += 1;
                        Ok(Some(x))
                    }
                    Err(e) if i.is_exc(&e.val, "IndexError") => Ok(None),
                    Err(e) => Err(e),
                }))
            } else {
                return i.type_err(format!("'{}' object is not iterable", type_name(i, v)));
            }
        }
        Value::Object(o) => match o.getattr(v, "__iter__") {
            Some(m) => return i.call(&m, vec![], vec![]),
            None => return i.type_err(format!("'{}' object is not iterable", type_name(i, v))),
        },
        _ => return i.type_err(format!("'{}' object is not iterable", type_name(i, v))),
    };
    Ok(Value::Iter(Rc::new(RefCell::new(st))))
}

/// The next item of an iterator, `None` when exhausted.
pub fn next(i: &Interp, it: &Value) -> Res<Option<Value>> {
    match it {
        Value::Iter(st) => {
            let mut st = st.wr();
            match &mut *st {
                Iter::Seq(seq, k) => {
                    let item = match seq {
                        Value::List(l) => l.rd().get(*k).cloned(),
                        Value::Tuple(t) => t.get(*k).cloned(),
                        _ => None,
                    };
                    *k += 1;
                    Ok(item)
                }
                Iter::Range(a, b, s) => {
                    if (*s > 0 && *a < *b) || (*s < 0 && *a > *b) {
                        let v = *a;
                        *a += *s;
                        Ok(Some(Value::Int(v)))
                    } else {
                        Ok(None)
                    }
                }
                Iter::Chars(s, k) => match s[*k..].chars().next() {
                    Some(c) => {
                        *k += c.len_utf8();
                        Ok(Some(Value::Str(c.to_string().into())))
                    }
                    None => Ok(None),
                },
                Iter::Vals(v, k) => {
                    let x = v.get(*k).cloned();
                    *k += 1;
                    Ok(x)
                }
                Iter::Fn(f) => {
                    let mut f = std::mem::replace(f, Box::new(|_| Ok(None)));
                    drop(st);
                    let r = f(i);
                    if let Value::Iter(st) = it {
                        if let Iter::Fn(slot) = &mut *st.wr() {
                            *slot = f;
                        }
                    }
                    r
                }
            }
        }
        Value::Gen(g) => {
            if g.is_async {
                return i.type_err("'async_generator' object is not an iterator");
            }
            crate::coro::resume(i, g, Value::None)
        }
        Value::Inst(_) | Value::Object(_) => {
            let m = getattr(i, it, "__next__")?;
            match i.call(&m, vec![], vec![]) {
                Ok(v) => Ok(Some(v)),
                Err(e) if !e.fatal && i.is_exc(&e.val, "StopIteration") => Ok(None),
                Err(e) => Err(e),
            }
        }
        _ => i.type_err(format!("'{}' object is not an iterator", type_name(i, it))),
    }
}

/// All items of an iterable.
pub fn collect(i: &Interp, v: &Value) -> Res<Vec<Value>> {
    match v {
        Value::List(l) => Ok(l.rd().clone()),
        Value::Tuple(t) => Ok((**t).clone()),
        _ => {
            let it = iter(i, v)?;
            let mut out = vec![];
            while let Some(x) = next(i, &it)? {
                out.push(x);
                if out.len() > i.limits.max_container {
                    return i.err("MemoryError", "");
                }
            }
            Ok(out)
        }
    }
}

/// `o.name`.
pub fn getattr(i: &Interp, o: &Value, name: &str) -> Res<Value> {
    match o {
        Value::Inst(inst) => {
            if let Some(v) = inst.dict.rd().get(name) {
                return Ok(v.clone());
            }
            if let Some(v) = inst.class.lookup(name) {
                return bind(i, v, o, &inst.class);
            }
            if name == "__class__" {
                return Ok(Value::Class(inst.class.clone()));
            }
            if name == "__dict__" {
                let mut d = Dict::default();
                for (k, v) in inst.dict.rd().iter() {
                    d.insert(HKey::Str(k.clone()), Value::Str(k.clone()), v.clone());
                }
                return Ok(Value::Dict(Rc::new(RefCell::new(d))));
            }
            if let Some(v) = crate::builtins::exception_attr(i, inst, name) {
                return Ok(v);
            }
            if let Some(ga) = inst.class.lookup("__getattr__") {
                return i.call(&ga, vec![o.clone(), Value::str(name)], vec![]);
            }
            i.err(
                "AttributeError",
                format!("'{}' object has no attribute '{name}'", inst.class.name),
            )
        }
        Value::Class(c) => {
            if let Some(v) = c.lookup(name) {
                return Ok(match v {
                    Value::ClassMethod(f) => Value::Bound(Rc::new((o.clone(), (*f).clone()))),
                    Value::StaticMethod(f) => (*f).clone(),
                    v => v,
                });
            }
            match name {
                "__name__" | "__qualname__" => Ok(Value::Str(c.name.clone())),
                "__mro__" => Ok(Value::tuple(
                    c.mro.rd().iter().map(|k| Value::Class(k.clone())).collect(),
                )),
                "__bases__" => Ok(Value::tuple(
                    c.bases.iter().map(|k| Value::Class(k.clone())).collect(),
                )),
                _ => i.err(
                    "AttributeError",
                    format!("type object '{}' has no attribute '{name}'", c.name),
                ),
            }
        }
        Value::Super(s) => {
            let (c, me) = (&s.0, &s.1);
            let mro = c.mro.rd().clone();
            for k in mro.iter().skip(1) {
                if let Some(v) = k.dict.rd().get(name) {
                    return bind(i, v.clone(), me, k);
                }
                if let Some(ctor) = &k.ctor {
                    if name == "__init__" {
                        let _ = ctor;
                        return Ok(Value::native("__init__", |_, _, _| Ok(Value::None)));
                    }
                }
            }
            if name == "__init__" {
                return Ok(Value::native("__init__", |_, _, _| Ok(Value::None)));
            }
            i.err(
                "AttributeError",
                format!("'super' object has no attribute '{name}'"),
            )
        }
        Value::Module(m) => match m.scope.get(name) {
            Some(v) => Ok(v),
            None => i.err(
                "AttributeError",
                format!("module '{}' has no attribute '{name}'", m.name),
            ),
        },
        Value::Object(obj) => match obj.getattr(o, name) {
            Some(v) => Ok(v),
            None => i.err(
                "AttributeError",
                format!("'{}' object has no attribute '{name}'", obj.type_name()),
            ),
        },
        Value::Func(f) => match name {
            "__name__" => Ok(Value::Str(f.name.rd().clone())),
            "__qualname__" => Ok(Value::Str(f.qualname.clone())),
            _ => match f.dict.rd().get(name) {
                Some(v) => Ok(v.clone()),
                None => i.err(
                    "AttributeError",
                    format!("'function' object has no attribute '{name}'"),
                ),
            },
        },
        Value::Native(n) if name == "__name__" => Ok(Value::Str(n.name.clone())),
        Value::Property(p) => {
            let p = p.clone();
            match name {
                "setter" => Ok(Value::native("setter", move |_, a, _| {
                    Ok(Value::Property(Rc::new((
                        p.0.clone(),
                        a.into_iter().next().unwrap_or(Value::None),
                    ))))
                })),
                _ => i.err(
                    "AttributeError",
                    format!("'property' object has no attribute '{name}'"),
                ),
            }
        }
        _ => match crate::methods::method(i, o, name) {
            Some(v) => Ok(v),
            None => i.err(
                "AttributeError",
                format!("'{}' object has no attribute '{name}'", type_name(i, o)),
            ),
        },
    }
}

fn bind(i: &Interp, v: Value, me: &Value, cls: &Rc<Class>) -> Res<Value> {
    Ok(match v {
        Value::Func(_) | Value::Native(_) => Value::Bound(Rc::new((me.clone(), v))),
        Value::Property(p) => return i.call(&p.0, vec![me.clone()], vec![]),
        Value::StaticMethod(f) => (*f).clone(),
        Value::ClassMethod(f) => Value::Bound(Rc::new((Value::Class(cls.clone()), (*f).clone()))),
        v => v,
    })
}

/// `o.name = v`.
pub fn setattr(i: &Interp, o: &Value, name: &str, v: Value) -> Res<()> {
    match o {
        Value::Inst(inst) => {
            if let Some(Value::Property(p)) = inst.class.lookup(name) {
                if matches!(p.1, Value::None) {
                    return i.err(
                        "AttributeError",
                        format!(
                            "property '{name}' of '{}' object has no setter",
                            inst.class.name
                        ),
                    );
                }
                i.call(&p.1, vec![o.clone(), v], vec![])?;
                return Ok(());
            }
            inst.dict.wr().insert(name.into(), v);
            Ok(())
        }
        Value::Class(c) => {
            c.dict.wr().insert(name.into(), v);
            Ok(())
        }
        Value::Func(f) => {
            if name == "__name__" {
                if let Value::Str(s) = &v {
                    *f.name.wr() = s.clone();
                }
            }
            f.dict.wr().insert(name.into(), v);
            Ok(())
        }
        Value::Module(m) => {
            m.scope.set(name.into(), v);
            Ok(())
        }
        _ => i.err(
            "AttributeError",
            format!("'{}' object has no attribute '{name}'", type_name(i, o)),
        ),
    }
}

/// `del o.name`.
pub fn delattr(i: &Interp, o: &Value, name: &str) -> Res<()> {
    if let Value::Inst(inst) = o {
        if inst.dict.wr().remove(name).is_some() {
            return Ok(());
        }
    }
    i.err("AttributeError", name)
}
