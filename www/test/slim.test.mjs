// wasio/slim: nothing is loaded until init(); init takes bytes (or a URL, a Response, a Module)
// and later calls do nothing. Node only: the browser suite covers the inlined entry.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { test } from 'node:test';

test('wasio/slim works after init(bytes), and a second init is a no-op', async () => {
  const slim = await import('wasio/slim');
  // Before init: a plain error that says what to do, not a wasm trap or an undefined access.
  assert.throws(() => slim.spawn(() => 1), /await init\(\) first/);
  assert.throws(() => new slim.Lock(), /await init\(\) first/);
  assert.throws(() => slim.sleep(1), /await init\(\) first/);
  const wasm = createRequire(import.meta.url).resolve('wasio/wasio_bg.wasm');
  await slim.init(readFileSync(wasm));
  await slim.init(new URL('file:///nonexistent.wasm'));
  assert.equal(await slim.spawn(async (signal) => (await slim.sleep(1, { signal }), 'slim')), 'slim');
});

// A fresh copy of the wasio/slim module (its own wasm instance, not yet initialised).
let copies = 0;
const freshSlim = () => import(`${import.meta.resolve('wasio/slim')}?copy=${++copies}`);
const wasmBytes = () => readFileSync(createRequire(import.meta.url).resolve('wasio/wasio_bg.wasm'));
const works = async (slim) =>
  assert.equal(await slim.spawn(async (signal) => (await slim.sleep(1, { signal }), 'ok')), 'ok');

test('wasio/slim init fetches a URL string, streams an application/wasm Response, and takes a Module', async () => {
  const bytes = wasmBytes();
  const server = createServer((req, res) => {
    if (req.url === '/wasio.wasm') res.writeHead(200, { 'content-type': 'application/wasm' }).end(bytes);
    else if (req.url === '/octets.wasm')
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes);
    else res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    let slim = await freshSlim();
    await slim.init(`${base}/wasio.wasm`);
    await works(slim);

    // A server that sends another type: compiled from the bytes instead of failing.
    slim = await freshSlim();
    await slim.init(fetch(`${base}/octets.wasm`));
    await works(slim);

    // A failed fetch rejects with an error naming the status; init can then be retried.
    slim = await freshSlim();
    await assert.rejects(slim.init(new URL(`${base}/missing.wasm`)), /fetching the wasm failed: 404/);
    assert.throws(() => slim.spawn(() => 1), /await init\(\) first/);
    await slim.init(new WebAssembly.Module(bytes));
    await works(slim);
  } finally {
    server.close();
  }
});

test('wasio/slim: concurrent init calls load the module once', async () => {
  const slim = await freshSlim();
  const first = slim.init(wasmBytes());
  const second = slim.init(wasmBytes().buffer);
  assert.equal(first, second);
  await Promise.all([first, second]);
  await works(slim);
});
