// Lock, Event, Semaphore, BoundedSemaphore, Barrier and Condition: every wait takes {signal}.

import { checkCount, checkOptions, checkSignal } from './check.js';
import { ReleaseError, reasonOf } from './errors.js';
import { wait } from './runtime.js';
import { JsBarrier, JsEvent, JsLock, JsSemaphore } from './wasm.js';

const dispose = Symbol.dispose || Symbol.for('Symbol.dispose');
const signalOf = (options) => checkSignal(checkOptions(options).signal);

/** What acquire() resolves to: release() it, or let `using` do so. */
class Held {
  #release;
  constructor(release) {
    this.#release = release;
  }
  release() {
    const r = this.#release;
    this.#release = null;
    if (r !== null) r();
  }
  [dispose]() {
    this.release();
  }
}

/** A mutual-exclusion lock, handed to waiters in FIFO order. */
export class Lock {
  #l = new JsLock();
  /** Waits for the lock; resolves to a handle whose release() (or `using`) releases it. */
  acquire(options) {
    const signal = signalOf(options);
    // Free and nobody waiting: take it now (FIFO holds: try_acquire refuses while others wait).
    if ((signal === undefined || !signal.aborted) && this.#l.try_acquire())
      return Promise.resolve(new Held(() => this.release()));
    return wait(signal, (o) => this.#l.acquire(o), undefined, 'lock').then(
      () => new Held(() => this.release()),
    );
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
  #e = new JsEvent();
  wait(options) {
    const signal = signalOf(options);
    if ((signal === undefined || !signal.aborted) && this.#e.is_set()) return Promise.resolve(true);
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

/** A counting semaphore: acquire() takes a permit (FIFO), release() gives one back. */
export class Semaphore {
  #s;
  constructor(value = 1) {
    checkCount(value, 'value');
    this.#s = new JsSemaphore(value, new.target === BoundedSemaphore);
  }
  acquire(options) {
    const signal = signalOf(options);
    if ((signal === undefined || !signal.aborted) && this.#s.try_acquire())
      return Promise.resolve(new Held(() => this.release()));
    return wait(signal, (o) => this.#s.acquire(o), undefined, 'semaphore').then(
      () => new Held(() => this.release()),
    );
  }
  tryAcquire() {
    return this.#s.try_acquire();
  }
  release() {
    if (!this.#s.release()) throw new ReleaseError('BoundedSemaphore released too many times');
  }
  locked() {
    return this.#s.locked();
  }
  /** Free permits. */
  get value() {
    return this.#s.value();
  }
}

/** A semaphore whose release() throws ReleaseError past the initial value. */
export class BoundedSemaphore extends Semaphore {}

/** A barrier for `parties` tasks: wait() resolves with the arrival index once all arrived. */
export class Barrier {
  #b;
  constructor(parties) {
    checkCount(parties, 'parties', 1);
    this.#b = new JsBarrier(parties);
  }
  wait(options) {
    return wait(signalOf(options), (o) => this.#b.wait(o), undefined, 'barrier');
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
 * A condition variable over a Lock (a new one by default). wait() releases the lock, waits for
 * notify() (FIFO), then re-acquires it. A waiter aborted after being notified passes the
 * notification on to the next waiter, so no wake-up is lost.
 */
export class Condition {
  #lock;
  #waiters = [];
  constructor(lock) {
    if (lock !== undefined && !(lock instanceof Lock)) throw new TypeError('lock must be a Lock');
    this.#lock = lock === undefined ? new Lock() : lock;
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
  /** Releases the lock, waits for a notification, re-acquires the lock. Resolves to true. */
  async wait(options) {
    const signal = signalOf(options);
    if (!this.#lock.locked()) throw new ReleaseError('wait() on a Condition whose lock is not held');
    if (signal !== undefined && signal.aborted) throw reasonOf(signal);
    this.#lock.release();
    const w = { notified: false, wake: null };
    let aborted = null;
    try {
      await new Promise((resolve, reject) => {
        w.wake = resolve;
        this.#waiters.push(w);
        if (signal !== undefined) {
          w.onAbort = () => reject(reasonOf(signal));
          signal.addEventListener('abort', w.onAbort, { once: true });
        }
      });
      // Notified, but the signal aborted before this waiter resumed: it is cancelled.
      if (signal !== undefined && signal.aborted) aborted = reasonOf(signal);
    } catch (e) {
      aborted = e;
    } finally {
      if (w.onAbort) signal.removeEventListener('abort', w.onAbort);
      const i = this.#waiters.indexOf(w);
      if (i >= 0) this.#waiters.splice(i, 1);
      // Woken and then aborted: pass the wake-up on.
      if (aborted !== null && w.notified) this.notify(1);
    }
    // Re-acquire whatever happens (asyncio does too), then report an abort.
    for (;;) {
      try {
        await this.#lock.acquire();
        break;
      } catch {
        /* acquire without a signal cannot be aborted */
      }
    }
    if (aborted !== null) throw aborted;
    return true;
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
    let woken = 0;
    for (const w of this.#waiters) {
      if (woken >= n) break;
      if (!w.notified) {
        w.notified = true;
        w.wake();
        woken++;
      }
    }
    return woken;
  }
  notifyAll() {
    return this.notify(this.#waiters.length);
  }
}
