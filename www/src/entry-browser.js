// Browsers and every bundler: the wasm is inlined (base64), so no bundler has to find, copy or
// serve a file, and instantiated asynchronously with top-level await (Chromium refuses
// synchronous compilation of modules over 4 KB on the main thread).
import { WASM_BASE64 } from '../build/wasm-inline.js';
import { initAsync } from './wasm.js';

function decode(b64) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(b64);
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

await initAsync(decode(WASM_BASE64));

export * from './api.js';
