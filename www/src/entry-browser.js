// Browsers and every bundler: the wasm is inlined (deflated, then base64: see inlined.js), so no
// bundler has to find, copy or serve a file, and instantiated asynchronously with top-level await
// (Chromium refuses synchronous compilation of modules over 4 KB on the main thread).
import { WASM_DEFLATE_BASE64 } from '../build/wasm-inline.js';
import { inlinedWasm } from './inlined.js';
import { imports, start } from './wasm.js';

start((await WebAssembly.instantiateStreaming(inlinedWasm(WASM_DEFLATE_BASE64), imports())).instance);

export * from './api.js';
