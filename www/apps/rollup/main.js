// Rollup: the default entry (resolved from node_modules by @rollup/plugin-node-resolve, which
// any app that bundles an npm package with Rollup has), no wasm plugin.
import * as wasio from 'wasio';
import { report } from '../shared/report.js';

report(wasio);
