// Edits to wasm-bindgen's glue (--target web) that cut what the package's entries do not use.
//
// 1. The loader. The glue ends with its own: `initSync(module)` and a default
// `init(module_or_path)` that take several argument shapes (an options object or the deprecated
// bare argument, with a console warning), fetch a string, URL or Request, check the Response, and
// fall back from instantiateStreaming to instantiate when a server sends the wrong MIME type. The
// package's entries each load the wasm one way (src/wasm.js and the entries), so that loader is
// cut here: the glue keeps what every loader needs, the import object and the step that takes
// the instance, exported as `imports()` and `finalize(instance)`. What is cut would otherwise
// ship in every browser bundle (about 0.5 KB gz).
//
// 2. The inline snippet's functions. wasm-bindgen passes the crate's inline JS snippet to the
// wasm as a namespace (`import * as import1`, `"b": import1`), which keeps every function it
// exports, used or not: the host seam's fetch helpers, deferred promises and error text (about
// 0.4 KB gz) ship although this wasm imports none of them. The import object names instead the
// functions the wasm imports (read from the module), so a bundler drops the rest.
//
// 3. The classes' manual memory management. Each class the bindings export gets
// `__destroy_into_raw()`, `free()` and `[Symbol.dispose]` (free its Rust value now), and its
// FinalizationRegistry a fallback object for engines without one. The JS layer keeps each such
// object in a private field for as long as its own object lives and never frees it by hand: the
// registry frees it when it is collected. Every engine the package runs on (Node >= 20, browsers
// with DecompressionStream) has FinalizationRegistry. Both are cut (about 0.25 KB gz).
//
// Each edit must match exactly once, or the build fails: a new wasm-bindgen release whose glue
// differs is caught here rather than shipped half-edited.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

function edit(js, from, to, what) {
  const at = js.indexOf(from);
  if (at < 0 || js.indexOf(from, at + 1) >= 0) {
    throw new Error(`glue: ${what} not found exactly once in wasm-bindgen's glue`);
  }
  return js.slice(0, at) + to + js.slice(at + from.length);
}

/** The glue `js` with wasm-bindgen's loader replaced by the exports `imports` and `finalize`. */
export function trimGlueInit(js) {
  js = edit(js, 'let wasmModule, wasmInstance, wasm;', 'let wasm;', 'the instance variables');
  js = edit(js, '    wasmInstance = instance;\n', '', 'finalize: wasmInstance');
  js = edit(js, '    wasmModule = module;\n', '', 'finalize: wasmModule');
  js = edit(
    js,
    'function __wbg_finalize_init(instance, module) {',
    'function __wbg_finalize_init(instance) {',
    'finalize',
  );
  const loader = js.indexOf('async function __wbg_load(');
  if (loader < 0 || !js.trimEnd().endsWith('export { initSync, __wbg_init as default };')) {
    throw new Error("glue: wasm-bindgen's loader not found at the end of the glue");
  }
  return `${js.slice(0, loader)}export { __wbg_get_imports as imports, __wbg_finalize_init as finalize };\n`;
}

/**
 * The glue `js` with each snippet namespace in the import object replaced by the functions that
 * `wasm` (its bytes, with the module names the glue's import object uses) imports from it.
 */
export function snippetImportsByName(js, wasm) {
  const wanted = new Map(); // module name in the import object -> names the wasm imports
  for (const { module, name, kind } of WebAssembly.Module.imports(new WebAssembly.Module(wasm))) {
    if (kind !== 'function') continue;
    if (!wanted.has(module)) wanted.set(module, []);
    wanted.get(module).push(name);
  }
  for (const [, indent, module, ns] of [...js.matchAll(/^(\s*)"([^"]+)": (import\d+),$/gm)]) {
    if (js.includes(`const ${ns} = {`)) continue; // the glue's own import object
    const path = new RegExp(`^import \\* as ${ns} from ("[^"]+");?\n`, 'm').exec(js);
    if (path === null) throw new Error(`glue: the import of ${ns} not found`);
    const names = wanted.get(module);
    if (names === undefined) throw new Error(`glue: the wasm imports nothing from module ${module}`);
    const local = (n) => `${ns}_${n}`;
    js = js.replace(
      path[0],
      `import { ${names.map((n) => `${n} as ${local(n)}`).join(', ')} } from ${path[1]};\n`,
    );
    js = edit(
      js,
      `${indent}"${module}": ${ns},\n`,
      `${indent}"${module}": { ${names.map((n) => `${n}: ${local(n)}`).join(', ')} },\n`,
      `module ${module}`,
    );
  }
  // The namespaces the import object no longer names (wasm-bindgen's duplicates of the first).
  return js.replace(/^import \* as import\d+ from "[^"]+";?\n/gm, '');
}

/** The glue `js` without its classes' free/dispose methods and registry fallbacks (3 above). */
export function noManualFree(js) {
  const classes = [...js.matchAll(/^export class (\w+) \{$/gm)].map((m) => m[1]);
  for (const c of classes) {
    const destroy = new RegExp(
      `\\n    __destroy_into_raw\\(\\) \\{\\n        const ptr = this\\.__wbg_ptr;\\n        this\\.__wbg_ptr = 0;\\n        ${c}Finalization\\.unregister\\(this\\);\\n        return ptr;\\n    \\}\\n    free\\(\\) \\{\\n        const ptr = this\\.__destroy_into_raw\\(\\);\\n        wasm\\.\\w+\\(ptr, 0\\);\\n    \\}`,
    ).exec(js);
    if (destroy === null) throw new Error(`glue: ${c}'s free() not found`);
    js = js.replace(destroy[0], '');
    js = edit(
      js,
      `if (Symbol.dispose) ${c}.prototype[Symbol.dispose] = ${c}.prototype.free;\n`,
      '',
      `${c}'s dispose`,
    );
  }
  const fallback =
    "(typeof FinalizationRegistry === 'undefined')\n    ? { register: () => {}, unregister: () => {} }\n    : ";
  const registries = js.split(fallback).length - 1;
  if (registries !== classes.length + (js.includes('const CLOSURE_DTORS') ? 1 : 0)) {
    throw new Error(`glue: ${registries} registry fallbacks for ${classes.length} classes`);
  }
  js = js.replaceAll(fallback, '');
  if (js.includes('__destroy_into_raw') || js.includes('unregister(this)')) {
    throw new Error('glue: a class is still freed by hand');
  }
  return js;
}

/**
 * The glue `js` with its own loader kept (the playground's Python front end calls its default
 * `init()`) and the two steps the package's loaders use exported beside it, as `trimGlueInit`
 * leaves them: `imports()` and `finalize(instance)`. For a module that the JS layer (src/wasm.js)
 * loads and other code uses through wasm-bindgen's loader too: the playground's.
 */
export function exposeLoaderSteps(js) {
  for (const f of ['function __wbg_get_imports(', 'function __wbg_finalize_init(']) {
    if (js.indexOf(f) < 0 || js.indexOf(f) !== js.lastIndexOf(f)) {
      throw new Error(`glue: ${f}...) not found exactly once in wasm-bindgen's glue`);
    }
  }
  return `${js}export { __wbg_get_imports as imports, __wbg_finalize_init as finalize };\n`;
}

/** The edits over wasm-bindgen's output folder `dir` (after short-names.mjs), in place. */
export function trimGlueIn(dir) {
  const path = join(dir, 'wasio_js.js');
  const wasm = readFileSync(join(dir, 'wasio_js_bg.wasm'));
  writeFileSync(path, noManualFree(snippetImportsByName(trimGlueInit(readFileSync(path, 'utf8')), wasm)));
}

// As a command: `node www/scripts/glue.mjs expose-loader-steps <glue.js>` applies
// exposeLoaderSteps to that file in place (scripts/build-playground.sh).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, path] = process.argv.slice(2);
  if (command !== 'expose-loader-steps' || !path) {
    throw new Error('usage: node glue.mjs expose-loader-steps <glue.js>');
  }
  writeFileSync(path, exposeLoaderSteps(readFileSync(path, 'utf8')));
}
