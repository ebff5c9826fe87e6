// npm test: every suite of the package, in order; stops at the first failure.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const www = join(dirname(fileURLToPath(import.meta.url)), '..');
const steps = [
  ['node', ['--test', '--expose-gc', 'test/node-esm.test.mjs']],
  ['node', ['--test', '--expose-gc', 'test/node-cjs.test.cjs']],
];
for (const [cmd, args] of steps) {
  console.log(`\n> ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: 'inherit', cwd: www });
}
