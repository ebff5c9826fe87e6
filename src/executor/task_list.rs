//! The executor's registry of live, already polled tasks: an intrusive doubly linked list through
//! the task headers.
//!
//! # Data structure
//!
//! `head` points at the most recently spawned live task. Each task's [`Links`] (in its header) point
//! at its neighbours: `older`, the task spawned just before it (a wide pointer, since it is what
//! [`TaskList::drain`] turns back into an `Arc<dyn RawTask>`), and `newer`, the one spawned just after
//! it (a thin pointer to its header, which is all unlinking touches). The list owns one strong
//! reference to every task in it: [`TaskList::push`] takes it and [`TaskList::remove`] gives it
//! back. Both are O(1), allocate nothing and need no borrow flag, which is why this replaced a slab:
//! registering and retiring a task are on the path of every spawn.
//!
//! Why the registry exists at all: it keeps each live task's future owned by the home thread (a
//! waker held on another thread must never be the last owner of a `!Send` future), and closing the
//! loop finds every future still alive through it.
//!
//! Everything here runs on the executor's home thread only; the links are plain `Cell`s.

use std::cell::Cell;
use std::ptr::NonNull;
use std::sync::Arc;

use super::task_cell::{HasHeader, Header, RawTask, LINKED};

/// A task's place in the [`TaskList`] (whether it is in it at all is its header's `LINKED` bit).
#[derive(Default)]
pub(crate) struct Links {
    older: Cell<Option<NonNull<dyn RawTask>>>,
    newer: Cell<Option<NonNull<Header>>>,
}

#[derive(Default)]
pub(crate) struct TaskList {
    head: Cell<Option<NonNull<dyn RawTask>>>,
}

impl TaskList {
    /// Adds a task (which must not be in any list), taking over the strong reference `task`.
    pub(crate) fn push(&self, task: Arc<dyn RawTask>) {
        let ptr = NonNull::new(Arc::into_raw(task).cast_mut()).expect("an Arc is never null");
        // SAFETY: `ptr` came from `Arc::into_raw` just above; the list now owns that reference,
        // so the task stays alive until `remove` or `drain` gives it back.
        let header = unsafe { ptr.as_ref() }.header();
        debug_assert!(!header.has(LINKED));
        let header_ptr = NonNull::from(header);
        header.set(LINKED);
        header.links.older.set(self.head.get());
        header.links.newer.set(None);
        if let Some(old) = self.head.get() {
            // SAFETY: every pointer in the list is to a live task the list holds a reference to.
            unsafe { old.as_ref() }
                .header()
                .links
                .newer
                .set(Some(header_ptr));
        }
        self.head.set(Some(ptr));
    }

    /// Takes a task out of the list and returns the list's reference to it; `None` if it was not
    /// in the list.
    pub(crate) fn remove(&self, header: &Header) -> Option<Arc<dyn RawTask>> {
        if !header.has(LINKED) {
            return None;
        }
        header.clear(LINKED);
        let links = &header.links;
        let older = links.older.take();
        let newer = links.newer.take();
        if let Some(o) = older {
            // SAFETY: list members are live (the list holds a reference to each).
            unsafe { o.as_ref() }.header().links.newer.set(newer);
        }
        let me = match newer {
            // SAFETY: as above.
            Some(n) => unsafe { n.as_ref() }.links.older.replace(older),
            None => self.head.replace(older),
        };
        let me = me.expect("a linked task is pointed at by its newer neighbour or the head");
        // SAFETY: `me` is this task's pointer as produced by `Arc::into_raw` in `push`; the list's
        // reference is handed back exactly once (`LINKED` is now clear).
        Some(unsafe { Arc::from_raw(me.as_ptr()) })
    }

    /// Empties the list, returning every task in it, oldest first.
    pub(crate) fn drain(&self) -> Vec<Arc<dyn RawTask>> {
        let mut all = Vec::new();
        let mut next = self.head.take();
        while let Some(ptr) = next {
            // SAFETY: a list member, whose reference the list gives up here, exactly once.
            let task = unsafe { Arc::from_raw(ptr.as_ptr()) };
            let header = task.header();
            header.clear(LINKED);
            let links = &header.links;
            links.newer.set(None);
            next = links.older.take();
            all.push(task);
        }
        all.reverse();
        all
    }
}

/// A new strong reference to the task `ptr` points at.
///
/// # Safety
///
/// `ptr` must point at a live task that stays alive for the duration of the call (for example one
/// in a [`TaskList`], or one the caller holds an `Arc` to).
pub(crate) unsafe fn clone_task(ptr: NonNull<dyn RawTask>) -> Arc<dyn RawTask> {
    // SAFETY: the caller guarantees the task is alive; it lives in an `Arc` (every task does), and
    // the pointer is the one `Arc::as_ptr`/`into_raw` gives, so adding a count and rebuilding an
    // `Arc` from it is the documented way to clone through a raw pointer.
    unsafe {
        Arc::increment_strong_count(ptr.as_ptr());
        Arc::from_raw(ptr.as_ptr())
    }
}
