//! The names of named tasks: a map from task id to name, consulted only by the few calls that
//! name or ask for a name, and by retiring a task while any task is named.
//!
//! Task ids are sequential integers handed out by the executor, not input an attacker picks, so
//! the map hashes them with one multiplication (Fibonacci hashing spreads consecutive ids over the
//! table) instead of the standard library's randomly keyed SipHash, whose key setup and rounds
//! would be linked into every program for a feature most never use.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

use crate::task::TaskId;

/// The map from live named tasks to their names.
pub(crate) type Names = HashMap<TaskId, Rc<str>, BuildHasherDefault<IdHasher>>;

/// Hashes a `TaskId` (one `u64`) by multiplying it with 2^64 / φ.
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Not reached for `TaskId` (it writes one `u64`); kept correct for any key.
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_ids_spread_over_the_top_bits() {
        // hashbrown takes its 7-bit tag from the top of the hash and the bucket from the bottom.
        let hash = |id| {
            let mut h = IdHasher::default();
            h.write_u64(id);
            h.finish()
        };
        let tags: std::collections::BTreeSet<u64> = (1..=64).map(|id| hash(id) >> 57).collect();
        assert!(tags.len() > 32, "{} distinct tags", tags.len());
        let buckets: std::collections::BTreeSet<u64> = (1..=64).map(|id| hash(id) & 63).collect();
        assert!(buckets.len() > 32, "{} distinct buckets", buckets.len());
    }

    #[test]
    fn names_map_by_id() {
        let mut names = Names::default();
        names.insert(TaskId(7), "seven".into());
        names.insert(TaskId(8), "eight".into());
        assert_eq!(names.get(&TaskId(7)).map(|n| &**n), Some("seven"));
        assert_eq!(names.remove(&TaskId(8)).as_deref(), Some("eight"));
        assert!(!names.contains_key(&TaskId(8)));
    }
}
