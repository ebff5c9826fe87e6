// Queue, LifoQueue, PriorityQueue: put/get take {signal}; an aborted get consumes no item, an
// aborted put inserts none.

import { checkCount, signalOf } from './check.js';
import { QueueShutDown } from './errors.js';
import { fromCode, wait, waitOn } from './failures.js';
import { ready } from './runtime.js';
import { JsQueue, ensureReady } from './wasm.js';

function rethrow(e) {
  throw typeof e === 'number' ? fromCode(e) : e;
}

class BaseQueue {
  #q;
  constructor(kind, maxsize) {
    ensureReady();
    const m = maxsize !== null && typeof maxsize === 'object' ? maxsize.maxsize : maxsize;
    this.#q = new JsQueue(kind, checkCount(m === undefined ? 0 : m, 'maxsize'));
  }
  /** @internal the priority of `item` (0 unless a PriorityQueue). */
  _rank() {
    return 0;
  }
  /** Puts `item`, waiting for room if the queue is full. */
  put(item, options) {
    const p = this._rank(item);
    const signal = signalOf(options);
    if (signal === undefined || !signal.aborted) {
      // Room and nobody ahead: put it now. Full: wait in line. Shut down: reject.
      try {
        this.#q.put_nowait(item, p);
        return ready(signal);
      } catch (e) {
        if (e !== 10) return Promise.reject(typeof e === 'number' ? fromCode(e) : e);
      }
    }
    return wait(signal, (o) => this.#q.put(item, p, o), undefined, 'queue-put');
  }
  /** Puts `item` now or throws QueueFull (QueueShutDown once shut down). */
  putNowait(item) {
    try {
      this.#q.put_nowait(item, this._rank(item));
    } catch (e) {
      rethrow(e);
    }
  }
  /** Removes and returns an item, waiting for one. */
  get(options) {
    const signal = signalOf(options);
    if ((signal === undefined || !signal.aborted) && !this.#q.empty()) {
      // An item nobody else is owed: take it now (get_nowait refuses items handed to waiters).
      try {
        return ready(signal, this.#q.get_nowait());
      } catch {
        /* owed to a woken getter: wait in line */
      }
    }
    return wait(signal, (o) => this.#q.get(o), undefined, 'queue-get');
  }
  /** Removes and returns an item now or throws QueueEmpty. */
  getNowait() {
    try {
      return this.#q.get_nowait();
    } catch (e) {
      rethrow(e);
    }
  }
  /** Marks one item got as processed (for join()). */
  taskDone() {
    try {
      this.#q.task_done();
    } catch (e) {
      rethrow(e);
    }
  }
  /** Waits until every item put has been marked done. */
  join(options) {
    return waitOn(options, 'queue-join', (o) => this.#q.join(o));
  }
  /** Shuts the queue down: puts fail, gets drain what is left (none if `immediate`). */
  shutdown(immediate = false) {
    this.#q.shutdown(!!immediate);
  }
  get size() {
    return this.#q.size();
  }
  get maxsize() {
    return this.#q.maxsize();
  }
  empty() {
    return this.#q.empty();
  }
  full() {
    return this.#q.full();
  }
  /** Gets items until the queue is shut down and empty. */
  async *[Symbol.asyncIterator]() {
    for (;;) {
      let item;
      try {
        item = await this.get();
      } catch (e) {
        if (e instanceof QueueShutDown) return;
        throw e;
      }
      yield item;
    }
  }
}

/** First in, first out. `new Queue(maxsize = 0)` (0: unbounded). */
export class Queue extends BaseQueue {
  constructor(maxsize) {
    super(0, maxsize);
  }
}

/** Last in, first out. */
export class LifoQueue extends BaseQueue {
  constructor(maxsize) {
    super(1, maxsize);
  }
}

/**
 * Lowest priority first; an item is its own priority (a number) or an array whose first element
 * is (`[priority, data]`). Equal priorities come out in arrival order.
 */
export class PriorityQueue extends BaseQueue {
  constructor(maxsize) {
    super(2, maxsize);
  }
  _rank(item) {
    const p = Array.isArray(item) ? item[0] : item;
    if (typeof p !== 'number' || Number.isNaN(p))
      throw new TypeError('item must be a number or an array whose first element is a number (its priority)');
    return p;
  }
}
