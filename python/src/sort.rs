//! A stable sort of `n` items given as indices: a bottom-up merge sort over a permutation.
//!
//! The data structure is two `Vec<usize>` of the same length, the current order and a scratch
//! buffer: each pass merges neighbouring runs of `width` indices from one into the other, then
//! the two swap and `width` doubles, until one run covers everything. A merge whose right run's
//! first item is not less than its left run's last copies both runs unchanged. Input already in
//! order is found first, by the `n - 1` comparisons CPython's timsort makes, in its order (so a
//! `__lt__` that prints prints what it prints under CPython); other input is compared in a
//! different order than timsort's, with the same stable result.
//!
//! Only indices move, so one compiled copy serves every caller whatever it sorts (it replaces
//! three instantiations of core's stable sort in the browser build, about 9 KB of code), and a
//! comparison that fails (a Python exception from `__lt__`) ends the sort at once.

use crate::interp::Res;

/// The stable order of `n` items under `less(a, b)` ("item `a` sorts before item `b`"): the
/// item indices, first to last. Equal items keep their input order. The first error `less`
/// returns is returned unchanged.
pub fn stable_order(n: usize, less: &mut dyn FnMut(usize, usize) -> Res<bool>) -> Res<Vec<usize>> {
    let mut cur: Vec<usize> = (0..n).collect();
    // Input already in order: the comparisons CPython's timsort makes first, in its order.
    let mut run = 1;
    while run < n && !less(run, run - 1)? {
        run += 1;
    }
    if run >= n {
        return Ok(cur);
    }
    let mut next = cur.clone();
    let mut width = 1;
    while width < n {
        let mut lo = 0;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (mid + width).min(n);
            if mid == hi || !less(cur[mid], cur[mid - 1])? {
                next[lo..hi].copy_from_slice(&cur[lo..hi]);
            } else {
                let (mut l, mut r) = (lo, mid);
                for slot in &mut next[lo..hi] {
                    // The right run's item goes first only when strictly less: stability.
                    let right = l == mid || (r < hi && less(cur[r], cur[l])?);
                    if right {
                        *slot = cur[r];
                        r += 1;
                    } else {
                        *slot = cur[l];
                        l += 1;
                    }
                }
            }
            lo = hi;
        }
        std::mem::swap(&mut cur, &mut next);
        width *= 2;
    }
    Ok(cur)
}

#[cfg(test)]
mod tests {
    use super::stable_order;

    fn sorted_by_key(keys: &[i32]) -> Vec<usize> {
        stable_order(keys.len(), &mut |a, b| Ok(keys[a] < keys[b]))
            .unwrap_or_else(|_| panic!("the sort failed"))
    }

    #[test]
    fn sorts_stably_at_every_length() {
        // Every length up to 70 (runs of odd sizes at every level), keys with many ties.
        for n in 0..70usize {
            let keys: Vec<i32> = (0..n).map(|i| ((i * 7919) % 13) as i32).collect();
            let got = sorted_by_key(&keys);
            let mut want: Vec<usize> = (0..n).collect();
            want.sort_by_key(|&i| keys[i]);
            assert_eq!(got, want, "n = {n}");
        }
    }

    #[test]
    fn ordered_input_costs_n_minus_one_comparisons() {
        let keys: Vec<i32> = (0..100).collect();
        let mut count = 0;
        let got = stable_order(keys.len(), &mut |a, b| {
            count += 1;
            Ok(keys[a] < keys[b])
        })
        .unwrap_or_else(|_| panic!("the sort failed"));
        assert_eq!(got, (0..100).collect::<Vec<_>>());
        assert_eq!(count, 99);
    }

    #[test]
    fn the_first_error_ends_the_sort() {
        let mut count = 0;
        let got = stable_order(50, &mut |_, _| {
            count += 1;
            if count == 3 {
                Err(Box::new(crate::interp::Exc {
                    val: crate::value::Value::None,
                    tb: vec![],
                    fatal: false,
                }))
            } else {
                Ok(true)
            }
        });
        assert!(got.is_err());
        assert_eq!(count, 3);
    }
}
