// The suite in the page: bundled by browser.mjs with 'wasio' -> dist/browser.mjs (inlined wasm,
// top-level await), and a small runner with node:test's test() and node:assert's used subset.
import * as w from 'wasio';
import { runSimulated } from 'wasio/testing';
import suite from './suite.cjs';
import * as core from 'wasio/core';
import coreSuite from './core-suite.cjs';
import { assert } from './browser-assert.mjs';

const tests = [];
const test = (name, opts, fn) => tests.push({ name, fn: fn || opts });
const memory = () => performance.memory.usedJSHeapSize;
const peer = new URLSearchParams(location.search).get('peer');
suite({ w, runSimulated, test, assert, gc: globalThis.gc, memory, peer });
// wasio/core beside it: its own wasm instance and loop, in the same page.
coreSuite({ core, test, assert });

window.__run = async () => {
  const results = [];
  for (const t of tests) {
    const t0 = performance.now();
    try {
      await t.fn();
      results.push({ name: t.name, ok: true, ms: performance.now() - t0 });
    } catch (e) {
      results.push({ name: t.name, ok: false, error: String((e && e.stack) || e) });
    }
  }
  return results;
};
