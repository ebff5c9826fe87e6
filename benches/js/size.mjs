// The size table (gzip -9): a tiny app bundled and minified by esbuild from the installed
// tarball, plus the wasm it loads, with the wasm as shipped (wasm-opt -Oz) and as wasm-bindgen
// left it (no wasm-opt). Rows:
//   core app (spawn, sleep, timeout, TaskGroup) against the package as shipped (one wasm, all of it);
//   the same app on wasio/core (the core build: bindings without their default features, its
//   wasm inlined deflated), measured by www/scripts/core-size.mjs as `npm run size` measures it;
//   an app that keeps every export; the default entry's bundle (wasm inlined: deflated, base64); the tarball.
// Usage: node size.mjs  (after run.sh has built, packed and installed the package)
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { CORE_TARGET, coreAppSize } from '../../www/scripts/core-size.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const www = join(here, '..', '..', 'www');
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const need = (p) => {
  if (!existsSync(p)) throw new Error(`${p} is missing: run ./run.sh (it builds and installs the package)`);
  return readFileSync(p);
};

async function bundle(entry, plugins = []) {
  const r = await build({
    entryPoints: [join(here, 'size', entry)],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    plugins,
  });
  return r.outputFiles[0].contents;
}

const wasm = {
  shipped: need(join(www, 'dist', 'wasio_bg.wasm')),
  shippedRaw: need(join(www, 'build', 'wasm', 'wasio_js_bg.wasm')),
  core: need(join(here, 'node_modules', 'wasio', 'dist', 'wasio_core_bg.wasm')),
};
const js = {
  coreApp: await bundle('core-app.mjs'),
  fullApp: await bundle('full-app.mjs'),
  inlined: await bundle('full-app.mjs', [
    {
      name: 'default-entry',
      setup(b) {
        b.onResolve({ filter: /^wasio\/slim$/ }, () => ({
          path: join(here, 'node_modules', 'wasio', 'dist', 'browser.mjs'),
        }));
      },
    },
  ]),
};

const rows = [
  [
    'core app (spawn, sleep, timeout, TaskGroup), package as shipped',
    js.coreApp,
    wasm.shipped,
    wasm.shippedRaw,
    20_000,
  ],
  ['whole package (every export)', js.fullApp, wasm.shipped, wasm.shippedRaw, 50_000],
];
// The core as `npm run size` in www/ measures it (www/scripts/core-size.mjs): the same app on
// wasio/core, whose wasm is inlined (deflated, base64) in its browser entry.
const core = await coreAppSize(build, here);
const lines = [
  '| app | JS gz | wasm gz (wasm-opt -Oz) | total gz | wasm gz (no wasm-opt) | total gz (no wasm-opt) | target |',
  '|---|---|---|---|---|---|---|',
];
for (const [what, j, w, raw, target] of rows) {
  if (j instanceof Error) {
    lines.push(
      `| ${what} | does not bundle: ${j.message.split('\n').slice(1).join(' ').trim()} | | | | | ≤ ${kb(target)} |`,
    );
    continue;
  }
  const t = gz(j) + gz(w);
  const tr = gz(j) + gz(raw);
  lines.push(
    `| ${what} | ${gz(j)} | ${gz(w)} (${w.length} raw) | **${t}** (${kb(t)}) ${t <= target ? '✓' : '✗'} | ${gz(raw)} (${raw.length} raw) | ${tr} (${kb(tr)}) | ≤ ${kb(target)} |`,
  );
}
lines.push(
  `| core app on wasio/core (the core build, wasm inlined deflated) | ${core.js} | ${core.wasm} (inlined; ${wasm.core.length} raw) | **${core.total}** (${kb(core.total)}) ${core.total <= CORE_TARGET ? '✓' : '✗'} | | | ≤ ${kb(CORE_TARGET)} |`,
);
lines.push(
  `| default entry bundled (wasm inlined: deflated, base64; one file) | ${gz(js.inlined)} | (inside) | ${gz(js.inlined)} (${kb(gz(js.inlined))}) | | | |`,
);
const tgz = join(here, 'wasio-0.1.0.tgz');
if (existsSync(tgz))
  lines.push(
    `| the npm tarball (every entry, ESM + CJS, .d.ts) | | | ${statSync(tgz).size} (${kb(statSync(tgz).size)}) | | | |`,
  );
console.log(`### Size (gzip -9 bytes)\n\n${lines.join('\n')}\n`);
