// The one measure of the core's size (issue 14: spawn, sleep, timeout and TaskGroup at most
// 20 KB gz, wasm and JS together), shared by `npm run size` (size.mjs, against the package's own
// dist/ through its exports) and benches/js/size.mjs (against the installed tarball):
//
//   a minimal app importing spawn, sleep, timeout and TaskGroup from 'wasio/core', bundled and
//   minified by esbuild for the browser, gzip -9, plus the wasm it loads. The browser condition of
//   wasio/core carries its wasm inlined (deflated, base64), so the bundle is everything the app
//   loads; the wasm's and the JS's shares are reported beside the total.
//
// Node builtins only: the caller passes its own esbuild's build (benches/js has its own install).
import { gzipSync } from 'node:zlib';

export const CORE_APP = `import { spawn, sleep, timeout, TaskGroup } from 'wasio/core';

const tg = new TaskGroup();
tg.spawn(() => sleep(1));
await tg.join();
console.log(await timeout(100, spawn(async () => 'core ok')));
`;

export const CORE_TARGET = 20_000;

const gz = (buf) => gzipSync(buf, { level: 9 }).length;

/**
 * Bundles CORE_APP with 'wasio/core' resolved from `resolveDir`. Returns gzip -9 sizes in bytes:
 * `total` (the bundle: JS and inlined wasm), `wasm` (the inlined part: the deflated wasm as
 * base64) and `js` (the bundle with that string emptied).
 */
export async function coreAppSize(build, resolveDir) {
  const result = await build({
    stdin: { contents: CORE_APP, resolveDir, sourcefile: 'core-app.mjs' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
  });
  const text = result.outputFiles[0].text;
  const inlined = /"[A-Za-z0-9+/]{1000,}={0,2}"/.exec(text);
  if (inlined === null) throw new Error('the core app bundle has no inlined wasm: wasio/core changed');
  return {
    total: gz(result.outputFiles[0].contents),
    wasm: gz(inlined[0]),
    js: gz(text.replace(inlined[0], '""')),
  };
}
