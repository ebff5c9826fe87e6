// wasio/core in browsers and every bundler: the core build's wasm is inlined, as the default entry
// inlines its own (no bundler has to find, copy or serve a file): deflated, then base64 (see
// inlined.js), and instantiated asynchronously with top-level await.
import { WASM_DEFLATE_BASE64 } from '../build/core/wasm-inline.js';
import { inlinedWasm } from './inlined.js';
import { imports, start } from './wasm.js';

start((await WebAssembly.instantiateStreaming(inlinedWasm(WASM_DEFLATE_BASE64), imports())).instance);

export * from './core.js';
