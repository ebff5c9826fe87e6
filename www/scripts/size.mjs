// npm run size: gzip -9 sizes of the core (spawn, sleep, timeout, TaskGroup from wasio/core) and
// of the whole package (every export of wasio), after npm run build, both by the one measure of
// app-size.mjs: an app bundled and minified by esbuild for the browser, with the wasm it loads
// (inlined in the browser entries). benches/js/size.mjs reports the same two figures.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { CORE_TARGET, FULL_TARGET, coreAppSize, fullAppSize } from './app-size.mjs';

const www = join(dirname(fileURLToPath(import.meta.url)), '..');
const row = (what, file, size, target) =>
  `| ${what} | ${readFileSync(join(www, 'dist', file)).length} | ${size.wasm} | ${size.js} | ${size.total} ${size.total <= target ? '✓' : '✗'} | ${target / 1000} KB |`;
console.log(
  '| what | wasm B | wasm gz B (inlined: deflated, base64) | JS gz B | total gz B (one bundle) | target |',
);
console.log('|---|---|---|---|---|---|');
console.log(
  row(
    'core: an app of spawn, sleep, timeout, TaskGroup from wasio/core',
    'wasio_core_bg.wasm',
    await coreAppSize(build, www),
    CORE_TARGET,
  ),
);
console.log(
  row(
    'the whole package: an app keeping every export of wasio',
    'wasio_bg.wasm',
    await fullAppSize(build, www),
    FULL_TARGET,
  ),
);
