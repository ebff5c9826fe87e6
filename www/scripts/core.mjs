// The `wasio/core` entry (tasks and timers: spawn, sleep, yieldNow, timeout, TaskGroup), built by
// `npm run build` after the default entries (build.mjs calls buildCore):
//
//   1. cargo build of the bindings without their default features (no queues, locks, streams,
//      trace, simulated clock or trap recovery), the same profile and flags as the package's
//   2-4. ship-wasm.mjs, as for the package's wasm: wasm-bindgen -> build/core/ (glue + wasm),
//      short names and wasm-opt -> dist/wasio_core_bg.wasm, deflated + base64 -> build/core/wasm-inline.js
//   5. esbuild bundles src/entry-core-*.js with the core glue in place of the package's:
//        dist/core.node.mjs, dist/core.node.cjs   Node: compile dist/wasio_core_bg.wasm synchronously
//        dist/core.browser.mjs                    browsers/bundlers: wasm inlined (deflated),
//                                                 inflated by DecompressionStream, top-level await
//   6. src/core.d.ts -> dist/core.d.ts and dist/core.d.cts (each re-exports from its own index)
//
// The core entry has its own wasm instance: an app that imports both `wasio` and `wasio/core` runs
// two loops whose tasks do not mix (one TaskGroup cannot hold tasks of both).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleEntries } from './bundle.mjs';
import { cargoBuildBindings } from './cargo.mjs';
import { shipWasm } from './ship-wasm.mjs';

/** esbuild plugin: the JS layer's import of the package's glue resolves to the core build's. */
export const coreGlue = (www) => ({
  name: 'wasio-core-glue',
  setup(b) {
    b.onResolve({ filter: /build\/wasm\/wasio_js\.js$/ }, () => ({
      path: join(www, 'build', 'core', 'wasio_js.js'),
    }));
  },
});

export async function buildCore(www) {
  const root = join(www, '..');
  const out = join(www, 'build', 'core');
  const dist = join(www, 'dist');
  mkdirSync(out, { recursive: true });
  const built = cargoBuildBindings(root, ['--no-default-features']);
  await shipWasm(www, built, {
    glueDir: out,
    wasm: join(dist, 'wasio_core_bg.wasm'),
    inline: join(out, 'wasm-inline.js'),
  });

  await bundleEntries(
    www,
    [
      ['entry-core-node.js', 'core.node.mjs', 'esm', 'node'],
      ['entry-core-node.js', 'core.node.cjs', 'cjs', 'node'],
      ['entry-core-browser.js', 'core.browser.mjs', 'esm', 'browser'],
    ],
    { plugins: [coreGlue(www)] },
  );
  const types = readFileSync(join(www, 'src', 'core.d.ts'), 'utf8');
  writeFileSync(join(dist, 'core.d.ts'), types);
  writeFileSync(join(dist, 'core.d.cts'), types.replaceAll("'./index.js'", "'./index.cjs'"));
}
