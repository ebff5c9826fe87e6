// The benchmark table in headless Chromium: bundles browser-entry.mjs with esbuild (the browser
// condition picks wasio's default browser entry), serves it from 127.0.0.1 and prints the table
// the page computes. Usage: node browser.mjs [--smoke]   (port: WASIO_BENCH_PORT, default 18893)
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS } from '../../www/scripts/chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const smoke = process.argv.includes('--smoke');
const port = Number(process.env.WASIO_BENCH_PORT || 18893);

const bundle = (
  await build({
    entryPoints: [join(here, 'browser-entry.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'error',
    // Effection's main() imports node:process dynamically, only under Node; the benchmark never calls it.
    external: ['node:*'],
  })
).outputFiles[0].contents;
const page = `<!doctype html><meta charset="utf-8"><title>wasio benchmarks</title><script type="module" src="/bench.js"></script>`;
// Cross-origin isolated, so performance.now() has 5 µs resolution instead of 100 µs.
const isolated = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};
const server = createServer((req, res) => {
  for (const [k, v] of Object.entries(isolated)) res.setHeader(k, v);
  if (req.url.startsWith('/bench.js')) res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
  else if (req.url === '/' || req.url.startsWith('/?'))
    res.writeHead(200, { 'content-type': 'text/html' }).end(page);
  else res.writeHead(404).end();
});
await new Promise((r) => server.listen(port, '127.0.0.1', r));
const profile = await mkdtemp(join(tmpdir(), 'wasio-bench-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: CHROMIUM_FLAGS,
});
let failed = false;
try {
  const tab = await browser.newPage();
  const errors = [];
  tab.on('pageerror', (e) => errors.push(e.message));
  await tab.goto(`http://127.0.0.1:${port}/${smoke ? '?smoke' : ''}`);
  await tab.waitForFunction(() => globalThis.__benchTable !== undefined, null, {
    timeout: 1_800_000,
    polling: 500,
  });
  const table = await tab.evaluate(() => globalThis.__benchTable);
  const version = browser.browser()?.version() ?? (await tab.evaluate(() => navigator.userAgent));
  console.log(`### Chromium ${version}${smoke ? ' (smoke)' : ''}\n\n${table}\n`);
  if (table.startsWith('FAIL') || errors.length > 0) {
    console.error(errors.join('\n'));
    failed = true;
  }
} finally {
  await browser.close();
  server.close();
  await rm(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
