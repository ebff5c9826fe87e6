// A pipeline of queues: source → square → sink, each stage a task, each
// link a bounded queue; null marks the end of the stream.
import { spawn, sleep, gather, Queue } from 'wasio';

async function main() {
  const raw = new Queue(2);
  const squared = new Queue(2);
  const source = spawn(
    async (signal) => {
      for (let n = 1; n <= 5; n++) {
        await sleep(100, { signal });
        await raw.put(n, { signal });
      }
      await raw.put(null, { signal });
    },
    { name: 'source' },
  );
  const square = spawn(
    async (signal) => {
      for (;;) {
        const n = await raw.get({ signal });
        if (n === null) break;
        await sleep(150, { signal });
        await squared.put(n * n, { signal });
      }
      await squared.put(null, { signal });
    },
    { name: 'square' },
  );
  const sink = spawn(
    async (signal) => {
      let sum = 0;
      for (;;) {
        const v = await squared.get({ signal });
        if (v === null) break;
        sum += v;
        console.log(`got ${v}`);
      }
      return sum;
    },
    { name: 'sink' },
  );
  const [, , sum] = await gather(source, square, sink);
  console.log(`sum ${sum}`);
}

await spawn(main, { name: 'main' });
