/**
 * Closing brackets and quotes as you type, in a few lines instead of @codemirror/autocomplete's
 * closeBrackets (which brought the autocomplete package, 1.7 KB gz, into the first load).
 *
 * The pairs are the language's (`closeBrackets` language data of the stream modes: `( [ {` and
 * quotes; Python's triple quotes too). Typing an opening bracket before space, the line's end or
 * a closing bracket inserts the pair with the cursor between; a quote does so between non-word
 * characters; typing a closing bracket or quote right before the same character steps over it;
 * Backspace between an empty pair deletes both. Unlike closeBrackets, stepping over does not
 * check that the editor inserted that closing character.
 */
import { EditorSelection, type EditorState, type Extension } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";

const CLOSE: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
const DEFAULT = ["(", "[", "{", "'", '"'];

/** The language's pairs at `pos` (its `closeBrackets` language data), triple quotes included. */
function brackets(state: EditorState, pos: number): string[] {
  return state.languageDataAt<{ brackets?: string[] }>("closeBrackets", pos)[0]?.brackets ?? DEFAULT;
}

/** The single-character openers at `pos`. */
const pairs = (state: EditorState, pos: number) => brackets(state, pos).filter((b) => b.length === 1);

const isWord = (ch: string) => /[\w$]/.test(ch);

/** The transaction that typing `ch` makes with the pair rules, or null for plain input. */
function typed(state: EditorState, ch: string) {
  const open = pairs(state, state.selection.main.head);
  const closers = open.map((b) => CLOSE[b] ?? b);
  if (!open.includes(ch) && !closers.includes(ch)) return null;
  let plain = false;
  const tr = state.changeByRange((range) => {
    const pos = range.head;
    const next = state.sliceDoc(pos, pos + 1);
    const prev = state.sliceDoc(pos - 1, pos);
    const close = CLOSE[ch] ?? ch;
    if (!range.empty && open.includes(ch))
      return {
        changes: [
          { from: range.from, insert: ch },
          { from: range.to, insert: close },
        ],
        range: EditorSelection.range(range.anchor + 1, range.head + 1),
      };
    if (range.empty && closers.includes(ch) && next === ch)
      return { changes: [], range: EditorSelection.cursor(pos + 1) };
    if (range.empty && open.includes(ch)) {
      const quote = close === ch;
      // The third quote of a triple-quoted string (Python) closes it with three.
      const triple = quote && state.sliceDoc(pos - 2, pos) === ch + ch && brackets(state, pos).includes(ch.repeat(3));
      if (triple) return { changes: { from: pos, insert: ch.repeat(4) }, range: EditorSelection.cursor(pos + 1) };
      const fits = quote ? !isWord(prev) && !isWord(next) && next !== ch : !next || /[\s)\]}:;,]/.test(next);
      if (fits) return { changes: { from: pos, insert: ch + close }, range: EditorSelection.cursor(pos + 1) };
    }
    plain = true;
    return { range };
  });
  return plain ? null : state.update(tr, { scrollIntoView: true, userEvent: "input.type" });
}

/** Backspace between an empty pair (`(|)`, `'|'`) deletes both. */
function deletePair(view: EditorView): boolean {
  const { state } = view;
  const open = pairs(state, state.selection.main.head);
  let plain = false;
  const tr = state.changeByRange((range) => {
    const pos = range.head;
    const prev = state.sliceDoc(pos - 1, pos);
    if (range.empty && open.includes(prev) && state.sliceDoc(pos, pos + 1) === (CLOSE[prev] ?? prev))
      return { changes: { from: pos - 1, to: pos + 1 }, range: EditorSelection.cursor(pos - 1) };
    plain = true;
    return { range };
  });
  if (plain) return false;
  view.dispatch(state.update(tr, { scrollIntoView: true, userEvent: "delete.backward" }));
  return true;
}

/** The extension: the input handler and its Backspace binding. */
export function closeBrackets(): Extension {
  return [
    EditorView.inputHandler.of((view, from, to, text) => {
      const sel = view.state.selection.main;
      if (view.composing || view.state.readOnly || text.length !== 1 || from !== sel.from || to !== sel.to)
        return false;
      const tr = typed(view.state, text);
      if (tr) view.dispatch(tr);
      return !!tr;
    }),
    keymap.of([{ key: "Backspace", run: deletePair }]),
  ];
}
