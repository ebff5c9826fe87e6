//! WASI preview 1: `clock_time_get` and `poll_oneoff`.

pub(crate) fn now_nanos() -> u64 {
    // SAFETY: a plain host call with a valid clock id.
    #[allow(unsafe_code)]
    unsafe {
        wasi::clock_time_get(wasi::CLOCKID_MONOTONIC, 1).unwrap_or(0)
    }
}

/// Blocks in `poll_oneoff` on one relative clock subscription.
pub(crate) fn park(timeout: Option<u64>) {
    let Some(ns) = timeout.filter(|&ns| ns > 0) else { return };
    let sub = wasi::Subscription {
        userdata: 0,
        u: wasi::SubscriptionU {
            tag: wasi::EVENTTYPE_CLOCK.raw(),
            u: wasi::SubscriptionUU {
                clock: wasi::SubscriptionClock {
                    id: wasi::CLOCKID_MONOTONIC,
                    timeout: ns,
                    precision: 1,
                    flags: 0,
                },
            },
        },
    };
    let mut event = std::mem::MaybeUninit::<wasi::Event>::uninit();
    // SAFETY: one subscription in, room for one event out.
    #[allow(unsafe_code)]
    unsafe {
        let _ = wasi::poll_oneoff(&sub, event.as_mut_ptr(), 1);
    }
}
