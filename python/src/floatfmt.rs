//! Floats to decimal text, without core's float formatting (`{}`, `{:e}`, `{:.N}`).
//!
//! core's Grisu and Dragon4 formatters, their tables and the `Formatter` plumbing around them
//! cost about 9 KB of the browser build's gzipped wasm. A double is `m * 2**e` exactly, so its
//! exact decimal expansion is a big integer ([`BigInt`]): `m << e` for `e >= 0`, else `m * 5**-e`
//! with the point `-e` places from the right (at most 767 significant digits). Everything here
//! works on that expansion, [`Decimal`]: the significant digits (no leading or trailing zeros)
//! and `point`, the value being `0.DIGITS * 10**point`.
//!
//! - [`fixed`] and [`sci`] round the exact digits once, half to even, as CPython's `%f`/`%e`
//!   (correctly rounded `dtoa`) do: a tie in the decimal expansion is a real tie.
//! - [`shortest`] (for `repr`) tries 1, 2, ... 17 significant digits and keeps the first that
//!   parses back ([`crate::floatparse`]) to the same double: the nearest candidate, or, at a
//!   power of two where the gap below is half the gap above, the other neighbour.

use crate::bigint::BigInt;
use crate::floatparse::parse_f64;

/// A positive finite decimal value `0.DIGITS * 10**point` (digits as ASCII, no leading or
/// trailing zeros; empty for zero).
pub struct Decimal {
    pub digits: Vec<u8>,
    pub point: i32,
}

/// The exact decimal expansion of `|f|` (finite).
fn exact(f: f64) -> Decimal {
    let bits = f.to_bits();
    let (exp_bits, frac) = ((bits >> 52 & 0x7ff) as i64, bits & ((1 << 52) - 1));
    let (m, e) = if exp_bits == 0 {
        (frac, -1074)
    } else {
        (frac | 1 << 52, exp_bits - 1075)
    };
    if m == 0 {
        return Decimal {
            digits: vec![],
            point: 0,
        };
    }
    let big = BigInt::from_i64(m as i64);
    let (n, shift) = if e >= 0 {
        (big.shl(e as usize), 0)
    } else {
        (big.mul(&BigInt::from_i64(5).pow(e.unsigned_abs())), e)
    };
    let mut digits = n.to_string().into_bytes();
    let point = digits.len() as i32 + shift as i32;
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    Decimal { digits, point }
}

/// `d` rounded to `n` significant digits, half to even (`n` may be 0: then it is 0 or one unit
/// at `10**point`).
fn round(d: &Decimal, n: i32) -> Decimal {
    if n < 0 {
        // The rounding place is above the leading digit's: the value is below half a unit.
        return Decimal {
            digits: vec![],
            point: d.point,
        };
    }
    let n = n as usize;
    if n >= d.digits.len() {
        return Decimal {
            digits: d.digits.clone(),
            point: d.point,
        };
    }
    let mut kept = d.digits[..n].to_vec();
    let next = d.digits[n];
    let rest_nonzero = d.digits[n + 1..].iter().any(|&c| c != b'0');
    let odd = kept.last().is_some_and(|&c| (c - b'0') % 2 == 1);
    let up = next > b'5' || (next == b'5' && (rest_nonzero || odd));
    bump(&mut kept, d.point, up)
}

/// `kept` (the leading digits of a value with `point`), plus one unit in its last place if `up`.
fn bump(kept: &mut Vec<u8>, point: i32, up: bool) -> Decimal {
    let mut point = point;
    if up {
        let mut k = kept.len();
        loop {
            if k == 0 {
                kept.insert(0, b'1');
                point += 1;
                break;
            }
            k -= 1;
            if kept[k] == b'9' {
                kept[k] = b'0';
            } else {
                kept[k] += 1;
                break;
            }
        }
    }
    while kept.last() == Some(&b'0') {
        kept.pop();
    }
    Decimal {
        digits: std::mem::take(kept),
        point,
    }
}

/// Whether `d` parses back to `f`.
fn round_trips(d: &Decimal, f: f64) -> bool {
    let text = format!(
        "{}e{}",
        std::str::from_utf8(&d.digits).unwrap_or("0"),
        d.point - d.digits.len() as i32
    );
    parse_f64(&text) == Some(f)
}

/// The fewest significant digits that read back as `|f|` (finite, nonzero), nearest first.
pub fn shortest(f: f64) -> Decimal {
    let f = f.abs();
    let d = exact(f);
    for n in 1..17 {
        let near = round(&d, n);
        if round_trips(&near, f) {
            return near;
        }
        // The other neighbour with n digits (truncated, or truncated plus one unit).
        if (n as usize) < d.digits.len() {
            let mut kept = d.digits[..n as usize].to_vec();
            let down = bump(&mut kept.clone(), d.point, false);
            let other = if down.digits == near.digits && down.point == near.point {
                bump(&mut kept, d.point, true)
            } else {
                down
            };
            if round_trips(&other, f) {
                return other;
            }
        }
    }
    round(&d, 17)
}

/// The digits of `d` written out with `frac` digits after the point (no sign).
fn write_fixed(d: &Decimal, frac: usize) -> String {
    let mut s = String::new();
    let p = d.point;
    if p <= 0 {
        s.push('0');
    } else {
        for k in 0..p as usize {
            s.push(*d.digits.get(k).unwrap_or(&b'0') as char);
        }
    }
    if frac > 0 {
        s.push('.');
        for k in 0..frac as i32 {
            let idx = p + k;
            let c = if idx < 0 {
                b'0'
            } else {
                *d.digits.get(idx as usize).unwrap_or(&b'0')
            };
            s.push(c as char);
        }
    }
    s
}

/// `|f|` with `prec` digits after the point, as `format!("{:.prec$}")` (finite `f`).
pub fn fixed(f: f64, prec: usize) -> String {
    let d = exact(f.abs());
    let r = if d.digits.is_empty() {
        d
    } else {
        round(&d, d.point + prec.min(1100) as i32)
    };
    write_fixed(&r, prec)
}

/// `|f|` with `prec` digits after the mantissa's point: the mantissa text and the decimal
/// exponent, as `format!("{:.prec$e}")` splits them (finite `f`).
pub fn sci(f: f64, prec: usize) -> (String, i32) {
    let d = exact(f.abs());
    if d.digits.is_empty() {
        let mut m = "0".to_string();
        if prec > 0 {
            m.push('.');
            m.extend(std::iter::repeat_n('0', prec));
        }
        return (m, 0);
    }
    let r = round(&d, prec.min(1100) as i32 + 1);
    let exp = r.point - 1;
    let shifted = Decimal {
        digits: r.digits,
        point: 1,
    };
    (write_fixed(&shifted, prec), exp)
}

/// `e+XX`: an exponent as Python writes it (sign, at least two digits).
pub fn exp_suffix(e: i32) -> String {
    let a = e.unsigned_abs();
    let mut s = String::from(if e < 0 { "e-" } else { "e+" });
    if a < 10 {
        s.push('0');
    }
    s.push_str(&a.to_string());
    s
}

/// Python's `repr(float)`: the shortest round-trip digits, in fixed notation for
/// `1e-4 <= |f| < 1e16`, else as `d.ddde+XX`.
pub fn repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if f.is_infinite() {
        return format!("{sign}inf");
    }
    if f == 0.0 {
        return format!("{sign}0.0");
    }
    let d = shortest(f);
    let digits = std::str::from_utf8(&d.digits).unwrap_or("0");
    let a = f.abs();
    if (1e-4..1e16).contains(&a) {
        let frac = (d.digits.len() as i32 - d.point).max(1) as usize;
        format!("{sign}{}", write_fixed(&d, frac))
    } else {
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() { "" } else { "." };
        format!("{sign}{first}{dot}{rest}{}", exp_suffix(d.point - 1))
    }
}

#[cfg(test)]
mod tests {
    use super::{fixed, repr, sci};

    fn rust_repr(f: f64) -> String {
        let a = f.abs();
        if f == 0.0 || !f.is_finite() {
            return repr(f);
        }
        if (1e-4..1e16).contains(&a) {
            let s = format!("{f}");
            if s.contains('.') {
                s
            } else {
                format!("{s}.0")
            }
        } else {
            let s = format!("{f:e}");
            let (m, e) = s.split_once('e').unwrap();
            let e: i32 = e.parse().unwrap();
            format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
        }
    }

    /// Agrees with core's formatting (which CPython's matches) on random and chosen doubles.
    #[test]
    fn matches_core() {
        let mut chosen = vec![
            0.1,
            0.5,
            1.0,
            2.5,
            1e16,
            9999999999999998.0,
            1e-4,
            0.00012,
            123.456,
            5e-324,
            1e22,
            1e23,
            2f64.powi(-1074),
            2f64.powi(60),
            2f64.powi(-60),
            1.7976931348623157e308,
            0.3,
            2.675,
            1.005,
            0.125,
            100.0,
            1234567.0,
            1e15,
            123456789012345680.0,
        ];
        let mut x: u64 = 0x1234_5678_9abc_def1;
        for _ in 0..300 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            chosen.push(f64::from_bits(x >> 1));
            chosen.push(f64::from_bits(x >> 12 | 0x3FF0_0000_0000_0000) * 1000.0);
            chosen.push(2f64.powi((x % 2000) as i32 - 1000));
        }
        for f in chosen {
            if !f.is_finite() {
                continue;
            }
            assert_eq!(repr(f), rust_repr(f), "repr {f:e}");
            for p in [0, 1, 2, 6, 17] {
                assert_eq!(fixed(f, p), format!("{:.p$}", f.abs()), "fixed {f:e} {p}");
                let (m, e) = sci(f, p);
                assert_eq!(
                    format!("{m}e{e}"),
                    format!("{:.p$e}", f.abs()),
                    "sci {f:e} {p}"
                );
            }
        }
        assert_eq!(fixed(0.0, 3), "0.000");
        assert_eq!(sci(0.0, 2), ("0.00".to_string(), 0));
        assert_eq!(repr(-0.0), "-0.0");
        assert_eq!(repr(-1.5e300), "-1.5e+300");
    }
}
