// Locks: three workers share one account; each read-modify-write holds
// the lock, so no update is lost though each sleeps inside it.
import { spawn, sleep, Lock } from 'wasio';

const lock = new Lock();
let balance = 0;

async function deposit(name, signal) {
  for (let i = 0; i < 2; i++) {
    const held = await lock.acquire({ signal });
    try {
      const seen = balance;
      await sleep(100, { signal });
      balance = seen + 10;
      console.log(`${name} deposited 10, balance ${balance}`);
    } finally {
      held.release();
    }
  }
}

async function main() {
  const workers = ['alice', 'bob', 'carol'].map((name) =>
    spawn((s) => deposit(name, s), { name }),
  );
  for (const w of workers) await w;
  console.log(`final balance ${balance}`);
}

await spawn(main, { name: 'main' });
