/**
 * The language switch point. JavaScript runs on the wasio npm package; Python on the wasio-py
 * interpreter (python/), which the sandbox worker loads only when a Python program runs. Python's
 * highlighting is loaded when Python is picked (it stays out of the first load).
 */
import { javascriptLanguage } from "@codemirror/lang-javascript";
import type { Extension } from "@codemirror/state";

export interface Language {
  id: "javascript" | "python";
  label: string;
  available: boolean;
  extension(): Extension;
  /** Highlighting loaded on demand (kept out of the first load). */
  load?(): Promise<Extension>;
}

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
