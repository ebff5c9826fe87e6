// Vite (dev server and `vite build`): the default entry, no plugin, no config.
import * as wasio from 'wasio';
import { report } from '../shared/report.js';

report(wasio);
