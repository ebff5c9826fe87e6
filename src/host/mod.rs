//! The host seam: what the executor needs of the host it runs on, and nothing else.
//!
//! # The contract
//!
//! One type per host implements [`Host`], chosen at compile time by target ([`Current`]):
//!
//! | need | item | browser / Node | WASI p2 | WASI p1 | native |
//! |---|---|---|---|---|---|
//! | now | [`Host::now_nanos`] | `performance.now()` | monotonic-clock | `clock_time_get` | `std::time::Instant` |
//! | request a turn | [`Host::request_turn`] | one microtask per turn | — (the runner turns) | — | — |
//! | wake the loop from another thread | [`Host::LoopWaker`] | — (one thread) | — (one thread) | — | unpark |
//! | wait for I/O and the earliest deadline | [`Host::BLOCKING`] | — (JS callbacks wake tasks) | `wasi:io/poll.poll` | `poll_oneoff` | park |
//!
//! Hosts come in two kinds, and the contract says which:
//!
//! * **Blocking hosts** (native, WASI) may block their thread: [`Host::BLOCKING`] is `Some`, and
//!   [`Runner::run`](crate::Runner::run) turns the loop itself, parking or polling between turns
//!   through the [`Blocking`] functions. Their `request_turn` is empty: the runner is already
//!   turning.
//! * **Callback hosts** (the browser and Node) can never block: `BLOCKING` is `None` (so
//!   `Runner::run` reports `CannotBlock`), and the host's own event loop drives turns from
//!   callbacks that `request_turn` queues (see `browser/driver.rs`).
//!
//! Every host's driver runs the one loop step, [`crate::executor::step`]. A new host is one more
//! module here implementing [`Host`], plus its backends in the platform services above the
//! executor (`crate::net`, `crate::http`, `crate::browser`, `crate::wasi`).
//!
//! # Layering
//!
//! This module is the bottom of the crate: it names nothing above the executor (no `time`, `net`,
//! `stream`, `task`, `sync` or `queue`). The platform services build on it (the WASI reactor's
//! `Registration`, the browser's JS glue); it never builds on them. One module outside the
//! executor is at its level, not above it: `crate::trace::wait`, the per-thread wait-reason byte
//! the executor resets and reads around every poll, so the WASI reactor records `WaitReason::Io`.

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub(crate) mod browser;
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub(crate) use browser::Browser as Current;

#[cfg(all(target_arch = "wasm32", target_os = "wasi"))]
pub(crate) mod wasi;
#[cfg(all(target_arch = "wasm32", target_os = "wasi"))]
pub(crate) use wasi::Wasi as Current;

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(not(target_arch = "wasm32"))]
pub(crate) use native::Native as Current;

/// The loop waker of this host.
pub(crate) type LoopWaker = <Current as Host>::LoopWaker;

/// What a host provides to the executor (see the module docs).
pub(crate) trait Host {
    /// Wakes a loop blocked on this host from any thread (hosts with one thread: a no-op, as
    /// nothing else can run while the loop waits).
    type LoopWaker: Wake;

    /// `Some` on a host whose thread may block between turns: then `Runner::run` drives the loop.
    const BLOCKING: Option<Blocking>;

    /// The host's monotonic clock, in nanoseconds since an origin of its choosing.
    fn now_nanos() -> u64;

    /// The executor has work and no turn is under way or queued: ask the host for one. Called at
    /// most once until the next turn starts; empty on blocking hosts (the runner is turning).
    fn request_turn();

    /// A timer was armed: a host that links its way of waiting for a deadline only once it can be
    /// needed (WASI preview 2) makes it ready here. Nothing by default.
    fn timer_armed() {}
}

/// Waking a loop from another thread: what [`Host::LoopWaker`] does.
pub(crate) trait Wake: Send + Sync {
    /// The waker of the loop on the calling thread.
    fn for_current_thread() -> Self;
    /// Wakes that loop if it is blocked in [`Blocking::park`].
    fn wake(&self);
}

/// How a blocking host waits between turns.
#[derive(Clone, Copy)]
pub(crate) struct Blocking {
    /// Blocks until I/O is ready, the loop waker is woken, or `timeout` nanoseconds pass (`None`:
    /// no deadline). Wakes the tasks whose I/O is ready.
    pub(crate) park: fn(timeout: Option<u64>),
    /// Wakes the tasks whose I/O is ready, without blocking (the runner calls it on turns that
    /// leave tasks ready, so busy tasks cannot starve I/O).
    pub(crate) poll_io: fn(),
    /// Whether an idle loop with no timer armed could still be woken (by I/O, or by another
    /// thread); if not, `Runner::run` reports a deadlock instead of hanging.
    pub(crate) can_wake_without_timer: fn() -> bool,
}

/// The host clock, in nanoseconds.
#[inline]
pub(crate) fn now_nanos() -> u64 {
    <Current as Host>::now_nanos()
}

/// Asks the host for a turn (see [`Host::request_turn`]).
#[inline]
pub(crate) fn request_turn() {
    <Current as Host>::request_turn()
}

/// Tells the host a timer was armed (see [`Host::timer_armed`]).
#[inline]
pub(crate) fn timer_armed() {
    <Current as Host>::timer_armed()
}

/// How this host waits between turns, if its thread may block (see [`Host::BLOCKING`]).
pub(crate) const BLOCKING: Option<Blocking> = <Current as Host>::BLOCKING;
