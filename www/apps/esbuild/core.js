// esbuild: the core entry (wasio/core, its wasm inlined), bundled with no loader or plugin.
import * as core from 'wasio/core';
import { coreProgram } from '../shared/core-program.js';

const done = (line) => {
  globalThis.__wasioResult = line;
  console.log(line);
  if (document.body !== null) document.body.textContent = line;
};
coreProgram(core).then(done, (e) => done(`FAIL ${e && e.stack ? e.stack : e}`));
