//! The wait list every primitive in [`sync`](crate::sync) and [`queue`](crate::queue) is built on.
//!
//! # Data structure
//!
//! A [`WaitList<V>`] is a slab of entries ([`Slab`], a `Vec` plus a free list of indices) threaded by a doubly
//! linked FIFO of indices (`head`, `tail`, and `prev`/`next` in each entry). Each entry is in one of
//! three states:
//!
//! * **Waiting**: linked into the FIFO, holding the waker of the future that registered it.
//! * **Notified(v)**: unlinked; the primitive has handed this waiter `v` (the lock, a permit, a
//!   reserved queue slot or item, a notification, a barrier index, an error) and woken it.
//! * **Free**: on the free list, ready for reuse.
//!
//! Invariants:
//!
//! * The FIFO holds exactly the Waiting entries, oldest first; `waiting` is its length.
//! * An entry is allocated by one waiter future ([`WaitList::push`]) and freed only by that same
//!   future, either when it takes its value ([`WaitList::poll`]) or when it is dropped
//!   ([`WaitList::remove`]). So an index never dangles and needs no generation counter.
//! * A value handed to a waiter is never lost: `remove` on a Notified entry returns the value, and
//!   the primitive passes it on to the next waiter (or back to its pool). That is how cancellation
//!   loses nothing.
//!
//! Every operation is O(1): registering appends at the tail, notifying pops the head, and a
//! cancelled waiter unlinks itself through its own `prev`/`next`, wherever it stands in the line.
//! Freed entries are reused last-in first-out, so the slab stays as small as the longest line.
//!
//! The list never wakes anyone itself: `notify_*` return the wakers, and the primitive wakes them
//! after releasing its `RefCell` borrow, so a waker (or a waker's drop) that reenters the primitive
//! cannot hit a borrow conflict.
//!
//! # Wakers to wake all at once
//!
//! Those wakers travel as a `Vec<Waker>`: [`WaitList::notify_all`] fills one and [`wake_all`]
//! wakes it once the borrow is released. The same `Vec<Waker>` is also the list for waiters that
//! are handed nothing and only need to run again when something changes, to check their
//! condition themselves (the server's `wait_closed`, `serve_forever` and accept task,
//! `crate::net::server`):
//! such a waiter [`register`]s its waker (once per task: a waker that would wake the same task is
//! not added again), and the owner takes the whole vector and passes it to [`wake_all`]. It keeps
//! no place in line and no value, so a waiter dropped before the wake-up leaves only its waker
//! behind, woken (for nothing) with the others. That is the whole of it: no slab, no links, and
//! none of the `WaitList` code is linked for it (a server in a WASI component that uses no `sync`
//! primitive stays without the wait list's code, about 2.3 KB).

use std::task::Waker;

use crate::slab::Slab;

const NIL: u32 = u32::MAX;

enum State<V> {
    Waiting(Option<Waker>),
    Notified(V),
    Free,
}

struct Entry<V> {
    state: State<V>,
    prev: u32,
    next: u32,
}

/// A FIFO of waiting futures with O(1) registration, hand-off and removal (see the module docs).
pub(crate) struct WaitList<V> {
    entries: Slab<Entry<V>>,
    head: u32,
    tail: u32,
    waiting: usize,
}

impl<V> Default for WaitList<V> {
    fn default() -> Self {
        WaitList::new()
    }
}

impl<V> WaitList<V> {
    pub(crate) const fn new() -> Self {
        WaitList {
            entries: Slab::new(),
            head: NIL,
            tail: NIL,
            waiting: 0,
        }
    }

    /// Whether any entry is Waiting (notified entries do not count).
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.waiting == 0
    }

    /// How many entries are Waiting.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.waiting
    }

    /// Appends a Waiting entry at the tail and returns its key.
    #[inline]
    pub(crate) fn push(&mut self, waker: &Waker) -> usize {
        self.push_entry(Some(waker.clone()))
    }

    /// Appends a Waiting entry with no waker yet (its future has not been polled: it stores its
    /// waker at its first [`poll`](WaitList::poll)), and returns its key.
    pub(crate) fn push_unpolled(&mut self) -> usize {
        self.push_entry(None)
    }

    #[inline]
    fn push_entry(&mut self, waker: Option<Waker>) -> usize {
        let entry = Entry {
            state: State::Waiting(waker),
            prev: self.tail,
            next: NIL,
        };
        let key = self.entries.insert(entry) as u32;
        match self.entries.get_mut(self.tail as usize) {
            Some(tail) => tail.next = key,
            None => self.head = key,
        }
        self.tail = key;
        self.waiting += 1;
        key as usize
    }

    // The functions below reach entries with `get`/`get_mut`, never by indexing, and have no
    // `unreachable!`: their keys are live by the invariants above, and each panic site would link
    // its message and location into every app that waits on a queue or lock (see `executor`'s
    // "Keeping builds small"). A broken invariant degrades to a no-op, never to memory unsafety.

    fn unlink(&mut self, key: u32) {
        let Some(e) = self.entries.get(key as usize) else {
            return;
        };
        let (prev, next) = (e.prev, e.next);
        match self.entries.get_mut(prev as usize) {
            Some(p) => p.next = next,
            None => self.head = next,
        }
        match self.entries.get_mut(next as usize) {
            Some(n) => n.prev = prev,
            None => self.tail = prev,
        }
        self.waiting -= 1;
    }

    /// Frees the entry `key` and returns its state.
    fn release(&mut self, key: u32) -> State<V> {
        let Some(e) = self.entries.get_mut(key as usize) else {
            return State::Free;
        };
        let state = std::mem::replace(&mut e.state, State::Free);
        if !matches!(state, State::Free) {
            self.entries.free(key as usize);
        }
        state
    }

    /// Hands `v` to the oldest Waiting entry and returns its waker (to wake once the caller's
    /// borrow is released), or gives `v` back if nobody is waiting.
    #[inline]
    pub(crate) fn notify_one(&mut self, v: V) -> Result<Option<Waker>, V> {
        let key = self.head;
        if key == NIL {
            return Err(v);
        }
        self.unlink(key);
        let Some(e) = self.entries.get_mut(key as usize) else {
            return Err(v);
        };
        // Only Waiting entries are linked.
        match std::mem::replace(&mut e.state, State::Notified(v)) {
            State::Waiting(w) => Ok(w),
            _ => Ok(None),
        }
    }

    /// Hands a value made by `f` to every Waiting entry, oldest first, pushing their wakers to
    /// `wakers`.
    pub(crate) fn notify_all(&mut self, wakers: &mut Vec<Waker>, mut f: impl FnMut() -> V) {
        while self.head != NIL {
            if let Ok(Some(w)) = self.notify_one(f()) {
                wakers.push(w);
            }
        }
    }

    /// Changes the value of every Notified entry (for example to "shut down"), leaving Waiting
    /// entries alone.
    pub(crate) fn map_notified(&mut self, mut f: impl FnMut(&mut V)) {
        for e in self.entries.slots_mut() {
            if let State::Notified(v) = &mut e.state {
                f(v);
            }
        }
    }

    /// The owner of `key` polls: takes its value (and frees the entry) if it was notified;
    /// otherwise refreshes the stored waker and returns `None`.
    #[inline]
    pub(crate) fn poll(&mut self, key: usize, waker: &Waker) -> Option<V> {
        if let State::Waiting(slot) = &mut self.entries.get_mut(key)?.state {
            match slot {
                Some(w) if w.will_wake(waker) => {}
                _ => *slot = Some(waker.clone()),
            }
            return None;
        }
        // Notified (a key is freed only by its owner, so never Free here).
        match self.release(key as u32) {
            State::Notified(v) => Some(v),
            _ => None,
        }
    }

    /// The owner of `key` gives up (it is being dropped): frees the entry, unlinking it if it was
    /// Waiting, and returns the value it had been handed, if any, for the caller to pass on.
    pub(crate) fn remove(&mut self, key: usize) -> Option<V> {
        if let State::Waiting(_) = self.entries.get(key)?.state {
            self.unlink(key as u32);
        }
        match self.release(key as u32) {
            State::Notified(v) => Some(v),
            _ => None,
        }
    }
}

/// Wakes every waker in `wakers` (call it after releasing the primitive's borrow).
#[inline]
pub(crate) fn wake_all(wakers: Vec<Waker>) {
    // (`for_each`, not a `for` loop: the iterator's internal fold is 60 bytes of wasm smaller.)
    wakers.into_iter().for_each(Waker::wake);
}

/// Adds `waker` to `wakers`, the list of waiters to wake all at once (see the module docs), unless
/// a waker there would wake the same task already.
pub(crate) fn register(wakers: &mut Vec<Waker>, waker: &Waker) {
    if !wakers.iter().any(|w| w.will_wake(waker)) {
        wakers.push(waker.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::task::Wake;

    struct Noop;
    impl Wake for Noop {
        fn wake(self: Arc<Self>) {}
    }

    #[test]
    fn fifo_handoff_and_removal_from_the_middle() {
        let w = Waker::from(Arc::new(Noop));
        let mut l: WaitList<u32> = WaitList::new();
        let a = l.push(&w);
        let b = l.push(&w);
        let c = l.push(&w);
        assert_eq!(l.len(), 3);
        assert_eq!(l.remove(b), None); // cancelled from the middle
        assert_eq!(l.len(), 2);
        assert!(l.notify_one(10).is_ok());
        assert!(l.notify_one(11).is_ok());
        assert_eq!(l.notify_one(12).err(), Some(12));
        assert_eq!(l.poll(a, &w), Some(10));
        assert_eq!(l.remove(c), Some(11)); // notified, then cancelled: the value comes back
        let d = l.push(&w);
        assert!(d == c || d == a); // slots are reused
        assert_eq!(l.poll(d, &w), None);
        assert_eq!(l.remove(d), None);
        assert!(l.is_empty());
        assert_eq!(l.entries.len(), 3);
    }

    #[test]
    fn a_registered_task_is_listed_once_and_woken_with_the_others() {
        struct Count(std::sync::atomic::AtomicUsize);
        impl Wake for Count {
            fn wake(self: Arc<Self>) {
                self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
        let (a, b) = (
            Arc::new(Count(Default::default())),
            Arc::new(Count(Default::default())),
        );
        let (wa, wb) = (Waker::from(a.clone()), Waker::from(b.clone()));
        let mut wakers = Vec::new();
        register(&mut wakers, &wa);
        register(&mut wakers, &wb);
        register(&mut wakers, &wa.clone()); // the same task again: not added
        assert_eq!(wakers.len(), 2);
        wake_all(std::mem::take(&mut wakers));
        let woken = |c: &Count| c.0.load(std::sync::atomic::Ordering::Relaxed);
        assert_eq!((woken(&a), woken(&b)), (1, 1));
        assert!(wakers.is_empty());
    }
}
