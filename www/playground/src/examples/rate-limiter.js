// A rate limiter: a token bucket refilled by its own task every 250 ms
// lets at most four requests a second through; six clients queue on it.
import { spawn, sleep, Queue } from 'wasio';

async function main() {
  const tokens = new Queue(1);
  const refill = spawn(
    async (signal) => {
      for (;;) {
        await tokens.put('token', { signal });
        await sleep(250, { signal });
      }
    },
    { name: 'refill' },
  );
  const clients = [1, 2, 3, 4, 5, 6].map((id) =>
    spawn(
      async (signal) => {
        await tokens.get({ signal });
        console.log(`request ${id} sent`);
      },
      { name: `client ${id}` },
    ),
  );
  for (const c of clients) await c;
  refill.cancel();
  console.log('all requests sent');
}

await spawn(main, { name: 'main' });
