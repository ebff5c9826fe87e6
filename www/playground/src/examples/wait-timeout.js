// Wait with a timeout: wait() resolves with the tasks done in time and
// the ones still pending; main then cancels the pending ones.
import { spawn, sleep, wait } from 'wasio';

async function main() {
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
  console.log(`done in time: ${done.size}, still pending: ${pending.size}`);
  for (const t of pending) t.cancel();
}

await spawn(main, { name: 'main' });
