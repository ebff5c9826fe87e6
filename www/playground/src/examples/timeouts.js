// Timeouts: the same job under three budgets. timeout() rejects with a
// TimeoutError and cancels the work it wraps (spawned as a task).
import { spawn, sleep, timeout } from 'wasio';

async function job(signal) {
  await sleep(500, { signal });
  return 'job done';
}

async function main(signal) {
  for (const budget of [200, 499, 1000]) {
    try {
      const result = await timeout(
        budget,
        spawn(job, { name: `job (${budget} ms budget)` }),
        { signal },
      );
      console.log(`budget ${budget} ms: ${result}`);
    } catch (e) {
      console.log(`budget ${budget} ms: ${e.name}`);
    }
  }
}

await spawn(main, { name: 'main' });
