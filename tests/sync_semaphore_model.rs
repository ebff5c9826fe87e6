//! Model-based property test: random sequences of acquiring tasks (some keep the permit without a
//! guard, some hold a guard across a yield and drop it), try_acquire, explicit release and
//! cancellation drive a real `Semaphore` or `BoundedSemaphore` on the simulated clock, and every
//! observable result is compared with a small reference model after every step.
//!
//! The model is the specification: a count, a FIFO line of waiters, a release hands its permit to
//! the oldest waiter (never to the count while someone waits), a cancelled waiter passes on a
//! permit it was handed, a bounded semaphore refuses a release that would exceed its bound
//! (counting permits held by guards and in flight). While a hand-off is in flight, a permit given
//! back with nobody waiting is held as spare (the semaphore stays locked, as asyncio's does, so no
//! newcomer barges ahead of the woken waiter); when the last hand-off lands, the spare permits go
//! to whoever queued meanwhile, then to the count. Tasks run in the loop's FIFO ready order.

#![cfg(not(target_arch = "wasm32"))]

mod sync_support;

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use proptest::prelude::*;
use wasio::sync::{BoundedSemaphore, Semaphore};

#[derive(Debug, Clone)]
enum Op {
    /// A task that acquires and keeps the permit without a guard (`forget`).
    SpawnForget,
    /// A task that acquires, yields once holding the guard, then drops it.
    SpawnHold,
    TryAcquire,
    Release,
    /// Cancels the n-th (modulo) task that has not ended.
    Cancel(usize),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Forget,
    Hold,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum St {
    NotStarted,
    Waiting,
    Notified,
    Holding,
    Ended,
}

struct MTask {
    kind: Kind,
    st: St,
    cancel: bool,
    queued: bool,
    outcome: &'static str,
}

struct Model {
    value: usize,
    bound: Option<usize>,
    in_transit: usize,
    spare: usize,
    guards: usize,
    waiters: VecDeque<usize>,
    tasks: Vec<MTask>,
    ready: VecDeque<usize>,
}

impl Model {
    fn wake(&mut self, t: usize) {
        let task = &mut self.tasks[t];
        if !task.queued && task.st != St::Ended {
            task.queued = true;
            self.ready.push_back(t);
        }
    }

    fn spawn(&mut self, kind: Kind) {
        self.tasks.push(MTask {
            kind,
            st: St::NotStarted,
            cancel: false,
            queued: false,
            outcome: "pending",
        });
        let t = self.tasks.len() - 1;
        self.wake(t);
    }

    fn cancel(&mut self, t: usize) {
        if self.tasks[t].st != St::Ended {
            self.tasks[t].cancel = true;
            self.wake(t);
        }
    }

    fn give_back(&mut self) {
        if let Some(w) = self.waiters.pop_front() {
            self.in_transit += 1;
            self.tasks[w].st = St::Notified;
            self.wake(w);
        } else if self.in_transit > 0 {
            self.spare += 1;
        } else {
            self.value += 1;
        }
    }

    /// A hand-off landed (taken, or given back by a cancelled waiter).
    fn landed(&mut self) {
        self.in_transit -= 1;
        if self.in_transit == 0 {
            let spare = std::mem::take(&mut self.spare);
            for _ in 0..spare {
                self.give_back();
            }
        }
    }

    fn try_acquire(&mut self) -> &'static str {
        if self.value > 0 {
            self.value -= 1;
            "Ok"
        } else {
            "Err"
        }
    }

    fn release(&mut self) -> String {
        if let Some(bound) = self.bound {
            if self.value + self.spare + self.guards + self.in_transit >= bound {
                return format!("Err(OverRelease {{ bound: {bound} }})");
            }
        }
        self.give_back();
        "Ok(())".into()
    }

    fn got(&mut self, t: usize) {
        match self.tasks[t].kind {
            Kind::Forget => self.end(t, "acquired"),
            Kind::Hold => {
                self.guards += 1;
                self.tasks[t].st = St::Holding;
                self.wake(t); // yield_now
            }
        }
    }

    fn end(&mut self, t: usize, outcome: &'static str) {
        self.tasks[t].st = St::Ended;
        self.tasks[t].outcome = outcome;
    }

    fn settle(&mut self) {
        while let Some(t) = self.ready.pop_front() {
            self.tasks[t].queued = false;
            let st = self.tasks[t].st;
            if st == St::Ended {
                continue;
            }
            if self.tasks[t].cancel {
                match st {
                    St::Waiting => self.waiters.retain(|&w| w != t),
                    St::Notified => {
                        self.give_back();
                        self.landed();
                    }
                    St::Holding => {
                        self.guards -= 1;
                        self.give_back();
                    }
                    _ => {}
                }
                self.end(t, "cancelled");
                continue;
            }
            match st {
                St::NotStarted => {
                    if self.value > 0 {
                        self.value -= 1;
                        self.got(t);
                    } else {
                        self.tasks[t].st = St::Waiting;
                        self.waiters.push_back(t);
                    }
                }
                St::Notified => {
                    self.landed();
                    self.got(t);
                }
                St::Holding => {
                    self.guards -= 1;
                    self.give_back();
                    self.end(t, "released");
                }
                St::Waiting | St::Ended => panic!("model: task {t} polled in state {st:?}"),
            }
        }
    }
}

#[derive(Clone)]
enum Sem {
    Plain(Semaphore),
    Bounded(BoundedSemaphore),
}

impl Sem {
    async fn acquire(&self, kind: Kind) -> &'static str {
        match (self, kind) {
            (Sem::Plain(s), Kind::Forget) => s.acquire().await.forget(),
            (Sem::Bounded(s), Kind::Forget) => s.acquire().await.forget(),
            (Sem::Plain(s), Kind::Hold) => {
                let _p = s.acquire().await;
                wasio::yield_now().await;
            }
            (Sem::Bounded(s), Kind::Hold) => {
                let _p = s.acquire().await;
                wasio::yield_now().await;
            }
        }
        if kind == Kind::Forget {
            "acquired"
        } else {
            "released"
        }
    }
    fn try_acquire(&self) -> &'static str {
        let ok = match self {
            Sem::Plain(s) => s.try_acquire().map(|p| p.forget()).is_ok(),
            Sem::Bounded(s) => s.try_acquire().map(|p| p.forget()).is_ok(),
        };
        if ok {
            "Ok"
        } else {
            "Err"
        }
    }
    fn release(&self) -> String {
        match self {
            Sem::Plain(s) => {
                s.release();
                "Ok(())".into()
            }
            Sem::Bounded(s) => format!("{:?}", s.release()),
        }
    }
    fn observe(&self) -> (usize, bool, usize) {
        match self {
            Sem::Plain(s) => (s.available_permits(), s.locked(), s.waiting()),
            Sem::Bounded(s) => (s.available_permits(), s.locked(), s.waiting()),
        }
    }
}

fn step_strategy() -> impl Strategy<Value = Vec<Op>> {
    let op = prop_oneof![
        3 => Just(Op::SpawnForget),
        3 => Just(Op::SpawnHold),
        2 => Just(Op::TryAcquire),
        4 => Just(Op::Release),
        3 => any::<usize>().prop_map(Op::Cancel),
    ];
    proptest::collection::vec(op, 1..7)
}

fn check(permits: usize, bounded: bool, steps: Vec<Vec<Op>>) -> Result<(), TestCaseError> {
    wasio::testing::run(async move {
        let sem = if bounded {
            Sem::Bounded(BoundedSemaphore::new(permits))
        } else {
            Sem::Plain(Semaphore::new(permits))
        };
        let mut model = Model {
            value: permits,
            bound: bounded.then_some(permits),
            in_transit: 0,
            spare: 0,
            guards: 0,
            waiters: VecDeque::new(),
            tasks: Vec::new(),
            ready: VecDeque::new(),
        };
        let outcomes: Rc<RefCell<Vec<&'static str>>> = Rc::default();
        let mut handles: Vec<wasio::Task<()>> = Vec::new();
        for (i, step) in steps.into_iter().enumerate() {
            for op in step {
                match op {
                    Op::TryAcquire => {
                        prop_assert_eq!(
                            sem.try_acquire(),
                            model.try_acquire(),
                            "step {} try_acquire",
                            i
                        )
                    }
                    Op::Release => {
                        prop_assert_eq!(sem.release(), model.release(), "step {} release", i)
                    }
                    Op::Cancel(k) => {
                        let live: Vec<usize> = (0..model.tasks.len())
                            .filter(|&t| model.tasks[t].st != St::Ended)
                            .collect();
                        if !live.is_empty() {
                            let t = live[k % live.len()];
                            handles[t].cancel();
                            model.cancel(t);
                        }
                    }
                    Op::SpawnForget | Op::SpawnHold => {
                        let kind = if matches!(op, Op::SpawnForget) {
                            Kind::Forget
                        } else {
                            Kind::Hold
                        };
                        let id = handles.len();
                        outcomes.borrow_mut().push("pending");
                        let (sem, out) = (sem.clone(), outcomes.clone());
                        handles.push(wasio::spawn(async move {
                            let r = sem.acquire(kind).await;
                            out.borrow_mut()[id] = r;
                        }));
                        model.spawn(kind);
                    }
                }
            }
            sync_support::settle().await;
            model.settle();
            for (k, h) in handles.iter().enumerate() {
                let real = if h.is_cancelled() {
                    "cancelled"
                } else {
                    outcomes.borrow()[k]
                };
                prop_assert_eq!(real, model.tasks[k].outcome, "step {}: task {}", i, k);
            }
            let expected = (model.value, model.value == 0, model.waiters.len());
            prop_assert_eq!(
                sem.observe(),
                expected,
                "step {}: (available, locked, waiting)",
                i
            );
        }
        Ok(())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn semaphore_matches_the_model(
        permits in 0usize..3,
        bounded in any::<bool>(),
        steps in proptest::collection::vec(step_strategy(), 1..40),
    ) {
        check(permits, bounded, steps)?;
    }
}
