/**
 * Python runs in the sandbox worker: the wasio-py interpreter's browser build (python/), linked
 * into the playground's one wasm module (runtime/, built into src/py by
 * scripts/build-playground.sh) with the npm package's bindings, so JavaScript and Python programs
 * share one copy of the wasio runtime. This front end is imported only when a Python program
 * runs. Each Python task is a wasio task, so its trace (forwarded here in the shape the npm
 * package's `trace.subscribe` gives) draws the timeline directly.
 */
import init, { python_loop_time, python_trace, run_python_with, type PyRun } from "./py/wasio_playground.js";

const KINDS = [
  "spawn",
  "wake",
  "poll-begin",
  "poll-end",
  "complete",
  "cancel-requested",
  "cancelled",
  "timer-armed",
  "timer-fired",
];

/** A trace event as the timeline consumes it. */
export type PyEvent = Record<string, unknown> & { kind: string; time: number; task?: number };

export interface PythonRun {
  stop(): void;
}

export interface PythonHooks {
  output(isStderr: boolean, text: string): void;
  event(e: PyEvent): void;
  exit(code: number): void;
}

let ready: Promise<void> | undefined;

/** Instantiates the module (once; the worker's `wasio` has done so already). */
export function loadPython(): Promise<void> {
  ready ??= init().then(() => undefined);
  return ready;
}

/** The interpreter's loop clock in milliseconds. */
export const loopTime = () => python_loop_time();

/** Starts `source`; events flow to `hooks.event` until `untrace()`. */
export function startPython(source: string, simulated: boolean, hooks: PythonHooks): PythonRun {
  python_trace((kind: number, task: number, detail: unknown, time: number, by: number) => {
    if (kind === 10 && Array.isArray(detail)) {
      const [outcome, error] = detail as [string, string | undefined];
      hooks.event({ kind: "outcome", task, outcome, ...(error !== undefined ? { error } : {}), time });
      return;
    }
    const e: PyEvent = { kind: KINDS[kind] ?? "other", time };
    if (task >= 0) e.task = task;
    if (by >= 0) e.by = by;
    if (kind === 0 && typeof detail === "string") e.name = detail;
    else if (kind === 3) {
      e.ready = detail === true;
      if (typeof detail === "string") e.reason = detail;
    } else if (kind === 7 || kind === 8) e.deadline = detail;
    hooks.event(e);
  });
  const run: PyRun = run_python_with(
    "main.py",
    source,
    (isStderr: boolean, text: string) => hooks.output(isStderr, text),
    (code: number) => hooks.exit(code),
    0,
    simulated,
  );
  return { stop: () => run.stop() };
}

/** Stops forwarding trace events. */
export function untrace(): void {
  python_trace(null);
}
