'use strict';
// The suite in Node as CommonJS: `require('wasio')` resolves through the package's exports
// (node/require), with no top-level await and no init call.
const assert = require('node:assert/strict');
const { test } = require('node:test');
const w = require('wasio');
const { runSimulated } = require('wasio/testing');
const suite = require('./suite.cjs');

const memory = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
suite({ w, runSimulated, test, assert, gc: globalThis.gc, memory });
