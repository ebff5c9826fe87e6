//! WASI host: wasmtime components (preview 2, `wasi:io/poll`) and preview 1 modules (`poll_oneoff`).
//!
//! The loop runs on the component's only thread, so waking it is never needed; waiting is one
//! blocking host call over a clock for the earliest deadline (and, on p2, the pollables tasks wait
//! on).

#[cfg(target_env = "p1")]
mod p1;
#[cfg(target_env = "p1")]
pub(crate) use p1::{now_nanos, park};

#[cfg(not(target_env = "p1"))]
mod p2;
#[cfg(not(target_env = "p1"))]
pub(crate) use p2::{now_nanos, park};

pub(crate) const CAN_BLOCK: bool = true;

/// `Runner::run` turns the loop itself; nothing to request.
pub(crate) fn request_tick() {}

/// WASI components have one thread: nobody else can wake the loop.
pub(crate) struct LoopWaker;

impl LoopWaker {
    pub(crate) fn for_current_thread() -> LoopWaker {
        LoopWaker
    }
    pub(crate) fn wake(&self) {}
}

/// This host's transports for `crate::net` (none yet: only `mem://` works here).
pub(crate) mod net {
    use std::io;

    use crate::host::LocalBoxFuture;
    use crate::stream::transport::{Connection, Listener};

    /// Connects to `address`, or `None` if this host has no transport for its scheme.
    #[allow(dead_code)]
    pub(crate) fn connect(_address: &str) -> Option<LocalBoxFuture<io::Result<Connection>>> {
        None
    }

    /// Listens on `address`, or `None` if this host has no transport for its scheme.
    #[allow(dead_code)]
    pub(crate) fn listen(_address: &str) -> Option<LocalBoxFuture<io::Result<Box<dyn Listener>>>> {
        None
    }
}
