'use strict';
// wasio/core in Node as CommonJS: `require('wasio/core')` resolves through the package's exports
// (node/require), with no top-level await and no init call.
const assert = require('node:assert/strict');
const { test } = require('node:test');
const core = require('wasio/core');
const coreSuite = require('./core-suite.cjs');

coreSuite({ core, test, assert });
