//! Helpers for the sync and queue tests: an event log and a way to let every ready task run.

#![allow(dead_code)]

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Wake, Waker};
use std::time::Duration;

/// An ordered record of what the tasks did.
#[derive(Clone, Default)]
pub struct Log(Rc<RefCell<Vec<String>>>);

impl Log {
    pub fn push(&self, s: impl Into<String>) {
        self.0.borrow_mut().push(s.into());
    }
    /// Everything logged since the last `take`.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.borrow_mut())
    }
}

/// Lets every task that can run do so until the loop is idle (the simulated clock only moves when
/// nothing is ready, so a short sleep returns after everything else settled).
pub async fn settle() {
    wasio::sleep(Duration::from_millis(1)).await;
}

/// A waker whose clones are visible through `Arc::strong_count`.
pub struct CountingWaker;
impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {}
}

/// A waker, and its shared core to count clones with.
pub fn counting_waker() -> (Arc<CountingWaker>, Waker) {
    let core = Arc::new(CountingWaker);
    let waker = Waker::from(core.clone());
    (core, waker)
}
