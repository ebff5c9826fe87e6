// Sleep with dots: one task prints a dot every half second while the
// program waits 2.5 seconds, then cancels it. On the virtual clock the
// same program finishes at once, with the same timeline.
import { spawn, sleep } from 'wasio';

const dots = spawn(
  async (signal) => {
    for (;;) {
      console.log('.');
      await sleep(500, { signal });
    }
  },
  { name: 'dots' },
);

console.log('Waiting 2.5 seconds');
await sleep(2500);
dots.cancel();
console.log('done');
