// Wait with a timeout: wait() returns the tasks done in time and the
// ones still pending; the pending ones are then cancelled.
import { spawn, sleep, wait } from 'wasio';

const tasks = [200, 500, 1500].map((ms) =>
  spawn(
    async (signal) => {
      await sleep(ms, { signal });
      return ms;
    },
    { name: `sleeper ${ms}` },
  ),
);

const [done, pending] = await wait(tasks, { timeout: 800 });
console.log(`done in time: ${done.length}, still pending: ${pending.length}`);
for (const t of pending) t.cancel();
