// wasm-bindgen's glue (--target web) ends with its own loader: `initSync(module)` and a default
// `init(module_or_path)` that take several argument shapes (an options object or the deprecated
// bare argument, with a console warning), fetch a string, URL or Request, check the Response, and
// fall back from instantiateStreaming to instantiate when a server sends the wrong MIME type. The
// package's entries each load the wasm one way (src/wasm.js and the entries), so that loader is
// cut here: the glue keeps what every loader needs, the import object and the step that takes
// the instance, exported as `imports()` and `finalize(instance)`. What is cut would otherwise
// ship in every browser bundle, as only the bindings' imports need it (about 0.9 KB gz).
//
// Each edit must match exactly once, or the build fails: a new wasm-bindgen release whose glue
// differs is caught here rather than shipped half-edited.
import { readFileSync, writeFileSync } from 'node:fs';

function edit(js, from, to, what) {
  const at = js.indexOf(from);
  if (at < 0 || js.indexOf(from, at + 1) >= 0) {
    throw new Error(`glue-init: ${what} not found exactly once in wasm-bindgen's glue`);
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
    throw new Error("glue-init: wasm-bindgen's loader not found at the end of the glue");
  }
  return `${js.slice(0, loader)}export { __wbg_get_imports as imports, __wbg_finalize_init as finalize };\n`;
}

/** `trimGlueInit` over the glue file at `path`, in place. */
export function trimGlueInitIn(path) {
  writeFileSync(path, trimGlueInit(readFileSync(path, 'utf8')));
}
