//! Integers beyond 64 bits. An `int` is a machine `i64` until an operation overflows; then it is a
//! [`BigInt`]: a sign and a magnitude of base-2^32 limbs, least significant first, with no
//! trailing zero limbs (zero is the empty magnitude, never negative). Results that fit in an
//! `i64` go back to the small form, so the fast paths stay fast.

use std::cmp::Ordering;

/// An arbitrary-precision integer.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BigInt {
    pub neg: bool,
    pub mag: Vec<u32>,
}

fn trim(v: &mut Vec<u32>) {
    while v.last() == Some(&0) {
        v.pop();
    }
}

fn cmp_mag(a: &[u32], b: &[u32]) -> Ordering {
    if a.len() != b.len() {
        return a.len().cmp(&b.len());
    }
    for k in (0..a.len()).rev() {
        if a[k] != b[k] {
            return a[k].cmp(&b[k]);
        }
    }
    Ordering::Equal
}

fn add_mag(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len().max(b.len()) + 1);
    let mut carry = 0u64;
    for k in 0..a.len().max(b.len()) {
        let s = *a.get(k).unwrap_or(&0) as u64 + *b.get(k).unwrap_or(&0) as u64 + carry;
        out.push(s as u32);
        carry = s >> 32;
    }
    if carry > 0 {
        out.push(carry as u32);
    }
    out
}

/// a - b with |a| >= |b|.
fn sub_mag(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len());
    let mut borrow = 0i64;
    for (k, &x) in a.iter().enumerate() {
        let mut d = x as i64 - *b.get(k).unwrap_or(&0) as i64 - borrow;
        borrow = 0;
        if d < 0 {
            d += 1 << 32;
            borrow = 1;
        }
        out.push(d as u32);
    }
    trim(&mut out);
    out
}

fn mul_mag(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = vec![0u32; a.len() + b.len()];
    for (i, &x) in a.iter().enumerate() {
        let mut carry = 0u64;
        for (j, &y) in b.iter().enumerate() {
            let t = out[i + j] as u64 + x as u64 * y as u64 + carry;
            out[i + j] = t as u32;
            carry = t >> 32;
        }
        let mut k = i + b.len();
        while carry > 0 {
            let t = out[k] as u64 + carry;
            out[k] = t as u32;
            carry = t >> 32;
            k += 1;
        }
    }
    trim(&mut out);
    out
}

/// Magnitude division by a small divisor: (quotient, remainder).
fn divmod_small(a: &[u32], d: u32) -> (Vec<u32>, u32) {
    let mut q = vec![0u32; a.len()];
    let mut r = 0u64;
    for k in (0..a.len()).rev() {
        let cur = (r << 32) | a[k] as u64;
        q[k] = (cur / d as u64) as u32;
        r = cur % d as u64;
    }
    trim(&mut q);
    (q, r as u32)
}

fn bits(a: &[u32]) -> usize {
    match a.last() {
        Some(&top) => (a.len() - 1) * 32 + (32 - top.leading_zeros() as usize),
        None => 0,
    }
}

/// `a << n` on magnitudes.
fn shl_mag(a: &[u32], n: usize) -> Vec<u32> {
    if a.is_empty() {
        return vec![];
    }
    let (limbs, b) = (n / 32, (n % 32) as u32);
    let mut out = vec![0u32; limbs];
    let mut carry = 0u32;
    for &x in a {
        out.push(x << b | carry);
        carry = if b == 0 { 0 } else { x >> (32 - b) };
    }
    out.push(carry);
    trim(&mut out);
    out
}

/// `a >> n` on magnitudes (the bits shifted out are dropped).
fn shr_mag(a: &[u32], n: usize) -> Vec<u32> {
    let (limbs, b) = (n / 32, (n % 32) as u32);
    if limbs >= a.len() {
        return vec![];
    }
    let mut out: Vec<u32> = (limbs..a.len())
        .map(|k| {
            let hi = if b == 0 {
                0
            } else {
                a.get(k + 1).map_or(0, |&h| h << (32 - b))
            };
            a[k] >> b | hi
        })
        .collect();
    trim(&mut out);
    out
}

/// Magnitude long division (bit by bit): (quotient, remainder).
fn divmod_mag(a: &[u32], b: &[u32]) -> (Vec<u32>, Vec<u32>) {
    if b.len() == 1 {
        let (q, r) = divmod_small(a, b[0]);
        return (q, if r == 0 { vec![] } else { vec![r] });
    }
    if cmp_mag(a, b) == Ordering::Less {
        return (vec![], a.to_vec());
    }
    let mut q = vec![0u32; a.len()];
    let mut r: Vec<u32> = vec![];
    for bit in (0..bits(a)).rev() {
        // r = r * 2 + bit
        let mut carry = (a[bit / 32] >> (bit % 32)) & 1;
        for limb in r.iter_mut() {
            let nc = *limb >> 31;
            *limb = (*limb << 1) | carry;
            carry = nc;
        }
        if carry > 0 {
            r.push(carry);
        }
        if cmp_mag(&r, b) != Ordering::Less {
            r = sub_mag(&r, b);
            q[bit / 32] |= 1 << (bit % 32);
        }
    }
    trim(&mut q);
    (q, r)
}

impl BigInt {
    /// From a machine integer.
    pub fn from_i64(v: i64) -> BigInt {
        let m = v.unsigned_abs();
        let mut mag = vec![m as u32, (m >> 32) as u32];
        trim(&mut mag);
        BigInt { neg: v < 0, mag }
    }

    fn make(neg: bool, mut mag: Vec<u32>) -> BigInt {
        trim(&mut mag);
        BigInt {
            neg: neg && !mag.is_empty(),
            mag,
        }
    }

    /// The value as an `i64`, if it fits.
    pub fn to_i64(&self) -> Option<i64> {
        if self.mag.len() > 2 {
            return None;
        }
        let m = self.mag.first().copied().unwrap_or(0) as u64
            | (self.mag.get(1).copied().unwrap_or(0) as u64) << 32;
        if self.neg {
            if m <= i64::MAX as u64 + 1 {
                Some((m as i128).wrapping_neg() as i64)
            } else {
                None
            }
        } else {
            i64::try_from(m).ok()
        }
    }

    /// The nearest float (correctly rounded, ties to even; `inf` beyond the float range).
    pub fn to_f64(&self) -> f64 {
        self.to_f64_scaled(0, false)
    }

    /// The float nearest `self * 2**exp2`, correctly rounded (ties to even). `sticky` says the
    /// exact value is a little more than that (nonzero bits were dropped below it), which
    /// breaks a tie upwards. Overflow gives `inf`, underflow `0.0` (both signed).
    pub fn to_f64_scaled(&self, exp2: i64, mut sticky: bool) -> f64 {
        let nb = bits(&self.mag);
        if nb == 0 {
            return if self.neg { -0.0 } else { 0.0 };
        }
        // The top 64 bits as `m`, the value being m * 2**e (plus the sticky rest).
        let (m, e) = if nb > 64 {
            let shift = nb - 64;
            let top = shr_mag(&self.mag, shift);
            sticky |= (0..shift).any(|b| self.mag[b / 32] >> (b % 32) & 1 == 1);
            (
                top.iter().rev().fold(0u64, |a, &l| a << 32 | l as u64),
                exp2 + shift as i64,
            )
        } else {
            let v = self.mag.iter().rev().fold(0u64, |a, &l| a << 32 | l as u64);
            (v << (64 - nb), exp2 - (64 - nb) as i64)
        };
        // m has its top bit set: the value's leading bit is worth 2**(e + 63). A double keeps 53
        // bits, fewer below 2**-1022 (subnormals), whose last bit is worth 2**-1074.
        let lead = e + 63;
        let keep = if lead >= -1022 {
            53
        } else {
            53 - (-1022 - lead)
        };
        let f = if keep <= 0 {
            // Below half the smallest subnormal (or exactly half without sticky): zero; above: it.
            if keep == 0 && (sticky || m > 1 << 63) {
                f64::from_bits(1)
            } else {
                0.0
            }
        } else {
            let drop = 64 - keep as u32;
            let mut mant = m >> drop;
            let rest = m & ((1u64 << drop) - 1);
            let half = 1u64 << (drop - 1);
            if rest > half || (rest == half && (sticky || mant & 1 == 1)) {
                mant += 1;
            }
            let mut exp = e + drop as i64; // value = mant * 2**exp
            if mant == 1 << 53 {
                mant >>= 1;
                exp += 1;
            }
            if mant >= 1 << 52 {
                let biased = exp + 52 + 1023;
                if biased >= 2047 {
                    f64::INFINITY
                } else {
                    f64::from_bits((biased as u64) << 52 | (mant - (1 << 52)))
                }
            } else {
                f64::from_bits(mant) // subnormal: exp is -1074
            }
        };
        if self.neg {
            -f
        } else {
            f
        }
    }

    /// Parses decimal digits (with an optional sign).
    pub fn parse(s: &str) -> Option<BigInt> {
        let (neg, digits) = match s.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut mag: Vec<u32> = vec![];
        for b in digits.bytes() {
            mag = add_mag(&mul_mag(&mag, &[10]), &[(b - b'0') as u32]);
            if mag.is_empty() {
                mag = vec![];
            }
            trim(&mut mag);
        }
        Some(BigInt::make(neg, mag))
    }

    /// Ordering.
    pub fn compare(&self, o: &BigInt) -> Ordering {
        match (self.neg, o.neg) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => cmp_mag(&self.mag, &o.mag),
            (true, true) => cmp_mag(&o.mag, &self.mag),
        }
    }

    /// `-self`.
    pub fn neg(&self) -> BigInt {
        BigInt::make(!self.neg, self.mag.clone())
    }

    /// `self + o`.
    pub fn add(&self, o: &BigInt) -> BigInt {
        if self.neg == o.neg {
            return BigInt::make(self.neg, add_mag(&self.mag, &o.mag));
        }
        match cmp_mag(&self.mag, &o.mag) {
            Ordering::Less => BigInt::make(o.neg, sub_mag(&o.mag, &self.mag)),
            _ => BigInt::make(self.neg, sub_mag(&self.mag, &o.mag)),
        }
    }

    /// `self - o`.
    pub fn sub(&self, o: &BigInt) -> BigInt {
        self.add(&o.neg())
    }

    /// `self * o`.
    pub fn mul(&self, o: &BigInt) -> BigInt {
        BigInt::make(self.neg != o.neg, mul_mag(&self.mag, &o.mag))
    }

    /// Floor division and modulo, as Python's `divmod` (`None` for a zero divisor).
    pub fn divmod(&self, o: &BigInt) -> Option<(BigInt, BigInt)> {
        if o.mag.is_empty() {
            return None;
        }
        let (q, r) = divmod_mag(&self.mag, &o.mag);
        let mut q = BigInt::make(self.neg != o.neg, q);
        let mut r = BigInt::make(self.neg, r);
        if !r.mag.is_empty() && r.neg != o.neg {
            q = q.sub(&BigInt::from_i64(1));
            r = r.add(o);
        }
        Some((q, r))
    }

    /// `self ** e` for `e >= 0`.
    pub fn pow(&self, mut e: u64) -> BigInt {
        let mut base = self.clone();
        let mut acc = BigInt::from_i64(1);
        while e > 0 {
            if e & 1 == 1 {
                acc = acc.mul(&base);
            }
            e >>= 1;
            if e > 0 {
                base = base.mul(&base);
            }
        }
        acc
    }

    /// `self << n` (`self * 2**n`).
    pub fn shl(&self, n: usize) -> BigInt {
        BigInt::make(self.neg, shl_mag(&self.mag, n))
    }

    /// `self >> n`: floor division by `2**n`, as Python shifts negative numbers.
    pub fn shr(&self, n: usize) -> BigInt {
        if !self.neg {
            return BigInt::make(false, shr_mag(&self.mag, n));
        }
        // -((|x| - 1) >> n) - 1
        let t = shr_mag(&sub_mag(&self.mag, &[1]), n);
        BigInt::make(true, add_mag(&t, &[1]))
    }

    /// `~self` (`-self - 1`).
    pub fn invert(&self) -> BigInt {
        self.add(&BigInt::from_i64(1)).neg()
    }

    /// `self & o`, `self | o` or `self ^ o` (`op` is `b'&'`, `b'|'` or `b'^'`) on the infinite
    /// two's complement forms, as Python defines bitwise operations on negative ints.
    pub fn bitwise(&self, op: u8, o: &BigInt) -> BigInt {
        let n = self.mag.len().max(o.mag.len()) + 1;
        let f = |a: u32, b: u32| match op {
            b'&' => a & b,
            b'|' => a | b,
            _ => a ^ b,
        };
        let (x, y) = (self.twos(n), o.twos(n));
        let limbs: Vec<u32> = x.iter().zip(&y).map(|(&a, &b)| f(a, b)).collect();
        let neg = f(self.neg as u32, o.neg as u32) == 1;
        if !neg {
            return BigInt::make(false, limbs);
        }
        // A negative result: its magnitude is !limbs + 1.
        let inv: Vec<u32> = limbs.iter().map(|l| !l).collect();
        BigInt::make(true, add_mag(&inv, &[1]))
    }

    /// The low `n` limbs of the two's complement form (`!(|x| - 1)` for negatives).
    fn twos(&self, n: usize) -> Vec<u32> {
        let mut v = if self.neg {
            sub_mag(&self.mag, &[1])
        } else {
            self.mag.clone()
        };
        v.resize(n, 0);
        if self.neg {
            for l in v.iter_mut() {
                *l = !*l;
            }
        }
        v
    }

    /// The magnitude's digits in base `2**shift` (`shift` 1, 3 or 4: binary, octal, hex),
    /// lowercase, most significant first.
    pub fn magnitude_digits(&self, shift: usize) -> String {
        let n = bits(&self.mag).div_ceil(shift).max(1);
        (0..n)
            .rev()
            .map(|d| {
                let v = (0..shift).fold(0u32, |acc, k| {
                    let bit = d * shift + k;
                    acc | (self.mag.get(bit / 32).map_or(0, |l| l >> (bit % 32) & 1)) << k
                });
                char::from_digit(v, 16).unwrap_or('0')
            })
            .collect()
    }

    /// Number of bits of the magnitude.
    pub fn bit_length(&self) -> usize {
        bits(&self.mag)
    }
}

impl std::fmt::Display for BigInt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.mag.is_empty() {
            return f.write_str("0");
        }
        let mut chunks = vec![];
        let mut m = self.mag.clone();
        while !m.is_empty() {
            let (q, r) = divmod_small(&m, 1_000_000_000);
            chunks.push(r);
            m = q;
        }
        let mut s = String::new();
        if self.neg {
            s.push('-');
        }
        s.push_str(&chunks.pop().unwrap_or(0).to_string());
        for c in chunks.iter().rev() {
            s.push_str(&format!("{c:09}"));
        }
        f.write_str(&s)
    }
}
