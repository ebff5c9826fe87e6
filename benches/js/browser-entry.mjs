// The benchmark table in the page (bundled by run-browser.mjs with esbuild): sets __benchTable.
import * as asyncMutex from 'async-mutex';
import * as effection from 'effection';
import pLimit from 'p-limit';
import PQueue from 'p-queue';
import * as wasio from 'wasio';
import { runAll } from './cases.mjs';

const smoke = new URLSearchParams(location.search).has('smoke');
runAll({ wasio, pLimit, PQueue, asyncMutex, effection }, smoke ? { scale: 0.01, runs: 1 } : {}).then(
  (t) => (globalThis.__benchTable = t),
  (e) => (globalThis.__benchTable = `FAIL ${e && e.stack ? e.stack : e}`),
);
