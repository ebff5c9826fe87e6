// Browser apps on wasio/core: run the core program and publish its line (or the failure).
import { coreProgram } from './core-program.js';

export function reportCore(core) {
  const done = (line) => {
    globalThis.__wasioResult = line;
    console.log(line);
    if (document.body !== null) document.body.textContent = line;
  };
  coreProgram(core).then(done, (e) => done(`FAIL ${e && e.stack ? e.stack : e}`));
}
