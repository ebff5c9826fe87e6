// Lock, Event, Semaphore, BoundedSemaphore, Barrier and Condition: every wait takes {signal}.

import { checkCount, signalOf } from './check.js';
import { ReleaseError, reasonOf } from './errors.js';
import { ready } from './runtime.js';
import { wait, waitOn } from './failures.js';
import { Line } from './line.js';
import { JsBarrier, JsCondition, JsEvent, JsLock, ensureReady } from './wasm.js';

const dispose = Symbol.dispose || Symbol.for('Symbol.dispose');

/** What acquire() resolves to: release() it, or let `using` do so. */
class Held {
  /** The Lock or Semaphore, until released. */
  #of;
  constructor(of) {
    this.#of = of;
  }
  release() {
    const of = this.#of;
    this.#of = null;
    if (of !== null) of.release();
  }
  [dispose]() {
    this.release();
  }
}

let jsLockOf;

/** A mutual-exclusion lock, handed to waiters in FIFO order. */
export class Lock {
  #l = (ensureReady(), new JsLock());
  /** Starts an acquisition in the bindings; what it resolves to. */
  #start = (owner) => this.#l.acquire(owner);
  #held = () => new Held(this);
  static {
    // The crate's lock under a Lock, for the Condition built over it (not public API).
    jsLockOf = (lock) => lock.#l;
  }
  /** Waits for the lock; resolves to a handle whose release() (or `using`) releases it. */
  acquire(options) {
    const signal = signalOf(options);
    // Free and nobody waiting: take it now (FIFO holds: try_acquire refuses while others wait).
    if ((signal === undefined || !signal.aborted) && this.#l.try_acquire())
      return ready(signal, new Held(this));
    return wait(signal, this.#start, undefined, 'lock', this.#held);
  }
  /** Takes the lock if free (and nobody waits); returns whether it did. */
  tryAcquire() {
    return this.#l.try_acquire();
  }
  /** Releases the lock; throws ReleaseError if it is not held. */
  release() {
    if (!this.#l.release()) throw new ReleaseError('release() of a Lock that is not locked');
  }
  /** Whether the lock is held. */
  locked() {
    return this.#l.locked();
  }
}

/** A flag: wait() resolves once it is set. */
export class Event {
  #e = (ensureReady(), new JsEvent());
  wait(options) {
    const signal = signalOf(options);
    if ((signal === undefined || !signal.aborted) && this.#e.is_set()) return ready(signal, true);
    return wait(signal, (o) => this.#e.wait(o), undefined, 'event');
  }
  set() {
    this.#e.set();
  }
  clear() {
    this.#e.clear();
  }
  isSet() {
    return this.#e.is_set();
  }
}

/**
 * A counting semaphore: acquire() takes a permit (FIFO), release() gives one back. The count and
 * the line of waiters (line.js) are both in JS, so an uncontended acquire or release makes no call
 * into the wasm. While anyone waits the count is 0 and release() hands its permit straight to the
 * oldest waiter; a BoundedSemaphore's release() past its initial value throws, changing nothing.
 */
export class Semaphore {
  /** Free permits. */
  #n;
  /** What release() may raise the count to: the initial value if bounded, else unbounded. */
  #max;
  #line = new Line();
  constructor(value = 1) {
    checkCount(value, 'value');
    ensureReady(); // throws before wasio/slim's init(), as every other class does
    this.#n = value;
    this.#max = this instanceof BoundedSemaphore ? value : Infinity; // a subclass's too
  }
  acquire(options) {
    const signal = signalOf(options);
    if (signal !== undefined && signal.aborted) return Promise.reject(reasonOf(signal));
    // No barging: a free permit is taken only while nobody waits (and while anyone does, the
    // count is 0).
    if (this.#n > 0) {
      this.#n -= 1;
      return ready(signal, new Held(this));
    }
    return this.#line.join(signal, 'semaphore');
  }
  tryAcquire() {
    if (this.#n === 0) return false;
    this.#n -= 1;
    return true;
  }
  release() {
    // Someone waits, so the count is 0 and every permit is held: the release is valid (but for a
    // BoundedSemaphore(0)) and its permit goes to the oldest waiter.
    if (this.#line.n > 0 && this.#max !== 0) this.#line.next(new Held(this));
    else if (this.#n < this.#max) this.#n += 1;
    else throw new ReleaseError('BoundedSemaphore released too many times');
  }
  locked() {
    return this.#n === 0;
  }
  /** Free permits. */
  get value() {
    return this.#n;
  }
}

/** A semaphore whose release() throws ReleaseError past the initial value. */
export class BoundedSemaphore extends Semaphore {}

/** A barrier for `parties` tasks: wait() resolves with the arrival index once all arrived. */
export class Barrier {
  #b;
  constructor(parties) {
    checkCount(parties, 'parties', 1);
    ensureReady();
    this.#b = new JsBarrier(parties);
  }
  wait(options) {
    return waitOn(options, 'barrier', (o) => this.#b.wait(o));
  }
  abort() {
    this.#b.abort();
  }
  reset() {
    this.#b.reset();
  }
  get parties() {
    return this.#b.parties();
  }
  get nWaiting() {
    return this.#b.n_waiting();
  }
  get broken() {
    return this.#b.broken();
  }
}

/**
 * A condition variable over a Lock (a new one by default): the crate's LockCondition. wait()
 * releases the lock, waits for notify() (FIFO), then re-acquires it. A waiter aborted after being
 * notified passes the notification on to the next waiter, so no wake-up is lost.
 */
export class Condition {
  #lock;
  #c;
  constructor(lock) {
    if (lock !== undefined && !(lock instanceof Lock)) throw new TypeError('lock must be a Lock');
    this.#lock = lock === undefined ? new Lock() : lock;
    this.#c = new JsCondition(jsLockOf(this.#lock));
  }
  acquire(options) {
    return this.#lock.acquire(options);
  }
  release() {
    this.#lock.release();
  }
  locked() {
    return this.#lock.locked();
  }
  /**
   * Releases the lock, waits for a notification, re-acquires the lock. Resolves to true. Aborted,
   * it re-acquires the lock too (as asyncio does), then rejects with the signal's reason.
   */
  async wait(options) {
    const signal = signalOf(options);
    if (!this.#lock.locked()) throw new ReleaseError('wait() on a Condition whose lock is not held');
    if (signal !== undefined && signal.aborted) throw reasonOf(signal);
    try {
      // The crate's wait releases the lock as it starts (it never fails here: the lock is held).
      return await wait(signal, (o) => this.#c.wait(o), undefined, 'condition');
    } catch (e) {
      if (e instanceof ReleaseError) throw e;
      // Aborted: the crate passed on any notification this waiter took and left the lock
      // released; re-acquire it (without a signal, so this cannot be aborted) before rejecting.
      for (;;) {
        try {
          await this.#lock.acquire();
          break;
        } catch {
          /* acquire without a signal cannot be aborted */
        }
      }
      throw e;
    }
  }
  /** Waits until predicate() is truthy (checked with the lock held). */
  async waitFor(predicate, options) {
    let r = predicate();
    while (!r) {
      await this.wait(options);
      r = predicate();
    }
    return r;
  }
  /** Wakes up to n waiters (oldest first); returns how many. */
  notify(n = 1) {
    checkCount(n, 'n');
    return this.#c.notify(Math.min(n, 0xffffffff));
  }
  /** Wakes every waiter; returns how many. */
  notifyAll() {
    return this.#c.notify_all();
  }
}
