// npm run size: gzip -9 sizes of the package (after npm run build) and of the core (spawn, sleep,
// timeout, TaskGroup: the bindings built without their `full` feature, with src/core.js).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { cargoBuildBindings } from './cargo.mjs';
import { shortenNamesIn } from './short-names.mjs';
import { wasmOpt } from './wasm-opt.mjs';

const www = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(www, '..');
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit', cwd: root });
const opt = (input, output) => wasmOpt(www, input, output);
const minified = {
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'neutral',
  write: false,
  logLevel: 'error',
  target: 'es2022',
};

// The core: its own wasm and glue in build/core/ (the package's build is untouched).
const core = join(www, 'build', 'core');
rmSync(core, { recursive: true, force: true });
mkdirSync(core, { recursive: true });
const coreBuilt = cargoBuildBindings(root, ['-q', '--no-default-features']);
run('wasm-bindgen', [
  '--target',
  'web',
  '--omit-default-module-path',
  // TextEncoder.encodeInto without the fallback for engines that lack it (Node >= 20 and every
  // browser that runs this wasm have it).
  '--encode-into',
  'always',
  '--no-typescript',
  '--out-dir',
  core,
  coreBuilt,
]);
shortenNamesIn(core);
opt(join(core, 'wasio_js_bg.wasm'), join(core, 'core.wasm'));
// Leave the target dir's wasm as the package's again.
cargoBuildBindings(root, ['-q']);
const toCore = {
  name: 'core-glue',
  setup(b) {
    b.onResolve({ filter: /build\/wasm\/wasio_js\.js$/ }, () => ({ path: join(core, 'wasio_js.js') }));
  },
};
const coreJs = (await build({ ...minified, entryPoints: [join(www, 'src/core.js')], plugins: [toCore] }))
  .outputFiles[0].contents;
const fullJs = (await build({ ...minified, entryPoints: [join(www, 'src/api.js')] })).outputFiles[0].contents;

const coreWasm = readFileSync(join(core, 'core.wasm'));
const fullWasm = readFileSync(join(www, 'dist', 'wasio_bg.wasm'));
const row = (what, wasm, js, target) =>
  `| ${what} | ${wasm.length} | ${gz(wasm)} | ${gz(js)} | ${gz(wasm) + gz(js)} | ${target} |`;
console.log('| what | wasm B | wasm gz B | JS gz B (layer + glue, minified) | total gz B | target |');
console.log('|---|---|---|---|---|---|');
console.log(row('core: spawn, sleep, timeout, TaskGroup', coreWasm, coreJs, '20 KB'));
console.log(row('the whole package', fullWasm, fullJs, '50 KB'));
console.log(
  `| dist/browser.mjs (wasm inlined as base64), as served | | | ${gz(readFileSync(join(www, 'dist', 'browser.mjs')))} | | |`,
);
