/**
 * Trace export in the Chrome trace event format (JSON object form), which Perfetto and
 * chrome://tracing open: one thread per task (named after it), complete events ("X") for
 * running/ready/waiting spans, instant events for marks, flow events for wake edges.
 */
import type { Model } from "./timeline/model";

export function chromeTrace(model: Model): object {
  const us = (ms: number) => Math.round(ms * 1000 * 1000) / 1000;
  const pid = 1;
  const traceEvents: object[] = [{ ph: "M", pid, tid: 0, name: "process_name", args: { name: "wasio playground" } }];
  for (const lane of model.lanes) {
    const tid = lane.task;
    traceEvents.push({ ph: "M", pid, tid, name: "thread_name", args: { name: lane.name } });
    for (const s of lane.spans) {
      const end = s.end ?? model.end;
      traceEvents.push({
        ph: "X",
        pid,
        tid,
        ts: us(s.start),
        dur: us(end - s.start),
        name: s.state === "waiting" ? `waiting: ${s.reason ?? "?"}` : s.state,
        cat: s.state,
        args: { task: lane.task, ...(s.reason ? { reason: s.reason } : {}) },
      });
    }
    for (const m of lane.marks)
      traceEvents.push({
        ph: "i",
        s: "t",
        pid,
        tid,
        ts: us(m.time),
        name: m.kind,
        cat: "mark",
        args: m.detail ? { detail: m.detail } : {},
      });
  }
  model.edges.forEach((e, id) => {
    traceEvents.push({ ph: "s", pid, tid: e.from, ts: us(e.time), id, name: e.kind, cat: "edge" });
    traceEvents.push({ ph: "f", bp: "e", pid, tid: e.to, ts: us(e.time), id, name: e.kind, cat: "edge" });
  });
  return { traceEvents, displayTimeUnit: "ms" };
}
