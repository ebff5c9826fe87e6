//! Model-based property test: random sequences of put/get/join tasks, nowait calls, task_done,
//! cancellations and shutdowns drive a real `Queue` on the simulated clock, and every observable
//! result (each nowait result, each task's outcome after every step, qsize/empty/full/unfinished)
//! is compared with a small reference model of the specified semantics.
//!
//! The model is written from the rules, not from the implementation: FIFO lines of getters,
//! putters and joiners; an item put while getters wait goes to the oldest getter; a freed slot is
//! promised to the oldest putter; a cancelled waiter passes on what it was handed; shutdown fails
//! waiters. Tasks run in the loop's FIFO ready order (a spawned, woken or cancelled task is queued
//! once), which the model keeps as a plain queue of task numbers.

#![cfg(not(target_arch = "wasm32"))]

mod sync_support;

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use proptest::prelude::*;
use wasio::queue::Queue;

/// One synchronous stretch of the driver; the loop settles after each.
#[derive(Debug, Clone)]
enum Op {
    SpawnPut,
    SpawnGet,
    SpawnJoin,
    PutNowait,
    GetNowait,
    TaskDone,
    /// Cancels the n-th (modulo) task that has not ended.
    Cancel(usize),
    Shutdown(bool),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Put(u32),
    Get,
    Join,
}

/// What a model task was handed while waiting.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Grant {
    Item(u32),
    Slot,
    ShutDown,
    Joined,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum St {
    NotStarted,
    Waiting,
    Notified(Grant),
    Ended,
}

struct MTask {
    kind: Kind,
    st: St,
    cancel: bool,
    queued: bool,
    outcome: String,
}

struct Model {
    maxsize: usize,
    items: VecDeque<u32>,
    getters: VecDeque<usize>,
    putters: VecDeque<usize>,
    joiners: VecDeque<usize>,
    handed: usize,
    put_reserved: usize,
    unfinished: usize,
    shutdown: bool,
    tasks: Vec<MTask>,
    ready: VecDeque<usize>,
}

impl Model {
    fn new(maxsize: usize) -> Model {
        Model {
            maxsize,
            items: VecDeque::new(),
            getters: VecDeque::new(),
            putters: VecDeque::new(),
            joiners: VecDeque::new(),
            handed: 0,
            put_reserved: 0,
            unfinished: 0,
            shutdown: false,
            tasks: Vec::new(),
            ready: VecDeque::new(),
        }
    }

    fn has_room(&self) -> bool {
        self.maxsize == 0 || self.items.len() + self.handed + self.put_reserved < self.maxsize
    }

    fn wake(&mut self, t: usize) {
        let task = &mut self.tasks[t];
        if !task.queued && task.st != St::Ended {
            task.queued = true;
            self.ready.push_back(t);
        }
    }

    fn notify(&mut self, t: usize, g: Grant) {
        self.tasks[t].st = St::Notified(g);
        self.wake(t);
    }

    fn spawn(&mut self, kind: Kind) {
        self.tasks.push(MTask {
            kind,
            st: St::NotStarted,
            cancel: false,
            queued: false,
            outcome: "pending".into(),
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

    /// A new item: to the oldest waiting getter, else stored.
    fn insert(&mut self, x: u32) {
        self.unfinished += 1;
        self.hand_or_store(x, false);
    }

    fn hand_or_store(&mut self, x: u32, returned: bool) {
        if let Some(g) = self.getters.pop_front() {
            self.handed += 1;
            self.notify(g, Grant::Item(x));
        } else if returned {
            self.items.push_front(x);
        } else {
            self.items.push_back(x);
        }
    }

    fn promise_slot(&mut self) {
        if !self.putters.is_empty() && self.has_room() {
            let p = self.putters.pop_front().unwrap();
            self.put_reserved += 1;
            self.notify(p, Grant::Slot);
        }
    }

    fn release_joiners(&mut self) {
        if self.unfinished == 0 {
            while let Some(j) = self.joiners.pop_front() {
                self.notify(j, Grant::Joined);
            }
        }
    }

    fn put_nowait(&mut self, x: u32) -> String {
        if self.shutdown {
            return format!("Err(ShutDown({x}))");
        }
        if !self.has_room() {
            return format!("Err(Full({x}))");
        }
        self.insert(x);
        "Ok(())".into()
    }

    fn get_nowait(&mut self) -> String {
        match self.items.pop_front() {
            Some(x) => {
                self.promise_slot();
                format!("Ok({x})")
            }
            None if self.shutdown => "Err(ShutDown)".into(),
            None => "Err(Empty)".into(),
        }
    }

    fn task_done(&mut self) -> String {
        if self.unfinished == 0 {
            return "Err(TaskDoneUnderflow)".into();
        }
        self.unfinished -= 1;
        self.release_joiners();
        "Ok(())".into()
    }

    fn shutdown(&mut self, immediate: bool) {
        self.shutdown = true;
        self.put_reserved = 0;
        for t in &mut self.tasks {
            if t.st == St::Notified(Grant::Slot) {
                t.st = St::Notified(Grant::ShutDown);
            }
        }
        while let Some(p) = self.putters.pop_front() {
            self.notify(p, Grant::ShutDown);
        }
        while let Some(g) = self.getters.pop_front() {
            self.notify(g, Grant::ShutDown);
        }
        if immediate {
            let mut removed = 0;
            for t in &mut self.tasks {
                if let St::Notified(Grant::Item(_)) = t.st {
                    t.st = St::Notified(Grant::ShutDown);
                    removed += 1;
                }
            }
            self.handed = 0;
            removed += self.items.len();
            self.items.clear();
            self.unfinished = self.unfinished.saturating_sub(removed);
            self.release_joiners();
        }
    }

    /// Runs ready tasks in FIFO order until none is ready.
    fn settle(&mut self) {
        while let Some(t) = self.ready.pop_front() {
            self.tasks[t].queued = false;
            if self.tasks[t].st == St::Ended {
                continue;
            }
            if self.tasks[t].cancel {
                self.drop_task(t);
                continue;
            }
            self.poll(t);
        }
    }

    fn drop_task(&mut self, t: usize) {
        match self.tasks[t].st {
            St::Waiting => {
                for line in [&mut self.getters, &mut self.putters, &mut self.joiners] {
                    line.retain(|&x| x != t);
                }
            }
            St::Notified(Grant::Item(x)) => {
                self.handed -= 1;
                self.hand_or_store(x, true);
            }
            St::Notified(Grant::Slot) => {
                self.put_reserved -= 1;
                self.promise_slot();
            }
            _ => {}
        }
        self.tasks[t].st = St::Ended;
        self.tasks[t].outcome = "cancelled".into();
    }

    fn end(&mut self, t: usize, outcome: String) {
        self.tasks[t].st = St::Ended;
        self.tasks[t].outcome = outcome;
    }

    fn poll(&mut self, t: usize) {
        let kind = self.tasks[t].kind;
        match (self.tasks[t].st, kind) {
            (St::NotStarted, Kind::Put(x)) => {
                if self.shutdown {
                    self.end(t, format!("Err(QueueShutDown({x}))"));
                } else if self.has_room() {
                    self.insert(x);
                    self.end(t, "Ok(())".into());
                } else {
                    self.tasks[t].st = St::Waiting;
                    self.putters.push_back(t);
                }
            }
            (St::NotStarted, Kind::Get) => {
                if let Some(x) = self.items.pop_front() {
                    self.promise_slot();
                    self.end(t, format!("Ok({x})"));
                } else if self.shutdown {
                    self.end(t, "Err(QueueShutDown(()))".into());
                } else {
                    self.tasks[t].st = St::Waiting;
                    self.getters.push_back(t);
                }
            }
            (St::NotStarted, Kind::Join) => {
                if self.unfinished == 0 {
                    self.end(t, "joined".into());
                } else {
                    self.tasks[t].st = St::Waiting;
                    self.joiners.push_back(t);
                }
            }
            (St::Notified(Grant::Slot), Kind::Put(x)) => {
                self.put_reserved -= 1;
                self.insert(x);
                self.end(t, "Ok(())".into());
            }
            (St::Notified(Grant::ShutDown), Kind::Put(x)) => {
                self.end(t, format!("Err(QueueShutDown({x}))"))
            }
            (St::Notified(Grant::Item(x)), Kind::Get) => {
                self.handed -= 1;
                self.promise_slot();
                self.end(t, format!("Ok({x})"));
            }
            (St::Notified(Grant::ShutDown), Kind::Get) => {
                self.end(t, "Err(QueueShutDown(()))".into())
            }
            (St::Notified(Grant::Joined), Kind::Join) => self.end(t, "joined".into()),
            (st, kind) => panic!("model: task {t} ({kind:?}) polled in state {st:?}"),
        }
    }
}

fn step_strategy() -> impl Strategy<Value = Vec<Op>> {
    let op = prop_oneof![
        3 => Just(Op::SpawnPut),
        3 => Just(Op::SpawnGet),
        1 => Just(Op::SpawnJoin),
        3 => Just(Op::PutNowait),
        3 => Just(Op::GetNowait),
        2 => Just(Op::TaskDone),
        3 => any::<usize>().prop_map(Op::Cancel),
        1 => any::<bool>().prop_map(Op::Shutdown),
    ];
    proptest::collection::vec(op, 1..7)
}

fn check(maxsize: usize, steps: Vec<Vec<Op>>) -> Result<(), TestCaseError> {
    wasio::testing::run(async move {
        let q: Queue<u32> = Queue::new(maxsize);
        let mut model = Model::new(maxsize);
        let outcomes: Rc<RefCell<Vec<Option<String>>>> = Rc::default();
        let mut handles: Vec<wasio::Task<()>> = Vec::new();
        let mut next_item = 0u32;
        for (i, step) in steps.into_iter().enumerate() {
            for op in step {
                match op {
                    Op::PutNowait => {
                        next_item += 1;
                        let real = match q.put_nowait(next_item) {
                            Ok(()) => "Ok(())".to_string(),
                            Err(e) => format!("Err({e:?})"),
                        };
                        prop_assert_eq!(real, model.put_nowait(next_item), "step {} put_nowait", i);
                    }
                    Op::GetNowait => {
                        let real = match q.get_nowait() {
                            Ok(x) => format!("Ok({x})"),
                            Err(e) => format!("Err({e:?})"),
                        };
                        prop_assert_eq!(real, model.get_nowait(), "step {} get_nowait", i);
                    }
                    Op::TaskDone => {
                        let real = match q.task_done() {
                            Ok(()) => "Ok(())".to_string(),
                            Err(e) => format!("Err({e:?})"),
                        };
                        prop_assert_eq!(real, model.task_done(), "step {} task_done", i);
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
                    Op::Shutdown(immediate) => {
                        q.shutdown(immediate);
                        model.shutdown(immediate);
                    }
                    spawn_op => {
                        let id = handles.len();
                        outcomes.borrow_mut().push(None);
                        let (q, out) = (q.clone(), outcomes.clone());
                        let kind = match spawn_op {
                            Op::SpawnPut => {
                                next_item += 1;
                                Kind::Put(next_item)
                            }
                            Op::SpawnGet => Kind::Get,
                            _ => Kind::Join,
                        };
                        handles.push(wasio::spawn(async move {
                            let r = match kind {
                                Kind::Put(x) => format!("{:?}", q.put(x).await),
                                Kind::Get => format!("{:?}", q.get().await),
                                Kind::Join => {
                                    q.join().await;
                                    "joined".to_string()
                                }
                            };
                            out.borrow_mut()[id] = Some(r);
                        }));
                        model.spawn(kind);
                    }
                }
            }
            sync_support::settle().await;
            model.settle();
            for (k, h) in handles.iter().enumerate() {
                let real = if h.is_cancelled() {
                    "cancelled".to_string()
                } else {
                    outcomes.borrow()[k]
                        .clone()
                        .unwrap_or_else(|| "pending".into())
                };
                prop_assert_eq!(&real, &model.tasks[k].outcome, "step {}: task {}", i, k);
            }
            prop_assert_eq!(
                q.qsize(),
                model.items.len() + model.handed,
                "step {} qsize",
                i
            );
            prop_assert_eq!(q.empty(), model.items.is_empty(), "step {} empty", i);
            prop_assert_eq!(q.full(), !model.has_room(), "step {} full", i);
            prop_assert_eq!(
                q.unfinished_tasks(),
                model.unfinished,
                "step {} unfinished",
                i
            );
        }
        Ok(())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn queue_matches_the_model(maxsize in 0usize..4, steps in proptest::collection::vec(step_strategy(), 1..40)) {
        check(maxsize, steps)?;
    }
}
