/**
 * Module workers have no import maps, so the sandbox resolves the program's import specifiers
 * itself: `'wasio'` and `'wasio/…'` become blob URLs of modules re-exporting the worker's own copy
 * of the package (the one whose trace the timeline shows). Only the specifier text is replaced, on
 * the same line, so line numbers in errors stay the program's.
 *
 * Where the specifiers are comes from the page: the editor's highlighting tokens (already there)
 * show them (`importSites` in imports.ts), so the worker needs no parser of its own. A program
 * that does not parse gets the engine's own SyntaxError when it is imported, and the page asks
 * the engine for its line (syntax-error.ts).
 */
import type { ImportSite } from "./protocol";

export class ImportError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = "SyntaxError";
  }
}

/** Rewrites every import of a key of `modules` at `sites` to its URL. */
export function rewriteImports(code: string, sites: ImportSite[], modules: Record<string, string>): string {
  let out = "";
  let last = 0;
  for (const site of sites) {
    const url = modules[site.name];
    if (url === undefined) {
      if (/^(https?:|blob:|data:)/.test(site.name)) continue;
      throw new ImportError(
        `Cannot import '${site.name}': the playground provides ${Object.keys(modules)
          .map((m) => `'${m}'`)
          .join(", ")}`,
        site.line,
      );
    }
    if (site.from < last || site.to > code.length) continue;
    out += code.slice(last, site.from) + JSON.stringify(url);
    last = site.to;
  }
  return out + code.slice(last);
}
