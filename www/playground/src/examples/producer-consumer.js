// Producer/consumer over a bounded queue (maxsize 2): producers wait on
// put when it is full, consumers on get when it is empty; join() waits
// until every item was marked done.
import { spawn, sleep, Queue } from 'wasio';

async function producer(q, id, signal) {
  for (let i = 0; i < 3; i++) {
    const item = id * 10 + i;
    await q.put(item, { signal });
    console.log(`producer ${id} put ${item}`);
    await sleep(300, { signal });
  }
}

async function consumer(q, id, signal) {
  for (;;) {
    const item = await q.get({ signal });
    await sleep(500, { signal });
    console.log(`consumer ${id} handled ${item}`);
    q.taskDone();
  }
}

async function main(signal) {
  const q = new Queue(2);
  const producers = [1, 2].map((id) =>
    spawn((s) => producer(q, id, s), { name: `producer ${id}` }),
  );
  const consumers = [1, 2, 3].map((id) =>
    spawn((s) => consumer(q, id, s), { name: `consumer ${id}` }),
  );
  for (const p of producers) await p;
  await q.join({ signal });
  console.log('all items handled; stopping consumers');
  for (const c of consumers) c.cancel();
}

await spawn(main, { name: 'main' });
