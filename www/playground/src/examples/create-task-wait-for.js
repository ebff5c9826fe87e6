// create_task and wait_for: two fetches run concurrently; a third is
// wrapped in a timeout, which cancels it when its time is up.
import { spawn, sleep, timeout } from 'wasio';

async function fetchAfter(name, ms, signal) {
  await sleep(ms, { signal });
  return `${name} after ${ms} ms`;
}

async function main(signal) {
  const a = spawn((signal) => fetchAfter('a', 300, signal), {
    name: 'fetch a',
  });
  const b = spawn((signal) => fetchAfter('b', 600, signal), {
    name: 'fetch b',
  });
  console.log(await a);
  console.log(await b);

  const slow = spawn((signal) => fetchAfter('slow', 2000, signal), {
    name: 'slow fetch',
  });
  try {
    console.log(await timeout(800, slow, { signal }));
  } catch (e) {
    console.log(`slow fetch: ${e.name}`);
  }
}

await spawn(main, { name: 'main' });
