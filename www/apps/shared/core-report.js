// Browser apps on wasio/core: run the core program and publish its line (or the failure).
import { coreProgram } from './core-program.js';
import { publish } from './report.js';

export function reportCore(core) {
  publish(coreProgram(core));
}
