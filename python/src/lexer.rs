//! The tokenizer: Python source text to a flat token list.
//!
//! Data: a `Vec<Tok>`, each token with its 1-based line. Indentation is turned into explicit
//! `Indent`/`Dedent` tokens from a stack of column widths; newlines inside brackets and after a
//! backslash are joined (no `Newline`). String literals are unescaped here, except f-strings,
//! whose raw text the parser splits into literal and expression parts.

use std::rc::Rc;

/// One token.
#[derive(Clone, Debug, PartialEq)]
pub enum T {
    Name(Rc<str>),
    Int(i64),
    BigInt(Rc<str>),
    Float(f64),
    Str(Rc<str>),
    Bytes(Rc<[u8]>),
    /// Raw f-string body; `raw` is true for rf-strings.
    FStr(Rc<str>, bool),
    Op(&'static str),
    Newline,
    Indent,
    Dedent,
    Eof,
}

/// A token and the line it starts on.
#[derive(Clone, Debug)]
pub struct Tok {
    pub t: T,
    pub line: u32,
}

/// A tokenizer error: message and line.
#[derive(Debug)]
pub struct LexError(pub String, pub u32);

const OPS: &[&str] = &[
    "**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "<<", ">>", "<=", ">=", "==", "!=",
    "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "+", "-", "*", "/", "%", "@", "<", ">",
    "=", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "&", "|", "^", "~",
];

/// Tokenizes a whole module.
pub fn tokenize(src: &str) -> Result<Vec<Tok>, LexError> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line: u32 = 1;
    let mut indents = vec![0usize];
    let mut depth = 0i32;
    let mut at_line_start = true;
    while i <= b.len() {
        if at_line_start && depth == 0 {
            // measure indentation
            let mut col = 0;
            let mut j = i;
            while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
                col = if b[j] == b'\t' {
                    (col / 8 + 1) * 8
                } else {
                    col + 1
                };
                j += 1;
            }
            // blank or comment-only line
            if j >= b.len() {
                break;
            }
            if b[j] == b'\n' || b[j] == b'#' || b[j] == b'\r' {
                while j < b.len() && b[j] != b'\n' {
                    j += 1;
                }
                i = j + 1;
                line += 1;
                continue;
            }
            i = j;
            at_line_start = false;
            let cur = *indents.last().unwrap();
            if col > cur {
                indents.push(col);
                out.push(Tok { t: T::Indent, line });
            } else {
                while col < *indents.last().unwrap() {
                    indents.pop();
                    out.push(Tok { t: T::Dedent, line });
                }
                if col != *indents.last().unwrap() {
                    return Err(LexError(
                        "unindent does not match any outer indentation level".into(),
                        line,
                    ));
                }
            }
        }
        if i >= b.len() {
            break;
        }
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\r' | b'\x0c' => i += 1,
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'\n' => {
                if depth == 0 {
                    out.push(Tok {
                        t: T::Newline,
                        line,
                    });
                    at_line_start = true;
                }
                line += 1;
                i += 1;
            }
            b'\\' if i + 1 < b.len() && (b[i + 1] == b'\n' || b[i + 1] == b'\r') => {
                i += 1;
                if b[i] == b'\r' {
                    i += 1;
                }
                if i < b.len() && b[i] == b'\n' {
                    i += 1;
                }
                line += 1;
            }
            b'0'..=b'9' => {
                let (t, n) = number(&src[i..])
                    .ok_or_else(|| LexError("invalid decimal literal".into(), line))?;
                out.push(Tok { t, line });
                i += n;
            }
            b'.' if i + 1 < b.len() && b[i + 1].is_ascii_digit() => {
                let (t, n) = number(&src[i..])
                    .ok_or_else(|| LexError("invalid decimal literal".into(), line))?;
                out.push(Tok { t, line });
                i += n;
            }
            c if c == b'_' || c.is_ascii_alphabetic() || c >= 0x80 => {
                let start = i;
                while i < b.len() && (b[i] == b'_' || b[i].is_ascii_alphanumeric() || b[i] >= 0x80)
                {
                    i += 1;
                }
                let word = &src[start..i];
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') && word.len() <= 2 {
                    let lw = word.to_ascii_lowercase();
                    if ["r", "b", "f", "rb", "br", "fr", "rf", "u"].contains(&lw.as_str()) {
                        let (t, n, nl) = string(&src[i..], &lw, line)?;
                        out.push(Tok { t, line });
                        i += n;
                        line += nl;
                        continue;
                    }
                }
                out.push(Tok {
                    t: T::Name(word.into()),
                    line,
                });
            }
            b'"' | b'\'' => {
                let (t, n, nl) = string(&src[i..], "", line)?;
                out.push(Tok { t, line });
                i += n;
                line += nl;
            }
            _ => {
                let rest = &src[i..];
                let op = OPS.iter().find(|o| rest.starts_with(**o));
                match op {
                    Some(o) => {
                        match *o {
                            "(" | "[" | "{" => depth += 1,
                            ")" | "]" | "}" => depth -= 1,
                            _ => {}
                        }
                        out.push(Tok { t: T::Op(o), line });
                        i += o.len();
                    }
                    None => {
                        let ch = rest.chars().next().unwrap();
                        return Err(LexError(
                            format!("invalid character '{ch}' (U+{:04X})", ch as u32),
                            line,
                        ));
                    }
                }
            }
        }
    }
    if !matches!(out.last(), Some(Tok { t: T::Newline, .. }) | None) {
        out.push(Tok {
            t: T::Newline,
            line,
        });
    }
    while indents.len() > 1 {
        indents.pop();
        out.push(Tok { t: T::Dedent, line });
    }
    out.push(Tok { t: T::Eof, line });
    Ok(out)
}

fn number(s: &str) -> Option<(T, usize)> {
    let b = s.as_bytes();
    if b.len() > 1 && b[0] == b'0' && matches!(b[1], b'x' | b'X' | b'o' | b'O' | b'b' | b'B') {
        let radix = match b[1] | 0x20 {
            b'x' => 16,
            b'o' => 8,
            _ => 2,
        };
        let mut j = 2;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
            j += 1;
        }
        let digits: String = s[2..j].chars().filter(|c| *c != '_').collect();
        let v = i64::from_str_radix(&digits, radix).ok()?;
        return Some((T::Int(v), j));
    }
    let mut j = 0;
    let mut float = false;
    while j < b.len() {
        let c = b[j];
        if c.is_ascii_digit() || c == b'_' {
            j += 1;
        } else if c == b'.' && !float {
            float = true;
            j += 1;
        } else if (c == b'e' || c == b'E')
            && j + 1 < b.len()
            && (b[j + 1].is_ascii_digit()
                || ((b[j + 1] == b'-' || b[j + 1] == b'+')
                    && j + 2 < b.len()
                    && b[j + 2].is_ascii_digit()))
        {
            float = true;
            j += 2;
        } else {
            break;
        }
    }
    let text: String = s[..j].chars().filter(|c| *c != '_').collect();
    if j < b.len() && (b[j] == b'j' || b[j] == b'J') {
        return None;
    }
    if float {
        Some((T::Float(crate::floatparse::parse_f64(&text)?), j))
    } else {
        match text.parse::<i64>() {
            Ok(v) => Some((T::Int(v), j)),
            Err(_) => Some((T::BigInt(text.into()), j)),
        }
    }
}

/// Lexes one string literal starting at a quote; returns the token, bytes consumed and newlines.
fn string(s: &str, prefix: &str, line: u32) -> Result<(T, usize, u32), LexError> {
    let b = s.as_bytes();
    let q = b[0];
    let triple = b.len() >= 3 && b[1] == q && b[2] == q;
    let start = if triple { 3 } else { 1 };
    let mut j = start;
    let mut nl = 0;
    loop {
        if j >= b.len() {
            let msg = if triple {
                "unterminated triple-quoted string literal"
            } else {
                "unterminated string literal"
            };
            return Err(LexError(
                format!("{msg} (detected at line {})", line + nl),
                line,
            ));
        }
        let c = b[j];
        if c == b'\\' {
            if j + 1 < b.len() && b[j + 1] == b'\n' {
                nl += 1;
            }
            j += 2;
            continue;
        }
        if c == b'\n' {
            if !triple {
                return Err(LexError(
                    format!("unterminated string literal (detected at line {line})"),
                    line,
                ));
            }
            nl += 1;
        }
        if c == q
            && (!triple
                || (j + 2 < b.len() && b.get(j + 1) == Some(&q) && b.get(j + 2) == Some(&q)))
        {
            break;
        }
        j += 1;
    }
    let body = &s[start..j];
    let end = j + if triple { 3 } else { 1 };
    let raw = prefix.contains('r');
    let t = if prefix.contains('f') {
        T::FStr(body.into(), raw)
    } else if prefix.contains('b') {
        let v = if raw {
            body.as_bytes().to_vec()
        } else {
            unescape_bytes(body)
        };
        T::Bytes(v.into())
    } else if raw {
        T::Str(body.into())
    } else {
        T::Str(unescape(body).into())
    };
    Ok((t, end, nl))
}

/// Processes backslash escapes in a (non-raw) string literal body.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('\\') => out.push('\\'),
            Some('\'') => out.push('\''),
            Some('"') => out.push('"'),
            Some('a') => out.push('\x07'),
            Some('b') => out.push('\x08'),
            Some('f') => out.push('\x0c'),
            Some('v') => out.push('\x0b'),
            Some('\n') => {}
            Some(k @ ('x' | 'u' | 'U')) => {
                let n = match k {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = (0..n).filter_map(|_| it.next()).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => {
                        out.push('\\');
                        out.push(k);
                        out.push_str(&hex);
                    }
                }
            }
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn unescape_bytes(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            i += 1;
            match b[i] {
                b'n' => out.push(b'\n'),
                b't' => out.push(b'\t'),
                b'r' => out.push(b'\r'),
                b'0' => out.push(0),
                b'\\' => out.push(b'\\'),
                b'\'' => out.push(b'\''),
                b'"' => out.push(b'"'),
                b'x' if i + 2 < b.len() + 1 => {
                    let h = std::str::from_utf8(&b[i + 1..(i + 3).min(b.len())]).unwrap_or("");
                    out.push(u8::from_str_radix(h, 16).unwrap_or(0));
                    i += 2;
                }
                b'\n' => {}
                o => {
                    out.push(b'\\');
                    out.push(o);
                }
            }
            i += 1;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}
