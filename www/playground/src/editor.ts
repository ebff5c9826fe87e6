/** The CodeMirror 6 editor: JavaScript highlighting, light/dark following the system, Mod-Enter runs. */
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
import {
  bracketMatching,
  defaultHighlightStyle,
  ensureSyntaxTree,
  indentOnInput,
  syntaxHighlighting,
  syntaxTree,
} from "@codemirror/language";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";

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
  keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap]),
];
import type { Language } from "./languages";
import type { ImportSite } from "./protocol";

/**
 * The import specifiers of the program in `state`: the string after `from` (or of a bare
 * `import 'x'`) in import and export declarations, and the string literal of `import('x')`. In
 * source order; undefined if the parser did not finish within `timeout` ms.
 */
function importSites(state: EditorState, timeout = 1000): ImportSite[] | undefined {
  const tree = ensureSyntaxTree(state, state.doc.length, timeout);
  if (!tree) return undefined;
  const sites: ImportSite[] = [];
  const add = (from: number, to: number) => {
    const text = state.doc.sliceString(from, to);
    if (text.length < 2) return;
    // A specifier with escapes is left as written (the engine then fails to resolve it).
    if (text.includes("\\")) return;
    sites.push({ from, to, name: text.slice(1, -1), line: state.doc.lineAt(from).number });
  };
  tree.iterate({
    enter(node) {
      const n = node.name;
      if (n === "ImportDeclaration" || n === "ExportDeclaration") {
        // The specifier is the String right after `from`, or (import 'x') the only one.
        let afterFrom = n === "ImportDeclaration";
        let last: { from: number; to: number } | undefined;
        for (let c = node.node.firstChild; c; c = c.nextSibling) {
          if (c.name === "from") afterFrom = true;
          else if (c.name === "String" && afterFrom) last = { from: c.from, to: c.to };
        }
        if (last) add(last.from, last.to);
        return false;
      }
      if (n === "DynamicImport") {
        const arg = node.node.getChild("String");
        // Only a literal specifier (import('wasio')), not an expression that contains one.
        if (arg && arg.prevSibling?.name === "(" && arg.nextSibling?.name === ")") add(arg.from, arg.to);
      }
      return true;
    },
  });
  return sites;
}

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
    /** Line of the parser's first syntax error (for errors the engine reports without one). */
    firstSyntaxErrorLine(): number | undefined {
      let at: number | undefined;
      syntaxTree(view.state).iterate({
        enter(n) {
          if (at === undefined && n.type.isError) at = n.from;
          return at === undefined;
        },
      });
      return at === undefined ? undefined : view.state.doc.lineAt(at).number;
    },
  };
}
export type Editor = ReturnType<typeof createEditor>;
