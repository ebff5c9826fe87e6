//! [`GenericQueue`]: the queue logic shared by every item order.
//!
//! # Data structure
//!
//! One `RefCell<State>` per queue holds:
//!
//! * `items`: the [`Storage`] (the order items leave in) and `maxsize` (0 = unbounded);
//! * `getters`: a [`WaitList`] of blocked `get`s. A new item goes *straight to the oldest getter*
//!   (its entry becomes Notified with the item) instead of into storage; `handed` counts such
//!   items whose getter has not run yet;
//! * `putters`: a [`WaitList`] of blocked `put`s, each keeping its item in its own future. A freed
//!   slot is *promised* to the oldest putter (Notified with [`Grant::Ready`]); `put_reserved`
//!   counts promised slots whose putter has not run yet;
//! * `unfinished` (items put and not yet marked done) and `joiners`, released when it reaches 0;
//! * `shutdown`.
//!
//! Invariants (between operations):
//!
//! * A getter is Waiting only while `items` is empty (any stored item would have been handed).
//! * Occupancy is `items.len() + handed + put_reserved`: an item handed to a getter holds its slot
//!   until the getter runs, as it would in asyncio's queue. If bounded, occupancy `<= maxsize`, and
//!   a putter is Waiting only while occupancy equals `maxsize`.
//!
//! So the oldest getter gets the oldest item, and neither `get_nowait` nor `put_nowait` from a
//! newcomer can take what was handed or promised to a woken waiter (no barging). Cancellation:
//! a `get` dropped after it was handed an item gives it to the next waiting getter or puts it back
//! where it was (the front of a FIFO: it is older than every stored item); a `put` dropped after
//! it was promised a slot passes the promise to the next putter. Nothing is consumed or inserted
//! by a cancelled call. Shutdown fails every waiter and revokes promised slots; an immediate
//! shutdown also drops the stored items and the items handed to getters that have not run.

use crate::trace::wait::{pending, WaitReason};
use std::cell::{RefCell, RefMut};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::{QueueShutDown, Storage, TaskDoneUnderflow, TryGetError, TryPutError};
use crate::borrow::{borrow, borrow_mut};
use crate::sync::waiters::{wake_all, WaitList};

/// What a blocked `put` is handed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Grant {
    /// A slot is reserved for it.
    Ready,
    /// The queue was shut down.
    ShutDown,
}

/// What a blocked `get` is handed.
pub(crate) enum GetGrant<T> {
    /// Its item.
    Item(T),
    /// The queue was shut down.
    ShutDown,
}

struct State<T, S: Storage<T>> {
    items: S,
    maxsize: usize,
    getters: WaitList<GetGrant<T>>,
    putters: WaitList<Grant>,
    joiners: WaitList<()>,
    handed: usize,
    put_reserved: usize,
    unfinished: usize,
    shutdown: bool,
}

impl<T, S: Storage<T>> State<T, S> {
    #[inline]
    fn has_room(&self) -> bool {
        self.maxsize == 0 || self.items.len() + self.handed + self.put_reserved < self.maxsize
    }

    /// Adds a new item: straight to the oldest waiting getter, else into storage. Inline: the
    /// common case, nobody waiting, is one push at the call site (an always-ready `put` costs its
    /// caller no call); handing the item to a getter is out of line.
    #[inline(always)]
    fn insert(&mut self, item: T) -> Option<Waker> {
        self.unfinished += 1;
        if self.getters.is_empty() {
            self.items.push(item);
            return None;
        }
        self.hand_or_store(item, false)
    }

    /// Hands `item` to the oldest waiting getter, else stores it (at the front of the line if it
    /// is `returned` by a cancelled getter). Returns the getter's waker.
    #[inline(never)]
    fn hand_or_store(&mut self, item: T, returned: bool) -> Option<Waker> {
        match self.getters.notify_one(GetGrant::Item(item)) {
            Ok(w) => {
                self.handed += 1;
                w
            }
            Err(GetGrant::Item(item)) => {
                if returned {
                    self.items.push_returned(item);
                } else {
                    self.items.push(item);
                }
                None
            }
            // `notify_one` gives back what it was given: never this (and no panic site here).
            Err(GetGrant::ShutDown) => None,
        }
    }

    /// Promises a free slot to the oldest waiting putter, if any.
    #[inline(always)]
    fn promise_slot(&mut self) -> Option<Waker> {
        if self.putters.is_empty() {
            return None;
        }
        self.promise_slot_to_putter()
    }

    #[inline(never)]
    fn promise_slot_to_putter(&mut self) -> Option<Waker> {
        if self.has_room() {
            self.put_reserved += 1;
            return self.putters.notify_one(Grant::Ready).ok().flatten();
        }
        None
    }

    fn release_joiners(&mut self, wakers: &mut Vec<Waker>) {
        if self.unfinished == 0 {
            self.joiners.notify_all(wakers, || ());
        }
    }
}

#[inline]
fn wake(w: Option<Waker>) {
    if let Some(w) = w {
        w.wake();
    }
}

/// A queue of items between tasks, in the order its [`Storage`] `S` gives: use it as [`Queue`],
/// [`LifoQueue`] or [`PriorityQueue`].
///
/// `put` waits while the queue is full and `get` while it is empty; each serves its waiters in the
/// order they started waiting. `task_done` and `join` track work in progress, and `shutdown` ends
/// the queue. A cheap handle: clones share one queue. For tasks on one loop; no atomics.
///
/// [`Queue`]: super::Queue
/// [`LifoQueue`]: super::LifoQueue
/// [`PriorityQueue`]: super::PriorityQueue
///
/// # Examples
///
/// ```
/// use wasio::queue::Queue;
/// wasio::run(async {
///     let q = Queue::new(2);
///     let consumer = wasio::spawn({
///         let q = q.clone();
///         async move {
///             let mut got = Vec::new();
///             while let Ok(item) = q.get().await {
///                 got.push(item);
///                 q.task_done().unwrap();
///             }
///             got
///         }
///     });
///     for i in 0..5 {
///         q.put(i).await.unwrap(); // waits whenever 2 items are queued
///     }
///     q.join().await; // every item was taken and marked done
///     q.shutdown(false);
///     assert_eq!(consumer.await.unwrap(), [0, 1, 2, 3, 4]);
/// });
/// ```
pub struct GenericQueue<T, S: Storage<T>> {
    inner: Rc<RefCell<State<T, S>>>,
}

impl<T, S: Storage<T>> Clone for GenericQueue<T, S> {
    fn clone(&self) -> Self {
        GenericQueue {
            inner: self.inner.clone(),
        }
    }
}

impl<T, S: Storage<T>> fmt::Debug for GenericQueue<T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = borrow(&self.inner);
        f.debug_struct("Queue")
            .field("qsize", &s.items.len())
            .field("maxsize", &s.maxsize)
            .field("getters", &s.getters.len())
            .field("putters", &s.putters.len())
            .field("unfinished", &s.unfinished)
            .field("shutdown", &s.shutdown)
            .finish()
    }
}

impl<T, S: Storage<T>> GenericQueue<T, S> {
    /// A queue holding at most `maxsize` items; `0` means unbounded.
    ///
    /// # Examples
    ///
    /// ```
    /// let q = wasio::queue::Queue::<u32>::new(8);
    /// assert_eq!(q.maxsize(), 8);
    /// ```
    pub fn new(maxsize: usize) -> Self {
        GenericQueue {
            inner: Rc::new(RefCell::new(State {
                items: S::default(),
                maxsize,
                getters: WaitList::new(),
                putters: WaitList::new(),
                joiners: WaitList::new(),
                handed: 0,
                put_reserved: 0,
                unfinished: 0,
                shutdown: false,
            })),
        }
    }

    /// The most items the queue holds (0 = unbounded).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(wasio::queue::Queue::<u8>::new(0).maxsize(), 0);
    /// ```
    pub fn maxsize(&self) -> usize {
        borrow(&self.inner).maxsize
    }

    /// How many items are in the queue, counting items already handed to woken getters that have
    /// not run yet (as asyncio's `qsize` would).
    ///
    /// # Examples
    ///
    /// ```
    /// let q = wasio::queue::Queue::new(0);
    /// q.put_nowait(()).unwrap();
    /// assert_eq!(q.qsize(), 1);
    /// ```
    pub fn qsize(&self) -> usize {
        let s = borrow(&self.inner);
        s.items.len() + s.handed
    }

    /// Whether no item is available to a new `get_nowait` (the queue is empty, or its only items
    /// are handed to woken getters): when `false`, `get_nowait` succeeds.
    ///
    /// # Examples
    ///
    /// ```
    /// let q = wasio::queue::Queue::new(0);
    /// assert!(q.empty());
    /// q.put_nowait(1).unwrap();
    /// assert!(!q.empty());
    /// ```
    pub fn empty(&self) -> bool {
        borrow(&self.inner).items.is_empty()
    }

    /// Whether a new `put_nowait` would fail for lack of room (every slot holds an item, stored or
    /// handed to a woken getter, or is promised to a woken putter). Never true for an unbounded
    /// queue.
    ///
    /// # Examples
    ///
    /// ```
    /// let q = wasio::queue::Queue::new(1);
    /// q.put_nowait(1).unwrap();
    /// assert!(q.full());
    /// ```
    pub fn full(&self) -> bool {
        !borrow(&self.inner).has_room()
    }

    /// How many items were put and not yet marked done with [`task_done`](Self::task_done).
    ///
    /// # Examples
    ///
    /// ```
    /// let q = wasio::queue::Queue::new(0);
    /// q.put_nowait(1).unwrap();
    /// q.get_nowait().unwrap();
    /// assert_eq!(q.unfinished_tasks(), 1);
    /// ```
    pub fn unfinished_tasks(&self) -> usize {
        borrow(&self.inner).unfinished
    }

    /// Whether [`shutdown`](Self::shutdown) was called.
    ///
    /// # Examples
    ///
    /// ```
    /// let q = wasio::queue::Queue::<u8>::new(0);
    /// q.shutdown(false);
    /// assert!(q.is_shut_down());
    /// ```
    pub fn is_shut_down(&self) -> bool {
        borrow(&self.inner).shutdown
    }

    /// Puts an item without waiting; fails with the item if the queue is full or shut down. The
    /// item goes straight to the oldest waiting `get`, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use wasio::queue::{Queue, TryPutError};
    /// let q = Queue::new(1);
    /// assert_eq!(q.put_nowait('a'), Ok(()));
    /// assert_eq!(q.put_nowait('b'), Err(TryPutError::Full('b')));
    /// ```
    #[inline]
    pub fn put_nowait(&self, item: T) -> Result<(), TryPutError<T>> {
        let w = {
            let mut s = borrow_mut(&self.inner);
            if s.shutdown {
                return Err(TryPutError::ShutDown(item));
            }
            if !s.has_room() {
                return Err(TryPutError::Full(item));
            }
            s.insert(item)
        };
        wake(w);
        Ok(())
    }

    /// Puts an item, waiting (FIFO among putters) while the queue is full. Fails, giving the item
    /// back, if the queue is or gets shut down first.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `put()` inserts nothing (the item is dropped with the future). If a
    /// slot had already been promised to it, the slot goes to the next waiting putter.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let q = wasio::queue::Queue::new(1);
    ///     q.put(1).await.unwrap();
    ///     assert!(q.full());
    /// });
    /// ```
    pub fn put(&self, item: T) -> Put<'_, T, S> {
        Put {
            queue: &self.inner,
            item: Some(item),
            key: None,
        }
    }

    /// Takes the next item without waiting; fails if none is available (or the queue is shut down
    /// and drained). Never takes an item already handed to a woken `get`.
    ///
    /// # Examples
    ///
    /// ```
    /// use wasio::queue::{Queue, TryGetError};
    /// let q = Queue::new(0);
    /// q.put_nowait(5).unwrap();
    /// assert_eq!(q.get_nowait(), Ok(5));
    /// assert_eq!(q.get_nowait(), Err(TryGetError::Empty));
    /// ```
    #[inline]
    pub fn get_nowait(&self) -> Result<T, TryGetError> {
        let (item, w) = {
            let mut s = borrow_mut(&self.inner);
            match s.items.pop() {
                Some(item) => (item, s.promise_slot()),
                None => {
                    return Err(if s.shutdown {
                        TryGetError::ShutDown
                    } else {
                        TryGetError::Empty
                    })
                }
            }
        };
        wake(w);
        Ok(item)
    }

    /// Takes the next item, waiting (FIFO among getters) while none is available. After
    /// [`shutdown`](Self::shutdown) it still returns what is left, then fails.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `get()` takes no item. If an item had already been handed to it, the
    /// item goes to the next waiting getter, or back into the queue where it was.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let q = wasio::queue::Queue::new(0);
    ///     let getter = wasio::spawn({
    ///         let q = q.clone();
    ///         async move { q.get().await }
    ///     });
    ///     wasio::yield_now().await;
    ///     q.put_nowait("hi").unwrap();
    ///     assert_eq!(getter.await.unwrap(), Ok("hi"));
    /// });
    /// ```
    pub fn get(&self) -> Get<'_, T, S> {
        Get {
            queue: &self.inner,
            key: None,
        }
    }

    /// Marks one item taken by a consumer as fully processed. When every item put has been marked,
    /// [`join`](Self::join) returns. Fails, changing nothing, if called more often than items were
    /// put.
    ///
    /// # Examples
    ///
    /// ```
    /// let q = wasio::queue::Queue::new(0);
    /// q.put_nowait(1).unwrap();
    /// assert_eq!(q.task_done(), Ok(()));
    /// assert!(q.task_done().is_err());
    /// ```
    pub fn task_done(&self) -> Result<(), TaskDoneUnderflow> {
        let mut wakers = Vec::new();
        {
            let mut s = borrow_mut(&self.inner);
            if s.unfinished == 0 {
                return Err(TaskDoneUnderflow);
            }
            s.unfinished -= 1;
            s.release_joiners(&mut wakers);
        }
        wake_all(wakers);
        Ok(())
    }

    /// Waits until every item put has been marked done with [`task_done`](Self::task_done)
    /// (returns at once if none is unfinished).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `join()` leaves the line and changes nothing else.
    ///
    /// # Examples
    ///
    /// ```
    /// wasio::run(async {
    ///     let q = wasio::queue::Queue::<u8>::new(0);
    ///     q.join().await; // nothing unfinished
    /// });
    /// ```
    pub fn join(&self) -> Join<'_, T, S> {
        Join {
            queue: &self.inner,
            key: None,
        }
    }

    /// Shuts the queue down: every later or waiting `put` fails (giving its item back), `get`s
    /// return what is left and then fail. With `immediate`, the items left are dropped as well
    /// (each counted as done, which may release [`join`](Self::join)) and every waiting `get`
    /// fails at once.
    ///
    /// # Examples
    ///
    /// ```
    /// use wasio::queue::{Queue, TryGetError, TryPutError};
    /// let q = Queue::new(0);
    /// q.put_nowait(1).unwrap();
    /// q.shutdown(false);
    /// assert_eq!(q.put_nowait(2), Err(TryPutError::ShutDown(2)));
    /// assert_eq!(q.get_nowait(), Ok(1));
    /// assert_eq!(q.get_nowait(), Err(TryGetError::ShutDown));
    /// ```
    pub fn shutdown(&self, immediate: bool) {
        let mut wakers = Vec::new();
        let dropped;
        {
            let mut s = borrow_mut(&self.inner);
            s.shutdown = true;
            s.put_reserved = 0;
            s.putters.map_notified(|g| *g = Grant::ShutDown);
            s.putters.notify_all(&mut wakers, || Grant::ShutDown);
            // Waiting getters exist only while storage is empty: they fail now.
            s.getters.notify_all(&mut wakers, || GetGrant::ShutDown);
            let mut removed = Vec::new();
            if immediate {
                s.handed = 0;
                s.getters.map_notified(|g| {
                    if let GetGrant::Item(item) = std::mem::replace(g, GetGrant::ShutDown) {
                        removed.push(item);
                    }
                });
                while let Some(item) = s.items.pop() {
                    removed.push(item);
                }
                s.unfinished = s.unfinished.saturating_sub(removed.len());
                s.release_joiners(&mut wakers);
            }
            dropped = removed;
        }
        // Items are dropped outside the borrow: their destructors may use the queue.
        drop(dropped);
        wake_all(wakers);
    }
}

/// The future of [`GenericQueue::put`].
///
/// # Examples
///
/// ```
/// let q = wasio::queue::Queue::new(1);
/// let put: wasio::queue::Put<'_, i32, _> = q.put(1);
/// assert_eq!(wasio::run(put), Ok(()));
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct Put<'a, T, S: Storage<T>> {
    queue: &'a RefCell<State<T, S>>,
    item: Option<T>,
    key: Option<usize>,
}

impl<T, S: Storage<T>> fmt::Debug for Put<'_, T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Put")
            .field("waiting", &self.key.is_some())
            .finish()
    }
}

impl<T, S: Storage<T>> Unpin for Put<'_, T, S> {}

impl<T, S: Storage<T>> Future for Put<'_, T, S> {
    type Output = Result<(), QueueShutDown<T>>;
    /// A first poll that finds room inserts here, inline (see `State::insert`); waiting for
    /// room, a woken put and shutdown are out of line.
    #[inline(always)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let mut s = borrow_mut(this.queue);
        if this.key.is_none() && !s.shutdown && s.has_room() {
            if let Some(item) = this.item.take() {
                let getter = s.insert(item);
                drop(s);
                wake(getter);
                return Poll::Ready(Ok(()));
            }
        }
        this.poll_wait(s, cx)
    }
}

impl<T, S: Storage<T>> Put<'_, T, S> {
    /// Every poll but a first one that finds room: shutdown, waiting for room, or woken.
    #[inline(never)]
    fn poll_wait(
        &mut self,
        mut s: RefMut<'_, State<T, S>>,
        cx: &mut Context<'_>,
    ) -> Poll<Result<(), QueueShutDown<T>>> {
        let getter = match self.key {
            None => {
                // Polled again after it completed: stays pending, as a fused future does (no
                // panic site, whose message and location every app with a queue would link).
                let Some(item) = self.item.take() else {
                    return Poll::Pending;
                };
                if s.shutdown {
                    return Poll::Ready(Err(QueueShutDown(item)));
                }
                // No room (the inline path took every other case).
                self.item = Some(item);
                self.key = Some(s.putters.push(cx.waker()));
                return pending(WaitReason::QueuePut);
            }
            Some(k) => match s.putters.poll(k, cx.waker()) {
                None => return pending(WaitReason::QueuePut),
                Some(grant) => {
                    self.key = None;
                    if grant == Grant::Ready {
                        s.put_reserved -= 1;
                    }
                    // A waiting put holds its item (taken only here or above).
                    let Some(item) = self.item.take() else {
                        return Poll::Pending;
                    };
                    if grant == Grant::ShutDown {
                        return Poll::Ready(Err(QueueShutDown(item)));
                    }
                    // The item takes the promised slot, stored or handed to a getter (the same
                    // as `insert`, without a second inlined copy of the storage's push).
                    s.unfinished += 1;
                    s.hand_or_store(item, false)
                }
            },
        };
        drop(s);
        wake(getter);
        Poll::Ready(Ok(()))
    }

    /// Dropped while waiting: leave the line, passing on a slot that was already promised.
    #[cold]
    #[inline(never)]
    fn cancel(&mut self, k: usize) {
        let w = {
            let mut s = borrow_mut(self.queue);
            match s.putters.remove(k) {
                Some(Grant::Ready) => {
                    s.put_reserved -= 1;
                    s.promise_slot()
                }
                _ => None,
            }
        };
        wake(w);
    }
}

impl<T, S: Storage<T>> Drop for Put<'_, T, S> {
    #[inline]
    fn drop(&mut self) {
        if let Some(k) = self.key {
            self.cancel(k);
        }
    }
}

/// The future of [`GenericQueue::get`].
///
/// # Examples
///
/// ```
/// let q = wasio::queue::Queue::new(0);
/// q.put_nowait('x').unwrap();
/// let get: wasio::queue::Get<'_, char, _> = q.get();
/// assert_eq!(wasio::run(get), Ok('x'));
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct Get<'a, T, S: Storage<T>> {
    queue: &'a RefCell<State<T, S>>,
    key: Option<usize>,
}

impl<T, S: Storage<T>> fmt::Debug for Get<'_, T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Get")
            .field("waiting", &self.key.is_some())
            .finish()
    }
}

impl<T, S: Storage<T>> Future for Get<'_, T, S> {
    type Output = Result<T, QueueShutDown>;
    /// A first poll that finds an item takes it here, inline; waiting, a woken get and shutdown
    /// are out of line.
    #[inline(always)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let mut s = borrow_mut(this.queue);
        if this.key.is_none() {
            if let Some(item) = s.items.pop() {
                if s.putters.is_empty() {
                    return Poll::Ready(Ok(item));
                }
                let putter = s.promise_slot_to_putter();
                drop(s);
                wake(putter);
                return Poll::Ready(Ok(item));
            }
        }
        this.poll_wait(s, cx)
    }
}

impl<T, S: Storage<T>> Get<'_, T, S> {
    /// Every poll but a first one that finds an item: shutdown, waiting, or woken.
    #[inline(never)]
    fn poll_wait(
        &mut self,
        mut s: RefMut<'_, State<T, S>>,
        cx: &mut Context<'_>,
    ) -> Poll<Result<T, QueueShutDown>> {
        let (item, putter) = match self.key {
            None => {
                // Nothing stored (the inline path took every other case).
                if s.shutdown {
                    return Poll::Ready(Err(QueueShutDown(())));
                }
                self.key = Some(s.getters.push(cx.waker()));
                return pending(WaitReason::QueueGet);
            }
            Some(k) => match s.getters.poll(k, cx.waker()) {
                None => return pending(WaitReason::QueueGet),
                Some(GetGrant::ShutDown) => {
                    self.key = None;
                    return Poll::Ready(Err(QueueShutDown(())));
                }
                Some(GetGrant::Item(item)) => {
                    self.key = None;
                    s.handed -= 1;
                    (item, s.promise_slot())
                }
            },
        };
        drop(s);
        wake(putter);
        Poll::Ready(Ok(item))
    }

    /// Dropped while waiting: leave the line, passing on an item that was already handed over.
    #[cold]
    #[inline(never)]
    fn cancel(&mut self, k: usize) {
        let w = {
            let mut s = borrow_mut(self.queue);
            match s.getters.remove(k) {
                Some(GetGrant::Item(item)) => {
                    s.handed -= 1;
                    s.hand_or_store(item, true)
                }
                _ => None,
            }
        };
        wake(w);
    }
}

impl<T, S: Storage<T>> Drop for Get<'_, T, S> {
    #[inline]
    fn drop(&mut self) {
        if let Some(k) = self.key {
            self.cancel(k);
        }
    }
}

/// The future of [`GenericQueue::join`].
///
/// # Examples
///
/// ```
/// let q = wasio::queue::Queue::<u8>::new(0);
/// let join: wasio::queue::Join<'_, u8, _> = q.join();
/// wasio::run(join); // nothing unfinished: ready at once
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct Join<'a, T, S: Storage<T>> {
    queue: &'a RefCell<State<T, S>>,
    key: Option<usize>,
}

impl<T, S: Storage<T>> fmt::Debug for Join<'_, T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Join")
            .field("waiting", &self.key.is_some())
            .finish()
    }
}

impl<T, S: Storage<T>> Future for Join<'_, T, S> {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        let mut s = borrow_mut(this.queue);
        match this.key {
            None => {
                if s.unfinished == 0 {
                    return Poll::Ready(());
                }
                this.key = Some(s.joiners.push(cx.waker()));
                pending(WaitReason::QueueJoin)
            }
            Some(k) => match s.joiners.poll(k, cx.waker()) {
                Some(()) => {
                    this.key = None;
                    Poll::Ready(())
                }
                None => pending(WaitReason::QueueJoin),
            },
        }
    }
}

impl<T, S: Storage<T>> Drop for Join<'_, T, S> {
    fn drop(&mut self) {
        if let Some(k) = self.key.take() {
            borrow_mut(self.queue).joiners.remove(k);
        }
    }
}
