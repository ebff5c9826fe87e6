// wasio/core in Node as ESM: `import 'wasio/core'` resolves through the package's exports
// (node/import) to the core build's wasm, compiled synchronously.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as core from 'wasio/core';
import coreSuite from './core-suite.cjs';

coreSuite({ core, test, assert });
