// A line of waiters kept in JS, for a primitive whose count JS keeps too (Semaphore).
//
// Data structure: `q` is an array of Waiter objects, oldest first from index `head`; `n` counts
// the waiters still in line. A waiter that leaves early (its signal aborted, its task cancelled)
// is marked left (`resolve === null`) and stays in the array as a hole that `next()` skips, so
// leaving is O(1) wherever it stands. The array is emptied whenever `n` drops to 0 and sliced
// from `head` once the consumed prefix is over half of it, so it stays within twice the line.
//
// Why in JS: a hand-off through the bindings' generic wait table costs a boxed future, a waker,
// a table slot and a hook call per waiter; here it is one object and one promise, settled inside
// the releasing call (as the crate's hand-off is). The primitive keeps the crate's semantics:
// FIFO (`next()` takes the oldest), no barging (the primitive takes no free permit while `n > 0`),
// nothing lost on cancellation (a waiter holds nothing until it is settled, so leaving gives
// nothing back), a pre-aborted signal rejects before joining, and the owning task's cancellation
// rejects the wait exactly as the bindings' `drop_owned` does: the owner is the task whose signal
// the wait was given, else the task whose function's synchronous part is running (Task._own).
// While tracing, a wait records the same 'wait' / 'wait-end' events as the bindings' waits, with
// ids from 2^31 up (the bindings' wait ids are slab indices, far below it), and the code that
// awaits it runs as its task (see runtime.js's actor()).

import { reasonOf } from './errors.js';
import { owners, runningTask, tasks } from './runtime.js';
import { unwatch, watch } from './abort.js';
import { traceWait, tracing } from './tracing.js';

/** The next trace id of a JS-line wait. */
let nextId = 0x80000000;

class Waiter {
  constructor(line, resolve, reject, signal) {
    this.line = line;
    this.resolve = resolve;
    this.reject = reject;
    this.signal = signal;
    /** The abort watcher, when `signal` is not a task's (a task's own signal needs none). */
    this.onAbort = null;
    /** While tracing: [what, id, task id, actor]. */
    this.traced = null;
  }

  /** Settles it (it has left the line): with `value`, or rejected with `error` unless `ok`. */
  settle(ok, value) {
    const resolve = this.resolve;
    const reject = this.reject;
    this.resolve = this.reject = null;
    if (this.onAbort !== null) unwatch(this.signal, this.onAbort);
    const t = this.traced;
    if (t === null) {
      if (ok) resolve(value);
      else reject(value);
      return;
    }
    traceWait('wait-end', t[0], t[1], t[2], ok ? 'ok' : 'aborted');
    // An owned wait handed what it waited for wakes its task, so the trace has the edge from
    // the releasing code's task (as the bindings' hand-off wakes the owner).
    if (ok && t[2] !== undefined) t[3]._wake();
    if (t[3] != null && tracing.on) tracing.settleAs(t[3], ok ? resolve : reject, value);
    else if (ok) resolve(value);
    else reject(value);
  }

  /** Leaves the line early (aborted, or its task cancelled): rejects with the signal's reason. */
  leave() {
    if (this.resolve === null) return;
    this.line.left();
    this.settle(false, reasonOf(this.signal));
  }

  /** Whether it still waits (for Task._own's pruning). */
  get waiting() {
    return this.resolve !== null;
  }
}

export class Line {
  q = [];
  head = 0;
  n = 0;

  /**
   * Joins the line; the promise resolves to what `next()` is given. `signal` is not aborted
   * (the caller rejected a pre-aborted one). `what` names the wait in the trace.
   */
  join(signal, what) {
    return new Promise((resolve, reject) => {
      const w = new Waiter(this, resolve, reject, signal);
      this.q.push(w);
      this.n += 1;
      let owner = null;
      if (signal !== undefined) {
        const slot = owners.get(signal);
        if (slot !== undefined) owner = tasks[slot];
        else {
          w.onAbort = () => w.leave();
          watch(signal, w.onAbort);
        }
      }
      if (owner === null) owner = runningTask();
      if (owner != null) owner._own(w);
      if (tracing.on) {
        const id = nextId++;
        const t = owner == null ? undefined : owner.id;
        w.traced = [what, id, t, owner == null ? tracing.resumed : owner];
        traceWait('wait', what, id, t);
      }
    });
  }

  /** Settles the oldest waiter with `value` (the caller knows one waits: `n > 0`). */
  next(value) {
    const q = this.q;
    let w = q[this.head];
    q[this.head++] = undefined;
    while (w.resolve === null) {
      w = q[this.head];
      q[this.head++] = undefined;
    }
    this.left();
    w.settle(true, value);
  }

  /** A waiter left the line: keep the array within twice the line (see the top). */
  left() {
    this.n -= 1;
    if (this.n === 0) {
      this.q.length = 0;
      this.head = 0;
    } else if (this.head > 64 && this.head * 2 > this.q.length) {
      this.q = this.q.slice(this.head);
      this.head = 0;
    }
  }
}
