// trace.subscribe(callback): the runtime's events, each with the loop time in milliseconds.

import { checkFunction } from './check.js';
import { actor } from './runtime.js';
import { ensureReady, loop_time, trace_clear, trace_subscribe } from './wasm.js';

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

/** The task being polled (between its poll-begin and poll-end events), or -1. */
let polling = -1;
/** Task id -> the task that cancelled it, until the loop records the cancellation. */
const cancellers = new Map();

/** The task whose code runs: the one being polled, else the JS code's actor, or -1. */
function doer() {
  if (polling >= 0) return polling;
  const t = actor();
  return t === null ? -1 : t.id;
}

/**
 * Task `task` is being cancelled by the running code (Task.cancel()). A started JS task records
 * its cancellation in its own last poll, so the trace names the canceller then.
 */
export function traceCancel(task) {
  const by = doer();
  if (by >= 0 && by !== task) cancellers.set(task, by);
}

function dispatch(kind, task, detail, time, by) {
  const e = { kind: KINDS[kind] || 'other', task: task < 0 ? undefined : task, time };
  if (kind === 2) polling = task;
  else if (kind === 3) polling = -1;
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
