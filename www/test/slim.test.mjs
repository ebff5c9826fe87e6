// wasio/slim: nothing is loaded until init(); init takes bytes (or a URL, a Response, a Module)
// and later calls do nothing. Node only: the browser suite covers the inlined entry.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';

test('wasio/slim works after init(bytes), and a second init is a no-op', async () => {
  const slim = await import('wasio/slim');
  const wasm = createRequire(import.meta.url).resolve('wasio/wasio_bg.wasm');
  await slim.init(readFileSync(wasm));
  await slim.init(new URL('file:///nonexistent.wasm'));
  assert.equal(await slim.spawn(async (signal) => (await slim.sleep(1, { signal }), 'slim')), 'slim');
});
