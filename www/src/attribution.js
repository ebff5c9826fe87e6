// While tracing: which task the running JS code acts for, the machinery behind runtime.js's
// actor() (its header explains the rule). trace.js loads it, and it puts its functions on
// `tracing`, so an app that never subscribes to the trace links none of it.

import { actor } from './runtime.js';
import { tracing } from './tracing.js';

/** The task being polled, between its poll-begin and poll-end events (trace.js keeps it), or -1. */
export const polled = { task: -1 };

/** Task id -> the task that cancelled it, until the loop records the cancellation (trace.js). */
export const cancellers = new Map();

/** The task whose code runs: the one being polled, else the JS code's actor; or -1. */
export function doer() {
  if (polled.task >= 0) return polled.task;
  const t = actor();
  return t === null ? -1 : t.id;
}

/** Calls `settle(v)` enclosed like a settled wait: the code it resumes runs as task `t`. */
function settleAs(t, settle, v) {
  queueMicrotask(() => (tracing.resumed = t));
  settle(v);
  queueMicrotask(() => (tracing.resumed = null));
}

tracing.settleAs = settleAs;

/**
 * The promise of `value` (of the rejection `value` unless `ok`), settled one microtask later and
 * enclosed, so that the code awaiting it runs as task `t` (a wait that needed no waiting).
 */
tracing.enclosed = (t, ok, value) =>
  new Promise((resolve, reject) => queueMicrotask(() => settleAs(t, ok ? resolve : reject, value)));

/** runtime.js's promiseOf while tracing: the settlement is enclosed for the task that made it. */
tracing.promiseOf = (executor) => {
  const t = actor();
  if (t === null) return new Promise(executor);
  return new Promise((resolve, reject) =>
    executor(
      (v) => settleAs(t, resolve, v),
      (e) => settleAs(t, reject, e),
    ),
  );
};

/** Whether `f` is the engine's own code (the resolve function of an `await`, say). */
const isNative = (f) => /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(f));

/**
 * `f` (a callback handed to a Task's then()), made to run as task `t`. The engine's resolve
 * function of an `await` only queues the awaiting code: its call is enclosed, so that code runs
 * as `t`; any other callback runs as `t` itself.
 */
function resumeAs(t, f) {
  if (typeof f !== 'function') return f;
  if (isNative(f)) return (v) => settleAs(t, f, v);
  return (v) => {
    const outer = tracing.resumed;
    tracing.resumed = t;
    try {
      return f(v);
    } finally {
      tracing.resumed = outer;
    }
  };
}

/**
 * A Task's `then` while tracing: `await task` reads it in the awaiting code, so the code the
 * task's end resumes runs as the task that awaited it.
 */
tracing.thenOf = (task) => {
  const a = actor();
  if (a === null) return task._then;
  return (onFulfilled, onRejected) => task._then(resumeAs(a, onFulfilled), resumeAs(a, onRejected));
};

/**
 * Task `task` is being cancelled by the running code (Task.cancel()). A started JS task records
 * its cancellation in its own last poll, so the trace names the canceller then.
 */
tracing.cancel = (task) => {
  const by = doer();
  if (by >= 0 && by !== task) cancellers.set(task, by);
};
