// gather, wait, asCompleted and shield over tasks and promises.

import { checkMs, checkOptions, isThenable } from './check.js';
import { cancelWait, promiseOf, wait as startWait } from './runtime.js';
import { Task, spawn } from './task.js';
import { sleep as sleepWait } from './wasm.js';

/** Calls cb(ok, value) when `x` (a Task or thenable) settles. */
function whenSettled(x, cb) {
  if (x instanceof Task)
    x._onDone((t) => {
      const [s, v] = t._outcome();
      cb(s === 1, v);
    });
  else
    x.then(
      (v) => cb(true, v),
      (e) => cb(false, e),
    );
}

/** `list`, each item checked to be a Task or a thenable. */
function checkAwaitables(list, name) {
  list.forEach((a, i) => {
    if (!isThenable(a)) throw new TypeError(`${name}[${i}] must be a Task or a promise`);
  });
  return list;
}

/** The items of the iterable `tasks`, checked. */
function awaitables(tasks) {
  if (tasks === null || typeof tasks !== 'object' || typeof tasks[Symbol.iterator] !== 'function')
    throw new TypeError('tasks must be an iterable of tasks or promises');
  return checkAwaitables([...tasks], 'tasks');
}

const isOptions = (x) => x !== null && typeof x === 'object' && !isThenable(x) && !Array.isArray(x);

/**
 * Waits for every awaitable and resolves with their results in order. Without
 * returnExceptions the first failure rejects at once (the others keep running); with it, errors
 * are returned in place of results.
 */
export function gather(...args) {
  const opts = args.length > 0 && isOptions(args[args.length - 1]) ? args.pop() : {};
  const returnExceptions = !!opts.returnExceptions;
  checkAwaitables(args, 'awaitables');
  return promiseOf((resolve, reject) => {
    const out = new Array(args.length);
    let left = args.length;
    if (left === 0) return resolve(out);
    args.forEach((a, i) =>
      whenSettled(a, (ok, v) => {
        if (!ok && !returnExceptions) return reject(v);
        out[i] = v;
        if (--left === 0) resolve(out);
      }),
    );
  });
}

/**
 * Waits until `returnWhen` ('ALL_COMPLETED' by default, 'FIRST_COMPLETED' or
 * 'FIRST_EXCEPTION') or `timeout` ms, and resolves with [done, pending] Sets. Nothing is cancelled.
 */
export function wait(tasks, options) {
  const list = awaitables(tasks);
  if (list.length === 0) throw new TypeError('tasks must not be empty');
  const o = checkOptions(options);
  const returnWhen = o.returnWhen === undefined ? 'ALL_COMPLETED' : o.returnWhen;
  if (!['ALL_COMPLETED', 'FIRST_COMPLETED', 'FIRST_EXCEPTION'].includes(returnWhen))
    throw new RangeError(
      "options.returnWhen must be 'ALL_COMPLETED', 'FIRST_COMPLETED' or 'FIRST_EXCEPTION'",
    );
  if (o.timeout !== undefined) checkMs(o.timeout, 'options.timeout');
  return promiseOf((resolve) => {
    const done = new Set();
    const pending = new Set(list);
    const timer = {};
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      if (timer.id !== undefined) cancelWait(timer.id);
      resolve([done, pending]);
    };
    for (const t of list)
      whenSettled(t, (ok) => {
        if (finished) return;
        pending.delete(t);
        done.add(t);
        if (
          pending.size === 0 ||
          returnWhen === 'FIRST_COMPLETED' ||
          (returnWhen === 'FIRST_EXCEPTION' && !ok)
        )
          finish();
      });
    if (o.timeout !== undefined && !finished)
      startWait(undefined, (owner) => sleepWait(o.timeout, owner), timer, 'timeout').then(finish);
  });
}

/** Yields the tasks (or promises) in the order they complete. */
export async function* asCompleted(tasks) {
  const list = awaitables(tasks);
  const ready = [];
  let wake = null;
  for (const t of list) {
    whenSettled(t, () => {
      ready.push(t);
      if (wake !== null) wake();
    });
  }
  for (let n = 0; n < list.length; n++) {
    if (ready.length === 0) await new Promise((r) => (wake = r));
    wake = null;
    yield ready.shift();
  }
}

/**
 * A task that mirrors `awaitable` but whose cancellation does not reach it: cancelling the
 * shield rejects the shield at once and leaves the inner task running.
 */
export function shield(awaitable) {
  if (!isThenable(awaitable)) throw new TypeError('awaitable must be a Task or a promise');
  return spawn(
    (signal) =>
      new Promise((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        whenSettled(awaitable, (ok, v) => {
          signal.removeEventListener('abort', onAbort);
          if (ok) resolve(v);
          else reject(v);
        });
      }),
    { name: 'shield' },
  );
}
