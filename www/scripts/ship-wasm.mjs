// One build of the bindings' wasm made ready to ship, the same way for the package's entries
// (build.mjs) and for wasio/core's (core.mjs):
//
//   1. wasm-bindgen --target web                        -> `glueDir` (glue + wasm)
//   2. the glue's duplicate snippet keys dropped (below)
//   3. short import/export names (short-names.mjs); the glue's loader and the snippet functions
//      the wasm does not import cut (glue.mjs); then
//      wasm-opt (binaryen's npm package: wasm-opt.mjs)  -> `wasm`
//   4. the same bytes deflated (zopfli), then base64    -> `inline` (WASM_DEFLATE_BASE64:
//      inline-wasm.mjs)
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trimGlueIn } from './glue.mjs';
import { inlineWasm } from './inline-wasm.mjs';
import { shortenNamesIn } from './short-names.mjs';
import { wasmOpt } from './wasm-opt.mjs';

/**
 * wasm-bindgen lists the crate's one inline snippet once per import site, under the same key: keep
 * the first key, so bundlers that bundle dist/ (esbuild, Rollup) see no duplicate-key warning.
 */
function dedupeSnippetKeys(glue) {
  const seen = new Set();
  const lines = readFileSync(glue, 'utf8')
    .split('\n')
    .filter((line) => {
      const m = /^\s*("[^"]+"): import\d+,$/.exec(line);
      if (m === null) return true;
      if (seen.has(m[1])) return false;
      seen.add(m[1]);
      return true;
    });
  writeFileSync(glue, lines.join('\n'));
}

/** Steps 1-4 above for the cargo-built `built` (.wasm path). */
export async function shipWasm(www, built, { glueDir, wasm, inline }) {
  execFileSync(
    'wasm-bindgen',
    [
      '--target',
      'web',
      '--omit-default-module-path',
      // TextEncoder.encodeInto without the fallback for engines that lack it (Node >= 20 and
      // every browser that runs this wasm have it).
      '--encode-into',
      'always',
      '--no-typescript',
      '--out-dir',
      glueDir,
      built,
    ],
    { stdio: 'inherit', cwd: join(www, '..') },
  );
  dedupeSnippetKeys(join(glueDir, 'wasio_js.js'));
  shortenNamesIn(glueDir);
  trimGlueIn(glueDir);
  wasmOpt(www, join(glueDir, 'wasio_js_bg.wasm'), wasm);
  await inlineWasm(wasm, inline);
}
