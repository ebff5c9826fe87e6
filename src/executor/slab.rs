//! The task table: a vector of slots with a free list.
//!
//! A slot index is stable for a task's whole life (`Header::slot`), so removal is O(1) and no task
//! moves. Freed slots are reused last-in first-out, which keeps the table dense.

use std::sync::Arc;

use super::task_cell::RawTask;

#[derive(Default)]
pub(crate) struct Slab {
    slots: Vec<Option<Arc<dyn RawTask>>>,
    free: Vec<u32>,
    len: usize,
}

impl Slab {
    pub(crate) fn insert(&mut self, task: Arc<dyn RawTask>) -> u32 {
        self.len += 1;
        match self.free.pop() {
            Some(i) => {
                self.slots[i as usize] = Some(task);
                i
            }
            None => {
                self.slots.push(Some(task));
                (self.slots.len() - 1) as u32
            }
        }
    }

    pub(crate) fn remove(&mut self, slot: u32) -> Option<Arc<dyn RawTask>> {
        let t = self.slots.get_mut(slot as usize)?.take()?;
        self.free.push(slot);
        self.len -= 1;
        Some(t)
    }

    pub(crate) fn get(&self, slot: u32) -> Option<Arc<dyn RawTask>> {
        self.slots.get(slot as usize)?.clone()
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Empties the table, returning every task in slot order.
    pub(crate) fn drain(&mut self) -> Vec<Arc<dyn RawTask>> {
        self.free.clear();
        self.len = 0;
        std::mem::take(&mut self.slots)
            .into_iter()
            .flatten()
            .collect()
    }
}
