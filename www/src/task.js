// Task: a JS function running as a wasio task, and spawn().

import { abortError, reasonOf } from './errors.js';
import { checkFunction, checkOptions, checkSignal } from './check.js';
import { owners, settled, tasks } from './runtime.js';
import { ensureReady, spawn_task, task_cancel, task_id } from './wasm.js';
import { unwatch, watch } from './abort.js';
import { tracing } from './tracing.js';

const PENDING = 0;
const FULFILLED = 1;
const REJECTED = 2;
const CANCELLED = 3;

const asyncDispose = Symbol.asyncDispose || Symbol.for('Symbol.asyncDispose');

/**
 * A running function: awaitable (PromiseLike), cancellable. Created by spawn().
 */
export class Task {
  #fn;
  #slot;
  /** The task's AbortController, made when first needed (Node's are costly to create). */
  #ctrl = null;
  /** The reason of a cancel() made before the controller existed. */
  #reason;
  #state = PENDING;
  #value;
  #cancelRequested = false;
  #fnDone = false;
  #fnOk = false;
  #fnValue;
  #callbacks = null;
  #parent;
  #onParentAbort = null;
  /** The promise then() hands out, and its resolve/reject while the task is pending. */
  #deferred = null;
  #resolve = null;
  #reject = null;
  /** The JS-line waits it owns (line.js), pruned of ended ones whenever it reaches #pruneAt. */
  #waits = null;
  #pruneAt = 16;

  /** @internal use spawn(); `start` spawns the bindings' task (spawn_task(name) by default) */
  constructor(fn, name, parent, start) {
    ensureReady();
    this.#fn = fn;
    this.name = name;
    this.#slot = start === undefined ? spawn_task(name) : start();
    this.id = task_id(this.#slot);
    tasks[this.#slot] = this;
    if (parent !== undefined) {
      if (parent.aborted) this.cancel(reasonOf(parent));
      else {
        this.#parent = parent;
        this.#onParentAbort = () => this.cancel(reasonOf(parent));
        watch(parent, this.#onParentAbort);
      }
    }
  }

  /** Aborted when the task is cancelled; the signal its function received. */
  get signal() {
    return this.#controller().signal;
  }

  #controller() {
    if (this.#ctrl === null) {
      this.#ctrl = new AbortController();
      if (this.#cancelRequested) this.#ctrl.abort(this.#reason);
      else if (this.#slot !== undefined) owners.set(this.#ctrl.signal, this.#slot);
    }
    return this.#ctrl;
  }
  /** Whether the task has ended (fulfilled, failed or cancelled). */
  get done() {
    return this.#state !== PENDING;
  }
  /** Whether the task ended by cancellation. */
  get cancelled() {
    return this.#state === CANCELLED;
  }

  /**
   * Requests cancellation: aborts the task's signal with `reason` (an AbortError by default),
   * rejects the waits it has pending with that signal, and, if its function has not started,
   * never runs it. Returns false if the task has already ended.
   */
  cancel(reason) {
    if (this.#state !== PENDING) return false;
    if (!this.#cancelRequested) {
      this.#cancelRequested = true;
      if (tracing.on) tracing.cancel(this.id);
      this.#reason = reason === undefined ? abortError('The task was cancelled') : reason;
      if (this.#ctrl !== null) this.#ctrl.abort(this.#reason);
    }
    if (this.#slot !== undefined) task_cancel(this.#slot);
    this.#dropWaits();
    return true;
  }

  /**
   * @internal owns JS-line wait `w` (line.js): cancelled before its function settles, the task
   * rejects it, as the bindings drop the waits a task owns. A task whose function has settled
   * owns no more waits (the bindings hand them to the loop's top-level task).
   */
  _own(w) {
    if (this.#fnDone || this.#slot === undefined) return;
    if (this.#waits === null) this.#waits = [w];
    else {
      if (this.#waits.length >= this.#pruneAt) {
        this.#waits = this.#waits.filter((x) => x.waiting);
        this.#pruneAt = Math.max(16, this.#waits.length * 2);
      }
      this.#waits.push(w);
    }
  }

  /** Rejects the JS-line waits it owns (it is cancelled, or dropped, before its function settled). */
  #dropWaits() {
    const ws = this.#waits;
    this.#waits = null;
    if (ws !== null && !this.#fnDone) for (const w of ws) w.leave();
  }

  /**
   * `then`, read when the task is awaited (`await task` reads it in the awaiting code): while
   * tracing, the code that the task's end resumes runs as the task that awaited it (see actor()
   * in runtime.js).
   */
  get then() {
    return tracing.on ? tracing.thenOf(this) : this._then;
  }
  /** @internal then() itself. */
  _then(onFulfilled, onRejected) {
    if (this.#deferred === null) {
      if (this.#state === FULFILLED) this.#deferred = Promise.resolve(this.#value);
      else if (this.#state !== PENDING) this.#deferred = Promise.reject(this.#value);
      else
        this.#deferred = new Promise((resolve, reject) => {
          this.#resolve = resolve;
          this.#reject = reject;
        });
    }
    return this.#deferred.then(onFulfilled, onRejected);
  }
  catch(onRejected) {
    return this.then(undefined, onRejected);
  }
  finally(onFinally) {
    return this.then().finally(onFinally);
  }

  /** Cancels the task and waits for it to end (`await using task = spawn(...)`). */
  [asyncDispose]() {
    this.cancel();
    return new Promise((resolve) => this._onDone(() => resolve()));
  }

  get [Symbol.toStringTag]() {
    return 'Task';
  }

  /** @internal calls `cb(task)` once the task has ended (at once if it has). */
  _onDone(cb) {
    if (this.#state !== PENDING) cb(this);
    else if (this.#callbacks === null) this.#callbacks = [cb];
    else this.#callbacks.push(cb);
  }
  /** @internal the outcome: [state, value] */
  _outcome() {
    return [this.#state, this.#value];
  }

  /** @internal the first poll: run the function with the task's signal. */
  _run() {
    const fn = this.#fn;
    this.#fn = undefined;
    let r;
    try {
      // A function that declares no parameter cannot use the signal: skip making one.
      r = fn.length === 0 ? fn() : fn(this.#controller().signal);
    } catch (e) {
      return this.#fnSettled(false, e);
    }
    if (r !== null && (typeof r === 'object' || typeof r === 'function') && typeof r.then === 'function') {
      Promise.resolve(r).then(
        (v) => this.#fnSettled(true, v),
        (e) => this.#fnSettled(false, e),
      );
    } else this.#fnSettled(true, r);
  }

  #fnSettled(ok, value) {
    if (this.#slot === undefined) return; // the loop dropped the task first
    this.#fnDone = true;
    this.#waits = null; // still pending: the loop's top-level task's now, as in the bindings
    this.#fnOk = ok;
    this.#fnValue = value;
    settled(this.#slot, !ok && this.#isCancellation(value));
  }

  /** A rejection after cancel() with the cancel reason or an AbortError ends the task cancelled. */
  #isCancellation(e) {
    return (
      this.#cancelRequested &&
      (e === this.#reason || (e !== null && typeof e === 'object' && e.name === 'AbortError'))
    );
  }

  /** @internal the task's future ended in the bindings. */
  _done() {
    this.#slot = undefined;
    if (this.#ctrl !== null) owners.delete(this.#ctrl.signal);
    if (this.#onParentAbort !== null) unwatch(this.#parent, this.#onParentAbort);
    if (!this.#fnDone) {
      // Cancelled before it started, or dropped by the loop (runSimulated's end).
      if (!this.#cancelRequested) this.cancel();
      this.#dropWaits();
      this.#finish(CANCELLED, this.#reason);
    } else if (this.#fnOk) this.#finish(FULFILLED, this.#fnValue);
    else this.#finish(this.#isCancellation(this.#fnValue) ? CANCELLED : REJECTED, this.#fnValue);
  }

  #finish(state, value) {
    this.#state = state;
    this.#value = value;
    this.#fnValue = undefined;
    if (this.#resolve !== null) {
      if (state === FULFILLED) this.#resolve(value);
      else this.#reject(value);
      this.#resolve = this.#reject = null;
    }
    const cbs = this.#callbacks;
    this.#callbacks = null;
    if (cbs !== null) for (const cb of cbs) cb(this);
  }
}

/**
 * Runs `fn(signal)` as a task, starting at the loop's next turn. `signal` aborts when the task is
 * cancelled (by task.cancel(), a timeout, its TaskGroup, or options.signal aborting).
 */
export function spawn(fn, options) {
  checkFunction(fn, 'fn');
  const o = checkOptions(options);
  const signal = checkSignal(o.signal);
  if (o.name !== undefined && typeof o.name !== 'string')
    throw new TypeError('options.name must be a string');
  return new Task(fn, o.name, signal);
}
