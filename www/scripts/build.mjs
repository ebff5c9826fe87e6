// npm run build: everything the package ships, in dist/.
//
//   1. cargo build --profile npm-js --target wasm32-unknown-unknown -p wasio-js  (the bindings,
//      std built for size, panics that trap: cargo.mjs)
//   2. wasm-bindgen --target web                        -> build/wasm/ (glue + wasm)
//   3. short import/export names (short-names.mjs), then
//      wasm-opt (binaryen's npm package: wasm-opt.mjs)  -> dist/wasio_bg.wasm
//   4. the same bytes deflated, then base64             -> build/wasm-inline.js
//   5. esbuild bundles each entry of src/ (glue + JS layer) into one file:
//        dist/node.mjs, dist/node.cjs   Node: compile dist/wasio_bg.wasm synchronously
//        dist/browser.mjs               browsers/bundlers: wasm inlined (deflated; src/inlined.js),
//                                       top-level await
//        dist/slim.mjs                  explicit init(urlOrBytes)
//      and dist/testing.*.{mjs,cjs} re-export runSimulated from the matching entry (one wasm
//      instance per entry, so wasio/testing shares the loop of wasio).
//   6. the hand-written declarations src/*.d.ts -> dist/ (.d.ts and .d.cts)
//   7. the wasio/core entry, with its own smaller wasm (core.mjs: buildCore)
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { build } from 'esbuild';
import { cargoBuildBindings } from './cargo.mjs';
import { buildCore } from './core.mjs';
import { shortenNamesIn } from './short-names.mjs';
import { wasmOpt } from './wasm-opt.mjs';

const www = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(www, '..');
const dist = join(www, 'dist');
const out = join(www, 'build');
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });

const built = cargoBuildBindings(root);
rmSync(out, { recursive: true, force: true });
rmSync(dist, { recursive: true, force: true });
mkdirSync(join(out, 'wasm'), { recursive: true });
mkdirSync(dist, { recursive: true });
run('wasm-bindgen', [
  '--target',
  'web',
  '--omit-default-module-path',
  // TextEncoder.encodeInto without the fallback for engines that lack it (Node >= 20 and every
  // browser that runs this wasm have it).
  '--encode-into',
  'always',
  '--no-typescript',
  '--out-dir',
  join(out, 'wasm'),
  built,
]);
// wasm-bindgen lists the crate's one inline snippet once per import site, under the same key:
// keep the first key so bundlers that bundle dist/ (esbuild, Rollup) see no duplicate-key warning.
{
  const glue = join(out, 'wasm', 'wasio_js.js');
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
shortenNamesIn(join(out, 'wasm'));
const wasm = join(dist, 'wasio_bg.wasm');
wasmOpt(www, join(out, 'wasm', 'wasio_js_bg.wasm'), wasm);
writeFileSync(
  join(out, 'wasm-inline.js'),
  `export const WASM_DEFLATE_BASE64 = ${JSON.stringify(deflateSync(readFileSync(wasm), { level: 9 }).toString('base64'))};\n`,
);

const common = {
  bundle: true,
  minifySyntax: true,
  minifyWhitespace: true,
  logLevel: 'warning',
  legalComments: 'none',
  target: 'es2022',
};
await Promise.all([
  build({
    ...common,
    entryPoints: [join(www, 'src/entry-node.js')],
    outfile: join(dist, 'node.mjs'),
    format: 'esm',
    platform: 'node',
  }),
  build({
    ...common,
    entryPoints: [join(www, 'src/entry-node.js')],
    outfile: join(dist, 'node.cjs'),
    format: 'cjs',
    platform: 'node',
    logOverride: { 'empty-import-meta': 'silent' },
  }),
  build({
    ...common,
    entryPoints: [join(www, 'src/entry-browser.js')],
    outfile: join(dist, 'browser.mjs'),
    format: 'esm',
    platform: 'browser',
  }),
  build({
    ...common,
    entryPoints: [join(www, 'src/entry-slim.js')],
    outfile: join(dist, 'slim.mjs'),
    format: 'esm',
    platform: 'browser',
  }),
]);
const testing = (from) =>
  `import { __testing } from './${from}';\nexport const runSimulated = __testing.runSimulated;\n`;
writeFileSync(join(dist, 'testing.node.mjs'), testing('node.mjs'));
writeFileSync(join(dist, 'testing.browser.mjs'), testing('browser.mjs'));
writeFileSync(
  join(dist, 'testing.node.cjs'),
  "'use strict';\nexports.runSimulated = require('./node.cjs').__testing.runSimulated;\n",
);
for (const [src, names] of [
  ['index.d.ts', ['index.d.ts', 'index.d.cts']],
  ['testing.d.ts', ['testing.d.ts', 'testing.d.cts']],
  ['slim.d.ts', ['slim.d.ts']],
]) {
  for (const n of names) copyFileSync(join(www, 'src', src), join(dist, n));
}
await buildCore(www, common);
console.log('built', dist);
