/** The CodeMirror 6 editor: highlighting (stream modes, languages.ts), closing brackets, light/dark following the system, Mod-Enter runs. */
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { Compartment, EditorState, Prec } from "@codemirror/state";
import { oneDark } from "@codemirror/theme-one-dark";
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { closeBrackets } from "./brackets";
import { importSites } from "./imports";
import type { Language } from "./languages";
import type { ImportSite } from "./protocol";

/** What the playground's editor needs of CodeMirror's basic setup (no completion, lint or fold: a smaller first load). */
const setup = [
  lineNumbers(),
  highlightActiveLineGutter(),
  highlightSpecialChars(),
  history(),
  drawSelection(),
  indentOnInput(),
  syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
  bracketMatching(),
  closeBrackets(),
  highlightActiveLine(),
  keymap.of([...defaultKeymap, ...historyKeymap]),
];

export function createEditor(parent: HTMLElement, doc: string, language: Language, onRun: () => void) {
  const theme = new Compartment();
  const lang = new Compartment();
  const dark = matchMedia("(prefers-color-scheme: dark)");
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        Prec.highest(
          keymap.of([
            { key: "Mod-Enter", run: () => (onRun(), true) },
            { key: "Shift-Enter", run: () => (onRun(), true) },
          ]),
        ),
        setup,
        lang.of(language.extension()),
        theme.of(dark.matches ? oneDark : []),
        EditorView.contentAttributes.of({ "aria-label": "Program" }),
      ],
    }),
  });
  dark.addEventListener("change", () => view.dispatch({ effects: theme.reconfigure(dark.matches ? oneDark : []) }));
  let current = language;
  language.load?.().then(
    (ext) => current === language && view.dispatch({ effects: lang.reconfigure(ext) }),
    () => {},
  );
  return {
    view,
    get code() {
      return view.state.doc.toString();
    },
    set code(text: string) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    setLanguage(l: Language) {
      current = l;
      view.dispatch({ effects: lang.reconfigure(l.extension()) });
      l.load?.().then(
        (ext) => current === l && view.dispatch({ effects: lang.reconfigure(ext) }),
        () => {},
      );
    },
    /** Selects line `n` (1-based) and scrolls it into view. */
    selectLine(n: number, focus = false) {
      const doc = view.state.doc;
      if (n < 1 || n > doc.lines) return;
      const line = doc.line(n);
      view.dispatch({ selection: { anchor: line.from, head: line.to }, scrollIntoView: true });
      if (focus) view.focus();
    },
    /** Line of the first text matching `needle`, if any. */
    findLine(needle: string): number | undefined {
      const i = view.state.doc.toString().indexOf(needle);
      return i < 0 ? undefined : view.state.doc.lineAt(i).number;
    },
    /** Where the program's import specifiers are (for the sandbox to resolve them). */
    importSites(): ImportSite[] | undefined {
      return importSites(view.state);
    },
  };
}
export type Editor = ReturnType<typeof createEditor>;
