// The suite in headless Chromium: bundles browser-entry.mjs (esbuild, 'wasio' resolved through
// the package's own exports with the browser condition), serves it from 127.0.0.1 on a free port
// and runs it with playwright-core against /usr/bin/chromium (or $CHROMIUM).
import { createServer } from 'node:http';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { startEchoPeer } from './peer.mjs';
import { CHROMIUM, CHROMIUM_FLAGS } from '../scripts/chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const bundle = await build({
  entryPoints: [join(here, 'browser-entry.mjs')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  logLevel: 'warning',
  conditions: ['browser'],
});
const js = bundle.outputFiles[0].text;
const html =
  '<!doctype html><meta charset="utf-8"><title>wasio tests</title><script type="module" src="/suite.js"></script>';
const peer = await startEchoPeer();
const server = createServer((req, res) => {
  if (req.url === '/suite.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
  else res.writeHead(200, { 'content-type': 'text/html' }).end(html);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;

// playwright gives every launch a fresh temporary profile (--user-data-dir).
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', ...CHROMIUM_FLAGS, '--js-flags=--expose-gc', '--enable-precise-memory-info'],
});
let failed = 0;
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`http://127.0.0.1:${port}/?peer=${encodeURIComponent(peer.url)}`);
  await page.waitForFunction(() => typeof window.__run === 'function', null, { timeout: 30000 });
  const results = await page.evaluate(() => window.__run());
  for (const r of results) {
    if (r.ok) console.log(`ok - ${r.name} (${r.ms.toFixed(1)} ms)`);
    else {
      failed++;
      console.log(`not ok - ${r.name}\n  ${r.error.replace(/\n/g, '\n  ')}`);
    }
  }
  for (const e of errors) console.log(`page error: ${e}`);
  console.log(`# chromium: ${results.length - failed} passed, ${failed} failed`);
  if (results.length === 0) failed++;
} finally {
  await browser.close();
  server.close();
  await peer.close();
}
process.exit(failed === 0 ? 0 : 1);
