/**
 * Module workers have no import maps, so the sandbox resolves the program's import specifiers
 * itself: `'wasio'` and `'wasio/…'` become blob URLs of modules re-exporting the worker's own copy
 * of the package (the one whose trace the timeline shows). Only the specifier text is replaced, on
 * the same line, so line numbers in errors stay the program's.
 */
import { init, parse } from "es-module-lexer";

/** Resolves once the lexer is ready. */
export const lexerReady: Promise<void> = Promise.resolve(init());

export class ImportError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = "SyntaxError";
  }
}

/** Line (1-based) of character offset `index` in `code`. */
export function lineOf(code: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < code.length; i++) if (code.charCodeAt(i) === 10) line++;
  return line;
}

/** Rewrites every import of a key of `modules` (static or a literal dynamic import) to its URL. */
export async function rewriteImports(code: string, modules: Record<string, string>): Promise<string> {
  await lexerReady;
  let imports;
  try {
    [imports] = parse(code, "program.js");
  } catch (e) {
    const idx = (e as { idx?: number }).idx;
    const line = typeof idx === "number" ? lineOf(code, idx) : 0;
    throw new ImportError(`Syntax error: ${(e as Error).message.replace(/^Parse error /, "")}`, line);
  }
  let out = "";
  let last = 0;
  for (const imp of imports) {
    const name = imp.specifier;
    if (typeof name !== "string") continue;
    const url = modules[name];
    if (url === undefined) {
      if (/^(https?:|blob:|data:)/.test(name)) continue;
      throw new ImportError(
        `Cannot import '${name}': the playground provides ${Object.keys(modules)
          .map((m) => `'${m}'`)
          .join(", ")}`,
        lineOf(code, imp.start),
      );
    }
    // A static specifier's range excludes its quotes; a dynamic one's is the whole expression.
    out += code.slice(last, imp.start) + (imp.type === "dynamic" ? JSON.stringify(url) : url);
    last = imp.end;
  }
  return out + code.slice(last);
}
