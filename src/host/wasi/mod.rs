//! WASI host: wasmtime components (preview 2, `wasi:io/poll`) and preview 1 modules (`poll_oneoff`).
//!
//! The loop runs on the component's only thread, so waking it from elsewhere is never needed.
//! Waiting is one blocking host call: on p2, `wasi:io/poll.poll` over the pollables tasks wait on
//! plus a clock for the earliest deadline (see `reactor.rs`); on p1, `poll_oneoff` over the fds
//! tasks wait on and a clock subscription (see `p1.rs`).
//!
//! | concern | p2 | p1 |
//! |---|---|---|
//! | clock | `clock.rs` | `p1.rs` |
//! | waiting for I/O and deadlines | `reactor.rs` ([`reactor::Registration`]) | `p1.rs` (`p1::take_ready_or_arm`) |
//!
//! The platform services of this host (TCP, DNS, UDP, stdio, the public `wasio::wasi` module) live
//! above the executor in `crate::wasi` and wait through these two.

#[cfg(target_env = "p1")]
pub(crate) mod p1;
#[cfg(target_env = "p1")]
use p1 as imp;

#[cfg(not(target_env = "p1"))]
mod clock;
#[cfg(not(target_env = "p1"))]
pub(crate) mod reactor;
#[cfg(not(target_env = "p1"))]
mod imp {
    pub(super) use super::clock::now_nanos;
    pub(super) use super::reactor::{can_wake_without_timer, park, poll_io};
}

use super::{Blocking, Host, Wake};

/// The WASI host (see [`Host`]).
pub(crate) struct Wasi;

impl Host for Wasi {
    type LoopWaker = LoopWaker;

    const BLOCKING: Option<Blocking> = Some(Blocking {
        park: imp::park,
        poll_io: imp::poll_io,
        can_wake_without_timer: imp::can_wake_without_timer,
    });

    fn now_nanos() -> u64 {
        imp::now_nanos()
    }

    /// `Runner::run` turns the loop itself; nothing to request.
    fn request_turn() {}

    /// Preview 2 links its blocking wait only from here and from new registrations (see
    /// `reactor.rs`).
    #[cfg(not(target_env = "p1"))]
    fn timer_armed() {
        reactor::enable_wait();
    }
}

/// WASI components have one thread: nobody else can wake the loop.
pub(crate) struct LoopWaker;

impl Wake for LoopWaker {
    fn for_current_thread() -> LoopWaker {
        LoopWaker
    }
    fn wake(&self) {}
}
