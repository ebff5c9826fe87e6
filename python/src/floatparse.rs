//! Decimal text to the nearest `f64`, correctly rounded, without core's `f64::from_str`.
//!
//! core's parser carries a 10 KB table of 128-bit powers of five (the Eisel-Lemire fast path)
//! that compresses to almost nothing, plus a decimal big-number fallback: about 12 KB of the
//! browser build's gzipped wasm. The interpreter already has big integers ([`BigInt`]), so this
//! parser reads the text as `digits * 10**exp` and takes one of two exact paths:
//!
//! - *Clinger's fast path*: at most 15 significant digits and `|exp| <= 22`. The digits and the
//!   power of ten are both exact doubles, so one IEEE multiplication or division rounds once,
//!   correctly. Literals such as `0.1`, `2.5` and `1e-9` all take it.
//! - *Exact big-integer path*: otherwise the value is `N * 10**exp` exactly: for `exp >= 0` the
//!   big integer `N * 10**exp`; for `exp < 0` the quotient of `N * 2**s` by `10**-exp`, with
//!   `s` chosen so the quotient has at least 66 bits and the remainder kept as a sticky bit.
//!   [`BigInt::to_f64_scaled`] then rounds that to 53 bits, ties to even.
//!
//! Beyond 800 significant digits the rest only decides ties, so it is folded into one sticky
//! digit. Exponents far outside the double range give `inf` or `0.0` at once.

use crate::bigint::BigInt;

/// Parses `[+-](digits[.digits]|.digits)[(e|E)[+-]digits]`, or `inf`/`infinity`/`nan` (any case),
/// to the nearest double; `None` for anything else (underscores must be removed first).
pub fn parse_f64(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (neg, b) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    let sign = |f: f64| if neg { -f } else { f };
    let word = std::str::from_utf8(b).ok()?.to_ascii_lowercase();
    match word.as_str() {
        "inf" | "infinity" => return Some(sign(f64::INFINITY)),
        "nan" => return Some(sign(f64::NAN)),
        _ => {}
    }
    // Significant digits (leading zeros skipped) and the decimal exponent of the last one.
    let mut digits: Vec<u8> = vec![];
    let mut exp: i64 = 0;
    let mut seen_digit = false;
    let mut seen_dot = false;
    let mut sticky = false;
    let mut k = 0;
    while k < b.len() {
        match b[k] {
            c @ b'0'..=b'9' => {
                seen_digit = true;
                if seen_dot {
                    exp -= 1;
                }
                if digits.len() < 800 {
                    // Leading zeros are not significant.
                    if c != b'0' || !digits.is_empty() {
                        digits.push(c - b'0');
                    }
                } else {
                    // Digits past the 800th: only whether one is nonzero matters.
                    sticky |= c != b'0';
                    exp += 1;
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => break,
        }
        k += 1;
    }
    if !seen_digit {
        return None;
    }
    if k < b.len() {
        if b[k] != b'e' && b[k] != b'E' {
            return None;
        }
        k += 1;
        let (eneg, rest) = match b.get(k) {
            Some(b'-') => (true, &b[k + 1..]),
            Some(b'+') => (false, &b[k + 1..]),
            _ => (false, &b[k..]),
        };
        if rest.is_empty() || !rest.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let e = rest
            .iter()
            .fold(0i64, |a, &d| (a * 10 + (d - b'0') as i64).min(1 << 40));
        exp += if eneg { -e } else { e };
    }
    if sticky {
        digits.push(1);
        exp -= 1;
    }
    // Trailing zeros are a power of ten.
    while digits.last() == Some(&0) {
        digits.pop();
        exp += 1;
    }
    let n = digits.len() as i64;
    if n == 0 {
        return Some(sign(0.0));
    }
    if n + exp > 310 {
        return Some(sign(f64::INFINITY));
    }
    if n + exp < -330 {
        return Some(sign(0.0));
    }
    if n <= 15 && (-22..=22).contains(&exp) {
        let m = digits.iter().fold(0u64, |a, &d| a * 10 + d as u64) as f64;
        let p = 10f64.powi(exp.unsigned_abs() as i32);
        return Some(sign(if exp < 0 { m / p } else { m * p }));
    }
    let text: String = digits.iter().map(|&d| (b'0' + d) as char).collect();
    let m = BigInt::parse(&text)?;
    let ten = BigInt::from_i64(10);
    let f = if exp >= 0 {
        m.mul(&ten.pow(exp as u64)).to_f64()
    } else {
        let den = ten.pow(exp.unsigned_abs());
        let s = (66 + den.bit_length() as i64 - m.bit_length() as i64).max(0);
        let (q, r) = m.shl(s as usize).divmod(&den)?;
        q.to_f64_scaled(-s, !r.mag.is_empty())
    };
    Some(sign(f))
}

#[cfg(test)]
mod tests {
    use super::parse_f64;

    /// Agrees with core's correctly rounded parser, bit for bit, on the hard and the everyday.
    #[test]
    fn matches_core() {
        let cases = [
            "0",
            "-0",
            "0.1",
            "1e-9",
            "2.5",
            "3.141592653589793",
            "1e22",
            "1e23",
            "9007199254740993",
            "9007199254740992.5",
            "1.7976931348623157e308",
            "1.7976931348623159e308",
            "2e308",
            "4.9e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "1e-400",
            "123456789012345678901234567890",
            ".5",
            "5.",
            "0.000000000000000000000000000001",
            "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124",
            "7.038531e-26",
            "+1.5E+3",
            "6.02214076e23",
            "1e-5",
            "0.30000000000000004",
            "123.456e-10",
        ];
        for c in cases {
            let want: f64 = c.parse().unwrap();
            let got = parse_f64(c).unwrap();
            assert_eq!(got.to_bits(), want.to_bits(), "{c}");
        }
        let long = format!("1.{}1e-5", "0".repeat(900));
        assert_eq!(parse_f64(&long), long.parse().ok());
        for bad in [
            "", ".", "e5", "1e", "1e+", "1.2.3", "0x10", "1_0", "--1", "infinit",
        ] {
            assert_eq!(parse_f64(bad), None, "{bad}");
        }
        assert!(parse_f64("-InFinity").unwrap() == f64::NEG_INFINITY);
        assert!(parse_f64("nan").unwrap().is_nan());
    }

    /// Random doubles printed shortest and at 17 digits parse back to themselves.
    #[test]
    fn round_trips() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..5_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let f = f64::from_bits(x >> 1);
            if !f.is_finite() {
                continue;
            }
            for t in [format!("{f:e}"), format!("{f:.16e}"), format!("{f}")] {
                assert_eq!(parse_f64(&t).unwrap().to_bits(), f.to_bits(), "{t}");
            }
        }
    }
}
