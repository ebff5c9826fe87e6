// The program the wasio/core apps of the packaging matrix run: tasks in a TaskGroup that sleep,
// a timeout that cancels what it wraps, and a task that is cancelled. One line; run.mjs checks
// that every core app prints exactly EXPECTED_CORE.
export const EXPECTED_CORE = 'wasio/core ok: sum=55 timedOut=TimeoutError cancelled=true';

export async function coreProgram({ spawn, sleep, timeout, TaskGroup }) {
  let sum = 0;
  const tg = new TaskGroup();
  for (let i = 1; i <= 10; i++)
    tg.spawn(async () => {
      await sleep(i % 3);
      sum += i;
    });
  await tg.join();
  const stuck = spawn((signal) => sleep(3_600_000, { signal }));
  let timedOut = 'none';
  try {
    await timeout(5, stuck);
  } catch (e) {
    timedOut = e.name;
  }
  return `wasio/core ok: sum=${sum} timedOut=${timedOut} cancelled=${stuck.cancelled}`;
}
