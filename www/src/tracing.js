// The JS layer's side of the trace: its subscribers, whether anyone listens, and the events the
// layer itself records (a wait's start and end). trace.js adds trace.subscribe and the runtime's
// own events; this part has no binding of its own besides the loop clock, so an app without
// trace.subscribe links none of the trace bindings.

import { loop_time } from './wasm.js';

export const subscribers = new Set();

/**
 * Whether anyone listens (the JS layer's own events are built only then), and while so, the task
 * whose settled wait resumed the JS code now running (`resumed`: runtime.js's actor()), and the
 * attribution's functions (attribution.js, loaded with trace.js, puts them here).
 */
export const tracing = { on: false, resumed: null };

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
