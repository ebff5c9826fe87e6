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

    /// The nearest float.
    pub fn to_f64(&self) -> f64 {
        let mut f = 0.0;
        for &l in self.mag.iter().rev() {
            f = f * 4_294_967_296.0 + l as f64;
        }
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
