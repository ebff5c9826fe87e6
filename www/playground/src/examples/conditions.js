// Conditions: consumers wait on a condition until the shared list has an
// item; the producer appends under the lock and notifies one waiter.
import { spawn, sleep, Condition } from 'wasio';

async function main() {
  const cond = new Condition();
  const items = [];
  const consumers = [1, 2].map((id) =>
    spawn(
      async (signal) => {
        await cond.acquire({ signal });
        try {
          await cond.waitFor(() => items.length > 0, { signal });
          console.log(`consumer ${id} took ${items.shift()}`);
        } finally {
          cond.release();
        }
      },
      { name: `consumer ${id}` },
    ),
  );
  const producer = spawn(
    async (signal) => {
      for (const item of ['apple', 'pear']) {
        await sleep(300, { signal });
        await cond.acquire({ signal });
        items.push(item);
        cond.notify();
        cond.release();
      }
    },
    { name: 'producer' },
  );
  await producer;
  for (const c of consumers) await c;
}

await spawn(main, { name: 'main' });
