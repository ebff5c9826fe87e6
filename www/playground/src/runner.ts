/**
 * Runs programs in sandbox workers. One spare worker is kept loaded (package and wasm ready), so
 * Run starts at once; a run owns its worker until it is stopped, and Stop terminates it, which
 * ends any program, even `while (true) {}`, without touching the page.
 */
import type { FromWorker, ImportSite, Lang, Mode } from "./protocol";

export interface RunHandlers {
  onMessage(m: FromWorker): void;
}

function makeWorker(): Worker {
  return new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "wasio-sandbox" });
}

export class Runner {
  private spare?: { worker: Worker; ready: Promise<void> };
  private active?: Worker;
  private runId = 0;
  private syncId = 0;
  /** Resolvers of `sync()` calls waiting on the active worker (stop resolves them). */
  private syncs: (() => void)[] = [];
  private lang: Lang = "javascript";

  /** The language programs are in: a spare worker loads Python's interpreter ahead of a run. */
  setLanguage(lang: Lang): void {
    this.lang = lang;
    if (lang === "python") this.spare?.worker.postMessage({ type: "preload", lang });
  }

  constructor() {
    this.prepare();
  }

  get running(): boolean {
    return this.active !== undefined;
  }

  /** Starts loading a spare worker if none is loading. */
  prepare(): Promise<void> {
    if (!this.spare) {
      const worker = makeWorker();
      const ready = new Promise<void>((resolve, reject) => {
        const onMsg = (ev: MessageEvent<FromWorker>) => {
          if (ev.data.type === "ready") {
            worker.removeEventListener("message", onMsg);
            resolve();
          }
        };
        worker.addEventListener("message", onMsg);
        worker.addEventListener("error", (ev) => reject(new Error(ev.message || "the sandbox worker failed to load")), {
          once: true,
        });
      });
      ready.catch(() => {});
      if (this.lang === "python") worker.postMessage({ type: "preload", lang: this.lang });
      this.spare = { worker, ready };
    }
    return this.spare.ready;
  }

  /** Runs `code` (a JavaScript program's import specifiers are at `imports`), stopping any run in progress first. */
  async run(code: string, mode: Mode, lang: Lang, handlers: RunHandlers, imports?: ImportSite[]): Promise<void> {
    this.stop();
    const id = ++this.runId;
    await this.prepare();
    if (id !== this.runId) return;
    const { worker } = this.spare!;
    this.spare = undefined;
    this.active = worker;
    worker.addEventListener("message", (ev: MessageEvent<FromWorker>) => {
      if (this.active === worker) handlers.onMessage(ev.data);
    });
    // A worker that dies (out of memory, say) ends the run; the page carries on.
    worker.addEventListener("error", (ev) => {
      if (this.active !== worker) return;
      ev.preventDefault();
      handlers.onMessage({
        type: "error",
        name: "Error",
        message: `The sandbox failed: ${ev.message || "it stopped"}`,
        time: 0,
      });
      handlers.onMessage({ type: "done", ok: false, wallMs: 0, time: 0 });
    });
    worker.postMessage({ type: "run", code, mode, lang, imports });
    // Load the next spare once this run is under way.
    setTimeout(() => void this.prepare(), 200);
  }

  /**
   * Resolves once the page has handled every message the running program's worker sent before it
   * answered: its output, trace events and task outcomes, including any batch still waiting for
   * its timer (the worker answers between the program's callbacks, never inside one). Resolves at
   * once when nothing is running, and when the run is stopped before the answer.
   */
  sync(): Promise<void> {
    const w = this.active;
    if (!w) return Promise.resolve();
    const id = ++this.syncId;
    return new Promise<void>((resolve) => {
      const onMsg = (ev: MessageEvent<FromWorker>) => {
        if (ev.data.type !== "synced" || ev.data.id !== id) return;
        w.removeEventListener("message", onMsg);
        this.syncs = this.syncs.filter((r) => r !== resolve);
        resolve();
      };
      // Registered after the run's own listener: the page has handled what came before the answer.
      w.addEventListener("message", onMsg);
      this.syncs.push(resolve);
      w.postMessage({ type: "sync", id });
    });
  }

  /** Ends the current run (terminating its worker). Returns whether one was running. */
  stop(): boolean {
    this.runId++;
    const w = this.active;
    this.active = undefined;
    for (const resolve of this.syncs.splice(0)) resolve();
    // The interpreter's stop() first (a Python program stops at its next step), then the worker
    // goes, which ends any program at once.
    w?.postMessage({ type: "stop" });
    w?.terminate();
    return w !== undefined;
  }
}
