// esbuild: the inlined-wasm entry (wasio/inline), bundled with no loader or plugin.
import * as wasio from 'wasio/inline';
import { report } from '../shared/report.js';

report(wasio);
