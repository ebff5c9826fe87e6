'use strict';
// The suite in Node as CommonJS: `require('wasio')` resolves through the package's exports
// (node/require), with no top-level await and no init call.
const assert = require('node:assert/strict');
const { test, before, after } = require('node:test');
const w = require('wasio');
const { runSimulated } = require('wasio/testing');
const suite = require('./suite.cjs');

const memory = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
// The peer is an ES module: started before the first test, its URL read lazily by the suite.
let peer;
before(async () => {
  peer = await (await import('./peer.mjs')).startEchoPeer();
});
after(() => peer.close());
const lazy = { toString: () => peer.url };
suite({ w, runSimulated, test, assert, gc: globalThis.gc, memory, peer: lazy });
