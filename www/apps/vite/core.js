// Vite dev server: the core entry (wasio/core, its wasm inlined), no plugin, no config.
import * as core from 'wasio/core';
import { reportCore } from '../shared/core-report.js';

reportCore(core);
