// wasio/core in browsers and every bundler: the core build's wasm is inlined, as the default entry
// inlines its own (no bundler has to find, copy or serve a file), but deflated before it is
// base64-encoded. base64 hides the wasm's repeats from the gzip a server applies (inlined as is,
// the core wasm cost about 1.3x its own gzip size); deflated first, the text costs about what the
// wasm file would. The platform's DecompressionStream inflates it, so no inflater ships here.
import { WASM_DEFLATE_BASE64 } from '../build/core/wasm-inline.js';
import { initAsync } from './wasm.js';

function decode(b64) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(b64);
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

// A wasm Response: instantiateStreaming compiles while the bytes inflate.
const inflated = new Blob([decode(WASM_DEFLATE_BASE64)])
  .stream()
  .pipeThrough(new DecompressionStream('deflate'));
await initAsync(new Response(inflated, { headers: { 'content-type': 'application/wasm' } }));

export * from './core.js';
