// wasio/core in Node (ESM and CommonJS): the core build's wasm (tasks and timers only), compiled
// synchronously from the file beside this one, as the default entry does with its own.
import { readFileSync } from 'node:fs';
import { initSync } from './wasm.js';

initSync(
  readFileSync(
    typeof __dirname === 'string'
      ? __dirname + '/wasio_core_bg.wasm'
      : new URL('./wasio_core_bg.wasm', import.meta.url),
  ),
);

export * from './core.js';
