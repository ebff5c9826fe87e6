// Node (ESM and CommonJS): compile the wasm synchronously from the file beside this one.
import { readFileSync } from 'node:fs';
import { initSync } from './wasm.js';

initSync(
  readFileSync(
    typeof __dirname === 'string'
      ? __dirname + '/wasio_bg.wasm'
      : new URL('./wasio_bg.wasm', import.meta.url),
  ),
);

export * from './api.js';
