// Browser apps: run the program and publish its line (or the failure) for the test to read.
import { program } from './program.js';

/** Publishes the line `result` resolves to (or its failure): page text, console and a global. */
export function publish(result) {
  const done = (line) => {
    globalThis.__wasioResult = line;
    console.log(line);
    if (document.body !== null) document.body.textContent = line;
  };
  result.then(done, (e) => done(`FAIL ${e && e.stack ? e.stack : e}`));
}

export function report(wasio) {
  publish(program(wasio));
}
