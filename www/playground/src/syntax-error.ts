/**
 * The line of a JavaScript program's syntax error, as the engine itself parses it.
 *
 * The sandbox imports the program as a module, and a module that does not parse rejects that
 * import with a SyntaxError that has no line. A module script that the page loads does report
 * one: the window's `error` event carries the line of a parse error. So the page loads the
 * program as a module script whose first statement imports `'#'`, a specifier that never
 * resolves (the page has no import map). The engine parses the module first (a syntax error
 * is reported with its line), then resolves its imports: `'#'` fails, so the module is never
 * linked and nothing of it runs, whatever it contains. The import is put before the program on
 * its first line, so line numbers are the program's.
 */

/** Resolves with the line of the engine's first syntax error in `code`, or undefined if it parses. */
export function syntaxErrorLine(code: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(new Blob([`import"#";${code}`], { type: "text/javascript" }));
    let line: number | undefined;
    const onError = (e: ErrorEvent) => {
      if (e.filename !== url) return;
      e.preventDefault(); // the program's error, not the page's
      if (/SyntaxError/.test(e.message) && e.lineno > 0) line = e.lineno;
    };
    addEventListener("error", onError);
    const script = document.createElement("script");
    script.type = "module";
    script.src = url;
    // After the module script ran (or failed to), its element gets `load` (or `error`); the
    // parse error may be reported in a microtask after that, so the answer waits one task more.
    script.onload = script.onerror = () =>
      setTimeout(() => {
        removeEventListener("error", onError);
        script.remove();
        URL.revokeObjectURL(url);
        resolve(line);
      });
    document.head.append(script);
  });
}
