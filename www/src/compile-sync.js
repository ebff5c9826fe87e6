// The Node entries' loader: the wasm file beside the entry, compiled and instantiated
// synchronously (Node allows it at any size), so `require('wasio')` needs no callback.
import { readFileSync } from 'node:fs';
import { imports, start } from './wasm.js';

/** Instantiates the wasm file `name` from the entry's own folder (ESM or CommonJS). */
export function startFromFile(name) {
  const path = typeof __dirname === 'string' ? `${__dirname}/${name}` : new URL(name, import.meta.url);
  start(new WebAssembly.Instance(new WebAssembly.Module(readFileSync(path)), imports()));
}
