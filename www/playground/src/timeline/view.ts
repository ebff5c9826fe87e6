/**
 * The timeline's canvas view: a label column and one row per lane, spans and marks laid out by
 * loop time or by event index, wake edges as arrows between rows, a cursor at the scrub position.
 * Wheel or +/- zooms, drag or arrow keys pan, hover shows details, click selects a task.
 */
import { fmtMs, reasonText, type Lane, type Mark, type Model, type Span } from "./model";

export type Axis = "time" | "events";

interface Hit {
  lane?: Lane;
  span?: Span;
  mark?: Mark;
  x: number;
  y: number;
}

const ROW = 24;
const TOP = 36;
/** Width of the label column: 150 px, less on a narrow canvas (set by measure(); one view per page). */
let LABEL = 150;

const MARK_TEXT: Record<Mark["kind"], string> = {
  spawn: "spawned",
  cancel: "cancel requested",
  complete: "completed",
  error: "failed",
  cancelled: "cancelled",
  timer: "timer armed",
  "timer-fired": "timer fired",
};

export class TimelineView {
  model: Model = { lanes: [], edges: [], events: [], start: 0, end: 0 };
  loopMarks: Mark[] = [];
  axis: Axis = "time";
  /** Where open spans end (the live "now"), in loop ms. */
  now = 0;
  /** Scrub cursor: event index, or null when showing everything. */
  cursor: number | null = null;
  selected: number | null = null;
  /** Whether wasio's own tasks (not spawned by the program) get lanes too. */
  showInternal = false;
  /** A task was selected (with the span clicked, if any). */
  onSelect: (lane: Lane, span?: Span) => void = () => {};
  onHover: (text: string | null) => void = () => {};

  private view: [number, number] | null = null; // domain window when zoomed, else fit
  private ctx: CanvasRenderingContext2D;
  private markX = new Map<string, number>();
  private frame = 0;
  private drag?: { x: number; window: [number, number]; moved: boolean };
  private hover?: Hit;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private tooltip: HTMLElement,
  ) {
    this.ctx = canvas.getContext("2d")!;
    new ResizeObserver(() => this.draw()).observe(canvas);
    canvas.addEventListener("wheel", (e) => this.wheel(e), { passive: false });
    canvas.addEventListener("pointerdown", (e) => {
      this.drag = { x: e.offsetX, window: this.window(), moved: false };
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener("pointermove", (e) => this.move(e));
    canvas.addEventListener("pointerup", (e) => {
      const d = this.drag;
      this.drag = undefined;
      if (d && !d.moved) this.click(e.offsetX, e.offsetY);
    });
    canvas.addEventListener("pointerleave", () => this.showTip(undefined));
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => this.draw());
  }

  set(model: Model, loopMarks: Mark[]): void {
    this.model = model;
    this.loopMarks = loopMarks;
    this.draw();
  }

  setAxis(axis: Axis): void {
    this.axis = axis;
    this.view = null;
    this.draw();
  }

  /** The whole domain [min, max] on the current axis. */
  domain(): [number, number] {
    if (this.axis === "events") return [0, Math.max(1, this.model.events.length)];
    const end = Math.max(this.now, this.model.end);
    const start = this.model.start;
    return [start, end > start ? end : start + 1];
  }

  window(): [number, number] {
    return this.view ?? this.domain();
  }

  fit(): void {
    this.view = null;
    this.draw();
  }

  zoom(factor: number, anchorX?: number): void {
    const [a, b] = this.window();
    const w = this.plotWidth();
    const px = anchorX === undefined ? w / 2 : Math.max(0, anchorX - LABEL);
    const at = a + ((b - a) * px) / w;
    const span = Math.max((b - a) * factor, this.axis === "events" ? 4 : 0.001);
    const na = at - (span * px) / w;
    this.view = [na, na + span];
    this.draw();
  }

  pan(fraction: number): void {
    const [a, b] = this.window();
    const d = (b - a) * fraction;
    this.view = [a + d, b + d];
    this.draw();
  }

  /** The lanes drawn, top to bottom. */
  lanes(): Lane[] {
    return this.showInternal ? this.model.lanes : this.model.lanes.filter((l) => l.own);
  }

  /** Selects the lane `delta` rows from the current one (keyboard). */
  selectBy(delta: number): void {
    const lanes = this.lanes();
    if (!lanes.length) return;
    const i = lanes.findIndex((l) => l.task === this.selected);
    const next = lanes[Math.min(lanes.length - 1, Math.max(0, i < 0 ? 0 : i + delta))];
    this.select(next);
  }

  select(lane: Lane, span?: Span): void {
    this.selected = lane.task;
    this.draw();
    this.onSelect(lane, span);
  }

  private plotWidth(): number {
    return Math.max(10, this.canvas.clientWidth - LABEL - 8);
  }

  /** The window and plot width the x mapping uses, measured once per paint or hit test. */
  private scale = { a: 0, b: 1, w: 10, width: 10 };

  private measure(): void {
    LABEL = Math.round(Math.min(150, Math.max(90, this.canvas.clientWidth * 0.2)));
    const [a, b] = this.window();
    this.scale = { a, b, w: this.plotWidth(), width: this.canvas.clientWidth };
  }

  private x(v: number): number {
    const { a, b, w } = this.scale;
    return LABEL + ((v - a) / (b - a)) * w;
  }

  private pos(time: number, seq: number): number {
    return this.x(this.axis === "events" ? seq : time);
  }

  private spanEnd(s: Span): [number, number] {
    const end = this.cursor === null ? this.model.events.length : this.cursor;
    return [s.end ?? Math.max(this.now, this.model.end), s.seqEnd ?? end];
  }

  /** Index of the first span that may reach the window starting at `a` (binary search). */
  private firstVisible(spans: Span[], a: number): number {
    let lo = 0;
    let hi = spans.length;
    const endOf = (sp: Span) => (this.axis === "events" ? (sp.seqEnd ?? Infinity) : (sp.end ?? Infinity));
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (endOf(spans[mid]) < a) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private wheel(e: WheelEvent): void {
    e.preventDefault();
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      this.pan((e.deltaX || e.deltaY) / 500);
    } else {
      this.zoom(Math.exp(e.deltaY / 300), e.offsetX);
    }
  }

  private move(e: PointerEvent): void {
    if (this.drag) {
      const dx = e.offsetX - this.drag.x;
      if (Math.abs(dx) > 3) this.drag.moved = true;
      if (this.drag.moved) {
        const [a, b] = this.drag.window;
        const d = (-dx / this.plotWidth()) * (b - a);
        this.view = [a + d, b + d];
        this.draw();
      }
      return;
    }
    this.showTip(this.hit(e.offsetX, e.offsetY));
  }

  private click(x: number, y: number): void {
    const h = this.hit(x, y);
    if (h?.lane) this.select(h.lane, h.span);
  }

  hit(x: number, y: number): Hit | undefined {
    this.measure();
    if (y >= TOP - 24 && y < TOP && x >= LABEL) {
      let best: Mark | undefined;
      for (const m of this.loopMarks) {
        const d = Math.abs(this.pos(m.time, m.seq) - x);
        if (d <= 5 && (!best || d < Math.abs(this.pos(best.time, best.seq) - x))) best = m;
      }
      return best ? { mark: best, x, y } : undefined;
    }
    const row = Math.floor((y - TOP) / ROW);
    const lane = this.lanes()[row];
    if (!lane) return undefined;
    if (x < LABEL) return { lane, x, y };
    for (const m of lane.marks) {
      if (Math.abs(this.pos(m.time, m.seq) - x) <= 5) return { lane, mark: m, x, y };
    }
    for (const s of lane.spans) {
      const [te, se] = this.spanEnd(s);
      const x0 = this.pos(s.start, s.seqStart);
      const x1 = Math.max(this.pos(te, se), x0 + 2);
      if (x >= x0 - 1 && x <= x1 + 1) return { lane, span: s, x, y };
    }
    return { lane, x, y };
  }

  describe(h: Hit): string {
    if (!h.lane && h.mark) {
      const m = h.mark;
      return `loop: ${MARK_TEXT[m.kind]} at ${fmtMs(m.time)} (event #${m.seq})${m.detail ? ` — ${m.detail}` : ""}`;
    }
    const lane = h.lane!;
    const who = `${lane.name} (task ${lane.task}${lane.own ? "" : ", one of wasio's own"})`;
    if (h.mark) {
      const m = h.mark;
      return `${who}: ${MARK_TEXT[m.kind]} at ${fmtMs(m.time)} (event #${m.seq})${m.detail ? ` — ${m.detail}` : ""}`;
    }
    if (h.span) {
      const s = h.span;
      const [te] = this.spanEnd(s);
      const why = reasonText(s.reason);
      const what =
        s.state === "waiting" ? (why ? `waiting on ${why}` : "waiting") + (s.line ? ` (line ${s.line})` : "") : s.state;
      return `${who}: ${what}, ${fmtMs(s.start)} → ${s.end === null ? "now" : fmtMs(te)} (${fmtMs(te - s.start)}; events #${s.seqStart}–${s.seqEnd ?? "…"})`;
    }
    const state = lane.state === "done" ? (lane.outcome ?? "done") : lane.state;
    return `${who}: ${state}${lane.line ? `, spawned at line ${lane.line}` : ""}`;
  }

  private showTip(h: Hit | undefined): void {
    this.hover = h;
    if (!h?.lane && !h?.mark) {
      this.tooltip.hidden = true;
      this.onHover(null);
      return;
    }
    const text = this.describe(h);
    this.tooltip.textContent = text;
    this.tooltip.hidden = false;
    const r = this.canvas.getBoundingClientRect();
    const left = Math.min(h.x + 12, r.width - this.tooltip.offsetWidth - 4);
    this.tooltip.style.left = `${Math.max(0, left)}px`;
    this.tooltip.style.top = `${h.y + 14}px`;
    this.onHover(text);
  }

  draw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  private paint(): void {
    this.measure();
    const c = this.canvas;
    const css = getComputedStyle(c);
    const colors = new Map<string, string>();
    const v = (n: string) => {
      let c = colors.get(n);
      if (c === undefined) colors.set(n, (c = css.getPropertyValue(n).trim() || "#888"));
      return c;
    };
    const lanes = this.lanes();
    const height = TOP + Math.max(lanes.length, 1) * ROW + 8;
    c.style.height = `${height}px`;
    const dpr = devicePixelRatio || 1;
    const w = c.clientWidth;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(height * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(height * dpr);
    }
    const g = this.ctx;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, height);
    g.font = `12px ${css.fontFamily}`;
    g.textBaseline = "middle";

    // Axis ticks.
    const [a, b] = this.window();
    const pw = this.plotWidth();
    const step = niceStep((b - a) / Math.max(2, pw / 110));
    g.strokeStyle = v("--tl-grid");
    g.fillStyle = v("--muted");
    g.lineWidth = 1;
    for (let t = Math.ceil(a / step) * step; t <= b; t += step) {
      const x = Math.round(this.x(t)) + 0.5;
      g.beginPath();
      g.moveTo(x, TOP - 6);
      g.lineTo(x, height);
      g.stroke();
      const label = this.axis === "events" ? `#${Math.round(t)}` : fmtMs(t);
      if (x + 3 + g.measureText(label).width <= w) g.fillText(label, x + 3, 9);
    }
    // Loop row (timers that name no task).
    this.markX.clear();
    for (const m of this.loopMarks) this.paintMark(g, m, TOP - 12, v);

    g.save();
    g.beginPath();
    g.rect(LABEL, 0, pw + 8, height);
    g.clip();
    lanes.forEach((lane, i) => {
      const y = TOP + i * ROW;
      if (lane.task === this.selected) {
        g.fillStyle = v("--tl-selected");
        g.fillRect(LABEL, y, pw + 8, ROW);
      }
      // Spans are in time order: start at the first one that can be visible and stop past the
      // window. Spans narrower than a pixel are summed per pixel column, which is drawn in the
      // state that took most of it (long traces stay cheap and truthful).
      const top = y + 4;
      const h = ROW - 8;
      const fill = (state: Span["state"], x0: number, x1: number) => {
        if (state === "running") {
          g.fillStyle = v("--tl-running");
          g.fillRect(x0, top, x1 - x0, h);
        } else if (state === "ready") {
          g.fillStyle = v("--tl-ready");
          g.fillRect(x0, top + h / 2 - 3, x1 - x0, 6);
        } else {
          g.fillStyle = v("--tl-waiting");
          g.fillRect(x0, top + 2, x1 - x0, h - 4);
        }
      };
      let col = NaN;
      const acc = { running: 0, ready: 0, waiting: 0 };
      const flushCol = () => {
        if (Number.isNaN(col)) return;
        const best = (Object.keys(acc) as Span["state"][]).reduce((p, q) => (acc[q] > acc[p] ? q : p));
        fill(best, col, col + 1);
        acc.running = acc.ready = acc.waiting = 0;
        col = NaN;
      };
      for (let k = this.firstVisible(lane.spans, a); k < lane.spans.length; k++) {
        const s = lane.spans[k];
        const x0 = this.pos(s.start, s.seqStart);
        if (x0 > LABEL + pw + 8) break;
        const [te, se] = this.spanEnd(s);
        const xe = this.pos(te, se);
        if (xe < LABEL) continue;
        if (xe - x0 < 1) {
          const c = Math.floor(x0);
          if (c !== col) {
            flushCol();
            col = c;
          }
          // A poll takes no virtual time: count it as a sliver so a column of polls shows them.
          acc[s.state] += Math.max(xe - x0, s.state === "running" ? 1e-6 : 0);
          continue;
        }
        flushCol();
        const x1 = Math.max(xe, x0 + (s.state === "running" ? 2 : 1));
        fill(s.state, x0, x1);
        if (s.state === "waiting") {
          const label = reasonText(s.reason);
          if (label && x1 - x0 > 40) {
            g.fillStyle = v("--tl-waiting-text");
            const from = Math.max(x0, LABEL) + 4;
            g.fillText(clip(g, label, x1 - from - 4), from, y + ROW / 2);
          }
        }
      }
      flushCol();
      this.markX.clear();
      for (const m of lane.marks) this.paintMark(g, m, y + ROW / 2, v);
    });
    // Edges: which task woke (or spawned) which.
    const row = new Map(lanes.map((l, i) => [l.task, i]));
    g.strokeStyle = v("--tl-edge");
    g.fillStyle = v("--tl-edge");
    for (const e of this.model.edges) {
      const from = row.get(e.from);
      const to = row.get(e.to);
      if (from === undefined || to === undefined || from === to) continue;
      const x = this.pos(e.time, e.seq);
      if (x < LABEL || x > LABEL + pw + 8) continue;
      const y0 = TOP + from * ROW + ROW / 2;
      const y1 = TOP + to * ROW + ROW / 2;
      g.setLineDash(e.kind === "spawn" ? [3, 3] : []);
      g.beginPath();
      g.moveTo(x, y0);
      g.bezierCurveTo(x + 10, y0, x + 10, y1, x + 2, y1);
      g.stroke();
      g.setLineDash([]);
      g.beginPath();
      g.moveTo(x + 2, y1);
      g.lineTo(x + 8, y1 - 3);
      g.lineTo(x + 8, y1 + 3);
      g.fill();
    }
    if (this.cursor !== null) {
      const ev = this.model.events[this.cursor - 1];
      const x = ev ? this.pos(ev.time, this.cursor - 1) : LABEL;
      g.strokeStyle = v("--accent");
      g.lineWidth = 2;
      g.beginPath();
      g.moveTo(x, 0);
      g.lineTo(x, height);
      g.stroke();
    }
    g.restore();

    // Labels.
    g.fillStyle = v("--bg");
    g.fillRect(0, 0, LABEL, height);
    if (this.loopMarks.length) {
      g.fillStyle = v("--muted");
      g.font = `italic 12px ${css.fontFamily}`;
      g.fillText("timers", 6, TOP - 12);
    }
    lanes.forEach((lane, i) => {
      const y = TOP + i * ROW + ROW / 2;
      const sel = lane.task === this.selected;
      g.fillStyle = sel ? v("--accent") : lane.state === "done" || !lane.own ? v("--muted") : v("--fg");
      g.font = `${sel ? "600 " : lane.own ? "" : "italic "}12px ${css.fontFamily}`;
      const status =
        lane.state === "done" ? { complete: " ✓", error: " ✕", cancelled: " ⊘" }[lane.outcome ?? "complete"] : "";
      g.fillText(clip(g, lane.name + status, LABEL - 12), 6, y);
    });
    if (!lanes.length) {
      g.fillStyle = v("--muted");
      g.fillText(
        this.model.lanes.length
          ? "Only wasio's own tasks so far (tick 'wasio's tasks' to see them)."
          : "Run a program to see its tasks here.",
        LABEL,
        TOP + ROW / 2,
      );
    }
  }

  private paintMark(g: CanvasRenderingContext2D, m: Mark, y: number, v: (n: string) => string): void {
    const x = this.pos(m.time, m.seq);
    if (x < LABEL - 8 || x > this.scale.width + 8) return;
    // Marks are in time order: one of a kind per pixel column is enough.
    const last = this.markX.get(m.kind);
    if (last !== undefined && Math.abs(x - last) < 1) return;
    this.markX.set(m.kind, x);
    switch (m.kind) {
      case "spawn":
        g.fillStyle = v("--tl-spawn");
        g.beginPath();
        g.moveTo(x, y - 7);
        g.lineTo(x + 6, y);
        g.lineTo(x, y + 7);
        g.fill();
        break;
      case "complete":
        g.fillStyle = v("--ok");
        g.beginPath();
        g.arc(x, y, 4, 0, Math.PI * 2);
        g.fill();
        break;
      case "error":
      case "cancelled":
        g.strokeStyle = v(m.kind === "error" ? "--err" : "--tl-cancel");
        g.lineWidth = 2;
        g.beginPath();
        g.moveTo(x - 4, y - 4);
        g.lineTo(x + 4, y + 4);
        g.moveTo(x + 4, y - 4);
        g.lineTo(x - 4, y + 4);
        g.stroke();
        g.lineWidth = 1;
        break;
      case "cancel":
        g.fillStyle = v("--tl-cancel");
        g.beginPath();
        g.moveTo(x, y - 5);
        g.lineTo(x + 5, y);
        g.lineTo(x, y + 5);
        g.lineTo(x - 5, y);
        g.fill();
        break;
      case "timer":
      case "timer-fired":
        g.strokeStyle = v("--tl-timer");
        g.lineWidth = 1.5;
        g.beginPath();
        g.arc(x, y - 6, 3, 0, Math.PI * 2);
        if (m.kind === "timer-fired") {
          g.fillStyle = v("--tl-timer");
          g.fill();
        }
        g.moveTo(x, y - 3);
        g.lineTo(x, y + 7);
        g.stroke();
        g.lineWidth = 1;
        break;
    }
  }
}

function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / p;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

function clip(g: CanvasRenderingContext2D, text: string, width: number): string {
  if (g.measureText(text).width <= width) return text;
  let t = text;
  while (t.length > 1 && g.measureText(t + "…").width > width) t = t.slice(0, -1);
  return t + "…";
}
