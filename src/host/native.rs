//! Native host: `std::time::Instant` for the clock, thread parking for waiting.
//!
//! Used for the project's tests and benchmarks and for users' unit tests. Other threads wake a
//! parked loop through [`LoopWaker`] (an unpark of the loop's thread).

use std::sync::OnceLock;
use std::thread::Thread;
use std::time::{Duration, Instant};

pub(crate) const CAN_BLOCK: bool = true;

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

pub(crate) fn now_nanos() -> u64 {
    u64::try_from(epoch().elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// Blocks the thread until woken or until `timeout` nanoseconds pass (`None`: until woken).
pub(crate) fn park(timeout: Option<u64>) {
    match timeout {
        Some(0) => {}
        Some(ns) => std::thread::park_timeout(Duration::from_nanos(ns)),
        None => std::thread::park(),
    }
}

/// No reactor natively: nothing to check.
pub(crate) fn poll_io() {}

/// Another thread holding a waker may always wake a parked loop.
pub(crate) fn can_wake_without_timer() -> bool {
    true
}

/// The loop never waits for a host callback on native: `Runner::run` turns it.
pub(crate) fn request_tick() {}

/// Wakes the loop's thread from any thread.
pub(crate) struct LoopWaker(Thread);

impl LoopWaker {
    pub(crate) fn for_current_thread() -> LoopWaker {
        LoopWaker(std::thread::current())
    }
    pub(crate) fn wake(&self) {
        self.0.unpark();
    }
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
    /// TCP listening, for `net::start_tcp_server`: not on this host.
    #[allow(dead_code)]
    pub(crate) async fn listen_tcp(_address: &str) -> io::Result<Box<dyn Listener>> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "TCP listening needs WASI preview 2 (wasm32-wasip2)",
        ))
    }
}
