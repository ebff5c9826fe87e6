//! WASI preview 1: `clock_time_get` for the clock, `poll_oneoff` for deadlines and stdio.
//!
//! # Data structure
//!
//! A thread-local list of waiters `(fd, direction, waker)`: a task that found stdin empty (or would
//! block) arms one with [`take_ready_or_arm`]. [`park`] subscribes to every armed fd plus one relative clock for the
//! earliest deadline, and wakes the waiters whose fds `poll_oneoff` reports ready; their fds are
//! then marked ready (`READY`) until the task reads. Preview 1 has no sockets: `crate::net` fails
//! with `Unsupported` for `host:port` addresses. The stdio that waits here is `crate::wasi::stdio_p1`.

use std::cell::RefCell;
use std::task::{Context, Waker};

pub(crate) fn now_nanos() -> u64 {
    // SAFETY: a plain host call with a valid clock id.
    #[allow(unsafe_code)]
    unsafe {
        wasi::clock_time_get(wasi::CLOCKID_MONOTONIC, 1).unwrap_or(0)
    }
}

struct Waiter {
    fd: u32,
    write: bool,
    waker: Waker,
}

#[derive(Default)]
struct State {
    waiters: Vec<Waiter>,
    /// Fds (and directions) poll_oneoff reported ready since their task last looked.
    ready: Vec<(u32, bool)>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

/// Takes a readiness report for `fd` if there is one; otherwise arms a waiter and returns `false`.
pub(crate) fn take_ready_or_arm(fd: u32, write: bool, cx: &Context<'_>) -> bool {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        if let Some(i) = s.ready.iter().position(|&r| r == (fd, write)) {
            s.ready.swap_remove(i);
            return true;
        }
        match s
            .waiters
            .iter_mut()
            .find(|w| w.fd == fd && w.write == write)
        {
            Some(w) => w.waker.clone_from(cx.waker()),
            None => s.waiters.push(Waiter {
                fd,
                write,
                waker: cx.waker().clone(),
            }),
        }
        false
    })
}

fn subscription(userdata: u64, u: wasi::SubscriptionU) -> wasi::Subscription {
    wasi::Subscription { userdata, u }
}

fn wait_io(timeout: Option<u64>) {
    let subs: Vec<wasi::Subscription> = STATE.with(|s| {
        let s = s.borrow();
        let mut subs: Vec<_> = s
            .waiters
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let rw = wasi::SubscriptionFdReadwrite {
                    file_descriptor: w.fd,
                };
                let (tag, u) = if w.write {
                    (
                        wasi::EVENTTYPE_FD_WRITE,
                        wasi::SubscriptionUU { fd_write: rw },
                    )
                } else {
                    (
                        wasi::EVENTTYPE_FD_READ,
                        wasi::SubscriptionUU { fd_read: rw },
                    )
                };
                subscription(i as u64, wasi::SubscriptionU { tag: tag.raw(), u })
            })
            .collect();
        if let Some(ns) = timeout {
            let clock = wasi::SubscriptionClock {
                id: wasi::CLOCKID_MONOTONIC,
                timeout: ns,
                precision: 1,
                flags: 0,
            };
            let u = wasi::SubscriptionU {
                tag: wasi::EVENTTYPE_CLOCK.raw(),
                u: wasi::SubscriptionUU { clock },
            };
            subs.push(subscription(u64::MAX, u));
        }
        subs
    });
    if subs.is_empty() {
        return;
    }
    let mut events: Vec<wasi::Event> = Vec::with_capacity(subs.len());
    // SAFETY: `subs` holds `subs.len()` valid subscriptions and `events` has room for as many events;
    // poll_oneoff writes `n <= subs.len()` of them, and only those are then exposed by `set_len`.
    #[allow(unsafe_code)]
    let n = unsafe {
        let n = wasi::poll_oneoff(subs.as_ptr(), events.as_mut_ptr(), subs.len()).unwrap_or(0);
        events.set_len(n.min(subs.len()));
        n
    };
    let _ = n;
    let wake: Vec<Waker> = STATE.with(|s| {
        let mut s = s.borrow_mut();
        let mut hit: Vec<usize> = events
            .iter()
            .filter(|e| e.userdata != u64::MAX)
            .map(|e| e.userdata as usize)
            .filter(|&i| i < s.waiters.len())
            .collect();
        hit.sort_unstable();
        hit.dedup();
        let mut out = Vec::with_capacity(hit.len());
        for &i in hit.iter().rev() {
            let w = s.waiters.swap_remove(i);
            s.ready.push((w.fd, w.write));
            out.push(w.waker);
        }
        out
    });
    wake.into_iter().for_each(Waker::wake);
}

/// Blocks in `poll_oneoff` until an armed fd is ready or `timeout` nanoseconds pass.
pub(crate) fn park(timeout: Option<u64>) {
    wait_io(timeout);
}

/// Whether a task waits on an fd (a component has one thread: nothing else can wake the loop).
pub(crate) fn can_wake_without_timer() -> bool {
    STATE.with(|s| !s.borrow().waiters.is_empty())
}

/// Checks armed fds without blocking.
pub(crate) fn poll_io() {
    if STATE.with(|s| !s.borrow().waiters.is_empty()) {
        wait_io(Some(0));
    }
}
