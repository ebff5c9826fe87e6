// Events: waiters park until one task sets the event; set() wakes them
// all at once.
import { spawn, sleep, Event } from 'wasio';

const ready = new Event();

const waiters = [1, 2, 3].map((id) =>
  spawn(
    async () => {
      await ready.wait();
      console.log(`waiter ${id} saw the event`);
    },
    { name: `waiter ${id}` },
  ),
);

const setter = spawn(
  async () => {
    await sleep(500);
    console.log('setting the event');
    ready.set();
  },
  { name: 'setter' },
);

await setter;
for (const w of waiters) await w;
