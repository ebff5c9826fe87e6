// The program every app of the packaging matrix runs: a producer and two consumers in a
// TaskGroup around a bounded Queue, a spawned task that sleeps, and a task the group cancels.
// It returns one line; scripts/run.mjs checks that every app prints exactly EXPECTED.
export const EXPECTED = 'wasio ok: sum=55 items=10 slept=true cancelled=true';

export async function program({ spawn, sleep, TaskGroup, Queue }) {
  const queue = new Queue(2);
  let sum = 0;
  let items = 0;
  const tg = new TaskGroup();
  tg.spawn(async () => {
    for (let i = 1; i <= 10; i++) await queue.put(i);
    await queue.join();
    queue.shutdown();
  });
  for (let c = 0; c < 2; c++) {
    tg.spawn(async () => {
      for await (const item of queue) {
        sum += item;
        items += 1;
        queue.taskDone();
      }
    });
  }
  const sleeper = spawn(async () => {
    await sleep(5);
    return true;
  });
  const stuck = spawn((signal) => sleep(3_600_000, { signal }));
  await tg.join();
  const slept = await sleeper;
  stuck.cancel();
  let cancelled = false;
  try {
    await stuck;
  } catch (e) {
    cancelled = e.name === 'AbortError' && stuck.cancelled;
  }
  return `wasio ok: sum=${sum} items=${items} slept=${slept} cancelled=${cancelled}`;
}
