// Node (ESM and CommonJS): compile the wasm synchronously from the file beside this one.
import { startFromFile } from './compile-sync.js';

startFromFile('wasio_bg.wasm');

export * from './api.js';
