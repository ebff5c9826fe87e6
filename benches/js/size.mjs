// The size table (gzip -9): a tiny app bundled and minified by esbuild from the installed
// tarball, plus the wasm it loads, with the wasm as shipped (wasm-opt -Oz) and as wasm-bindgen
// left it (no wasm-opt). Rows:
//   core app (spawn, sleep, timeout, TaskGroup) against the package as shipped (one wasm, all of it);
//   the same app against the core build (bindings without their `full` feature: www/build/core,
//   made by `npm run size` in www/), which is what a core-only entry would ship;
//   an app that keeps every export; the default entry's bundle (wasm inlined as base64); the tarball.
// Usage: node size.mjs  (after run.sh has built the package and `npm run size` in www/)
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const www = join(here, '..', '..', 'www');
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const need = (p) => {
  if (!existsSync(p))
    throw new Error(`${p} is missing: run ./run.sh (it builds the package and npm run size)`);
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

// The core build: wasio/slim's API narrowed to src/core.js, over build/core's glue.
const coreGlue = join(www, 'build', 'core', 'wasio_js.js');
const toCore = {
  name: 'core-build',
  setup(b) {
    b.onResolve({ filter: /^wasio\/slim$/ }, () => ({
      path: join(here, 'size', 'core-slim.virtual'),
      namespace: 'core',
    }));
    b.onLoad({ filter: /.*/, namespace: 'core' }, () => ({
      contents: `export * from ${JSON.stringify(join(www, 'src', 'core.js'))};\nimport { initAsync } from ${JSON.stringify(join(www, 'src', 'wasm.js'))};\nexport const init = (s) => initAsync(s);\n`,
      resolveDir: www,
    }));
    b.onResolve({ filter: /build\/wasm\/wasio_js\.js$/ }, () => ({
      path: coreGlue,
    }));
  },
};

const wasm = {
  shipped: need(join(www, 'dist', 'wasio_bg.wasm')),
  shippedRaw: need(join(www, 'build', 'wasm', 'wasio_js_bg.wasm')),
  core: need(join(www, 'build', 'core', 'core.wasm')),
  coreRaw: need(join(www, 'build', 'core', 'wasio_js_bg.wasm')),
};
need(coreGlue);
const js = {
  coreApp: await bundle('core-app.mjs'),
  // The package's JS layer must still bundle over the core glue; if it no longer does, say so.
  coreAppCore: await bundle('core-app.mjs', [toCore]).catch((e) => e),
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
  ['core app, core build (bindings without `full`)', js.coreAppCore, wasm.core, wasm.coreRaw, 20_000],
  ['whole package (every export)', js.fullApp, wasm.shipped, wasm.shippedRaw, 50_000],
];
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
  `| default entry bundled (wasm inlined as base64, one file) | ${gz(js.inlined)} | (inside) | ${gz(js.inlined)} (${kb(gz(js.inlined))}) | | | |`,
);
const tgz = join(here, 'wasio-0.1.0.tgz');
if (existsSync(tgz))
  lines.push(
    `| the npm tarball (every entry, ESM + CJS, .d.ts) | | | ${statSync(tgz).size} (${kb(statSync(tgz).size)}) | | | |`,
  );
console.log(`### Size (gzip -9 bytes)\n\n${lines.join('\n')}\n`);
