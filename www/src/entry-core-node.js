// wasio/core in Node (ESM and CommonJS): the core build's wasm (tasks and timers only), compiled
// synchronously from the file beside this one, as the default entry does with its own.
import { startFromFile } from './compile-sync.js';

startFromFile('wasio_core_bg.wasm');

export * from './core.js';
