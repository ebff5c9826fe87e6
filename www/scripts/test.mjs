// npm test: every suite of the package, in order; stops at the first failure.
//   node:test suite in Node as ESM and as CommonJS (with --expose-gc for the memory test),
//   the same suite in headless Chromium (playwright-core), tsc --strict over the types test,
//   and prettier's format check over the JS layer and the tests.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const www = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(www, 'node_modules', '.bin', name);
const steps = [
  ['node', ['--test', '--expose-gc', '--experimental-websocket', 'test/node-esm.test.mjs']],
  ['node', ['--test', '--expose-gc', '--experimental-websocket', 'test/node-cjs.test.cjs']],
  ['node', ['--test', 'test/slim.test.mjs']],
  ['node', ['--test', 'test/core.test.mjs']],
  ['node', ['--test', 'test/core.test.cjs']],
  ['node', ['test/browser.mjs']],
  [bin('tsc'), ['-p', 'test/types/tsconfig.json']],
  [bin('prettier'), ['--check', 'src', 'test', 'scripts']],
];
for (const [cmd, args] of steps) {
  console.log(`\n> ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: 'inherit', cwd: www });
}
console.log('\nnpm test: all passed');
