//! Substring search for the `str` methods (`find`, `rfind`, `index`, `count`, `split`,
//! `replace`, `partition`) and `in`: a plain scan over the bytes.
//!
//! There is no data structure: each search compares the needle with the haystack at every
//! byte offset (`memcmp`-style slice comparison), front to back, or back to front for `rfind`.
//! Both are valid UTF-8, so a match can only start on a character boundary (a needle begins
//! with a leading byte, never a continuation byte) and the offsets are safe to slice at. The
//! empty needle matches at every character boundary, as in Python.
//!
//! Why not `str::find(&str)`: core's two-way searcher is about 3.5 KB of code in the browser
//! build; the scan is a few hundred bytes. Its worst case is `len(hay) * len(needle)`
//! comparisons, which the interpreter's programs (short strings) do not approach.

/// The byte offset of the first `needle` in `hay` at or after byte `from` (a character
/// boundary).
pub fn find_from(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return (from <= h.len()).then_some(from);
    }
    let last = h.len().checked_sub(n.len())?;
    (from..=last).find(|&p| &h[p..p + n.len()] == n)
}

/// The byte offset of the first `needle` in `hay`.
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    find_from(hay, needle, 0)
}

/// The byte offset of the last `needle` in `hay`.
pub fn rfind(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let last = h.len().checked_sub(n.len())?;
    (0..=last).rev().find(|&p| &h[p..p + n.len()] == n)
}

/// The byte ranges of the non-overlapping matches of a non-empty `needle`, first to last, at
/// most `max` of them.
fn matches(hay: &str, needle: &str, max: usize) -> Vec<usize> {
    let mut at = vec![];
    let mut from = 0;
    while at.len() < max {
        let Some(p) = find_from(hay, needle, from) else {
            break;
        };
        at.push(p);
        from = p + needle.len();
    }
    at
}

/// `hay.count(needle)`: non-overlapping matches (the empty needle: characters + 1).
pub fn count(hay: &str, needle: &str) -> usize {
    if needle.is_empty() {
        return hay.chars().count() + 1;
    }
    matches(hay, needle, usize::MAX).len()
}

/// `hay.split(sep, max)` for a non-empty `sep`: at most `max` splits.
pub fn split<'a>(hay: &'a str, sep: &str, max: usize) -> Vec<&'a str> {
    let mut parts = vec![];
    let mut start = 0;
    for p in matches(hay, sep, max) {
        parts.push(&hay[start..p]);
        start = p + sep.len();
    }
    parts.push(&hay[start..]);
    parts
}

/// `hay.replace(from, to, max)`: the first `max` non-overlapping matches replaced (the empty
/// `from` matches before every character and at the end).
pub fn replace(hay: &str, from: &str, to: &str, max: usize) -> String {
    let mut out = String::with_capacity(hay.len());
    if from.is_empty() {
        let mut n = 0;
        for c in hay.chars() {
            if n < max {
                out.push_str(to);
                n += 1;
            }
            out.push(c);
        }
        if n < max {
            out.push_str(to);
        }
        return out;
    }
    let mut start = 0;
    for p in matches(hay, from, max) {
        out.push_str(&hay[start..p]);
        out.push_str(to);
        start = p + from.len();
    }
    out.push_str(&hay[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_core_on_ascii_and_multibyte_text() {
        let hays = [
            "",
            "a",
            "abcabcab",
            "ééaéé",
            "aaaa",
            "xσyσσz",
            "日本語の日本",
        ];
        let needles = ["", "a", "ab", "é", "aa", "σσ", "日本", "zz", "abcabcabc"];
        for h in hays {
            for n in needles {
                assert_eq!(find(h, n), h.find(n), "find({h:?}, {n:?})");
                assert_eq!(rfind(h, n), h.rfind(n), "rfind({h:?}, {n:?})");
                assert_eq!(replace(h, n, "<>", usize::MAX), h.replace(n, "<>"));
                assert_eq!(replace(h, n, "-", 2), h.replacen(n, "-", 2));
                if !n.is_empty() {
                    assert_eq!(count(h, n), h.matches(n).count(), "count({h:?}, {n:?})");
                    assert_eq!(split(h, n, usize::MAX), h.split(n).collect::<Vec<_>>());
                    assert_eq!(split(h, n, 1), h.splitn(2, n).collect::<Vec<_>>());
                } else {
                    assert_eq!(count(h, n), h.chars().count() + 1);
                }
            }
        }
        assert_eq!(find_from("abab", "ab", 1), Some(2));
        assert_eq!(find_from("ab", "", 2), Some(2));
        assert_eq!(find_from("ab", "", 3), None);
    }
}
