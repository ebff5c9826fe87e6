//! The names of named tasks: a map from task id to name, consulted only by the few calls that
//! name or ask for a name, and by retiring a task once any task has been named.
//!
//! Task ids are sequential integers handed out by the executor, not input an attacker picks, so
//! the map hashes them with one multiplication (Fibonacci hashing spreads consecutive ids over the
//! table) instead of the standard library's randomly keyed SipHash, whose key setup and rounds
//! would be linked into every program for a feature most never use.
//!
//! For the same reason the executor never calls the map's removal code directly: naming the first
//! task installs it as a function pointer (`forget`), so retiring a task in a program that never
//! names one is one branch, and that program does not carry the code at all.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

use crate::task::TaskId;

/// The map from live named tasks to their names.
type Names = HashMap<TaskId, Rc<str>, BuildHasherDefault<IdHasher>>;

/// What retiring a task (`Some(id)`) or closing the loop (`None`) does to the map.
type Forget = fn(&TaskNames, Option<TaskId>);

/// The executor's task names (see the module docs).
pub(crate) struct TaskNames {
    map: RefCell<Names>,
    /// `None` until a task is named.
    forget: Cell<Option<Forget>>,
}

impl TaskNames {
    pub(crate) const fn new() -> TaskNames {
        TaskNames {
            map: RefCell::new(HashMap::with_hasher(BuildHasherDefault::new())),
            forget: Cell::new(None),
        }
    }

    /// Names (or renames) the task `id`.
    pub(crate) fn insert(&self, id: TaskId, name: Rc<str>) {
        self.forget.set(Some(Self::remove));
        self.map.borrow_mut().insert(id, name);
    }

    /// The name of task `id`, if it has one.
    pub(crate) fn get(&self, id: TaskId) -> Option<Rc<str>> {
        self.map.borrow().get(&id).cloned()
    }

    /// Task `id` ended: its name, if any, goes.
    #[inline]
    pub(crate) fn retire(&self, id: TaskId) {
        if let Some(forget) = self.forget.get() {
            forget(self, Some(id));
        }
    }

    /// The loop closed: every name goes.
    pub(crate) fn clear(&self) {
        if let Some(forget) = self.forget.get() {
            forget(self, None);
        }
    }

    fn remove(&self, id: Option<TaskId>) {
        let mut map = self.map.borrow_mut();
        match id {
            Some(id) if !map.is_empty() => drop(map.remove(&id)),
            Some(_) => {}
            None => map.clear(),
        }
    }
}

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
        let names = TaskNames::new();
        names.retire(TaskId(1)); // nothing named yet: nothing to do
        names.insert(TaskId(7), "seven".into());
        names.insert(TaskId(8), "eight".into());
        assert_eq!(names.get(TaskId(7)).as_deref(), Some("seven"));
        names.retire(TaskId(8));
        assert!(names.get(TaskId(8)).is_none());
        names.clear();
        assert!(names.get(TaskId(7)).is_none());
    }
}
