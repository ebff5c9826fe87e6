// Events: waiters park until one task sets the event; set() wakes them
// all at once.
import { spawn, sleep, Event } from 'wasio';

async function main() {
  const ready = new Event();
  const waiters = [1, 2, 3].map((id) =>
    spawn(
      async (signal) => {
        await ready.wait({ signal });
        console.log(`waiter ${id} saw the event`);
      },
      { name: `waiter ${id}` },
    ),
  );
  const setter = spawn(
    async (signal) => {
      await sleep(500, { signal });
      console.log('setting the event');
      ready.set();
    },
    { name: 'setter' },
  );
  await setter;
  for (const w of waiters) await w;
}

await spawn(main, { name: 'main' });
