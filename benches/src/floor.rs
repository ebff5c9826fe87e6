//! The floor of a single-threaded ping-pong: the least any executor and channel can do for one
//! round trip, so a benchmark can show how far above it a runtime is, and how far above it a
//! target lies on the machine at hand.
//!
//! * Executor: a thread-local FIFO of `Rc` tasks; a task is a boxed future and a `queued` flag;
//!   its waker is the `Rc` pointer itself (clone and drop move the non-atomic count), so a
//!   wake-up is one flag test and one push. No budget, no timers, no cancellation, no names.
//! * Channel: an unbounded `VecDeque` and one waker slot (a single consumer), refreshed only when
//!   the consumer's waker changes.
//!
//! Nothing here is usable as a runtime (no fairness budget, no FIFO among several waiters, no
//! cancellation handling, no cross-thread wakes): it is the cost model's lower bound.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::hint::black_box;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

struct Task {
    future: RefCell<Option<Pin<Box<dyn Future<Output = ()>>>>>,
    queued: Cell<bool>,
}

thread_local! {
    static READY: RefCell<VecDeque<Rc<Task>>> = const { RefCell::new(VecDeque::new()) };
}

fn schedule(task: Rc<Task>) {
    if !task.queued.replace(true) {
        READY.with(|r| r.borrow_mut().push_back(task));
    }
}

// The waker's data pointer is an `Rc<Task>` turned into a raw pointer: each waker owns one strong
// count. Wakers of this executor are used only on the thread that runs it (the benchmark never
// sends one elsewhere), which is what makes the non-atomic count sound here.
static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake_by_ref, drop_waker);

unsafe fn clone(p: *const ()) -> RawWaker {
    // SAFETY: `p` came from `Rc::into_raw` and its waker still owns a count.
    unsafe { Rc::increment_strong_count(p as *const Task) };
    RawWaker::new(p, &VTABLE)
}

unsafe fn wake(p: *const ()) {
    // SAFETY: takes over the count this waker owned.
    schedule(unsafe { Rc::from_raw(p as *const Task) });
}

unsafe fn wake_by_ref(p: *const ()) {
    // SAFETY: as `clone`, then `wake` consumes the new count.
    unsafe {
        Rc::increment_strong_count(p as *const Task);
        wake(p)
    }
}

unsafe fn drop_waker(p: *const ()) {
    // SAFETY: gives back the count this waker owned.
    drop(unsafe { Rc::from_raw(p as *const Task) });
}

fn waker_of(task: &Rc<Task>) -> Waker {
    let raw = RawWaker::new(Rc::into_raw(task.clone()) as *const (), &VTABLE);
    // SAFETY: the vtable's functions keep the contract above.
    unsafe { Waker::from_raw(raw) }
}

fn spawn(future: impl Future<Output = ()> + 'static) {
    schedule(Rc::new(Task {
        future: RefCell::new(Some(Box::pin(future))),
        queued: Cell::new(false),
    }));
}

/// Polls ready tasks in FIFO order until none is left.
fn run_until_idle() {
    while let Some(task) = READY.with(|r| r.borrow_mut().pop_front()) {
        task.queued.set(false);
        let waker = waker_of(&task);
        let mut cx = Context::from_waker(&waker);
        let mut slot = task.future.borrow_mut();
        if let Some(f) = slot.as_mut() {
            if f.as_mut().poll(&mut cx).is_ready() {
                *slot = None;
            }
        }
    }
}

struct ChannelState {
    items: VecDeque<u64>,
    receiver: Option<Waker>,
}

#[derive(Clone)]
struct Channel(Rc<RefCell<ChannelState>>);

impl Channel {
    fn new() -> Channel {
        Channel(Rc::new(RefCell::new(ChannelState {
            items: VecDeque::new(),
            receiver: None,
        })))
    }

    fn send(&self, v: u64) {
        let waker = {
            let mut s = self.0.borrow_mut();
            s.items.push_back(v);
            s.receiver.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }

    fn recv(&self) -> Recv<'_> {
        Recv(self)
    }
}

struct Recv<'a>(&'a Channel);

impl Future for Recv<'_> {
    type Output = u64;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u64> {
        let mut s = self.0 .0.borrow_mut();
        match s.items.pop_front() {
            Some(v) => Poll::Ready(v),
            None => {
                match &s.receiver {
                    Some(w) if w.will_wake(cx.waker()) => {}
                    _ => s.receiver = Some(cx.waker().clone()),
                }
                Poll::Pending
            }
        }
    }
}

/// `n` round trips between two tasks over two channels, as the queue ping-pong benchmarks do.
pub fn pingpong(n: u64) {
    const STOP: u64 = u64::MAX;
    let (ping, pong) = (Channel::new(), Channel::new());
    {
        let (ping, pong) = (ping.clone(), pong.clone());
        spawn(async move {
            loop {
                let x = ping.recv().await;
                if x == STOP {
                    break;
                }
                pong.send(x);
            }
        });
    }
    spawn(async move {
        for i in 0..n {
            ping.send(i);
            black_box(pong.recv().await);
        }
        ping.send(STOP);
    });
    run_until_idle();
}

/// `n` items from a producer task to a consumer task over one unbounded channel.
pub fn bulk(n: u64) {
    const STOP: u64 = u64::MAX;
    let ch = Channel::new();
    {
        let ch = ch.clone();
        spawn(async move {
            let mut sum = 0u64;
            loop {
                let x = ch.recv().await;
                if x == STOP {
                    break;
                }
                sum = sum.wrapping_add(x);
            }
            black_box(sum);
        });
    }
    spawn(async move {
        for i in 0..n {
            ch.send(i);
        }
        ch.send(STOP);
    });
    run_until_idle();
}
