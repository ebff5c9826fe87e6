//! Text forms of values: `repr()`, `str()`, format specs (`format()`/f-strings), `%` formatting,
//! and the last line of a traceback.

use crate::cell::Borrows as _;
use crate::floatfmt;
use crate::interp::*;
use crate::ops;
use crate::value::*;

/// Python's `repr(float)`: shortest round-trip digits, exponent outside 1e-4..1e16.
pub fn float_repr(f: f64) -> String {
    crate::floatfmt::repr(f)
}

fn str_repr(s: &str) -> String {
    let q = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(q);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(q);
    out
}

/// `repr(bytes)`.
pub fn bytes_repr(b: &[u8]) -> String {
    let q = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = format!("b{q}");
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if c as char == q => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => out.push_str(&format!("\\x{c:02x}")),
        }
    }
    out.push(q);
    out
}

/// A repr that needs no interpreter (for debugging output).
pub fn repr_plain(v: &Value) -> String {
    match v {
        Value::None => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => float_repr(*f),
        Value::Str(s) => str_repr(s),
        _ => "<object>".into(),
    }
}

/// `repr(v)`.
pub fn repr(i: &Interp, v: &Value) -> Res<String> {
    Ok(match v {
        Value::None => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Int(n) => n.to_string(),
        Value::Big(b) => b.to_string(),
        Value::Float(f) => float_repr(*f),
        Value::Str(s) => str_repr(s),
        Value::Bytes(b) => bytes_repr(b),
        Value::Ellipsis => "Ellipsis".into(),
        Value::List(l) => {
            let items = l.rd().clone();
            format!("[{}]", join_repr(i, &items)?)
        }
        Value::Tuple(t) => {
            if t.len() == 1 {
                format!("({},)", repr(i, &t[0])?)
            } else {
                format!("({})", join_repr(i, t)?)
            }
        }
        Value::Dict(d) => {
            let d = d.rd().clone();
            let mut parts = vec![];
            for (k, v) in d.iter() {
                parts.push(format!("{}: {}", repr(i, k)?, repr(i, v)?));
            }
            format!("{{{}}}", parts.join(", "))
        }
        Value::Set(d) => {
            let d = d.rd();
            if d.is_empty() {
                "set()".into()
            } else {
                format!("{{{}}}", join_repr(i, &d.set_order())?)
            }
        }
        Value::Range(a, b, s) => {
            if *s == 1 {
                format!("range({a}, {b})")
            } else {
                format!("range({a}, {b}, {s})")
            }
        }
        Value::Func(f) => format!("<function {} at 0x{:x}>", f.qualname, v.id()),
        Value::Native(n) => format!("<built-in function {}>", n.name),
        Value::Bound(b) => format!("<bound method {}>", repr(i, &b.1)?),
        Value::Class(c) => {
            if c.module.as_ref() == "builtins" && c.dict.rd().get("__module__").is_none() {
                format!("<class '{}'>", c.name)
            } else {
                format!("<class '__main__.{}'>", c.name)
            }
        }
        Value::Inst(inst) => {
            if let Some(m) = inst.class.lookup("__repr__") {
                return match i.call(&m, vec![v.clone()], vec![])? {
                    Value::Str(s) => Ok(s.to_string()),
                    _ => i.type_err("__repr__ returned non-string"),
                };
            }
            if inst.class.is_sub(&i.ty("BaseException")) {
                let args = exc_args(inst);
                let inner = if args.len() == 1 {
                    repr(i, &args[0])?
                } else {
                    join_repr(i, &args)?
                };
                return Ok(format!("{}({inner})", inst.class.name));
            }
            format!("<__main__.{} object at 0x{:x}>", inst.class.name, v.id())
        }
        Value::Module(m) => format!("<module '{}'>", m.name),
        Value::Coro(c) => format!("<coroutine object {} at 0x{:x}>", c.name, v.id()),
        Value::Gen(g) => format!("<generator object {} at 0x{:x}>", g.name, v.id()),
        Value::Task(t) => crate::asyncio::task_repr(i, t)?,
        Value::Object(o) => o.repr(),
        Value::Slice(s) => format!(
            "slice({}, {}, {})",
            repr(i, &s.0)?,
            repr(i, &s.1)?,
            repr(i, &s.2)?
        ),
        _ => format!("<{} object at 0x{:x}>", ops::type_name(i, v), v.id()),
    })
}

fn exc_args(inst: &Instance) -> Vec<Value> {
    match inst.dict.rd().get("args") {
        Some(Value::Tuple(t)) => (**t).clone(),
        _ => vec![],
    }
}

fn join_repr(i: &Interp, items: &[Value]) -> Res<String> {
    let mut parts = Vec::with_capacity(items.len());
    for x in items {
        parts.push(repr(i, x)?);
    }
    Ok(parts.join(", "))
}

/// `str(v)`.
pub fn to_str(i: &Interp, v: &Value) -> Res<String> {
    Ok(match v {
        Value::Str(s) => s.to_string(),
        Value::Inst(inst) => {
            if let Some(m) = inst.class.lookup("__str__") {
                return match i.call(&m, vec![v.clone()], vec![])? {
                    Value::Str(s) => Ok(s.to_string()),
                    _ => i.type_err("__str__ returned non-string"),
                };
            }
            if inst.class.is_sub(&i.ty("BaseException")) {
                let args = exc_args(inst);
                if inst.class.is_sub(&i.ty("BaseExceptionGroup")) && args.len() == 2 {
                    let n = ops::len(i, &args[1]).unwrap_or(0);
                    return Ok(format!(
                        "{} ({n} sub-exception{})",
                        to_str(i, &args[0])?,
                        if n == 1 { "" } else { "s" }
                    ));
                }
                if inst.class.is_sub(&i.ty("KeyError")) && args.len() == 1 {
                    return repr(i, &args[0]);
                }
                return match args.len() {
                    0 => Ok(String::new()),
                    1 => to_str(i, &args[0]),
                    _ => Ok(format!("({})", join_repr(i, &args)?)),
                };
            }
            return repr(i, v);
        }
        _ => return repr(i, v),
    })
}

/// The last traceback line: `Class: message`.
pub fn exc_line(i: &Interp, e: &Value) -> String {
    let name = match e {
        Value::Inst(inst) => {
            let n = &*inst.class.name;
            let builtin = matches!(i.builtins.get(n), Some(Value::Class(c)) if std::rc::Rc::ptr_eq(&c, &inst.class));
            match n {
                "QueueEmpty" | "QueueFull" | "QueueShutDown" if builtin => {
                    format!("asyncio.queues.{n}")
                }
                _ if builtin && crate::builtins::ASYNCIO_ONLY.contains(&n) => {
                    format!("asyncio.exceptions.{n}")
                }
                _ => n.to_string(),
            }
        }
        _ => "Exception".into(),
    };
    let msg = to_str(i, e).unwrap_or_default();
    if msg.is_empty() {
        name
    } else {
        format!("{name}: {msg}")
    }
}

struct Spec {
    fill: char,
    align: Option<char>,
    sign: char,
    alt: bool,
    zero: bool,
    width: usize,
    grouping: Option<char>,
    prec: Option<usize>,
    ty: Option<char>,
}

fn parse_spec(s: &str) -> Option<Spec> {
    let c: Vec<char> = s.chars().collect();
    let mut k = 0;
    let mut sp = Spec {
        fill: ' ',
        align: None,
        sign: '-',
        alt: false,
        zero: false,
        width: 0,
        grouping: None,
        prec: None,
        ty: None,
    };
    if c.len() >= 2 && matches!(c[1], '<' | '>' | '^' | '=') {
        sp.fill = c[0];
        sp.align = Some(c[1]);
        k = 2;
    } else if !c.is_empty() && matches!(c[0], '<' | '>' | '^' | '=') {
        sp.align = Some(c[0]);
        k = 1;
    }
    if k < c.len() && matches!(c[k], '+' | '-' | ' ') {
        sp.sign = c[k];
        k += 1;
    }
    if k < c.len() && c[k] == '#' {
        sp.alt = true;
        k += 1;
    }
    if k < c.len() && c[k] == '0' {
        sp.zero = true;
        k += 1;
    }
    let st = k;
    while k < c.len() && c[k].is_ascii_digit() {
        k += 1;
    }
    if k > st {
        sp.width = c[st..k].iter().collect::<String>().parse().ok()?;
    }
    if k < c.len() && (c[k] == ',' || c[k] == '_') {
        sp.grouping = Some(c[k]);
        k += 1;
    }
    if k < c.len() && c[k] == '.' {
        k += 1;
        let st = k;
        while k < c.len() && c[k].is_ascii_digit() {
            k += 1;
        }
        sp.prec = Some(c[st..k].iter().collect::<String>().parse().ok()?);
    }
    if k < c.len() {
        sp.ty = Some(c[k]);
        k += 1;
    }
    if k != c.len() {
        return None;
    }
    Some(sp)
}

fn group(digits: &str, sep: char) -> String {
    group_by(digits, sep, 3)
}

/// Puts `sep` between groups of `every` digits of the integer part.
fn group_by(digits: &str, sep: char, every: usize) -> String {
    let (int, frac) = match digits.find('.') {
        Some(p) => (&digits[..p], &digits[p..]),
        None => (digits, ""),
    };
    let mut out = String::new();
    for (n, ch) in int.chars().enumerate() {
        if n > 0 && (int.len() - n) % every == 0 {
            out.push(sep);
        }
        out.push(ch);
    }
    out + frac
}

fn pad(sp: &Spec, body: String, sign: &str, numeric: bool) -> String {
    let len = body.chars().count() + sign.chars().count();
    if len >= sp.width {
        return format!("{sign}{body}");
    }
    let n = sp.width - len;
    let (fill, align) = if sp.zero && sp.align.is_none() && numeric {
        ('0', '=')
    } else {
        (sp.fill, sp.align.unwrap_or(if numeric { '>' } else { '<' }))
    };
    let f = |k: usize| std::iter::repeat_n(fill, k).collect::<String>();
    match align {
        '<' => format!("{sign}{body}{}", f(n)),
        '^' => format!("{}{sign}{body}{}", f(n / 2), f(n - n / 2)),
        '=' => format!("{sign}{}{body}", f(n)),
        _ => format!("{}{sign}{body}", f(n)),
    }
}

/// `format(v, spec)`.
pub fn format_value(i: &Interp, v: &Value, spec: &str) -> Res<String> {
    if let Value::Inst(inst) = v {
        if let Some(m) = inst.class.lookup("__format__") {
            return match i.call(&m, vec![v.clone(), Value::str(spec)], vec![])? {
                Value::Str(s) => Ok(s.to_string()),
                _ => i.type_err("__format__ must return a str"),
            };
        }
    }
    if spec.is_empty() {
        return to_str(i, v);
    }
    let Some(sp) = parse_spec(spec) else {
        return i.err(
            "ValueError",
            format!(
                "Invalid format specifier '{spec}' for object of type '{}'",
                ops::type_name(i, v)
            ),
        );
    };
    let sign_of = |neg: bool| -> &'static str {
        if neg {
            "-"
        } else {
            match sp.sign {
                '+' => "+",
                ' ' => " ",
                _ => "",
            }
        }
    };
    if let Value::Big(b) = v {
        if matches!(sp.ty, None | Some('d') | Some('n')) {
            let s = b.to_string();
            let digits = s.trim_start_matches('-').to_string();
            let body = match sp.grouping {
                Some(g) => group(&digits, g),
                None => digits,
            };
            return Ok(pad(&sp, body, sign_of(b.neg), true));
        }
        if let Some(t @ ('x' | 'X' | 'o' | 'b')) = sp.ty {
            let (shift, prefix) = match t {
                'x' => (4, "0x"),
                'X' => (4, "0X"),
                'o' => (3, "0o"),
                _ => (1, "0b"),
            };
            let mut body = b.magnitude_digits(shift);
            if t == 'X' {
                body.make_ascii_uppercase();
            }
            if let Some(g) = sp.grouping {
                body = group_by(&body, g, 4);
            }
            if sp.alt {
                body.insert_str(0, prefix);
            }
            return Ok(pad(&sp, body, sign_of(b.neg), true));
        }
        return format_value(i, &Value::Float(b.to_f64()), spec);
    }
    match v {
        Value::Int(_) | Value::Bool(_)
            if !matches!(sp.ty, Some('f' | 'F' | 'e' | 'E' | 'g' | 'G' | '%')) =>
        {
            let n = match v {
                Value::Int(n) => *n,
                Value::Bool(b) => *b as i64,
                _ => 0,
            };
            if sp.ty.is_none() && matches!(v, Value::Bool(_)) && sp.prec.is_none() {
                return Ok(pad(&sp, to_str(i, v)?, "", false));
            }
            let a = n.unsigned_abs();
            let (body, prefix) = match sp.ty {
                None | Some('d') | Some('n') => (a.to_string(), ""),
                Some('x') => (format!("{a:x}"), "0x"),
                Some('X') => (format!("{a:X}"), "0X"),
                Some('o') => (format!("{a:o}"), "0o"),
                Some('b') => (format!("{a:b}"), "0b"),
                Some('c') => (
                    char::from_u32(a as u32)
                        .map(String::from)
                        .unwrap_or_default(),
                    "",
                ),
                Some(t) => {
                    return i.err(
                        "ValueError",
                        format!("Unknown format code '{t}' for object of type 'int'"),
                    )
                }
            };
            let every = if prefix.is_empty() { 3 } else { 4 };
            let mut body = match sp.grouping {
                Some(g) => group_by(&body, g, every),
                None => body,
            };
            if sp.alt {
                body.insert_str(0, prefix);
            }
            Ok(pad(&sp, body, sign_of(n < 0), true))
        }
        Value::Int(_) | Value::Bool(_) | Value::Float(_) => {
            let x = match v {
                Value::Int(n) => *n as f64,
                Value::Bool(b) => *b as i64 as f64,
                Value::Float(f) => *f,
                _ => 0.0,
            };
            let a = x.abs();
            let body = match sp.ty {
                _ if !a.is_finite() => {
                    let s = if a.is_nan() { "nan" } else { "inf" };
                    if matches!(sp.ty, Some('F' | 'E' | 'G')) {
                        s.to_ascii_uppercase()
                    } else {
                        s.to_string()
                    }
                }
                Some('f') | Some('F') => floatfmt::fixed(a, sp.prec.unwrap_or(6)),
                Some('%') if !(a * 100.0).is_finite() => "inf%".to_string(),
                Some('%') => floatfmt::fixed(a * 100.0, sp.prec.unwrap_or(6)) + "%",
                Some('e') | Some('E') => {
                    let (m, e) = floatfmt::sci(a, sp.prec.unwrap_or(6));
                    let r = m + &floatfmt::exp_suffix(e);
                    if sp.ty == Some('E') {
                        r.to_ascii_uppercase()
                    } else {
                        r
                    }
                }
                Some('g') | Some('G') | None => {
                    if sp.ty.is_none() && sp.prec.is_none() {
                        float_repr(a)
                    } else {
                        // The exponent of the value rounded to p significant digits decides.
                        let p = sp.prec.unwrap_or(6).max(1);
                        let (m, exp) = floatfmt::sci(a, p - 1);
                        let s = if exp < -4 || exp >= p as i32 {
                            let m = if !sp.alt {
                                m.trim_end_matches('0').trim_end_matches('.').to_string()
                            } else if !m.contains('.') {
                                m + "."
                            } else {
                                m
                            };
                            format!("{m}{}", floatfmt::exp_suffix(exp))
                        } else {
                            let s = floatfmt::fixed(a, (p as i32 - 1 - exp).max(0) as usize);
                            if !sp.alt {
                                if s.contains('.') {
                                    s.trim_end_matches('0').trim_end_matches('.').to_string()
                                } else {
                                    s
                                }
                            } else if !s.contains('.') {
                                s + "."
                            } else {
                                s
                            }
                        };
                        if sp.ty == Some('G') {
                            s.to_ascii_uppercase()
                        } else {
                            s
                        }
                    }
                }
                Some(t) => {
                    return i.err(
                        "ValueError",
                        format!("Unknown format code '{t}' for object of type 'float'"),
                    )
                }
            };
            let mut body = match sp.grouping {
                Some(g) => group(&body, g),
                None => body,
            };
            // `#` keeps the point even with no digits after it: `1.`, `1.e+02`, `100.%`.
            if sp.alt
                && body.starts_with(|c: char| c.is_ascii_digit())
                && !body.contains('.')
                && matches!(sp.ty, Some('f' | 'F' | 'e' | 'E' | '%'))
            {
                let at = body.find(['e', 'E', '%']).unwrap_or(body.len());
                body.insert(at, '.');
            }
            Ok(pad(
                &sp,
                body,
                sign_of(x.is_sign_negative() && x != 0.0 || (x == 0.0 && x.is_sign_negative())),
                true,
            ))
        }
        Value::Str(s) => {
            if !matches!(sp.ty, None | Some('s')) {
                return i.err(
                    "ValueError",
                    format!(
                        "Unknown format code '{}' for object of type 'str'",
                        sp.ty.unwrap_or(' ')
                    ),
                );
            }
            let body: String = match sp.prec {
                Some(p) => s.chars().take(p).collect(),
                None => s.to_string(),
            };
            Ok(pad(&sp, body, "", false))
        }
        _ => {
            let s = to_str(i, v)?;
            Ok(pad(&sp, s, "", false))
        }
    }
}

/// `fmt % args`.
pub fn percent(i: &Interp, fmt: &str, args: &Value) -> Res<Value> {
    let args: Vec<Value> = match args {
        Value::Tuple(t) => (**t).clone(),
        v => vec![v.clone()],
    };
    let mut out = String::new();
    let mut it = args.into_iter();
    let c: Vec<char> = fmt.chars().collect();
    let mut k = 0;
    while k < c.len() {
        if c[k] != '%' {
            out.push(c[k]);
            k += 1;
            continue;
        }
        k += 1;
        if k < c.len() && c[k] == '%' {
            out.push('%');
            k += 1;
            continue;
        }
        let st = k;
        while k < c.len() && !c[k].is_ascii_alphabetic() {
            k += 1;
        }
        let flags: String = c[st..k].iter().collect();
        let ty = c.get(k).copied().unwrap_or('s');
        k += 1;
        let v = it
            .next()
            .map_or_else(|| i.type_err("not enough arguments for format string"), Ok)?;
        let s = match ty {
            's' => {
                let s = to_str(i, &v)?;
                format_value(i, &Value::Str(s.into()), &flags.replace('-', "<"))?
            }
            'r' => repr(i, &v)?,
            'd' | 'i' => {
                let n = match v {
                    Value::Float(f) => Value::Int(f as i64),
                    v => v,
                };
                format_value(i, &n, &format!("{}d", flags.replace('-', "<")))?
            }
            'f' | 'e' | 'g' | 'x' | 'X' | 'o' => {
                format_value(i, &v, &format!("{}{ty}", flags.replace('-', "<")))?
            }
            _ => return i.err("ValueError", format!("unsupported format character '{ty}'")),
        };
        out.push_str(&s);
    }
    Ok(Value::Str(out.into()))
}
