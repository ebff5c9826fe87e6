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

  /** Ends the current run (terminating its worker). Returns whether one was running. */
  stop(): boolean {
    this.runId++;
    const w = this.active;
    this.active = undefined;
    // The interpreter's stop() first (a Python program stops at its next step), then the worker
    // goes, which ends any program at once.
    w?.postMessage({ type: "stop" });
    w?.terminate();
    return w !== undefined;
  }
}
