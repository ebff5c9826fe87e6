// The suite in Node as ESM: `import 'wasio'` resolves through the package's exports (node/import).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as w from 'wasio';
import { runSimulated } from 'wasio/testing';
import suite from './suite.cjs';
import { after } from 'node:test';
import { startEchoPeer } from './peer.mjs';

const memory = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const peer = await startEchoPeer();
after(() => peer.close());
suite({ w, runSimulated, test, assert, gc: globalThis.gc, memory, peer: peer.url });
