// The benchmark table in Node: node node.mjs [--smoke] [--scale 1] [--runs 5]
import * as asyncMutex from 'async-mutex';
import * as effection from 'effection';
import pLimit from 'p-limit';
import PQueue from 'p-queue';
import * as wasio from 'wasio';
import { runAll } from './cases.mjs';

const smoke = process.argv.includes('--smoke');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const table = await runAll(
  { wasio, pLimit, PQueue, asyncMutex, effection },
  smoke
    ? { scale: 0.01, runs: 1 }
    : {
        scale: arg('--scale', 1),
        runs: arg('--runs', 5),
        log: (l) => console.error(l),
      },
);
console.log(`### Node ${process.version}${smoke ? ' (smoke)' : ''}\n\n${table}\n`);
