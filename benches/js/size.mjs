// The size table (gzip -9), from the installed tarball. The first two rows are the package's one
// measure (www/scripts/app-size.mjs, the function `npm run size` in www/ calls, so both report
// the same figures): an app bundled and minified by esbuild for the browser from the entry an app
// gets by default, with the wasm it loads (inlined in the browser entries):
//   the core: spawn, sleep, timeout and TaskGroup from wasio/core (the core build's wasm);
//   the whole package: an app keeping every export of wasio and wasio/testing.
// Then the same two apps on wasio/slim, which loads dist/wasio_bg.wasm as a file (init(url)): the
// app's JS plus that file, with the wasm as shipped and as wasm-bindgen left it (no wasm-opt);
// and the tarball.
// Usage: node size.mjs  (after run.sh has built, packed and installed the package)
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import {
  APP_BUNDLE,
  CORE_TARGET,
  FULL_TARGET,
  coreAppSize,
  fullAppSize,
} from '../../www/scripts/app-size.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const www = join(here, '..', '..', 'www');
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const mark = (n, target) => `**${n}** (${kb(n)}) ${n <= target ? '✓' : '✗'}`;
const need = (p) => {
  if (!existsSync(p)) throw new Error(`${p} is missing: run ./run.sh (it builds and installs the package)`);
  return readFileSync(p);
};

async function bundle(entry) {
  const r = await build({ ...APP_BUNDLE, entryPoints: [join(here, 'size', entry)], logLevel: 'silent' });
  return r.outputFiles[0].contents;
}

const installed = join(here, 'node_modules', 'wasio', 'dist');
const wasm = {
  shipped: need(join(installed, 'wasio_bg.wasm')),
  unoptimised: need(join(www, 'build', 'wasm', 'wasio_js_bg.wasm')),
  core: need(join(installed, 'wasio_core_bg.wasm')),
};
const lines = [
  '| app | JS gz | wasm gz | total gz | wasm gz (no wasm-opt) | total gz (no wasm-opt) | target |',
  '|---|---|---|---|---|---|---|',
];
for (const [what, size, raw, target] of [
  [
    'core: spawn, sleep, timeout, TaskGroup from wasio/core',
    await coreAppSize(build, here),
    wasm.core,
    CORE_TARGET,
  ],
  ['the whole package: every export of wasio', await fullAppSize(build, here), wasm.shipped, FULL_TARGET],
]) {
  lines.push(
    `| ${what} | ${size.js} | ${size.wasm} (inlined; ${raw.length} raw) | ${mark(size.total, target)} (one bundle) | | | ≤ ${kb(target)} |`,
  );
}
for (const [what, entry, target] of [
  ['the core app from wasio/slim (the whole wasm as a file)', 'core-app.mjs', CORE_TARGET],
  ['every export from wasio/slim (the wasm as a file)', 'full-app.mjs', FULL_TARGET],
]) {
  const js = gz(await bundle(entry));
  const [w, raw] = [gz(wasm.shipped), gz(wasm.unoptimised)];
  lines.push(
    `| ${what} | ${js} | ${w} (${wasm.shipped.length} raw) | ${mark(js + w, target)} | ${raw} (${wasm.unoptimised.length} raw) | ${js + raw} (${kb(js + raw)}) | ≤ ${kb(target)} |`,
  );
}
const tgz = join(here, 'wasio-0.1.0.tgz');
if (existsSync(tgz))
  lines.push(
    `| the npm tarball (every entry, ESM + CJS, .d.ts) | | | ${statSync(tgz).size} (${kb(statSync(tgz).size)}) | | | |`,
  );
console.log(`### Size (gzip -9 bytes)\n\n${lines.join('\n')}\n`);
