// The browser entries' inlined wasm (src/inlined.js inflates it): the shipped wasm compressed to
// the zlib format that DecompressionStream('deflate') reads, then base64, as a module exporting
// WASM_DEFLATE_BASE64.
//
// Compressed with zopfli (@gfx/zopfli: zopfli built to wasm, no native step), which searches far
// harder for the shortest deflate stream than zlib does and writes the same format. The inlined
// text is compressed data that the server's gzip cannot shrink further, so its size is the
// stream's: for the whole package's wasm 45,383 B gz as inlined against 48,315 from zlib level 9,
// for wasio/core's 9,454 against 9,868 (15 iterations; 50 saved 1-3 B more at twice the time).
// Every stream is inflated again here and compared with the wasm before it is written.
import { readFileSync, writeFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import zopfli from '@gfx/zopfli';

/** Writes `inline` (a JS module) with the wasm file `wasm` compressed and base64-encoded. */
export async function inlineWasm(wasm, inline) {
  const bytes = readFileSync(wasm);
  const compressed = Buffer.from(await zopfli.zlibAsync(bytes, { numiterations: 15 }));
  if (!inflateSync(compressed).equals(bytes)) throw new Error(`inline-wasm: ${wasm} does not inflate back`);
  writeFileSync(
    inline,
    `export const WASM_DEFLATE_BASE64 = ${JSON.stringify(compressed.toString('base64'))};\n`,
  );
}
