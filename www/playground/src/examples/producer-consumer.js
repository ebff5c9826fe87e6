// Producer/consumer over a bounded queue (maxsize 2): producers wait on
// put when it is full, consumers on get when it is empty; join() waits
// until every item was marked done.
import { spawn, sleep, Queue } from 'wasio';

const q = new Queue(2);

const producers = [1, 2].map((id) =>
  spawn(
    async () => {
      for (let i = 0; i < 3; i++) {
        const item = id * 10 + i;
        await q.put(item);
        console.log(`producer ${id} put ${item}`);
        await sleep(300);
      }
    },
    { name: `producer ${id}` },
  ),
);

const consumers = [1, 2, 3].map((id) =>
  spawn(
    async (signal) => {
      for (;;) {
        const item = await q.get({ signal });
        await sleep(500, { signal });
        console.log(`consumer ${id} handled ${item}`);
        q.taskDone();
      }
    },
    { name: `consumer ${id}` },
  ),
);

for (const p of producers) await p;
await q.join();
console.log('all items handled; stopping consumers');
for (const c of consumers) c.cancel();
