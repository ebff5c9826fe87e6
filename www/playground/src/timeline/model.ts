/**
 * The timeline's model: trace events folded into one lane per task.
 *
 * A lane holds the task's spans (ready = queued to run, running = being polled, waiting = parked
 * on something, with the reason the trace gave) and its marks (spawn, cancel request, completion,
 * error, cancellation, timers). Edges record which task woke (or spawned) which. Every span and
 * mark keeps both its loop time (ms) and its event index (`seq`), so the view can lay the same
 * model out by time or event by event. The model is plain data: the page exposes it to tests.
 */

/** One event as the worker forwards it from `trace.subscribe` (the npm package's shape). */
export interface TraceEvent {
  kind: string;
  /** Loop time, milliseconds. */
  time: number;
  task?: number;
  name?: string;
  by?: number;
  reason?: string;
  deadline?: number;
  ready?: boolean;
  error?: string;
  [key: string]: unknown;
}

export type State = "ready" | "running" | "waiting";

export interface Span {
  state: State;
  start: number;
  end: number | null;
  seqStart: number;
  seqEnd: number | null;
  reason?: string;
  /** Waiting: the program's line that started the wait, when known. */
  line?: number;
}

export type MarkKind = "spawn" | "cancel" | "complete" | "error" | "cancelled" | "timer" | "timer-fired";

export interface Mark {
  kind: MarkKind;
  time: number;
  seq: number;
  detail?: string;
}

export interface Lane {
  task: number;
  name: string;
  spans: Span[];
  marks: Mark[];
  /** The state now, or "done" once it ended. */
  state: State | "done";
  /** How it ended, once it did. */
  outcome?: "complete" | "error" | "cancelled";
  parent?: number;
  /** 1-based line in the program where the task was spawned, when known. */
  line?: number;
  /** Spawned by the program (spawn, TaskGroup.spawn); otherwise one of wasio's own tasks. */
  own?: boolean;
}

export interface Edge {
  kind: "wake" | "spawn";
  from: number;
  to: number;
  time: number;
  seq: number;
}

export interface Model {
  lanes: Lane[];
  edges: Edge[];
  events: TraceEvent[];
  /** Loop time of the first and last event. */
  start: number;
  end: number;
}

/** The canonical kind for an event kind however the package spells it (camelCase, snake, kebab). */
export function canonicalKind(kind: string): string {
  const k = kind.toLowerCase().replace(/[^a-z]/g, "");
  switch (k) {
    case "spawn":
    case "spawned":
      return "spawn";
    case "wake":
    case "woken":
    case "schedule":
    case "scheduled":
      return "wake";
    case "pollbegin":
    case "poll":
    case "pollstart":
      return "pollBegin";
    case "pollend":
      return "pollEnd";
    case "wait":
    case "waiting":
    case "park":
    case "blocked":
      return "wait";
    case "complete":
    case "completed":
    case "done":
      return "complete";
    case "error":
    case "panic":
    case "failed":
      return "error";
    case "cancelrequested":
    case "cancel":
      return "cancelRequested";
    case "cancelled":
    case "canceled":
      return "cancelled";
    case "timerarmed":
    case "timer":
      return "timerArmed";
    case "timerfired":
      return "timerFired";
    default:
      return kind;
  }
}

/** A wait reason in one spelling ("queue-get", "QueueGet" → "queue_get"); undefined if none. */
export function waitReason(r: unknown): string | undefined {
  if (typeof r !== "string" || !r) return undefined;
  return r
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .replace(/[-\s]/g, "_")
    .toLowerCase();
}

/** Builds lanes from events incrementally; `upTo` limits the fold to a prefix (scrubbing). */
export class TimelineBuilder {
  readonly model: Model = { lanes: [], edges: [], events: [], start: 0, end: 0 };
  private byTask = new Map<number, Lane>();
  private pendingReason = new Map<number, { reason: string; line?: number }>();
  private pendingOutcome = new Map<number, { outcome: NonNullable<Lane["outcome"]>; detail?: string }>();

  /** Refines how a finished task ended (its last end mark and its outcome). */
  private setOutcome(lane: Lane, outcome: NonNullable<Lane["outcome"]>, detail?: string): void {
    if (lane.outcome === "cancelled" && outcome === "complete") return;
    lane.outcome = outcome;
    for (let i = lane.marks.length - 1; i >= 0; i--) {
      const m = lane.marks[i];
      if (m.kind === "complete" || m.kind === "error" || m.kind === "cancelled") {
        m.kind = outcome;
        if (detail) m.detail = detail;
        break;
      }
    }
  }
  private lines = new Map<number, number>();
  private names = new Map<number, string>();

  /** Remembers where a task was spawned (from the worker's spawn hook). */
  setLine(task: number, line: number): void {
    this.lines.set(task, line);
    const lane = this.byTask.get(task);
    if (lane) lane.line = line;
  }

  private owned = new Set<number>();

  /** Marks a task as the program's own (from the worker's spawn hook). */
  markOwn(task: number): void {
    this.owned.add(task);
    const lane = this.byTask.get(task);
    if (lane) lane.own = true;
  }

  /** Remembers a task's name (from the worker's spawn hook, for packages whose event lacks it). */
  setName(task: number, name: string): void {
    this.names.set(task, name);
    const lane = this.byTask.get(task);
    if (lane && lane.name.startsWith("task ")) lane.name = name;
  }

  add(events: TraceEvent[]): void {
    for (const e of events) this.addOne(e);
  }

  private lane(task: number, seq: number, time: number): Lane {
    let lane = this.byTask.get(task);
    if (!lane) {
      lane = {
        task,
        name: this.names.get(task) ?? (task === 0 ? "main" : `task ${task}`),
        spans: [],
        marks: [],
        state: "ready",
        line: this.lines.get(task),
        own: this.owned.has(task),
      };
      lane.spans.push({ state: "ready", start: time, end: null, seqStart: seq, seqEnd: null });
      this.byTask.set(task, lane);
      this.model.lanes.push(lane);
    }
    return lane;
  }

  private enter(lane: Lane, state: State, time: number, seq: number, reason?: string, line?: number): void {
    const open = lane.spans[lane.spans.length - 1];
    if (open && open.end === null) {
      if (open.state === state && (state !== "waiting" || open.reason === reason)) return;
      open.end = time;
      open.seqEnd = seq;
    }
    const span: Span = { state, start: time, end: null, seqStart: seq, seqEnd: null };
    if (reason) span.reason = reason;
    if (line) span.line = line;
    lane.spans.push(span);
    lane.state = state;
  }

  private finish(lane: Lane, time: number, seq: number, outcome: Lane["outcome"]): void {
    const open = lane.spans[lane.spans.length - 1];
    if (open && open.end === null) {
      open.end = time;
      open.seqEnd = seq;
    }
    lane.state = "done";
    lane.outcome = outcome;
  }

  private addOne(raw: TraceEvent): void {
    const seq = this.model.events.length;
    const kind = canonicalKind(raw.kind);
    const e: TraceEvent = { ...raw, kind };
    this.model.events.push(e);
    const time = typeof e.time === "number" ? e.time : this.model.end;
    if (seq === 0 || time < this.model.start) this.model.start = time;
    this.model.end = Math.max(this.model.end, time);
    const task = typeof e.task === "number" ? e.task : undefined;
    switch (kind) {
      case "spawn": {
        if (task === undefined) return;
        const existed = this.byTask.has(task);
        const lane = this.lane(task, seq, time);
        if (e.name) lane.name = String(e.name);
        if (typeof e.by === "number" && e.by !== task) {
          lane.parent = e.by;
          this.model.edges.push({ kind: "spawn", from: e.by, to: task, time, seq });
        }
        if (existed) this.enter(lane, "ready", time, seq);
        lane.marks.push({ kind: "spawn", time, seq });
        return;
      }
      case "wake": {
        if (task === undefined) return;
        const lane = this.lane(task, seq, time);
        if (lane.state === "done") return;
        if (lane.state !== "running") this.enter(lane, "ready", time, seq);
        if (typeof e.by === "number" && e.by !== task)
          this.model.edges.push({ kind: "wake", from: e.by, to: task, time, seq });
        return;
      }
      case "pollBegin": {
        if (task === undefined) return;
        const lane = this.lane(task, seq, time);
        if (lane.state !== "done") this.enter(lane, "running", time, seq);
        return;
      }
      case "wait": {
        if (task === undefined) return;
        const reason = waitReason(e.reason ?? e.what) ?? "unknown";
        const line = typeof e.line === "number" ? e.line : undefined;
        const lane = this.lane(task, seq, time);
        if (lane.state === "waiting") this.enter(lane, "waiting", time, seq, reason, line);
        else this.pendingReason.set(task, { reason, line });
        return;
      }
      case "pollEnd": {
        if (task === undefined) return;
        const lane = this.lane(task, seq, time);
        if (lane.state === "done") return;
        if (e.ready === true) {
          // The outcome event follows; close the running span here.
          this.enter(lane, "running", time, seq);
          const open = lane.spans[lane.spans.length - 1];
          open.end = time;
          open.seqEnd = seq;
          return;
        }
        // What the program said it waits on (a wait event in this poll) names the wait best; else
        // what the loop recorded in the poll.
        const said = this.pendingReason.get(task);
        this.pendingReason.delete(task);
        this.enter(lane, "waiting", time, seq, said?.reason ?? waitReason(e.reason) ?? "unknown", said?.line);
        return;
      }
      case "complete":
      case "error":
      case "cancelled": {
        if (task === undefined) return;
        const lane = this.lane(task, seq, time);
        const failed = kind === "error" || (kind === "complete" && e.error !== undefined);
        const outcome = kind === "cancelled" ? "cancelled" : failed ? "error" : "complete";
        const detail = e.error !== undefined ? String(e.error) : undefined;
        lane.marks.push({ kind: outcome, time, seq, ...(detail ? { detail } : {}) });
        this.finish(lane, time, seq, outcome);
        const pending = this.pendingOutcome.get(task);
        if (pending) {
          this.pendingOutcome.delete(task);
          this.setOutcome(lane, pending.outcome, pending.detail);
        }
        return;
      }
      case "outcome": {
        // How the task's function ended (the worker reports it; the loop only sees the end).
        if (task === undefined) return;
        const outcome = e.outcome === "error" ? "error" : e.outcome === "cancelled" ? "cancelled" : "complete";
        const detail = typeof e.error === "string" ? e.error : undefined;
        const lane = this.byTask.get(task);
        if (lane?.state === "done") this.setOutcome(lane, outcome, detail);
        else this.pendingOutcome.set(task, { outcome, detail });
        return;
      }
      case "cancelRequested": {
        if (task === undefined) return;
        const lane = this.lane(task, seq, time);
        lane.marks.push({ kind: "cancel", time, seq });
        if (typeof e.by === "number" && e.by !== task)
          this.model.edges.push({ kind: "wake", from: e.by, to: task, time, seq });
        return;
      }
      case "timerArmed":
      case "timerFired": {
        const lane = task !== undefined && task !== 0 ? this.lane(task, seq, time) : undefined;
        const deadline = typeof e.deadline === "number" ? e.deadline : time;
        const mark: Mark = {
          kind: kind === "timerArmed" ? "timer" : "timer-fired",
          time,
          seq,
          detail: `deadline ${fmtMs(deadline)}`,
        };
        if (lane) lane.marks.push(mark);
        else this.loopMarks.push(mark);
        return;
      }
      default:
        return;
    }
  }

  /** Timer marks that name no task (drawn on the loop's own row). */
  readonly loopMarks: Mark[] = [];
}

/** Folds `events` (all, or the first `upTo`) into a fresh model. */
export function buildModel(
  events: TraceEvent[],
  upTo = events.length,
  hints?: { lines?: Map<number, number>; names?: Map<number, string>; own?: Set<number> },
): { model: Model; loopMarks: Mark[] } {
  const b = new TimelineBuilder();
  hints?.names?.forEach((n, t) => b.setName(t, n));
  hints?.lines?.forEach((l, t) => b.setLine(t, l));
  hints?.own?.forEach((t) => b.markOwn(t));
  b.add(events.slice(0, upTo));
  return { model: b.model, loopMarks: b.loopMarks };
}

export function fmtMs(ms: number): string {
  if (ms === 0) return "0 ms";
  if (ms >= 1000) return `${+(ms / 1000).toFixed(3)} s`;
  if (ms >= 1) return `${+ms.toFixed(3)} ms`;
  return `${+(ms * 1000).toFixed(1)} µs`;
}

/** A wait reason as people read it ("queue_get" → "queue get"); none for an unknown one. */
export function reasonText(reason: string | undefined): string | undefined {
  return reason && reason !== "unknown" ? reason.replace(/[_-]/g, " ") : undefined;
}

/** A compact summary tests can assert: per lane, its name, states seen, wait reasons, outcome. */
export function summarize(model: Model) {
  return model.lanes.map((l) => ({
    task: l.task,
    name: l.name,
    states: [...new Set(l.spans.map((s) => s.state))],
    reasons: [...new Set(l.spans.filter((s) => s.reason).map((s) => s.reason as string))],
    marks: [...new Set(l.marks.map((m) => m.kind))],
    outcome: l.outcome ?? null,
    line: l.line ?? null,
    own: !!l.own,
  }));
}
