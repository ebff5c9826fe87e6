/** The playground page: editor, gallery, run/stop, console, live timeline, share, export, embed. */
import "./style.css";
import { createEditor } from "./editor";
import { examples, exampleById } from "./examples";
import { language, languages } from "./languages";
import { Runner } from "./runner";
import { syntaxErrorLine } from "./syntax-error";
import type { FromWorker, Lang, Mode } from "./protocol";
import { decodeShare, encodeShare } from "./share";
import { chromeTrace } from "./export";
import {
  buildModel,
  fmtMs,
  reasonText,
  summarize,
  TimelineBuilder,
  type Lane,
  type TraceEvent,
} from "./timeline/model";
import { TimelineView, type Axis } from "./timeline/view";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
const embed = params.has("embed");
document.body.classList.toggle("embed", embed);

const exampleSel = $<HTMLSelectElement>("example");
const languageSel = $<HTMLSelectElement>("language");
const modeSel = $<HTMLSelectElement>("mode");
const runBtn = $<HTMLButtonElement>("run");
const stopBtn = $<HTMLButtonElement>("stop");
const exportBtn = $<HTMLButtonElement>("export");
const status = $("status");
const out = $("console");
const about = $("example-about");
const scrub = $<HTMLInputElement>("scrub");
const scrubPos = $("scrub-pos");
const details = $("details");

for (const ex of examples) exampleSel.add(new Option(ex.title, ex.id));
for (const l of languages) {
  const o = new Option(l.label, l.id);
  o.disabled = !l.available;
  languageSel.add(o);
}

// --- state -----------------------------------------------------------------------------------
type RunState = "loading" | "idle" | "running" | "done" | "error" | "stopped";
let state: RunState = "loading";
let builder = new TimelineBuilder();
let lines = new Map<number, number>();
let names = new Map<number, string>();
let owned = new Set<number>();
let consoleLines: ConsoleLine[] = [];
let lastArrival = 0;
let runMode: Mode = "realtime";
let finishedAt: number | null = null;

function setState(s: RunState, text: string) {
  state = s;
  status.dataset.state = s;
  status.textContent = text;
  stopBtn.disabled = !runner.running;
  document.body.dataset.state = s;
}

// --- editor ------------------------------------------------------------------------------------
const initial = exampleById(params.get("example") ?? "") ?? examples[0];
languageSel.value = language(params.get("lang") ?? "javascript").id;
/** The language the editor's program is in (the switch). */
const lang = (): Lang => language(languageSel.value).id;
const exampleCode = (ex: (typeof examples)[number], l: Lang) => (l === "python" ? ex.python : ex.code);
const exampleAbout = (ex: (typeof examples)[number], l: Lang) => (l === "python" ? ex.pythonAbout : ex.about);
const editor = createEditor($("editor"), exampleCode(initial, lang()), language(lang()), () => void run());
exampleSel.value = initial.id;
about.textContent = exampleAbout(initial, lang());

function showExample(ex: (typeof examples)[number]) {
  editor.code = exampleCode(ex, lang());
  about.textContent = exampleAbout(ex, lang());
  if (ex.mode) modeSel.value = ex.mode;
  const l = lang() === "python" ? "&lang=python" : "";
  history.replaceState(null, "", `?example=${ex.id}${l}${embed ? "&embed" : ""}`);
}
exampleSel.addEventListener("change", () => {
  const ex = exampleById(exampleSel.value);
  if (ex) showExample(ex);
});
/** Sets the editor and the sandbox up for the switch's language. */
function applyLanguage() {
  editor.setLanguage(language(lang()));
  runner.setLanguage(lang());
}
languageSel.addEventListener("change", () => {
  const before: Lang = lang() === "python" ? "javascript" : "python";
  // A gallery example not edited yet switches to its version in the other language.
  const ex = exampleById(exampleSel.value);
  applyLanguage();
  if (ex && editor.code === exampleCode(ex, before)) showExample(ex);
});

// --- console -----------------------------------------------------------------------------------
const MAX_LINES = 1000;
/** Rows drawn per frame at most: a flood shows its latest lines and stays cheap to lay out. */
const ROWS_PER_FRAME = 200;
let dropped = 0;
type ConsoleLine = {
  stream: "stdout" | "stderr" | "error" | "info";
  text: string;
  time?: number;
  line?: number;
  /** Printed without its end yet: the next text on its stream extends it. */
  open?: boolean;
};
/** Where each drawn line's text is (to extend an open line in place). */
const drawnText = new WeakMap<ConsoleLine, HTMLElement>();
let pending: ConsoleLine[] = [];
let pendingDropped = 0;
let renderQueued = false;

function print(stream: ConsoleLine["stream"], text: string, time?: number, line?: number, open?: boolean) {
  const last = consoleLines[consoleLines.length - 1];
  if (last?.open && last.stream === stream) {
    last.text += text;
    last.open = open;
    const el = drawnText.get(last);
    if (el) el.firstChild!.textContent = last.text;
    return;
  }
  const entry: ConsoleLine = {
    stream,
    text,
    ...(time !== undefined ? { time } : {}),
    ...(line ? { line } : {}),
    ...(open ? { open } : {}),
  };
  consoleLines.push(entry);
  if (consoleLines.length > MAX_LINES * 2) consoleLines = consoleLines.slice(-MAX_LINES);
  pending.push(entry);
  if (pending.length > ROWS_PER_FRAME * 2) {
    pendingDropped += pending.length - ROWS_PER_FRAME;
    pending = pending.slice(-ROWS_PER_FRAME);
  }
  if (!renderQueued) {
    renderQueued = true;
    requestAnimationFrame(renderConsole);
  }
}

/** Draws what arrived since the last frame, keeping at most MAX_LINES rows. */
function renderConsole() {
  renderQueued = false;
  let batch = pending;
  pending = [];
  if (batch.length > ROWS_PER_FRAME) {
    pendingDropped += batch.length - ROWS_PER_FRAME;
    batch = batch.slice(-ROWS_PER_FRAME);
  }
  if (pendingDropped) {
    dropped += pendingDropped;
    pendingDropped = 0;
  }
  if (!batch.length) return;
  const stick = out.scrollTop + out.clientHeight >= out.scrollHeight - 4;
  const frag = document.createDocumentFragment();
  for (const l of batch) frag.append(consoleRow(l));
  out.append(frag);
  let extra = out.childElementCount - MAX_LINES;
  while (extra-- > 0) out.firstElementChild?.remove();
  out.dataset.dropped = String(dropped);
  if (stick) out.scrollTop = out.scrollHeight;
}

function consoleRow(entry: ConsoleLine): HTMLElement {
  const { stream, text, time, line } = entry;
  const row = document.createElement("div");
  row.className = `line ${stream}`;
  const t = document.createElement("span");
  t.className = "time";
  t.textContent = time !== undefined ? fmtMs(time) : "";
  const tag = document.createElement("span");
  tag.className = `tag ${stream}`;
  tag.textContent = stream;
  const body = document.createElement("span");
  body.className = "text";
  body.textContent = text;
  drawnText.set(entry, body);
  if (line) {
    const b = document.createElement("button");
    b.className = "goto";
    b.textContent = `line ${line}`;
    b.title = `Show line ${line} in the editor`;
    b.addEventListener("click", () => editor.selectLine(line, true));
    body.append(b);
  }
  row.append(t, tag, body);
  return row;
}

// --- timeline ----------------------------------------------------------------------------------
const view = new TimelineView($<HTMLCanvasElement>("timeline"), $("tip"));
let cursor: number | null = null;

function laneLine(lane: Lane): number | undefined {
  if (lane.line) return lane.line;
  return editor.findLine(`'${lane.name}'`) ?? editor.findLine(`"${lane.name}"`) ?? editor.findLine(`\`${lane.name}\``);
}

view.onSelect = (lane, span) => {
  // A waiting span leads to the line that started its wait; anything else to the task's spawn.
  const line = span?.line ?? laneLine(lane);
  const what = view.describe({ lane, ...(span ? { span } : {}), x: 0, y: 0 });
  details.textContent = what + (line ? ` — line ${line} selected in the editor` : "");
  if (line) editor.selectLine(line);
};
view.onHover = (text) => {
  if (text) details.textContent = text;
};

function refresh() {
  const n = builder.model.events.length;
  scrub.max = String(n);
  if (cursor === null) {
    scrub.value = String(n);
    view.cursor = null;
    view.set(builder.model, builder.loopMarks);
    scrubPos.textContent = n ? `${n} events` : "";
  } else {
    const { model, loopMarks } = buildModel(builder.model.events, cursor, { lines, names, own: owned });
    view.cursor = cursor;
    view.set(model, loopMarks);
    const e = builder.model.events[cursor - 1];
    scrubPos.textContent = `event ${cursor}/${n}`;
    if (e) details.textContent = describeEvent(e, cursor);
  }
  exportBtn.disabled = n === 0;
  fillLaneTable();
}

const laneTable = $<HTMLDetailsElement>("lane-table");
/** The timeline as a table (for screen readers and keyboard users), filled while it is open. */
function fillLaneTable() {
  if (!laneTable.open) return;
  const body = laneTable.querySelector("tbody")!;
  body.textContent = "";
  for (const l of view.lanes()) {
    const row = body.insertRow();
    const state = l.state === "done" ? (l.outcome ?? "done") : l.state;
    const reasons = [...new Set(l.spans.map((s) => reasonText(s.reason)).filter(Boolean))].join(", ");
    row.insertCell().textContent = `${l.name} (task ${l.task})`;
    row.insertCell().textContent = state;
    row.insertCell().textContent = reasons || "—";
    const cell = row.insertCell();
    const line = laneLine(l);
    if (line) {
      const b = document.createElement("button");
      b.className = "goto";
      b.textContent = `line ${line}`;
      b.addEventListener("click", () => editor.selectLine(line, true));
      cell.append(b);
    } else cell.textContent = "—";
  }
}
laneTable.addEventListener("toggle", fillLaneTable);

function describeEvent(e: TraceEvent, k: number): string {
  const lane = builder.model.lanes.find((l) => l.task === e.task);
  const who = lane ? `${lane.name} (task ${lane.task})` : e.task !== undefined ? `task ${e.task}` : "loop";
  const extra = [
    e.reason && `reason: ${e.reason}`,
    e.by !== undefined && `by task ${e.by}`,
    e.deadline !== undefined && `deadline ${fmtMs(e.deadline)}`,
  ]
    .filter(Boolean)
    .join(", ");
  return `#${k} at ${fmtMs(e.time)}: ${e.kind} — ${who}${extra ? ` (${extra})` : ""}`;
}

function setCursor(k: number | null) {
  const n = builder.model.events.length;
  cursor = k === null || k >= n ? null : Math.max(0, k);
  refresh();
}

scrub.addEventListener("input", () => setCursor(+scrub.value));
$("step-back").addEventListener("click", () => setCursor((cursor ?? builder.model.events.length) - 1));
$("step-fwd").addEventListener("click", () => setCursor((cursor ?? builder.model.events.length) + 1));
$("live").addEventListener("click", () => setCursor(null));
$("zoom-in").addEventListener("click", () => view.zoom(0.5));
$("zoom-out").addEventListener("click", () => view.zoom(2));
$("fit").addEventListener("click", () => view.fit());
$<HTMLInputElement>("internal").addEventListener("change", (e) => {
  view.showInternal = (e.target as HTMLInputElement).checked;
  view.draw();
  fillLaneTable();
});
$<HTMLSelectElement>("axis").addEventListener("change", (e) =>
  view.setAxis((e.target as HTMLSelectElement).value as Axis),
);
view.canvas.addEventListener("keydown", (e) => {
  const n = builder.model.events.length;
  const keys: Record<string, () => void> = {
    ArrowLeft: () => (e.shiftKey ? view.pan(-0.2) : setCursor((cursor ?? n) - 1)),
    ArrowRight: () => (e.shiftKey ? view.pan(0.2) : setCursor((cursor ?? n) + 1)),
    ArrowUp: () => view.selectBy(-1),
    ArrowDown: () => view.selectBy(1),
    "+": () => view.zoom(0.5),
    "=": () => view.zoom(0.5),
    "-": () => view.zoom(2),
    "0": () => view.fit(),
    Home: () => setCursor(0),
    End: () => setCursor(null),
    Enter: () => {
      const lane = view.lanes().find((l) => l.task === view.selected);
      const line = lane && laneLine(lane);
      if (line) editor.selectLine(line, true);
    },
  };
  const f = keys[e.key];
  if (f) {
    e.preventDefault();
    f();
  }
});

// Live "now" while a real-time run is in progress: open spans grow with the wall clock.
function tick() {
  if (state === "running" && runMode === "realtime") {
    view.now = builder.model.end + (performance.now() - lastArrival);
    view.draw();
    requestAnimationFrame(tick);
  }
}

// --- running -----------------------------------------------------------------------------------
const runner = new Runner();
runner.setLanguage(lang());
const sandboxLoaded = runner.prepare().then(
  () => {
    if (state === "loading") setState("idle", "Ready");
    runBtn.disabled = false;
  },
  (e: Error) => setState("error", `The sandbox failed to load: ${e.message}`),
);

/** The run's code and language (a syntax error's line is looked up in that code). */
let runCode = "";
let runLang: Lang = "javascript";
/**
 * While a syntax error's line is being looked up, the messages after it wait here, so the
 * console and the run's end keep the order the worker sent them in. Null otherwise.
 */
let held: FromWorker[] | null = null;
/** Counts runs and stops: a lookup that ends after a newer run or a stop drops what it held. */
let runGeneration = 0;

function printError(message: string, time: number, line?: number) {
  print("error", message, time, line);
  if (line) editor.selectLine(line);
}

function onMessage(m: FromWorker) {
  if (held) {
    held.push(m);
    return;
  }
  switch (m.type) {
    case "events":
      builder.add(m.events as TraceEvent[]);
      lastArrival = performance.now();
      refresh();
      return;
    case "task":
      owned.add(m.task);
      builder.markOwn(m.task);
      if (m.line) {
        lines.set(m.task, m.line);
        builder.setLine(m.task, m.line);
      }
      if (m.name) {
        names.set(m.task, m.name);
        builder.setName(m.task, m.name);
      }
      return;
    case "out":
      if (m.dropped) pendingDropped += m.dropped;
      for (const l of m.lines) print(l.stream, l.text, l.time, undefined, l.open);
      return;
    case "error": {
      if (!m.line && m.name === "SyntaxError" && runLang === "javascript") {
        // The engine does not say where a module that does not parse fails: ask it on the page.
        const generation = runGeneration;
        held = [];
        void syntaxErrorLine(runCode).then((line) => {
          if (generation !== runGeneration) return;
          const after = held ?? [];
          held = null;
          printError(m.message, m.time, line);
          after.forEach(onMessage);
        });
        return;
      }
      printError(m.message, m.time, m.line);
      return;
    }
    case "done":
      finishedAt = m.time;
      view.now = builder.model.end;
      refresh();
      print("info", `${m.ok ? "finished" : "failed"} at loop time ${fmtMs(m.time)} (${fmtMs(m.wallMs)} wall clock)`);
      setState(m.ok ? "done" : "error", m.ok ? `Finished in ${fmtMs(m.wallMs)}` : "Failed");
      return;
    case "taskError":
      print("info", m.message, m.time, m.line);
      return;
    case "ready":
    case "synced":
      return;
  }
}

async function run() {
  const code = editor.code;
  runCode = code;
  runLang = lang();
  held = null;
  runGeneration++;
  runMode = modeSel.value as Mode;
  out.textContent = "";
  consoleLines = [];
  pending = [];
  pendingDropped = 0;
  dropped = 0;
  builder = new TimelineBuilder();
  lines = new Map();
  names = new Map();
  owned = new Set();
  cursor = null;
  finishedAt = null;
  view.selected = null;
  view.now = 0;
  view.fit();
  refresh();
  setState("running", runMode === "virtual" ? "Running on the virtual clock…" : "Running…");
  lastArrival = performance.now();
  const imports = lang() === "javascript" ? editor.importSites() : undefined;
  await runner.run(code, runMode, lang(), { onMessage }, imports);
  stopBtn.disabled = false;
  requestAnimationFrame(tick);
}

function stop() {
  if (!runner.stop()) return;
  held = null;
  runGeneration++;
  print("info", "stopped: the sandbox worker was terminated");
  view.now = builder.model.end;
  refresh();
  setState("stopped", "Stopped");
}

runBtn.disabled = true;
runBtn.addEventListener("click", () => void run());
stopBtn.addEventListener("click", stop);
document.addEventListener("keydown", (e) => {
  if (e.defaultPrevented) return; // the editor handled it (its Mod-Enter runs)
  if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
    e.preventDefault();
    void run();
  } else if (e.key === "Escape" && runner.running && state === "running") {
    stop();
  }
});

// --- share, export, embed ------------------------------------------------------------------------
const shareDialog = $<HTMLDialogElement>("share-dialog");
$("share").addEventListener("click", async () => {
  const hash = await encodeShare({ code: editor.code, mode: modeSel.value as Mode, lang: languageSel.value });
  const url = `${location.origin}${location.pathname}#${hash}`;
  history.replaceState(null, "", url);
  const input = $<HTMLInputElement>("share-url");
  input.value = url;
  const note = $("share-note");
  note.textContent = `${url.length} characters.`;
  shareDialog.showModal();
  navigator.clipboard?.writeText(url).then(
    () => (note.textContent = `${url.length} characters, copied to the clipboard.`),
    () => {},
  );
  input.select();
});

exportBtn.addEventListener("click", () => {
  const blob = new Blob([JSON.stringify(chromeTrace(builder.model))], { type: "application/json" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = "wasio-trace.json";
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
});

async function openShared() {
  const shared = await decodeShare(location.hash);
  if (!shared) return false;
  editor.code = shared.code;
  modeSel.value = shared.mode;
  languageSel.value = language(shared.lang).id;
  applyLanguage();
  exampleSel.value = "";
  about.textContent = "A shared program. It runs when you press Run.";
  return true;
}
const sharedOpened = openShared().then((shared) => {
  if (shared) print("info", "Loaded a shared program. Press Run to run it.");
});
/**
 * Settles when the page has started up: the sandbox is loaded (or failed to load) and the link's
 * shared program, if any, is in the editor (or was found damaged and ignored). This is where a
 * shared program would run if anything ran it without Run.
 */
const started: Promise<void> = Promise.allSettled([sandboxLoaded, sharedOpened]).then(() => {});
window.addEventListener("hashchange", () => void openShared());

const openFull = $<HTMLAnchorElement>("open-full");
if (embed) {
  openFull.addEventListener("click", async (e) => {
    e.preventDefault();
    const hash = await encodeShare({ code: editor.code, mode: modeSel.value as Mode, lang: languageSel.value });
    window.open(`${location.pathname}#${hash}`, "_blank", "noopener");
  });
  openFull.href = location.pathname;
}

// --- test and tooling hook ------------------------------------------------------------------------
declare global {
  interface Window {
    playground: unknown;
  }
}
window.playground = {
  get state() {
    return state;
  },
  get finishedAt() {
    return finishedAt;
  },
  model: () => builder.model,
  summary: () => summarize(builder.model),
  console: () => consoleLines,
  examples: () => examples.map((e) => e.id),
  get language() {
    return lang();
  },
  chromeTrace: () => chromeTrace(builder.model),
  editor: {
    get code() {
      return editor.code;
    },
    set code(c: string) {
      editor.code = c;
    },
    selection: () => editor.view.state.selection.main,
    lineAt: (pos: number) => editor.view.state.doc.lineAt(pos).number,
  },
  run,
  stop,
  view,
  /** Settles once the page has started up (see `started`). */
  started: () => started,
  /** Resolves once every message the run's worker sent so far has been handled (Runner.sync). */
  settled: () => runner.sync(),
};

if ("serviceWorker" in navigator && import.meta.env.PROD) {
  navigator.serviceWorker.register("./sw.js").catch(() => {});
}
