//! The preview 2 loop clock: `wasi:clocks/monotonic-clock`, in nanoseconds.

pub(crate) fn now_nanos() -> u64 {
    wasi::clocks::monotonic_clock::now()
}
