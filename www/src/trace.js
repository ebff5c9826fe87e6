// trace.subscribe(callback): the runtime's events, each with the loop time in milliseconds.

import { checkFunction } from './check.js';
import { ensureReady, trace_clear, trace_subscribe } from './wasm.js';
import { send, subscribers, tracing } from './tracing.js';

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

export const trace = {
  /** Calls `callback(event)` for every runtime event; returns the unsubscribe function. */
  subscribe(callback) {
    checkFunction(callback, 'callback');
    ensureReady();
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
