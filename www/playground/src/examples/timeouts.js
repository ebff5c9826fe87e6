// Timeouts: the same job under three budgets. timeout() rejects with a
// TimeoutError and cancels the work it wraps.
import { sleep, timeout } from 'wasio';

async function job(signal) {
  await sleep(500, { signal });
  return 'job done';
}

for (const budget of [200, 499, 1000]) {
  try {
    console.log(`budget ${budget} ms: ${await timeout(budget, job)}`);
  } catch (e) {
    console.log(`budget ${budget} ms: ${e.name}`);
  }
}
