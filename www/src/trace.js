// trace.subscribe(callback): the runtime's events, each with the loop time in milliseconds.

import { checkFunction } from './check.js';
import { actor } from './runtime.js';
import { cancellers, doer, polled } from './attribution.js';
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
  if (kind === 2) polled.task = task;
  else if (kind === 3) polled.task = -1;
  else if (kind === 4 || kind === 6) cancellers.delete(task);
  // The loop names the task that spawned or woke another when one was being polled; outside any
  // poll, JS code did it: the task it runs for (actor() in runtime.js). The loop never names who
  // cancelled a task: the canceller Task.cancel() noted, else the task whose code runs.
  if (by >= 0) e.by = by;
  else if (kind === 5) {
    const c = cancellers.get(task);
    cancellers.delete(task);
    const d = c === undefined ? doer() : c;
    if (d >= 0 && d !== task) e.by = d;
  } else if (kind === 0 || kind === 1) {
    const t = actor();
    if (t !== null && t.id !== task) e.by = t.id;
  }
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
        cancellers.clear();
      }
    };
  },
};
