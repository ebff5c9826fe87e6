// The core app of the size table: only spawn, sleep, timeout and TaskGroup (and init, from /slim).
import { init, spawn, sleep, timeout, TaskGroup } from 'wasio/slim';

await init();
const tg = new TaskGroup();
tg.spawn(() => sleep(1));
await tg.join();
console.log(
  await timeout(
    100,
    spawn(async () => 'core ok'),
  ),
);
