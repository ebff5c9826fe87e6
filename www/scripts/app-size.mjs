// The one measure of the package's size (issue 14: the core, spawn, sleep, timeout and TaskGroup,
// at most 20 KB gz, wasm and JS together; the whole package at most 50 KB gz), shared by
// `npm run size` (size.mjs, against the package's own dist/ through its exports) and
// benches/js/size.mjs (against the installed tarball):
//
//   an app, bundled and minified by esbuild for the browser from the entry an app gets by default,
//   gzip -9, with the wasm it loads. The browser conditions of `wasio` and `wasio/core` carry
//   their wasm inlined (deflated, base64), so the bundle is everything the app loads; the wasm's
//   and the JS's shares are reported beside the total.
//
// The apps: CORE_APP imports the core from `wasio/core`; FULL_APP keeps every export of `wasio`
// and `wasio/testing` (the whole package: an app that uses all of it loads this much; an app that
// uses less loads less, as its bundler drops what it does not import).
//
// Node builtins only: the caller passes its own esbuild's build (benches/js has its own install).
import { gzipSync } from 'node:zlib';

export const CORE_APP = `import { spawn, sleep, timeout, TaskGroup } from 'wasio/core';

const tg = new TaskGroup();
tg.spawn(() => sleep(1));
await tg.join();
console.log(await timeout(100, spawn(async () => 'core ok')));
`;

export const FULL_APP = `import * as wasio from 'wasio';
import * as testing from 'wasio/testing';

globalThis.wasio = { ...wasio, ...testing };
`;

export const CORE_TARGET = 20_000;
export const FULL_TARGET = 50_000;

const gz = (buf) => gzipSync(buf, { level: 9 }).length;

/** esbuild's options for an app as the measure bundles it (benches/js bundles its slim apps so). */
export const APP_BUNDLE = {
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
};

/**
 * Bundles `app` (module source) with `wasio` resolved from `resolveDir`. Returns gzip -9 sizes in
 * bytes: `total` (the bundle: JS and inlined wasm), `wasm` (the inlined part: the deflated wasm as
 * base64) and `js` (the bundle with that string emptied).
 */
export async function appSize(build, resolveDir, app) {
  const result = await build({
    ...APP_BUNDLE,
    stdin: { contents: app, resolveDir, sourcefile: 'app.mjs' },
    logLevel: 'error',
  });
  const text = result.outputFiles[0].text;
  const inlined = /"[A-Za-z0-9+/]{1000,}={0,2}"/.exec(text);
  if (inlined === null) throw new Error('the app bundle has no inlined wasm: the browser entries changed');
  return {
    total: gz(result.outputFiles[0].contents),
    wasm: gz(inlined[0]),
    js: gz(text.replace(inlined[0], '""')),
  };
}

/** The core: CORE_APP on `wasio/core`. */
export const coreAppSize = (build, resolveDir) => appSize(build, resolveDir, CORE_APP);

/** The whole package: FULL_APP, every export of `wasio` and `wasio/testing`. */
export const fullAppSize = (build, resolveDir) => appSize(build, resolveDir, FULL_APP);
