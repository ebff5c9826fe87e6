//! The names of named tasks: a map from task id to name, consulted only by the few calls that
//! name or ask for a name, and by retiring a task once any task has been named.
//!
//! The map is an open-addressing table: a power-of-two `Vec` of slots, each empty or holding one
//! `(TaskId, name)`, at most half of them full. A task's home slot is its id times 2^64 / φ, top
//! bits (Fibonacci hashing spreads consecutive ids over the table); a lookup walks from the home
//! slot to the first empty one (linear probing), and a removal shifts the entries after it back
//! (so no tombstones). Task ids are sequential integers handed out by the executor, not input an
//! attacker picks, so neither a keyed hash nor the standard library's `HashMap` is needed: its
//! SIMD-group table and SipHash cost the browser build about 1 KB gz for a feature most programs
//! never use.
//!
//! For the same reason the executor never calls the map's removal code directly: naming the first
//! task installs it as a function pointer (`forget`), so retiring a task in a program that never
//! names one is one branch, and that program does not carry the code at all.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::task::TaskId;

/// What retiring a task (`Some(id)`) or closing the loop (`None`) does to the map.
type Forget = fn(&TaskNames, Option<TaskId>);

/// The executor's task names (see the module docs).
pub(crate) struct TaskNames {
    map: RefCell<Table>,
    /// `None` until a task is named.
    forget: Cell<Option<Forget>>,
}

impl TaskNames {
    pub(crate) const fn new() -> TaskNames {
        TaskNames {
            map: RefCell::new(Table::new()),
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
        let map = self.map.borrow();
        let i = map.find(id)?;
        map.slots[i].as_ref().map(|e| e.1.clone())
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
        // The names go after the borrow ends.
        match id {
            Some(id) => {
                let gone = self.map.borrow_mut().remove(id);
                drop(gone);
            }
            None => {
                let gone = std::mem::take(&mut *self.map.borrow_mut());
                drop(gone);
            }
        }
    }
}

/// The open-addressing table of the module docs.
#[derive(Default)]
struct Table {
    /// `0` or a power of two slots, at most half of them full.
    slots: Vec<Option<(TaskId, Rc<str>)>>,
    /// Full slots.
    len: usize,
}

impl Table {
    const fn new() -> Table {
        Table {
            slots: Vec::new(),
            len: 0,
        }
    }

    /// The home slot of `id` in a table of `slots` slots (a power of two, at least 8).
    fn home(id: TaskId, slots: usize) -> usize {
        let bits = slots.trailing_zeros();
        (id.0.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - bits)) as usize
    }

    /// The slot holding `id`.
    fn find(&self, id: TaskId) -> Option<usize> {
        let n = self.slots.len();
        if self.len == 0 {
            return None;
        }
        let mut i = Self::home(id, n);
        loop {
            match &self.slots[i] {
                None => return None,
                Some((k, _)) if *k == id => return Some(i),
                Some(_) => i = (i + 1) & (n - 1),
            }
        }
    }

    fn insert(&mut self, id: TaskId, name: Rc<str>) {
        if let Some(i) = self.find(id) {
            if let Some(e) = &mut self.slots[i] {
                e.1 = name;
            }
            return;
        }
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        self.place(id, name);
        self.len += 1;
    }

    /// Puts `(id, name)` in the first empty slot from its home (there is one: at most half full).
    fn place(&mut self, id: TaskId, name: Rc<str>) {
        let n = self.slots.len();
        let mut i = Self::home(id, n);
        while self.slots[i].is_some() {
            i = (i + 1) & (n - 1);
        }
        self.slots[i] = Some((id, name));
    }

    /// Twice the slots (8 at first), every entry placed again.
    fn grow(&mut self) {
        let n = (self.slots.len() * 2).max(8);
        let old = std::mem::replace(&mut self.slots, (0..n).map(|_| None).collect());
        for (id, name) in old.into_iter().flatten() {
            self.place(id, name);
        }
    }

    /// Takes `id`'s name out, then shifts back each later entry of the run that the emptied slot
    /// would cut off from its home.
    fn remove(&mut self, id: TaskId) -> Option<Rc<str>> {
        let mut hole = self.find(id)?;
        let (_, name) = self.slots[hole].take()?;
        self.len -= 1;
        let n = self.slots.len();
        let mut j = hole;
        loop {
            j = (j + 1) & (n - 1);
            let Some((k, _)) = &self.slots[j] else { break };
            let home = Self::home(*k, n);
            // The entry at j may move to the hole when its home is not cyclically in (hole, j].
            let reachable = if hole <= j {
                hole < home && home <= j
            } else {
                hole < home || home <= j
            };
            if !reachable {
                self.slots[hole] = self.slots[j].take();
                hole = j;
            }
        }
        Some(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn consecutive_ids_spread_over_the_slots() {
        let homes: std::collections::BTreeSet<usize> =
            (1..=64).map(|id| Table::home(TaskId(id), 128)).collect();
        assert!(homes.len() > 48, "{} distinct home slots", homes.len());
    }

    #[test]
    fn names_map_by_id() {
        let names = TaskNames::new();
        names.retire(TaskId(1)); // nothing named yet: nothing to do
        names.insert(TaskId(7), "seven".into());
        names.insert(TaskId(8), "eight".into());
        assert_eq!(names.get(TaskId(7)).as_deref(), Some("seven"));
        names.insert(TaskId(7), "sieben".into());
        assert_eq!(names.get(TaskId(7)).as_deref(), Some("sieben"));
        names.retire(TaskId(8));
        assert!(names.get(TaskId(8)).is_none());
        names.clear();
        assert!(names.get(TaskId(7)).is_none());
    }

    #[test]
    fn the_table_agrees_with_a_hash_map_over_random_operations() {
        // xorshift64: the same sequence every run. Ids from a small range, so that inserts,
        // renames and removals hit the same keys.
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        // Small tables (8 and 16 slots) wrap their probe runs around the end often.
        for range in [4u64, 7, 12, 40, 300] {
            // Random ids (random home slots) from a pool of `range`.
            let pool: Vec<u64> = (0..range).map(|_| next()).collect();
            let mut table = Table::new();
            let mut model: HashMap<u64, Rc<str>> = HashMap::new();
            for step in 0..40_000u64 {
                let r = next();
                let id = pool[((r >> 8) % range) as usize];
                if r % 5 < 3 {
                    let name: Rc<str> = step.to_string().into();
                    table.insert(TaskId(id), name.clone());
                    model.insert(id, name);
                } else {
                    assert_eq!(table.remove(TaskId(id)), model.remove(&id));
                }
                if step % 97 == 0 {
                    for &probe in &pool {
                        let got = table
                            .find(TaskId(probe))
                            .and_then(|i| table.slots[i].clone());
                        assert_eq!(got.map(|e| e.1), model.get(&probe).cloned(), "id {probe}");
                    }
                    assert_eq!(table.len, model.len());
                    assert!(table.len * 2 <= table.slots.len());
                }
            }
        }
    }
}
