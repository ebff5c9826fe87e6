// The `wasio/core` entry (tasks and timers: spawn, sleep, yieldNow, timeout, TaskGroup), built by
// `npm run build` after the default entries (build.mjs calls buildCore):
//
//   1. cargo build of the bindings without their default features (no queues, locks, streams,
//      trace, simulated clock or trap recovery), the same profile and flags as the package's
//   2. wasm-bindgen --target web                        -> build/core/ (glue + wasm)
//   3. short names (short-names.mjs), wasm-opt (wasm-opt.mjs) -> dist/wasio_core_bg.wasm
//   4. the same bytes deflated, then base64             -> build/core/wasm-inline.js
//   5. esbuild bundles src/entry-core-*.js with the core glue in place of the package's:
//        dist/core.node.mjs, dist/core.node.cjs   Node: compile dist/wasio_core_bg.wasm synchronously
//        dist/core.browser.mjs                    browsers/bundlers: wasm inlined (deflated),
//                                                 inflated by DecompressionStream, top-level await
//   6. src/core.d.ts -> dist/core.d.ts and dist/core.d.cts (each re-exports from its own index)
//
// The core entry has its own wasm instance: an app that imports both `wasio` and `wasio/core` runs
// two loops whose tasks do not mix (one TaskGroup cannot hold tasks of both).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { build } from 'esbuild';
import { cargoBuildBindings } from './cargo.mjs';
import { shortenNamesIn } from './short-names.mjs';
import { wasmOpt } from './wasm-opt.mjs';

/** esbuild plugin: the JS layer's import of the package's glue resolves to the core build's. */
export const coreGlue = (www) => ({
  name: 'wasio-core-glue',
  setup(b) {
    b.onResolve({ filter: /build\/wasm\/wasio_js\.js$/ }, () => ({
      path: join(www, 'build', 'core', 'wasio_js.js'),
    }));
  },
});

/** wasm-bindgen lists an inline snippet once per import site under one key: keep the first. */
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

export async function buildCore(www, common) {
  const root = join(www, '..');
  const out = join(www, 'build', 'core');
  const dist = join(www, 'dist');
  mkdirSync(out, { recursive: true });
  const built = cargoBuildBindings(root, ['--no-default-features']);
  execFileSync(
    'wasm-bindgen',
    [
      '--target',
      'web',
      '--omit-default-module-path',
      '--encode-into',
      'always',
      '--no-typescript',
      '--out-dir',
      out,
      built,
    ],
    { stdio: 'inherit', cwd: root },
  );
  dedupeSnippetKeys(join(out, 'wasio_js.js'));
  shortenNamesIn(out);
  const wasm = join(dist, 'wasio_core_bg.wasm');
  wasmOpt(www, join(out, 'wasio_js_bg.wasm'), wasm);
  const deflated = deflateSync(readFileSync(wasm), { level: 9 });
  writeFileSync(
    join(out, 'wasm-inline.js'),
    `export const WASM_DEFLATE_BASE64 = ${JSON.stringify(deflated.toString('base64'))};\n`,
  );

  const plugins = [coreGlue(www)];
  await Promise.all([
    build({
      ...common,
      plugins,
      entryPoints: [join(www, 'src/entry-core-node.js')],
      outfile: join(dist, 'core.node.mjs'),
      format: 'esm',
      platform: 'node',
    }),
    build({
      ...common,
      plugins,
      entryPoints: [join(www, 'src/entry-core-node.js')],
      outfile: join(dist, 'core.node.cjs'),
      format: 'cjs',
      platform: 'node',
      logOverride: { 'empty-import-meta': 'silent' },
    }),
    build({
      ...common,
      plugins,
      entryPoints: [join(www, 'src/entry-core-browser.js')],
      outfile: join(dist, 'core.browser.mjs'),
      format: 'esm',
      platform: 'browser',
    }),
  ]);
  const types = readFileSync(join(www, 'src', 'core.d.ts'), 'utf8');
  writeFileSync(join(dist, 'core.d.ts'), types);
  writeFileSync(join(dist, 'core.d.cts'), types.replaceAll("'./index.js'", "'./index.cjs'"));
}
