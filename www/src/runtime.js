// The plumbing between JS promises and the bindings' waits and tasks.
//
// A wait (sleep, acquire, get...) is started in the bindings, which return its id; the promise's
// resolve/reject are kept in `pending[id]` until the bindings call `onSettle`. The wait's owner is
// the task whose signal it was given (`owners` maps a task's signal to its slot), so the bindings
// poll it inside that task's polls and the trace shows it on the task's lane. A signal that is
// not a task's gets an 'abort' listener (removed when the wait settles) that cancels the wait in
// the bindings; a task's own signal needs none: cancelling the task drops its waits.
//
// While tracing, JS code knows which task it runs for (`actor()`): the task whose function's
// synchronous part is running, or the task whose wait just settled while the code that awaited
// that wait runs. The loop records a wake made outside any poll (`event.set()` after an `await`)
// with no waker; the trace names the actor instead. The second case is exact, not a guess: a
// settled promise queues all its reactions at once, so a microtask queued just before the
// settlement and one queued just after enclose exactly the reactions registered on the wait's
// promise (the `await` that was waiting for it), with no other job between them. The machinery
// is attribution.js, loaded with trace.js: an app that never subscribes links none of it.

import { reasonOf } from './errors.js';
import { cancel_wait, ensureReady, task_settled } from './wasm.js';
import { unwatch, watch } from './abort.js';
import { traceWait, tracing } from './tracing.js';

export const NONE = 0xffffffff;

/** Pending waits by id: { resolve, reject, signal, onAbort }. */
const pending = [];
/** Task signal -> task slot, while the task lives. */
export const owners = new WeakMap();
/** Live tasks by slot. */
export const tasks = [];

/**
 * While `wait` calls the bindings to start a wait: the outcome of a wait settled before that call
 * returned (a primitive's wait is polled at once: an item already queued, a permit handed over).
 */
let starting = false;
let early = null;

/** A failure code (2 and up) as an error, for a wait started without its module's map. */
const failure = (fail, code, value) =>
  fail === undefined ? new Error(`wasio error ${code}`) : fail(code, value);

export function onSettle(id, code, value) {
  const p = pending[id];
  if (p === undefined) {
    if (starting) early = { id, code, value };
    return;
  }
  pending[id] = undefined;
  if (p.onAbort !== null) unwatch(p.signal, p.onAbort);
  if (p.what !== undefined)
    traceWait('wait-end', p.what, id, p.task, code === 0 ? 'ok' : code === 1 ? 'aborted' : 'error');
  const resumes = p.actor != null && tracing.on ? p.actor : null;
  if (resumes !== null) queueMicrotask(() => (tracing.resumed = resumes));
  if (code === 0) p.resolve(p.wrap === undefined ? value : p.wrap(value));
  else if (code === 1) p.reject(reasonOf(p.signal));
  else p.reject(failure(p.fail, code, value));
  if (resumes !== null) queueMicrotask(() => (tracing.resumed = null));
}

/**
 * Starts a wait: `start(owner)` calls the bindings and returns the wait id. Returns the promise
 * (of `wrap(value)` when `wrap` is given; rejected with `fail(code, value)` on a failure code),
 * and `handle.id` the id (for cancelWait) when a handle object is passed.
 */
export function wait(signal, start, handle, what, wrap, fail) {
  ensureReady();
  let owner = NONE;
  let foreign = false;
  if (signal !== undefined) {
    if (signal.aborted) return Promise.reject(reasonOf(signal));
    const slot = owners.get(signal);
    if (slot === undefined) foreign = true;
    else owner = slot;
  }
  const outer = starting;
  starting = true;
  early = null;
  let id;
  try {
    id = start(owner);
  } finally {
    starting = outer;
  }
  if (handle !== undefined) handle.id = id;
  let task;
  let actor;
  if (tracing.on) {
    const t = owner !== NONE ? tasks[owner] : running;
    task = t == null ? undefined : t.id;
    // Whose code resumes when it settles: as above, or the task whose awaited wait resumed the
    // code starting this one.
    actor = t == null ? tracing.resumed : t;
    traceWait('wait', what || 'wait', id, task);
  }
  const e = early;
  if (e !== null && e.id === id) {
    early = null;
    if (tracing.on) traceWait('wait-end', what || 'wait', id, task, e.code === 0 ? 'ok' : 'error');
    const ok = e.code === 0;
    const v = ok ? (wrap === undefined ? e.value : wrap(e.value)) : failure(fail, e.code, e.value);
    if (actor != null) return tracing.enclosed(actor, ok, v);
    return ok ? Promise.resolve(v) : Promise.reject(v);
  }
  return new Promise((resolve, reject) => {
    const p = {
      resolve,
      reject,
      signal,
      onAbort: null,
      what: tracing.on ? what || 'wait' : undefined,
      task,
      actor,
      wrap,
      fail,
    };
    if (foreign) {
      p.onAbort = () => {
        pending[id] = undefined;
        cancel_wait(id);
        if (p.what !== undefined) traceWait('wait-end', p.what, id, p.task, 'aborted');
        reject(reasonOf(signal));
      };
      watch(signal, p.onAbort);
    }
    pending[id] = p;
  });
}

/**
 * The promise of `value` for a wait that needs no waiting (a free lock, an item in the queue).
 * While tracing, it is enclosed like a settled wait's, so the code that awaits it runs as its
 * task: the task of `signal`, else the actor.
 */
export function ready(signal, value) {
  if (!tracing.on) return Promise.resolve(value);
  const slot = signal === undefined ? undefined : owners.get(signal);
  const t = slot === undefined ? actor() : tasks[slot];
  return t == null ? Promise.resolve(value) : tracing.enclosed(t, true, value);
}

/** Cancels a wait whose promise nobody will see settle (an internal timer). */
export function cancelWait(id) {
  const p = pending[id];
  if (p === undefined) return;
  pending[id] = undefined;
  if (p.onAbort !== null) unwatch(p.signal, p.onAbort);
  if (p.what !== undefined) traceWait('wait-end', p.what, id, p.task, 'aborted');
  cancel_wait(id);
}

/** How many waits JS holds promises for (leak checks). */
export const pendingCount = () => pending.reduce((n, p) => n + (p === undefined ? 0 : 1), 0);

// Task hooks: the bindings call onRun in the task's first poll and onDone when its future ends.

/** The task whose function's synchronous part is running (the bindings adopt its waits too). */
let running = null;
/** The task the running JS code acts for (see the top), or null. */
export const actor = () => running ?? tracing.resumed;
/** The task whose function's synchronous part is running, or null (line.js: a wait's owner). */
export const runningTask = () => running;

/**
 * `new Promise(executor)` for a promise the package settles itself (gather, timeout, a group's
 * join): while tracing, its settlement is enclosed like a settled wait's (see the top), so the
 * code awaiting it runs as the task that made it.
 */
export const promiseOf = (executor) => (tracing.on ? tracing.promiseOf(executor) : new Promise(executor));

export function onRun(slot) {
  const t = tasks[slot];
  if (t === undefined) return;
  const outer = running;
  running = t;
  try {
    t._run();
  } finally {
    running = outer;
  }
}

export function onDone(slot) {
  const t = tasks[slot];
  tasks[slot] = undefined;
  if (t !== undefined) t._done();
}

export const settled = (slot, cancelled) => task_settled(slot, cancelled);
