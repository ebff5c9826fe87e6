/** Messages between the page and the sandbox worker. */
export type Mode = "realtime" | "virtual";

export type Lang = "javascript" | "python";

/** An import specifier in a JavaScript program: the string literal at `from`..`to` (quotes included). */
export type ImportSite = { from: number; to: number; name: string; line: number };

export type ToWorker =
  | { type: "run"; code: string; mode: Mode; lang: Lang; imports?: ImportSite[] }
  | { type: "preload"; lang: Lang }
  | { type: "stop" }
  /** Asks for a `synced` reply once everything produced so far has been sent (see Runner.sync). */
  | { type: "sync"; id: number };

export type FromWorker =
  | { type: "ready"; exports: string[] }
  | { type: "events"; events: Record<string, unknown>[] }
  | {
      type: "out";
      /** `open`: the start of a line whose end has not been printed yet (the next line continues it). */
      lines: { stream: "stdout" | "stderr"; text: string; time: number; open?: boolean }[];
      dropped: number;
    }
  | { type: "error"; name: string; message: string; line?: number; column?: number; time: number }
  | { type: "task"; task: number; line?: number; name?: string }
  | { type: "taskError"; task: number; message: string; line?: number; column?: number; time: number }
  | { type: "done"; ok: boolean; wallMs: number; time: number }
  /** The reply to `sync`: every message the worker had to send before it came first. */
  | { type: "synced"; id: number };
