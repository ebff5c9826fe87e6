// npm run build: everything the package ships, in dist/.
//
//   1. cargo build --profile npm-js --target wasm32-unknown-unknown -p wasio-js  (the bindings,
//      std built for size, panics that trap: cargo.mjs)
//   2-4. ship-wasm.mjs: wasm-bindgen -> build/wasm/ (glue + wasm), short names and wasm-opt
//      -> dist/wasio_bg.wasm, the same bytes deflated and base64 -> build/wasm-inline.js
//   5. esbuild bundles each entry of src/ (glue + JS layer) into one file (bundle.mjs):
//        dist/node.mjs, dist/node.cjs   Node: compile dist/wasio_bg.wasm synchronously
//        dist/browser.mjs               browsers/bundlers: wasm inlined (deflated; src/inlined.js),
//                                       top-level await
//        dist/slim.mjs                  explicit init(urlOrBytes)
//      and dist/testing.*.{mjs,cjs} re-export runSimulated from the matching entry (one wasm
//      instance per entry, so wasio/testing shares the loop of wasio).
//   6. the hand-written declarations src/*.d.ts -> dist/ (.d.ts and .d.cts)
//   7. the wasio/core entry, with its own smaller wasm (core.mjs: buildCore)
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cargoBuildBindings } from './cargo.mjs';
import { bundleEntries } from './bundle.mjs';
import { buildCore } from './core.mjs';
import { shipWasm } from './ship-wasm.mjs';

const www = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(www, '..');
const dist = join(www, 'dist');
const out = join(www, 'build');

const built = cargoBuildBindings(root);
rmSync(out, { recursive: true, force: true });
rmSync(dist, { recursive: true, force: true });
mkdirSync(join(out, 'wasm'), { recursive: true });
mkdirSync(dist, { recursive: true });
await shipWasm(www, built, {
  glueDir: join(out, 'wasm'),
  wasm: join(dist, 'wasio_bg.wasm'),
  inline: join(out, 'wasm-inline.js'),
});

await bundleEntries(www, [
  ['entry-node.js', 'node.mjs', 'esm', 'node'],
  ['entry-node.js', 'node.cjs', 'cjs', 'node'],
  ['entry-browser.js', 'browser.mjs', 'esm', 'browser'],
  ['entry-slim.js', 'slim.mjs', 'esm', 'browser'],
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
await buildCore(www);
console.log('built', dist);
