// webpack 5: the default entry, no loader, no wasm config.
import * as wasio from 'wasio';
import { report } from '../shared/report.js';

report(wasio);
