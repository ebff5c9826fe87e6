//! Unicode case mapping as CPython 3.11's `str.lower()` and `str.upper()` do it.
//!
//! core's `to_lowercase`/`to_uppercase` carry two tables of (char, char) pairs, about 24 KB
//! (11 KB of the browser build's gzipped wasm), and follow a newer Unicode than CPython 3.11.
//! The mappings are regular: most are a run of code points that all move by one delta, either
//! every code point (`A-Z` by +32) or every other one (Latin Extended-A's alternating pairs). So
//! [`crate::casemap_table`], generated from CPython itself by `python/tools/gen_casemap.py`, holds:
//!
//! - `LOWER_RUNS`/`UPPER_RUNS`: `(start | (stride - 1) << 21 | len << 22, delta)` sorted by
//!   start and never overlapping; a code point maps by `delta` when it is `start + k * stride`
//!   for some `k < len`, and to itself when no run holds it;
//! - `LOWER_SPECIAL`/`UPPER_SPECIAL`: the code points that map to several characters (`ß` to
//!   `SS`), looked up first.
//!
//! `lower` also applies Unicode's final sigma rule (`Σ` at the end of a word becomes `ς`), as
//! CPython does.

use crate::casemap_table::{LOWER_RUNS, LOWER_SPECIAL, UPPER_RUNS, UPPER_SPECIAL};

/// The single-character mapping of `c` in `runs`, if it has one.
fn run_map(runs: &[(u32, i32)], c: u32) -> Option<char> {
    let k = runs.partition_point(|r| r.0 & 0x1F_FFFF <= c);
    let (w, delta) = *runs.get(k.checked_sub(1)?)?;
    let (start, stride, len) = (w & 0x1F_FFFF, (w >> 21 & 1) + 1, w >> 22);
    let off = c - start;
    if off % stride == 0 && off / stride < len {
        char::from_u32(c.wrapping_add_signed(delta))
    } else {
        None
    }
}

/// Appends `c` mapped by one direction's tables.
fn map_into(out: &mut String, c: char, runs: &[(u32, i32)], special: &[(u32, &str)]) {
    if let Ok(k) = special.binary_search_by_key(&(c as u32), |s| s.0) {
        out.push_str(special[k].1);
    } else {
        out.push(run_map(runs, c as u32).unwrap_or(c));
    }
}

/// Appends the lowercase of `c` (without the final sigma rule).
pub fn push_lower(out: &mut String, c: char) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else {
        map_into(out, c, LOWER_RUNS, LOWER_SPECIAL);
    }
}

/// Appends the uppercase of `c`.
pub fn push_upper(out: &mut String, c: char) {
    if c.is_ascii() {
        out.push(c.to_ascii_uppercase());
    } else {
        map_into(out, c, UPPER_RUNS, UPPER_SPECIAL);
    }
}

/// Whether `c` has case (Unicode's `Cased`, near enough for the sigma rule).
fn cased(c: char) -> bool {
    c.is_lowercase() || c.is_uppercase() || run_map(LOWER_RUNS, c as u32).is_some()
}

/// Whether `c` is skipped when looking for a word's letters (Unicode's `Case_Ignorable`, for
/// the characters that occur in practice: apostrophes, periods, colons, combining marks).
fn case_ignorable(c: char) -> bool {
    matches!(
        c,
        '\'' | '.'
            | ':'
            | '^'
            | '`'
            | '\u{a8}'
            | '\u{ad}'
            | '\u{af}'
            | '\u{b4}'
            | '\u{b7}'
            | '\u{b8}'
            | '\u{2019}'
    ) || ('\u{300}'..='\u{36f}').contains(&c)
}

/// `str.lower()`.
pub fn lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (k, &c) in chars.iter().enumerate() {
        if c == '\u{3a3}' {
            let letter = |c: &&char| !case_ignorable(**c);
            let before = chars[..k]
                .iter()
                .rev()
                .find(letter)
                .is_some_and(|c| cased(*c));
            let after = chars[k + 1..]
                .iter()
                .find(letter)
                .is_some_and(|c| cased(*c));
            out.push(if before && !after { 'ς' } else { 'σ' });
        } else {
            push_lower(&mut out, c);
        }
    }
    out
}

/// `str.upper()`.
pub fn upper(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_uppercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_upper(&mut out, c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{lower, upper};

    #[test]
    fn maps_like_cpython() {
        assert_eq!(upper("straße ǆ ﬁx ŉ"), "STRASSE Ǆ FIX ʼN");
        assert_eq!(lower("ÀÉÎÕÜ ĀĂ Ωμέγα ДОМ İ Ǆ"), "àéîõü āă ωμέγα дом i̇ ǆ");
        assert_eq!(lower("ΟΔΟΣ ΟΔΟΣ."), "οδος οδος.");
        assert_eq!(lower("Σ"), "σ");
        assert_eq!(upper("ÿ µ ı"), "Ÿ Μ I");
        assert_eq!(lower("Hello, World"), "hello, world");
        assert_eq!(upper("𐐨𐐩"), "𐐀𐐁");
    }
}
