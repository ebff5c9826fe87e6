// A pipeline of queues: read → square → print, each stage a task, each
// link a bounded queue; null marks the end of the stream.
import { spawn, sleep, Queue } from 'wasio';

const raw = new Queue(2);
const squared = new Queue(2);

const source = spawn(
  async () => {
    for (let n = 1; n <= 5; n++) {
      await sleep(100);
      await raw.put(n);
    }
    await raw.put(null);
  },
  { name: 'source' },
);

const square = spawn(
  async () => {
    for (;;) {
      const n = await raw.get();
      if (n === null) break;
      await sleep(150);
      await squared.put(n * n);
    }
    await squared.put(null);
  },
  { name: 'square' },
);

const sink = spawn(
  async () => {
    let sum = 0;
    for (;;) {
      const v = await squared.get();
      if (v === null) break;
      sum += v;
      console.log(`got ${v}`);
    }
    console.log(`sum ${sum}`);
  },
  { name: 'sink' },
);

await Promise.all([source, square, sink]);
