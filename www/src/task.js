// Task: a JS function running as a wasio task, and spawn().

import { abortError, reasonOf } from './errors.js';
import { checkFunction, checkOptions, checkSignal } from './check.js';
import { owners, settled, tasks } from './runtime.js';
import { ensureReady, spawn_task, task_cancel, task_id, task_wake } from './wasm.js';
import { unwatch, watch } from './abort.js';
import { tracing } from './tracing.js';

const PENDING = 0;
const FULFILLED = 1;
const REJECTED = 2;
const CANCELLED = 3;

const asyncDispose = Symbol.asyncDispose || Symbol.for('Symbol.asyncDispose');

const promiseThen = Promise.prototype.then;
const ignore = () => {};
/** The resolve/reject of the Task being constructed (no executor closure per task). */
let resolveNext;
let rejectNext;
const capture = (resolve, reject) => {
  resolveNext = resolve;
  rejectNext = reject;
};

/**
 * A running function: awaitable (PromiseLike), cancellable. Created by spawn().
 *
 * A Task is itself a native promise, settled when the task ends, and its `constructor` reads as
 * `Promise` while no one traces: so `await task` and `Promise.all(tasks)` take the engine's own
 * promise path instead of the thenable one (a job, a wrapper promise and two resolving functions
 * per task: about 500 bytes each). While tracing, `constructor` reads as Task, so the engine reads
 * `then` (the getter below), as the attribution of the awaiting code needs.
 */
export class Task extends Promise {
  static get [Symbol.species]() {
    return Promise;
  }
  // Few fields: 100,000 tasks alive at once are 100,000 of these objects for the GC to move, so
  // the rarely used ones share one object made when first needed (#x).
  #fn;
  #slot;
  /** The task's AbortController, made when first needed (Node's are costly to create). */
  #ctrl = null;
  /** The cancel() reason (never undefined once cancellation is requested: see cancel()). */
  #reason;
  #state = PENDING;
  /** The function's outcome once it settled (#fnState), then the task's (#state). */
  #value;
  /** PENDING until the function settles, then FULFILLED or REJECTED. */
  #fnState = PENDING;
  #callbacks = null;
  /**
   * null, or { parent, onParentAbort, waits, pruneAt }: the options.signal watched, and the
   * JS-line waits it owns (line.js), pruned of ended ones whenever they reach `pruneAt`.
   */
  #x = null;
  /** Its own resolve/reject while the task is pending. */
  #resolve;
  #reject;

  /** @internal use spawn(); `start` spawns the bindings' task (spawn_task(name) by default) */
  constructor(fn, name, parent, start) {
    ensureReady();
    super(capture);
    this.#resolve = resolveNext;
    this.#reject = rejectNext;
    this.#fn = fn;
    this.name = name;
    this.#slot = start === undefined ? spawn_task(name) : start();
    this.id = task_id(this.#slot);
    tasks[this.#slot] = this;
    if (parent !== undefined) {
      if (parent.aborted) this.cancel(reasonOf(parent));
      else {
        const onParentAbort = () => this.cancel(reasonOf(parent));
        this.#extra().parent = parent;
        this.#x.onParentAbort = onParentAbort;
        watch(parent, onParentAbort);
      }
    }
  }

  #extra() {
    if (this.#x === null) this.#x = { parent: undefined, onParentAbort: null, waits: null, pruneAt: 16 };
    return this.#x;
  }

  /** Aborted when the task is cancelled; the signal its function received. */
  get signal() {
    return this.#controller().signal;
  }

  #controller() {
    if (this.#ctrl === null) {
      this.#ctrl = new AbortController();
      if (this.#reason !== undefined) this.#ctrl.abort(this.#reason);
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
    if (this.#reason === undefined) {
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
    if (this.#fnState !== PENDING || this.#slot === undefined) return;
    const x = this.#extra();
    if (x.waits === null) x.waits = [w];
    else {
      if (x.waits.length >= x.pruneAt) {
        x.waits = x.waits.filter((o) => o.waiting);
        x.pruneAt = Math.max(16, x.waits.length * 2);
      }
      x.waits.push(w);
    }
  }

  /** @internal a JS-line wait it owns was settled while tracing: its wake shows in the trace. */
  _wake() {
    if (this.#slot !== undefined) task_wake(this.#slot);
  }

  /** Rejects the JS-line waits it owns (it is cancelled, or dropped, before its function settled). */
  #dropWaits() {
    if (this.#x === null) return;
    const ws = this.#x.waits;
    this.#x.waits = null;
    if (ws !== null && this.#fnState === PENDING) for (const w of ws) w.leave();
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
    return promiseThen.call(this, onFulfilled, onRejected);
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
    this.#fnState = ok ? FULFILLED : REJECTED;
    // Its waits still pending are the loop's top-level task's now, as in the bindings.
    if (this.#x !== null) this.#x.waits = null;
    this.#value = value;
    settled(this.#slot, !ok && this.#isCancellation(value));
  }

  /** A rejection after cancel() with the cancel reason or an AbortError ends the task cancelled. */
  #isCancellation(e) {
    return (
      this.#reason !== undefined &&
      (e === this.#reason || (e !== null && typeof e === 'object' && e.name === 'AbortError'))
    );
  }

  /** @internal the task's future ended in the bindings. */
  _done() {
    this.#slot = undefined;
    if (this.#ctrl !== null) owners.delete(this.#ctrl.signal);
    const x = this.#x;
    if (x !== null && x.onParentAbort !== null) unwatch(x.parent, x.onParentAbort);
    const v = this.#value;
    if (this.#fnState === PENDING) {
      // Cancelled before it started, or dropped by the loop (runSimulated's end).
      if (this.#reason === undefined) this.cancel();
      this.#dropWaits();
      this.#finish(CANCELLED, this.#reason);
    } else if (this.#fnState === FULFILLED) this.#finish(FULFILLED, v);
    else this.#finish(this.#isCancellation(v) ? CANCELLED : REJECTED, v);
  }

  #finish(state, value) {
    this.#state = state;
    this.#value = value;
    if (state === FULFILLED) this.#resolve(value);
    else {
      // A task nobody awaits fails quietly, as before it was a promise (asyncio logs it; the
      // package leaves that to the code that awaits it): mark its rejection handled.
      promiseThen.call(this, undefined, ignore);
      this.#reject(value);
    }
    this.#resolve = this.#reject = undefined;
    const cbs = this.#callbacks;
    this.#callbacks = null;
    if (cbs !== null) for (const cb of cbs) cb(this);
  }
}

// A class cannot declare a `constructor` accessor: define it on the prototype (see the class docs).
Object.defineProperty(Task.prototype, 'constructor', {
  get: () => (tracing.on ? Task : Promise),
  configurable: true,
});

/**
 * Runs `fn(signal)` as a task, starting at the loop's next turn. `signal` aborts when the task is
 * cancelled (by task.cancel(), a timeout, its TaskGroup, or options.signal aborting).
 */
export function spawn(fn, options) {
  checkFunction(fn, 'fn');
  if (options === undefined) return new Task(fn, undefined, undefined);
  const o = checkOptions(options);
  const signal = checkSignal(o.signal);
  if (o.name !== undefined && typeof o.name !== 'string')
    throw new TypeError('options.name must be a string');
  return new Task(fn, o.name, signal);
}
