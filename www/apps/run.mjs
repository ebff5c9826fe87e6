// The packaging matrix (issue 14): builds every app against the installed tarball
// (node_modules/wasio, put there by scripts/test-npm-matrix.sh with npm install --no-save) and
// runs it in Node or in headless Chromium; each must print EXPECTED from shared/program.js.
//
//   Node ESM (wasio), Node ESM (wasio/slim + init(bytes)), Node CommonJS (require('wasio'));
//   wasio/core (shared/core-program.js) in Node ESM and CommonJS, the Vite dev server, webpack 5,
//   esbuild, Rollup and a plain module page;
//   Vite dev server, vite build, webpack 5, esbuild (wasio/inline), Rollup, a plain module page
//   (import map, no bundler) and a plain page with wasio/slim + init(url).
//
// Every bundler is driven through its JS API with only an entry and an output; none gets a
// plugin, loader or option for wasm. Pages are served from 127.0.0.1 (ports from
// WASIO_APPS_PORT, default 18890, and the next two for the Vite dev and preview servers).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { EXPECTED } from './shared/program.js';
import { EXPECTED_CORE } from './shared/core-program.js';
import { CHROMIUM, CHROMIUM_FLAGS } from '../scripts/chromium.mjs';

const apps = dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.WASIO_APPS_PORT || 18890);
const results = [];
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;

// The wasio/core apps (named "... (wasio/core)") run shared/core-program.js instead.
function check(name, output, detail = '') {
  const expected = name.includes('(wasio/core)') ? EXPECTED_CORE : EXPECTED;
  const ok = output === expected;
  results.push([name, ok]);
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${name}: ${output}${ok ? '' : `\n     expected: ${expected}\n${detail}`}  (${elapsed()})`,
  );
}

if (!existsSync(join(apps, 'node_modules', 'wasio', 'package.json'))) {
  console.error('node_modules/wasio is missing: run scripts/test-npm-matrix.sh (it installs the tarball)');
  process.exit(1);
}

// --- Node -------------------------------------------------------------------------------------
const node = async (name, file) => {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [join(apps, file)], { cwd: apps });
    check(name, stdout.trim());
  } catch (e) {
    check(name, `exit ${e.code}`, e.stderr);
  }
};
await Promise.all([
  node('node ESM (wasio)', 'node-esm/main.mjs'),
  node('node ESM (wasio/slim, init(bytes))', 'node-esm/slim.mjs'),
  node('node CommonJS (require)', 'node-cjs/main.cjs'),
  node('node ESM (wasio/core)', 'node-esm/core.mjs'),
  node('node CommonJS (wasio/core)', 'node-cjs/core.cjs'),
]);

// --- builds -----------------------------------------------------------------------------------
for (const app of ['vite', 'webpack', 'esbuild', 'rollup'])
  rmSync(join(apps, app, 'dist'), { recursive: true, force: true });
// Every bundler must also stay silent: a warning fails the app (webpack's size hints excepted).
const { build: viteBuild, createLogger } = await import('vite');
const viteWarnings = [];
const viteLogger = createLogger('warn');
for (const level of ['warn', 'warnOnce', 'error']) {
  const log = viteLogger[level].bind(viteLogger);
  viteLogger[level] = (msg, options) => {
    viteWarnings.push(msg);
    log(msg, options);
  };
}
const builds = {
  async vite() {
    await viteBuild({ root: join(apps, 'vite'), configFile: false, customLogger: viteLogger });
    if (viteWarnings.length > 0) throw new Error(viteWarnings.splice(0).join('\n'));
  },
  async webpack() {
    const { default: webpack } = await import('webpack');
    const stats = await promisify(webpack)({
      mode: 'production',
      context: apps,
      entry: { main: './webpack/main.js', core: './webpack/core.js' },
      output: { path: join(apps, 'webpack', 'dist'), filename: '[name].js' },
    });
    // webpack's size hints (the default entry carries the wasm inlined) are advice, not faults.
    const hints = ['AssetsOverSizeLimitWarning', 'EntrypointsOverSizeLimitWarning', 'NoAsyncChunksWarning'];
    const warnings = stats.compilation.warnings.filter((w) => !hints.includes(w.name));
    if (stats.hasErrors() || warnings.length > 0)
      throw new Error([...stats.compilation.errors, ...warnings].map((e) => e.message).join('\n'));
  },
  async esbuild() {
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [join(apps, 'esbuild', 'main.js'), join(apps, 'esbuild', 'core.js')],
      outdir: join(apps, 'esbuild', 'dist'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      logLevel: 'warning',
    });
    if (result.warnings.length > 0) throw new Error(result.warnings.map((w) => w.text).join('\n'));
  },
  async rollup() {
    const { rollup } = await import('rollup');
    const { nodeResolve } = await import('@rollup/plugin-node-resolve');
    const warnings = [];
    const bundle = await rollup({
      input: [join(apps, 'rollup', 'main.js'), join(apps, 'rollup', 'core.js')],
      plugins: [nodeResolve({ browser: true })],
      onwarn: (w) => warnings.push(w.message),
    });
    await bundle.write({ dir: join(apps, 'rollup', 'dist'), format: 'es' });
    if (warnings.length > 0) throw new Error(warnings.join('\n'));
  },
};
const built = {};
for (const [name, fn] of Object.entries(builds)) {
  try {
    await fn();
    built[name] = true;
    console.log(`     built ${name} (${elapsed()})`);
  } catch (e) {
    built[name] = false;
    check(`${name} build`, 'build failed', String(e && e.stack ? e.stack : e));
  }
}

// --- pages ------------------------------------------------------------------------------------
const types = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
};
const files = createServer((req, res) => {
  const path = normalize(join(apps, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
  if (!path.startsWith(apps) || !existsSync(path) || !extname(path)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': types[extname(path)] || 'application/octet-stream' });
  res.end(readFileSync(path));
});
await new Promise((r) => files.listen(port, '127.0.0.1', r));
const { createServer: createViteServer } = await import('vite');
const dev = await createViteServer({
  root: join(apps, 'vite'),
  configFile: false,
  customLogger: viteLogger,
  server: { host: '127.0.0.1', port: port + 1, strictPort: true, hmr: false },
});
await dev.listen();
const { preview } = await import('vite');
const previewServer = built.vite
  ? await preview({
      root: join(apps, 'vite'),
      configFile: false,
      customLogger: viteLogger,
      preview: { host: '127.0.0.1', port: port + 2, strictPort: true },
    })
  : null;

const { chromium } = await import('playwright-core');
const profile = await mkdtemp(join(tmpdir(), 'wasio-apps-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: CHROMIUM_FLAGS,
});
const pages = [
  ['Vite dev server', `http://127.0.0.1:${port + 1}/`, true],
  ['Vite dev server (wasio/core)', `http://127.0.0.1:${port + 1}/core.html`, true],
  ['vite build (vite preview)', `http://127.0.0.1:${port + 2}/`, built.vite],
  ['webpack 5', `http://127.0.0.1:${port}/webpack/index.html`, built.webpack],
  ['webpack 5 (wasio/core)', `http://127.0.0.1:${port}/webpack/core.html`, built.webpack],
  ['esbuild (wasio/inline)', `http://127.0.0.1:${port}/esbuild/index.html`, built.esbuild],
  ['esbuild (wasio/core)', `http://127.0.0.1:${port}/esbuild/core.html`, built.esbuild],
  ['Rollup', `http://127.0.0.1:${port}/rollup/index.html`, built.rollup],
  ['Rollup (wasio/core)', `http://127.0.0.1:${port}/rollup/core.html`, built.rollup],
  ['plain module page', `http://127.0.0.1:${port}/plain/index.html`, true],
  ['plain page (wasio/slim, init(url))', `http://127.0.0.1:${port}/plain/slim.html`, true],
  ['plain module page (wasio/core)', `http://127.0.0.1:${port}/plain/core.html`, true],
];
try {
  for (const [name, url, ok] of pages) {
    if (!ok) continue;
    const page = await browser.newPage();
    const log = [];
    page.on('console', (m) => log.push(`     console.${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => log.push(`     pageerror: ${e.message}`));
    page.on('requestfailed', (r) => log.push(`     requestfailed: ${r.url()}`));
    page.on('response', (r) => r.status() >= 400 && log.push(`     HTTP ${r.status()}: ${r.url()}`));
    try {
      await page.goto(url);
      await page.waitForFunction(() => globalThis.__wasioResult !== undefined, null, { timeout: 30_000 });
      const result = await page.evaluate(() => globalThis.__wasioResult);
      // The Vite servers' warnings (the dev server's dependency optimizer) count against the page.
      const warned = viteWarnings.splice(0);
      check(
        name,
        warned.length > 0 ? `${result} (Vite warned: ${warned.join('; ')})` : result,
        log.join('\n'),
      );
    } catch (e) {
      check(name, `no result (${e.message.split('\n')[0]})`, log.join('\n'));
    }
    await page.close();
  }
} finally {
  await browser.close();
  await dev.close();
  if (previewServer !== null) await previewServer.close();
  files.close();
  rmSync(profile, { recursive: true, force: true });
}

const failed = results.filter(([, ok]) => !ok).length;
console.log(`\nmatrix finished in ${elapsed()}`);
console.log(`matrix: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
