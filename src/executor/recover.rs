//! Recovering from a turn that never returned: only the browser host, where a wasm trap (a panic
//! under `panic=abort`) or a JS exception can cut a turn short, needs it, and only with the
//! `recover` feature, so this file is mounted only there (the task's half is `abandon` in
//! `task_cell.rs`). The browser driver calls it from the guard around its callbacks.

use super::{Executor, HasHeader, TaskRc};
use crate::task::TaskId;

impl Executor {
    /// Called by a host whose turn never returned (a wasm trap from a panic under `panic=abort`, or
    /// a JS exception thrown through a poll): clears the "turn in progress" flags so the loop is
    /// not wedged, and ends the task whose poll was interrupted with a panicked `JoinError`
    /// carrying `message` (its future is leaked, never dropped: it stopped mid-update). Returns
    /// that task's id, or `None` if no turn was interrupted.
    #[allow(unsafe_code)]
    pub(crate) fn recover_interrupted_turn(&self, message: &str) -> Option<Option<TaskId>> {
        if !self.in_turn.replace(false) {
            return None;
        }
        self.turn_requested.set(false);
        let Some(ptr) = self.current.take() else {
            return Some(None);
        };
        // SAFETY: as in `current`: the interrupted poll's reference was leaked, never dropped.
        let task = unsafe { TaskRc::clone_from_ptr(ptr) };
        if task.abandon(message) {
            self.retire(&task);
        }
        Some(Some(task.header().id))
    }
}
