/**
 * The sandbox: a module Web Worker that loads the wasio package once, then runs one program.
 *
 * The program's `import … from 'wasio'` resolves to this worker's copy of the package, so its
 * `trace.subscribe` sees the program's tasks. Output, errors, trace events (batched) and where each
 * task was spawned go to the page as messages. The page ends a run by terminating the worker, so
 * nothing here has to stop a runaway program.
 */
import * as wasio from "wasio";
import * as testing from "wasio/testing";
import { ImportError, rewriteImports } from "./rewrite";
import type { FromWorker, ImportSite, ToWorker } from "./protocol";

// Frames enough to reach the program's line from inside the package (V8's default keeps 10).
(Error as { stackTraceLimit?: number }).stackTraceLimit = 40;

const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m);
const MAX_EVENTS = 200_000;

let programUrl = "";
let buffered: Record<string, unknown>[] = [];
let total = 0;
let lastTime = 0;
let maxTime = 0;
/** Loop time when the run started (real time): times are shown from the program's start. */
let origin = 0;
/** On the virtual clock, runSimulated's own task (the first spawned): not the program's, not shown. */
let wrapper: number | undefined;
let awaitingWrapper = false;
let flushTimer: ReturnType<typeof setTimeout> | undefined;

type Line = { stream: "stdout" | "stderr"; text: string; time: number; open?: boolean };
let output: Line[] = [];
let droppedLines = 0;
let outTimer: ReturnType<typeof setTimeout> | undefined;
let windowStart = 0;
let windowCount = 0;
const MAX_BUFFERED_LINES = 2000;

/** Sends buffered output (the most recent lines, with how many older ones were dropped). */
function flushOutput() {
  if (outTimer !== undefined) clearTimeout(outTimer);
  outTimer = undefined;
  if (output.length || droppedLines) post({ type: "out", lines: output, dropped: droppedLines });
  output = [];
  droppedLines = 0;
}

/**
 * Output goes to the page at once while it comes slowly (so the last line before a hang is
 * shown), and in batches of the most recent lines, at most one per 16 ms, once it floods.
 */
function emitLine(line: Line) {
  const now = performance.now();
  if (now - windowStart >= 16) {
    windowStart = now;
    windowCount = 0;
    if (output.length) flushOutput();
  }
  if (windowCount++ < 20 && output.length === 0) {
    post({ type: "out", lines: [line], dropped: 0 });
    return;
  }
  output.push(line);
  if (output.length > MAX_BUFFERED_LINES) {
    output = output.slice(-MAX_BUFFERED_LINES / 2);
    droppedLines += MAX_BUFFERED_LINES / 2 + 1;
  }
  if (outTimer === undefined) outTimer = setTimeout(flushOutput, 16);
}

/** Sends buffered trace events. */
function flush() {
  if (flushTimer !== undefined) clearTimeout(flushTimer);
  flushTimer = undefined;
  if (buffered.length) post({ type: "events", events: buffered });
  buffered = [];
}

function schedule(size: number) {
  if (size >= 500) flush();
  else if (flushTimer === undefined) flushTimer = setTimeout(flush, 16);
}

/** A plain copy of a trace event (structured-cloneable whatever the package hands over). */
function plain(e: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in e) {
    const v = e[k];
    if (v === undefined || typeof v === "function") continue;
    out[k] = typeof v === "bigint" ? Number(v) : typeof v === "object" && v !== null ? String(v) : v;
  }
  return out;
}

/** Takes a runtime event whose `time` is loop time (the run's origin is subtracted here). */
function onEvent(e: unknown) {
  if (total >= MAX_EVENTS) {
    if (total++ === MAX_EVENTS)
      emitLine({
        stream: "stderr",
        text: `[playground] more than ${MAX_EVENTS} trace events; the timeline stops here`,
        time: lastTime,
      });
    return;
  }
  total++;
  const ev = plain(e as Record<string, unknown>);
  if (awaitingWrapper && ev.kind === "spawn" && typeof ev.task === "number") {
    wrapper = ev.task;
    awaitingWrapper = false;
  }
  if (wrapper !== undefined && ev.task === wrapper) return;
  // A wait begins inside the program's call (sleep, get, acquire...): its stack has the line.
  if (ev.kind === "wait") {
    const { line } = lineIn(new Error().stack);
    if (line) ev.line = line;
  }
  if (typeof ev.time === "number") {
    ev.time -= origin;
    if (typeof ev.deadline === "number") ev.deadline -= origin;
    lastTime = ev.time;
    maxTime = Math.max(maxTime, ev.time);
  }
  buffered.push(ev);
  schedule(buffered.length);
}

/** The program's line in an error's stack (the first frame inside the program), if any. */
function lineIn(stack: string | undefined): { line?: number; column?: number } {
  if (!stack || !programUrl) return {};
  const at = stack.indexOf(programUrl + ":");
  if (at < 0) return {};
  const m = /^:(\d+):(\d+)/.exec(stack.slice(at + programUrl.length));
  return m ? { line: +m[1], column: +m[2] } : {};
}

function describe(value: unknown, depth = 0): string {
  if (typeof value === "string") return depth ? JSON.stringify(value) : value;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return `[Function ${value.name || "anonymous"}]`;
  if (typeof value !== "object" || value === null) return String(value);
  if (depth > 2) return Array.isArray(value) ? "[…]" : "{…}";
  if (Array.isArray(value)) return `[ ${value.map((v) => describe(v, depth + 1)).join(", ")} ]`;
  if (value instanceof Map)
    return `Map(${value.size}) { ${[...value].map(([k, v]) => `${describe(k, depth + 1)} => ${describe(v, depth + 1)}`).join(", ")} }`;
  if (value instanceof Set) return `Set(${value.size}) { ${[...value].map((v) => describe(v, depth + 1)).join(", ")} }`;
  const ctor = (value as object).constructor?.name;
  const body = Object.entries(value)
    .map(([k, v]) => `${k}: ${describe(v, depth + 1)}`)
    .join(", ");
  return `${ctor && ctor !== "Object" ? ctor + " " : ""}{ ${body} }`;
}

function reportError(err: unknown, prefix = "Uncaught") {
  const e = err instanceof Error ? err : undefined;
  const name = e?.name ?? "Error";
  const message = e ? e.message : describe(err);
  const where = err instanceof ImportError ? { line: err.line || undefined } : lineIn(e?.stack);
  flushOutput();
  flush();
  post({ type: "error", name, message: `${prefix} ${name}: ${message}`, ...where, time: lastTime });
}

for (const [method, stream] of [
  ["log", "stdout"],
  ["info", "stdout"],
  ["debug", "stdout"],
  ["warn", "stderr"],
  ["error", "stderr"],
] as const) {
  console[method] = (...args: unknown[]) => {
    emitLine({ stream, text: args.map((a) => describe(a)).join(" "), time: lastTime });
  };
}

self.addEventListener("error", (ev) => {
  ev.preventDefault();
  reportError(ev.error ?? ev.message);
});
self.addEventListener("unhandledrejection", (ev) => {
  ev.preventDefault();
  reportError(ev.reason, "Uncaught (in promise)");
});

/**
 * Tells the page where (and under which name) a task was spawned, and puts how its function ended
 * (fulfilled, failed, cancelled: the loop sees only that its future ended) into the event stream.
 */
function spawned(task: unknown) {
  const t = task as { id?: unknown; name?: unknown; cancelled?: boolean; then?: unknown } | null;
  if (!t || typeof t.id !== "number") return;
  const id = t.id;
  if (typeof t.then === "function")
    (t as PromiseLike<unknown>).then(
      () => onEvent({ kind: "outcome", task: id, outcome: "complete", time: lastTime + origin }),
      (e: unknown) => {
        const error = e instanceof Error ? `${e.name}: ${e.message}` : describe(e);
        onEvent({
          kind: "outcome",
          task: id,
          outcome: t.cancelled ? "cancelled" : "error",
          error,
          time: lastTime + origin,
        });
        if (t.cancelled) return;
        // Like asyncio's "Task exception was never retrieved", but always: where it was thrown.
        flushOutput();
        const label = typeof t.name === "string" && t.name ? `'${t.name}'` : `task ${id}`;
        post({
          type: "taskError",
          task: id,
          message: `${label} failed: ${error}`,
          ...lineIn(e instanceof Error ? e.stack : undefined),
          time: lastTime,
        });
      },
    );
  const { line } = lineIn(new Error().stack);
  post({
    type: "task",
    task: t.id,
    ...(line ? { line } : {}),
    ...(typeof t.name === "string" && t.name ? { name: t.name } : {}),
  });
}

// TaskGroup.spawn is a method: wrap it once on the prototype.
const TG = (wasio as Record<string, unknown>).TaskGroup as
  { prototype: { spawn?: (...a: unknown[]) => unknown } } | undefined;
if (TG?.prototype?.spawn) {
  const original = TG.prototype.spawn;
  TG.prototype.spawn = function (this: unknown, ...a: unknown[]) {
    const t = original.apply(this, a);
    spawned(t);
    return t;
  };
}

const globals = self as unknown as Record<string, unknown>;
globals.__playground = { modules: { wasio, "wasio/testing": testing }, spawned };

/** A module re-exporting `name` from the worker's copy, with `spawn` reporting its call site. */
function shimUrl(name: string): string {
  const mod = (globals.__playground as { modules: Record<string, object> }).modules[name];
  const lines = [`const m = self.__playground.modules[${JSON.stringify(name)}];`];
  for (const key of Object.keys(mod)) {
    if (!/^[A-Za-z_$][\w$]*$/.test(key)) continue;
    if (key === "default") lines.push("export default m.default;");
    else if (key === "spawn" && typeof (mod as Record<string, unknown>).spawn === "function")
      lines.push("export function spawn(...a) { const t = m.spawn(...a); self.__playground.spawned(t); return t; }");
    else lines.push(`export const ${key} = m.${key};`);
  }
  return URL.createObjectURL(new Blob([lines.join("\n")], { type: "text/javascript" }));
}

async function run(code: string, mode: "realtime" | "virtual", imports: ImportSite[] = []) {
  const started = performance.now();
  const unsubscribe = wasio.trace.subscribe(onEvent);
  awaitingWrapper = mode === "virtual";
  let ok = true;
  try {
    const source = rewriteImports(code, imports, {
      wasio: shimUrl("wasio"),
      "wasio/testing": shimUrl("wasio/testing"),
    });
    programUrl = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    const load = () => import(/* @vite-ignore */ programUrl);
    origin = mode === "realtime" ? wasio.loopTime() : 0;
    if (mode === "virtual") await testing.runSimulated(load);
    else await load();
  } catch (err) {
    ok = false;
    reportError(err);
  }
  // On the virtual clock the run ends with runSimulated: what follows is on the real clock.
  if (mode === "virtual") unsubscribe();
  await new Promise((r) => setTimeout(r, 0)); // outcomes of tasks that ended last
  flushOutput();
  flush();
  post({ type: "done", ok, wallMs: performance.now() - started, time: maxTime });
  // In real time, tasks the program left running keep reporting until the page stops the worker.
}

// --- Python -----------------------------------------------------------------------------------
let pyRun: { stop(): void } | undefined;
const loadPy = () => import("./python").then(async (py) => (await py.loadPython(), py));

/** Parses a Python traceback's end: the exception line and the program's last line in it. */
function tracebackEnd(text: string): { message: string; name: string; line?: number } {
  const rows = text.trimEnd().split("\n");
  const last = rows[rows.length - 1] ?? "";
  const lines = [...text.matchAll(/File "main\.py", line (\d+)/g)];
  const line = lines.length ? +lines[lines.length - 1][1] : undefined;
  const name = /^([\w.]+)/.exec(last)?.[1] ?? "Error";
  return { message: last, name, ...(line ? { line } : {}) };
}

/**
 * Runs a Python program: its output goes to the console line by line, its tasks' trace events to
 * the timeline (times from the run's start; on the virtual clock the interpreter's own simulated
 * clock, which starts at zero), a traceback to an error with its line.
 */
async function runPython(code: string, mode: "realtime" | "virtual") {
  const started = performance.now();
  let py: Awaited<ReturnType<typeof loadPy>>;
  try {
    py = await loadPy();
  } catch (err) {
    reportError(err, "Loading Python failed:");
    post({ type: "done", ok: false, wallMs: performance.now() - started, time: 0 });
    return;
  }
  const simulated = mode === "virtual";
  origin = simulated ? 0 : py.loopTime();
  let main: number | undefined;
  let mainPolled = false;
  let mainEnded = false;
  let tail = "";
  const partial = { stdout: "", stderr: "" };
  let partialTimer: ReturnType<typeof setTimeout> | undefined;
  const write = (stream: "stdout" | "stderr", text: string) => {
    const parts = (partial[stream] + text).split("\n");
    partial[stream] = parts.pop() ?? "";
    for (const t of parts) emitLine({ stream, text: t, time: lastTime });
    // A line printed in pieces (print(".", end="")) shows as it grows: what is there after a
    // moment goes out as an open line, which the page extends with what follows.
    if (partial[stream] && partialTimer === undefined)
      partialTimer = setTimeout(() => {
        partialTimer = undefined;
        for (const s of ["stdout", "stderr"] as const)
          if (partial[s]) {
            emitLine({ stream: s, text: partial[s], time: lastTime, open: true });
            partial[s] = "";
          }
      }, 50);
  };
  const done = new Promise<number>((resolve) => {
    pyRun = py.startPython(code, simulated, {
      output(isStderr, text) {
        write(isStderr ? "stderr" : "stdout", text);
        if (isStderr) tail = (tail + text).slice(-8000);
      },
      event(e) {
        if (mainEnded && e.task === main) return;
        if (e.kind === "spawn" && typeof e.task === "number") {
          // The first task is the module body (which runs asyncio.run(main()) in place).
          main ??= e.task;
          // Python tasks are named (create_task's name=, else the coroutine's); the
          // interpreter's own helpers are not: they stay under "wasio's tasks".
          if (typeof e.name === "string") post({ type: "task", task: e.task, name: e.name });
        }
        // On the virtual clock the body's first poll starts the simulated clock: before it ends,
        // the body's events carry the page's clock.
        if (simulated && e.task === main && !mainPolled) {
          e.time = 0;
          if (e.kind === "poll-end") mainPolled = true;
        }
        onEvent(e);
      },
      exit(code) {
        // The body's own end follows (on the page's clock when virtual): it is said below.
        mainEnded = true;
        if (simulated) py.untrace();
        resolve(code);
      },
    });
  });
  const exitCode = await done;
  for (const stream of ["stdout", "stderr"] as const) if (partial[stream]) write(stream, "\n");
  if (main !== undefined) {
    const end = exitCode === 0 ? "complete" : "error";
    onEvent({ kind: "poll-end", task: main, ready: true, time: lastTime + origin });
    onEvent({ kind: end, task: main, time: lastTime + origin });
  }
  if (exitCode !== 0) {
    const end = tracebackEnd(tail);
    flushOutput();
    flush();
    post({ type: "error", name: end.name, message: `Uncaught ${end.message}`, line: end.line, time: lastTime });
  }
  await new Promise((r) => setTimeout(r, 0));
  flushOutput();
  flush();
  post({ type: "done", ok: exitCode === 0, wallMs: performance.now() - started, time: maxTime });
}

self.addEventListener("message", (ev: MessageEvent<ToWorker>) => {
  const m = ev.data;
  if (m.type === "run") void (m.lang === "python" ? runPython(m.code, m.mode) : run(m.code, m.mode, m.imports));
  else if (m.type === "preload" && m.lang === "python") void loadPy().catch(() => {});
  else if (m.type === "stop") pyRun?.stop();
  else if (m.type === "sync") {
    // A message is handled once the program's pending callbacks have run: what they produced
    // and any batch still waiting for its timer go out now, ahead of the reply.
    flushOutput();
    flush();
    post({ type: "synced", id: m.id });
  }
});
post({ type: "ready", exports: Object.keys(wasio) });
