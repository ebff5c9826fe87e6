// npm run size: gzip -9 sizes of the package (after npm run build) and of the core (spawn, sleep,
// timeout, TaskGroup: the wasio/core entry, measured by core-size.mjs).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { coreAppSize } from './core-size.mjs';

const www = join(dirname(fileURLToPath(import.meta.url)), '..');
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const minified = {
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'neutral',
  write: false,
  logLevel: 'error',
  target: 'es2022',
};

const fullJs = (await build({ ...minified, entryPoints: [join(www, 'src/api.js')] })).outputFiles[0].contents;

const fullWasm = readFileSync(join(www, 'dist', 'wasio_bg.wasm'));
const row = (what, wasm, js, target) =>
  `| ${what} | ${wasm.length} | ${gz(wasm)} | ${gz(js)} | ${gz(wasm) + gz(js)} | ${target} |`;
console.log('| what | wasm B | wasm gz B | JS gz B (layer + glue, minified) | total gz B | target |');
console.log('|---|---|---|---|---|---|');
// The core: the minimal app of core-size.mjs on wasio/core (its wasm inlined), as benches/js measures it.
const core = await coreAppSize(build, www);
console.log(
  `| core: an app of spawn, sleep, timeout, TaskGroup from wasio/core (wasm inlined: its deflated base64) | ${readFileSync(join(www, 'dist', 'wasio_core_bg.wasm')).length} | ${core.wasm} | ${core.js} | ${core.total} | 20 KB |`,
);
console.log(row('the whole package', fullWasm, fullJs, '50 KB'));
console.log(
  `| dist/browser.mjs (wasm inlined: deflated, base64), as served | | | ${gz(readFileSync(join(www, 'dist', 'browser.mjs')))} | | |`,
);
