// Sleep with dots: one task prints a dot every 400 ms while main waits
// 2.5 seconds, then cancels it. On the virtual clock the same program
// finishes at once, with the same timeline. Every wait gets its task's
// signal: that ties the wait to the task (its lane shows it) and lets
// cancellation end it.
import { spawn, sleep } from 'wasio';

async function main(signal) {
  const dots = spawn(
    async (signal) => {
      for (;;) {
        console.log('.');
        await sleep(400, { signal });
      }
    },
    { name: 'dots' },
  );
  console.log('Waiting 2.5 seconds');
  await sleep(2500, { signal });
  dots.cancel();
  console.log('done');
}

await spawn(main, { name: 'main' });
