//! Lock, Condition, Event and Barrier for JS. (The Semaphore is JS alone, `www/src/sync.js`: its
//! count and its line of waiters.)
//!
//! Each JS object holds an `Rc` of the crate's primitive; a wait is an `async move` block that
//! owns a clone of the `Rc` and awaits the crate's wait on it, so the borrow lives inside the
//! future. A lock taken for JS is `forget`-ed: JS releases it explicitly, as asyncio's
//! `release()` does. Dropping the wait (its signal aborted) is the crate's cancel-safe drop.

use std::rc::Rc;

use wasio::sync::{Barrier, Event, Lock, LockCondition};
use wasio::trace::WaitReason;
use wasm_bindgen::prelude::*;

use crate::waits::{self, boxed, Fail};

/// A mutual-exclusion lock (asyncio's `Lock`).
#[wasm_bindgen]
pub struct JsLock(Rc<Lock>);

#[wasm_bindgen]
impl JsLock {
    /// A new, unlocked lock.
    #[wasm_bindgen(constructor)]
    pub fn new() -> JsLock {
        JsLock(Rc::new(Lock::new()))
    }
    /// Starts an acquisition (FIFO); returns the wait id.
    pub fn acquire(&self, owner: u32) -> u32 {
        let lock = self.0.clone();
        waits::start_now(
            owner,
            WaitReason::Lock,
            boxed(async move {
                lock.acquire().await.forget();
                Ok(JsValue::UNDEFINED)
            }),
        )
    }
    /// Takes the lock if it is free and nobody waits.
    pub fn try_acquire(&self) -> bool {
        self.0.try_acquire().map(|g| g.forget()).is_ok()
    }
    /// Releases the lock (to the longest waiter); false if it was not locked.
    pub fn release(&self) -> bool {
        waits::handing_off(|| self.0.release().is_ok())
    }
    /// Whether the lock is held (or being handed to a waiter).
    pub fn locked(&self) -> bool {
        self.0.locked()
    }
    /// How many wait for it.
    pub fn waiting(&self) -> u32 {
        self.0.waiting() as u32
    }
}

impl Default for JsLock {
    fn default() -> Self {
        JsLock::new()
    }
}

/// A condition variable over a [`JsLock`] (asyncio's `Condition(lock)`): the crate's
/// [`LockCondition`], so FIFO order and the passing on of a cancelled waiter's notification are
/// the crate's.
#[wasm_bindgen]
pub struct JsCondition(LockCondition);

#[wasm_bindgen]
impl JsCondition {
    /// A condition over `lock` (a clone of its handle: both share one lock).
    #[wasm_bindgen(constructor)]
    pub fn new(lock: &JsLock) -> JsCondition {
        JsCondition(LockCondition::with_lock((*lock.0).clone()))
    }
    /// Starts a wait: releases the lock now, waits for a notification, re-acquires the lock;
    /// returns the wait id. If the lock is not held, the wait fails with [`Fail::NotLocked`] and
    /// nothing changes. Cancelled (its signal aborted), the lock stays released and a
    /// notification it took passes on: JS re-acquires the lock, as asyncio does.
    pub fn wait(&self, owner: u32) -> u32 {
        waits::handing_off(|| {
            let w = self.0.wait();
            waits::start_now(
                owner,
                WaitReason::Condition,
                boxed(async move {
                    match w {
                        Ok(w) => {
                            w.await;
                            Ok(JsValue::TRUE)
                        }
                        Err(_) => Err(Fail::NotLocked.into()),
                    }
                }),
            )
        })
    }
    /// Wakes up to `n` waiters, oldest first; returns how many.
    pub fn notify(&self, n: u32) -> u32 {
        waits::handing_off(|| self.0.notify(n as usize) as u32)
    }
    /// Wakes every waiter; returns how many.
    pub fn notify_all(&self) -> u32 {
        waits::handing_off(|| self.0.notify_all() as u32)
    }
    /// How many wait for a notification.
    pub fn waiting(&self) -> u32 {
        self.0.waiting() as u32
    }
}

/// A flag tasks can wait for (asyncio's `Event`).
#[wasm_bindgen]
pub struct JsEvent(Rc<Event>);

#[wasm_bindgen]
impl JsEvent {
    /// A new, clear event.
    #[wasm_bindgen(constructor)]
    pub fn new() -> JsEvent {
        JsEvent(Rc::new(Event::new()))
    }
    /// Starts a wait for the flag; returns the wait id.
    pub fn wait(&self, owner: u32) -> u32 {
        let ev = self.0.clone();
        waits::start_now(
            owner,
            WaitReason::Event,
            boxed(async move {
                ev.wait().await;
                Ok(JsValue::TRUE)
            }),
        )
    }
    /// Sets the flag, waking every waiter.
    pub fn set(&self) {
        waits::handing_off(|| self.0.set())
    }
    /// Clears the flag.
    pub fn clear(&self) {
        self.0.clear()
    }
    /// Whether the flag is set.
    pub fn is_set(&self) -> bool {
        self.0.is_set()
    }
    /// How many wait for it.
    pub fn waiting(&self) -> u32 {
        self.0.waiting() as u32
    }
}

impl Default for JsEvent {
    fn default() -> Self {
        JsEvent::new()
    }
}

/// A barrier for `parties` tasks (asyncio's `Barrier`).
#[wasm_bindgen]
pub struct JsBarrier(Rc<Barrier>);

#[wasm_bindgen]
impl JsBarrier {
    /// A barrier for `parties` (at least 1: JS checks) tasks.
    #[wasm_bindgen(constructor)]
    pub fn new(parties: u32) -> JsBarrier {
        JsBarrier(Rc::new(
            Barrier::new((parties as usize).max(1)).unwrap_or_else(|_| unreachable!()),
        ))
    }
    /// Starts a wait for the barrier to trip; the wait's value is this task's arrival index.
    pub fn wait(&self, owner: u32) -> u32 {
        let b = self.0.clone();
        waits::start_now(
            owner,
            WaitReason::Barrier,
            boxed(async move {
                match b.wait().await {
                    Ok(i) => Ok(JsValue::from(i as u32)),
                    Err(_) => Err(Fail::Broken.into()),
                }
            }),
        )
    }
    /// Breaks the barrier for current and future waiters.
    pub fn abort(&self) {
        waits::handing_off(|| self.0.abort())
    }
    /// Breaks it for current waiters and makes it usable again.
    pub fn reset(&self) {
        waits::handing_off(|| self.0.reset())
    }
    /// The number of parties.
    pub fn parties(&self) -> u32 {
        self.0.parties() as u32
    }
    /// How many are waiting.
    pub fn n_waiting(&self) -> u32 {
        self.0.n_waiting() as u32
    }
    /// Whether it is broken.
    pub fn broken(&self) -> bool {
        self.0.broken()
    }
}
