// Locks: three workers share one account; each read-modify-write holds
// the lock, so no update is lost though each sleeps inside it.
import { spawn, sleep, Lock } from 'wasio';

const lock = new Lock();
let balance = 0;

const workers = ['alice', 'bob', 'carol'].map((name) =>
  spawn(
    async () => {
      for (let i = 0; i < 2; i++) {
        await lock.acquire();
        try {
          const seen = balance;
          await sleep(100);
          balance = seen + 10;
          console.log(`${name} deposited 10, balance ${balance}`);
        } finally {
          lock.release();
        }
      }
    },
    { name },
  ),
);
for (const w of workers) await w;
console.log(`final balance ${balance}`);
