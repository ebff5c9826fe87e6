// sleep, yieldNow and timeout.

import { checkMs, checkOptions, checkSignal, isThenable } from './check.js';
import { timeoutError } from './errors.js';
import { cancelWait, promiseOf, wait } from './runtime.js';
import { Task, spawn } from './task.js';
import { sleep as sleepWait, yield_now } from './wasm.js';

/** Resolves after `ms` milliseconds of loop time; rejects with the signal's reason if aborted. */
export function sleep(ms, options) {
  checkMs(ms, 'ms');
  const signal = checkSignal(checkOptions(options).signal);
  return wait(signal, (owner) => sleepWait(ms, owner), undefined, 'sleep');
}

/** Lets every other ready task run once before resolving (asyncio's sleep(0)). */
export function yieldNow(options) {
  const signal = checkSignal(checkOptions(options).signal);
  return wait(signal, yield_now, undefined, 'yield');
}

/**
 * Waits for `awaitable` (a Task, a promise, or a function spawned as a task) for at most `ms`
 * milliseconds. On expiry it cancels a task with a TimeoutError reason, waits for it to end, and
 * rejects with a DOMException named TimeoutError (a plain promise cannot be cancelled: it is left
 * running). `options.signal` aborts the wait (and cancels the task) with its reason.
 */
export function timeout(ms, awaitable, options) {
  checkMs(ms, 'ms');
  const signal = checkSignal(checkOptions(options).signal);
  const target = typeof awaitable === 'function' ? spawn(awaitable) : awaitable;
  if (!isThenable(target)) throw new TypeError('awaitable must be a Task, a promise or a function');
  const task = target instanceof Task ? target : null;
  return promiseOf((resolve, reject) => {
    let expired = false;
    const timer = {};
    const settleWith = (ok, v) => {
      if (expired) {
        if (ok) resolve(v);
        else reject(task !== null && task.cancelled ? timeoutError() : v);
        return;
      }
      cancelWait(timer.id);
      if (ok) resolve(v);
      else reject(v);
    };
    wait(signal, (owner) => sleepWait(ms, owner), timer, 'timeout').then(
      () => {
        expired = true;
        if (task !== null) task.cancel(timeoutError());
        else reject(timeoutError());
      },
      (reason) => {
        // options.signal aborted: cancel what we wrap, as the timeout would.
        expired = true;
        if (task !== null) task.cancel(reason);
        reject(reason);
      },
    );
    if (task !== null)
      task._onDone(() => {
        const [state, value] = task._outcome();
        settleWith(state === 1, value);
      });
    else
      target.then(
        (v) => settleWith(true, v),
        (e) => settleWith(false, e),
      );
  });
}
