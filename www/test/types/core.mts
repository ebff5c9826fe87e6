// wasio/core's declarations (tsc --strict --noEmit): the core API type-checks as the default
// entry's does, and nothing else is exported from it.
import { Task, TaskGroup, sleep, spawn, timeout, yieldNow } from 'wasio/core';
import type { SpawnOptions, TaskGroupOptions, WaitOptions } from 'wasio/core';
// @ts-expect-error queues are not in the core entry
import { Queue } from 'wasio/core';
// @ts-expect-error nor are locks
import { Lock } from 'wasio/core';
// @ts-expect-error nor streams
import { openConnection } from 'wasio/core';

export async function core(): Promise<string> {
  const options: SpawnOptions = { name: 'n' };
  const wait: WaitOptions = { signal: new AbortController().signal };
  const groupOptions: TaskGroupOptions = {};
  await using tg = new TaskGroup(groupOptions);
  const t: Task<number> = tg.spawn(async (signal) => (await sleep(1, { signal }), 1), options);
  await yieldNow(wait);
  // @ts-expect-error sleep takes milliseconds as a number
  await sleep('1');
  // @ts-expect-error the task's value is a number
  const s: string = await t;
  void [s, Queue, Lock, openConnection];
  return timeout(
    10,
    spawn(async () => 'core'),
  );
}
