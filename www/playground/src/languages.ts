/**
 * The language switch point. JavaScript runs on the wasio npm package; Python on the wasio-py
 * interpreter (python/), which the sandbox worker loads only when a Python program runs. Python's
 * highlighting is loaded when Python is picked (it stays out of the first load).
 *
 * Both languages are highlighted by CodeMirror's stream-parser modes (@codemirror/legacy-modes),
 * not lezer grammars: JavaScript's lezer grammar (@lezer/javascript with @lezer/lr, with its
 * TypeScript and JSX dialects) was 39 KB gz of the first load, the stream mode is 5 KB gz. The
 * editor only highlights; the engine reports syntax errors (`syntaxErrorLine` in syntax-error.ts).
 */
import { StreamLanguage } from "@codemirror/language";
import { javascript } from "@codemirror/legacy-modes/mode/javascript";
import type { Extension } from "@codemirror/state";

export interface Language {
  id: "javascript" | "python";
  label: string;
  available: boolean;
  extension(): Extension;
  /** Highlighting loaded on demand (kept out of the first load). */
  load?(): Promise<Extension>;
}

/** JavaScript (modules: import/export, top-level await), as the stream mode tokenizes it. */
export const javascriptLanguage = StreamLanguage.define(javascript);

export const languages: Language[] = [
  { id: "javascript", label: "JavaScript", available: true, extension: () => javascriptLanguage },
  {
    id: "python",
    label: "Python",
    available: true,
    extension: () => [],
    load: () => import("./python-highlight").then((m) => m.pythonLanguage),
  },
];

export function language(id: string): Language {
  return languages.find((l) => l.id === id && l.available) ?? languages[0];
}
