// A TaskGroup whose failure cancels its siblings: 'flaky' throws after
// 300 ms, so the group cancels the two slow tasks and join() rejects
// with the error.
import { spawn, sleep, TaskGroup } from 'wasio';

async function main() {
  const group = new TaskGroup();
  for (const ms of [1000, 2000]) {
    group.spawn(
      async (signal) => {
        try {
          await sleep(ms, { signal });
          console.log(`slow ${ms} finished`);
        } catch (e) {
          console.log(`slow ${ms} was cancelled (${e.name})`);
          throw e;
        }
      },
      { name: `slow ${ms}` },
    );
  }
  group.spawn(
    async (signal) => {
      await sleep(300, { signal });
      throw new Error('flaky failed');
    },
    { name: 'flaky' },
  );
  try {
    await group.join();
  } catch (e) {
    console.error(`group failed: ${e.message}`);
  }
}

await spawn(main, { name: 'main' });
