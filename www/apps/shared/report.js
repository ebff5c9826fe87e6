// Browser apps: run the program and publish its line (or the failure) for the test to read.
import { program } from './program.js';

export function report(wasio) {
  const done = (line) => {
    globalThis.__wasioResult = line;
    console.log(line);
    if (document.body !== null) document.body.textContent = line;
  };
  program(wasio).then(done, (e) => done(`FAIL ${e && e.stack ? e.stack : e}`));
}
