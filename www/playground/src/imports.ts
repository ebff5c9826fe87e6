/**
 * Where a JavaScript program's import specifiers are, read from the editor's highlighting tokens.
 *
 * The JavaScript stream mode (languages.ts) leaves a flat syntax tree: one node per token, named
 * by its kind (`keyword`, `string`, `comment`, `variableName`, …), nothing for punctuation and
 * space. Strings, template literals, regular expressions and comments are whole tokens, so an
 * `import` inside one of them is no `keyword` token and is never taken for an import. The
 * specifier is the `string` token
 * - right after `from` (`import … from 'x'`, `export … from 'x'`; `from` followed by a string
 *   literal is valid JavaScript nowhere else),
 * - right after the keyword `import` (`import 'x'`),
 * - or alone in the parentheses after it (`import('x')`; not `import('x' + y)`).
 */
import { ensureSyntaxTree } from "@codemirror/language";
import type { EditorState } from "@codemirror/state";
import type { ImportSite } from "./protocol";

type Token = { kind: string; from: number; to: number };

/**
 * The import specifiers of the program in `state` (JavaScript), in source order; undefined if the
 * tokenizer did not reach the end within `timeout` ms.
 */
export function importSites(state: EditorState, timeout = 1000): ImportSite[] | undefined {
  const tree = ensureSyntaxTree(state, state.doc.length, timeout);
  if (!tree) return undefined;
  const doc = state.doc;
  const tokens: Token[] = [];
  tree.iterate({
    enter(node) {
      if (node.type.isTop) return true;
      tokens.push({ kind: node.name, from: node.from, to: node.to });
      return false;
    },
  });
  const text = (t: Token) => doc.sliceString(t.from, t.to);
  /** The punctuation and space between two tokens (or after the last one), trimmed. */
  const gap = (from: number, to: number) => doc.sliceString(from, to).trim();
  const sites: ImportSite[] = [];
  const add = (t: Token) => {
    const quoted = text(t);
    // Only a quoted literal: template literals are `string.special` tokens, never come here.
    if (quoted.length < 2 || !/^(['"]).*\1$/s.test(quoted)) return;
    // A specifier with escapes is left as written (the engine then fails to resolve it).
    if (quoted.includes("\\")) return;
    sites.push({ from: t.from, to: t.to, name: quoted.slice(1, -1), line: doc.lineAt(t.from).number });
  };
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i];
    const next = tokens[i + 1];
    if (next.kind !== "string") continue;
    const between = gap(t.to, next.from);
    const word = text(t);
    if (word === "from" && t.kind !== "string" && between === "") add(next);
    else if (word === "import" && t.kind === "keyword") {
      if (between === "") add(next);
      else if (between === "(" && gap(next.to, tokens[i + 2]?.from ?? doc.length).startsWith(")")) add(next);
    }
  }
  return sites;
}
