// The JS layer's side of the trace: its subscribers, whether anyone listens, and the events the
// layer itself records (a wait's start and end). trace.js adds trace.subscribe and the runtime's
// own events; this part has no binding of its own besides the loop clock, so an app without
// trace.subscribe links none of the trace bindings.

import { loop_time } from './wasm.js';

export const subscribers = new Set();

/** Whether anyone listens: the JS layer's own events are built only then. */
export const tracing = { on: false };

/** The task being polled, between its poll-begin and poll-end events (trace.js keeps it), or -1. */
export const polled = { task: -1 };

/** Task id -> the task that cancelled it, until the loop records the cancellation (trace.js). */
export const cancellers = new Map();

/**
 * A wait began ('wait') or ended ('wait-end', with `outcome` 'ok', 'aborted' or 'error'): `what`
 * it waits for (sleep, lock, queue-get...), its `wait` id and the `task` it is attributed to.
 */
export function traceWait(kind, what, wait, task, outcome) {
  const e = { kind, task, time: loop_time(), what, wait };
  if (outcome !== undefined) e.outcome = outcome;
  send(e);
}

export function send(e) {
  for (const cb of subscribers) {
    try {
      cb(e);
    } catch (err) {
      queueMicrotask(() => {
        throw err;
      });
    }
  }
}
