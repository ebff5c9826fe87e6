//! The executor's registry of live, already polled tasks: an intrusive doubly linked list through
//! the task headers.
//!
//! # Data structure
//!
//! `head` points at the most recently added task. Each task's [`Links`] (in its header) point at
//! its neighbours: `older`, the task added just before it (a wide pointer, since it is what
//! [`TaskList::drain_into`] turns back into a `TaskRc<dyn RawTask>`), and `newer`, the one added just
//! after it (a thin pointer to its header, which is all unlinking touches). The list owns one
//! counted reference to every task in it: [`TaskList::push`] takes it and [`TaskList::remove`] gives it
//! back. Both are O(1), allocate nothing and need no borrow flag.
//!
//! Why the registry exists at all: a pending task is otherwise owned only by its wakers and its
//! handle, wherever they are; closing the loop finds every future still alive through it, and
//! drops them at home.
//!
//! Everything here runs on the executor's home thread only; the links are plain `Cell`s.

use std::cell::Cell;
use std::ptr::NonNull;

use super::task_cell::{HasHeader, Header, RawTask, LINKED};
use super::task_rc::TaskRc;

/// A task's place in the [`TaskList`] (whether it is in it at all is its header's `LINKED` bit).
#[derive(Default)]
pub(crate) struct Links {
    older: Cell<Option<NonNull<dyn RawTask>>>,
    newer: Cell<Option<NonNull<Header>>>,
}

pub(crate) struct TaskList {
    head: Cell<Option<NonNull<dyn RawTask>>>,
}

impl TaskList {
    pub(crate) const fn new() -> TaskList {
        TaskList {
            head: Cell::new(None),
        }
    }

    /// Adds a task (which must not be in any list), taking over the strong reference `task`.
    #[allow(unsafe_code)]
    pub(crate) fn push(&self, task: TaskRc<dyn RawTask>) {
        let ptr = task.into_raw();
        // SAFETY: the list now owns the reference `task` held, so the task stays alive until
        // `remove` or `drain_into` gives it back.
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
    #[allow(unsafe_code)]
    pub(crate) fn remove(&self, header: &Header) -> Option<TaskRc<dyn RawTask>> {
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
        // A linked task is pointed at by its newer neighbour or the head (`?`: no panic site,
        // whose message and location every app would link).
        let me = me?;
        // SAFETY: `me` is this task's pointer as `push` stored it; the list's reference is handed
        // back exactly once (`LINKED` is now clear). The list lives on the home thread.
        Some(unsafe { TaskRc::from_raw(me) })
    }

    /// Empties the list, appending every task in it to `all`, oldest first.
    #[allow(unsafe_code)]
    pub(crate) fn drain_into(&self, all: &mut Vec<TaskRc<dyn RawTask>>) {
        let start = all.len();
        let mut next = self.head.take();
        while let Some(ptr) = next {
            // SAFETY: a list member, whose reference the list gives up here, exactly once.
            let task = unsafe { TaskRc::from_raw(ptr) };
            let header = task.header();
            header.clear(LINKED);
            let links = &header.links;
            links.newer.set(None);
            next = links.older.take();
            all.push(task);
        }
        all[start..].reverse();
    }
}

impl Drop for TaskList {
    /// The executor is going away (its thread is exiting): give back every reference the list holds.
    fn drop(&mut self) {
        let mut all = Vec::new();
        self.drain_into(&mut all);
    }
}
