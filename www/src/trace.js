// trace.subscribe(callback): the runtime's events, each with the loop time in milliseconds.

import { checkFunction } from './check.js';
import { loop_time, trace_clear, trace_subscribe } from './wasm.js';

const KINDS = [
  'spawn',
  'wake',
  'poll-begin',
  'poll-end',
  'complete',
  'cancel-requested',
  'cancelled',
  'timer-armed',
  'timer-fired',
];
const subscribers = new Set();

/** Whether anyone listens: the JS layer's own events are built only then. */
export const tracing = { on: false };

function dispatch(kind, task, detail, time, by) {
  const e = { kind: KINDS[kind] || 'other', task: task < 0 ? undefined : task, time };
  if (by >= 0) e.by = by;
  if (kind === 0) e.name = detail;
  else if (kind === 3) {
    e.ready = detail === true;
    if (typeof detail === 'string') e.reason = detail;
  } else if (kind === 7 || kind === 8) e.deadline = detail;
  send(e);
}

/**
 * A wait began ('wait') or ended ('wait-end', with `outcome` 'ok', 'aborted' or 'error'): `what`
 * it waits for (sleep, lock, queue-get...), its `wait` id and the `task` it is attributed to.
 */
export function traceWait(kind, what, wait, task, outcome) {
  const e = { kind, task, time: loop_time(), what, wait };
  if (outcome !== undefined) e.outcome = outcome;
  send(e);
}

function send(e) {
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

export const trace = {
  /** Calls `callback(event)` for every runtime event; returns the unsubscribe function. */
  subscribe(callback) {
    checkFunction(callback, 'callback');
    const cb = (e) => callback(e);
    if (subscribers.size === 0) trace_subscribe(dispatch);
    subscribers.add(cb);
    tracing.on = true;
    return () => {
      if (subscribers.delete(cb) && subscribers.size === 0) {
        tracing.on = false;
        trace_clear();
      }
    };
  },
};
