// Semaphores: at most two of five downloads run at once; the others wait
// for a permit.
import { spawn, sleep, Semaphore } from 'wasio';

async function main() {
  const slots = new Semaphore(2);
  let running = 0;
  const downloads = [1, 2, 3, 4, 5].map((id) =>
    spawn(
      async (signal) => {
        await slots.acquire({ signal });
        try {
          running++;
          console.log(`download ${id} started (${running} running)`);
          await sleep(400, { signal });
          running--;
        } finally {
          slots.release();
        }
      },
      { name: `download ${id}` },
    ),
  );
  for (const d of downloads) await d;
  console.log('all downloads done');
}

await spawn(main, { name: 'main' });
