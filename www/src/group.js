// TaskGroup: structured concurrency.

import { checkFunction, checkOptions, checkSignal } from './check.js';
import { abortError, reasonOf } from './errors.js';
import { spawn } from './task.js';
import { watch } from './abort.js';
import { promiseOf } from './runtime.js';

const asyncDispose = Symbol.asyncDispose || Symbol.for('Symbol.asyncDispose');

/**
 * Spawns tasks that end together: join() (or leaving an `await using` block) waits for every
 * one; the first failure cancels the others and join() rejects with it (with an AggregateError
 * if several failed). Cancelled children are not failures.
 */
export class TaskGroup {
  #ctrl = new AbortController();
  #live = new Set();
  #errors = [];
  #joined = false;
  #wake = null;
  #parent;

  constructor(options) {
    const signal = checkSignal(checkOptions(options).signal);
    if (signal !== undefined) {
      this.#parent = signal;
      if (signal.aborted) this.#ctrl.abort(reasonOf(signal));
      else watch(signal, () => this.cancel(reasonOf(signal)));
    }
  }

  /** Aborted when the group cancels its tasks (a failure, cancel(), or options.signal). */
  get signal() {
    return this.#ctrl.signal;
  }

  /** Spawns `fn(signal)` in the group. */
  spawn(fn, options) {
    checkFunction(fn, 'fn');
    const o = checkOptions(options);
    if (this.#joined && this.#live.size === 0) throw new Error('TaskGroup is finished');
    const t = spawn(fn, { name: o.name });
    this.#live.add(t);
    if (this.#ctrl.signal.aborted) t.cancel(this.#ctrl.signal.reason);
    t._onDone(() => {
      this.#live.delete(t);
      const [state, value] = t._outcome();
      if (state === 2) {
        this.#errors.push(value);
        this.cancel(abortError('A sibling task failed'));
      }
      if (this.#live.size === 0 && this.#wake !== null) this.#wake();
    });
    return t;
  }

  /** Cancels every task in the group. */
  cancel(reason) {
    if (this.#ctrl.signal.aborted) return;
    const r = reason === undefined ? abortError('The task group was cancelled') : reason;
    this.#ctrl.abort(r);
    // Each task directly (not through listeners on the group's signal: one per task).
    for (const t of [...this.#live]) t.cancel(r);
  }

  /** Waits for every task; rejects with the failure (AggregateError for several). */
  join() {
    return promiseOf((resolve, reject) => this.#joinAll().then(resolve, reject));
  }

  async #joinAll() {
    this.#joined = true;
    while (this.#live.size > 0) await new Promise((r) => (this.#wake = r));
    this.#wake = null;
    const errors = this.#errors;
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} tasks failed`);
  }

  [asyncDispose]() {
    return this.join();
  }
}
