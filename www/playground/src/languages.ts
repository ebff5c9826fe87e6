/**
 * The language switch point. A program is run by its language's worker; JavaScript runs on the
 * wasio npm package. Python joins when the playground's Python interpreter lands: it adds an entry
 * here (its editor extension and whether it is available), and the runner picks its worker by id.
 */
import { javascriptLanguage } from "@codemirror/lang-javascript";
import type { Extension } from "@codemirror/state";

export interface Language {
  id: "javascript" | "python";
  label: string;
  available: boolean;
  extension(): Extension;
}

export const languages: Language[] = [
  { id: "javascript", label: "JavaScript", available: true, extension: () => javascriptLanguage },
  { id: "python", label: "Python (coming)", available: false, extension: () => [] },
];

export function language(id: string): Language {
  return languages.find((l) => l.id === id && l.available) ?? languages[0];
}
