// The browser entries' inlined wasm: bytes deflated at build time (zopfli, in the zlib format:
// scripts/inline-wasm.mjs), then base64, as a string in the bundle. base64 hides the wasm's
// repeats from the gzip a server applies (inlined plainly, a wasm costs about 1.3x its own gzip
// size); deflated first, the text costs what the deflated stream does, 6% less than the wasm file
// gzipped. The platform's DecompressionStream (every current browser, Node >= 18) inflates it, so
// no inflater ships.

function decode(b64) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(b64);
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The wasm as a Response (instantiateStreaming compiles it while it inflates). */
export function inlinedWasm(deflatedBase64) {
  const inflated = new Blob([decode(deflatedBase64)])
    .stream()
    .pipeThrough(new DecompressionStream('deflate'));
  return new Response(inflated, { headers: { 'content-type': 'application/wasm' } });
}
