//! WASI 0.2: `wasi:clocks/monotonic-clock` and `wasi:io/poll`.

use wasi::clocks::monotonic_clock;

pub(crate) fn now_nanos() -> u64 {
    monotonic_clock::now()
}

/// Blocks in `wasi:io/poll.poll` until the deadline `timeout` nanoseconds away.
pub(crate) fn park(timeout: Option<u64>) {
    if let Some(ns) = timeout {
        if ns > 0 {
            let clock = monotonic_clock::subscribe_duration(ns);
            wasi::io::poll::poll(&[&clock]);
        }
    }
}
