// webpack: the core entry (wasio/core, its wasm inlined), no loader, plugin or wasm config.
import * as core from 'wasio/core';
import { reportCore } from '../shared/core-report.js';

reportCore(core);
