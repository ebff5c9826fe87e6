// The benchmark rows: each has a plain-Promise floor (the least a hand-written JS version does),
// wasio's version and its peers', all doing the same work, timed side by side in one process.
// `lib` holds the imported modules, so the same file runs in Node and (bundled) in Chromium.

const range = (n) => Array.from({ length: n }, (_, i) => i);
const work = (i) => Promise.resolve(i);

/** The least a plain-Promise mutex/semaphore does: a counter and a FIFO of resolvers. */
class FloorSemaphore {
  constructor(value) {
    this.value = value;
    this.waiters = [];
    this.head = 0;
  }
  acquire() {
    if (this.value > 0 && this.head === this.waiters.length) {
      this.value -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  release() {
    if (this.head < this.waiters.length) {
      const w = this.waiters[this.head];
      this.waiters[this.head++] = undefined;
      w();
    } else this.value += 1;
  }
}

/** `workers` async loops sharing `iterations`, each holding the lock across one `await null`. */
async function contended(n, workers, acquire, release) {
  let left = n;
  const worker = async () => {
    while (left > 0) {
      left -= 1;
      const h = await acquire();
      await null;
      release(h);
    }
  };
  await Promise.all(range(workers).map(worker));
}

async function uncontended(n, acquire, release) {
  for (let i = 0; i < n; i++) release(await acquire());
}

export function cases(lib, scale = 1) {
  const { wasio, pLimit, PQueue, asyncMutex, effection } = lib;
  const N = Math.max(100, Math.round(100_000 * scale));
  const G = Math.max(100, Math.round(10_000 * scale));
  return [
    {
      row: `${N.toLocaleString('en')} tasks at concurrency 10`,
      n: N,
      // The least a limiter with p-limit's shape does: a promise per call, gated by a counter and a
      // FIFO of resolvers.
      floor: async (n) => {
        const sem = new FloorSemaphore(10);
        await Promise.all(
          range(n).map(async (i) => {
            await sem.acquire();
            try {
              return await work(i);
            } finally {
              sem.release();
            }
          }),
        );
      },
      wasio: {
        'Semaphore(10) around each call': async (n) => {
          const sem = new wasio.Semaphore(10);
          await Promise.all(
            range(n).map(async (i) => {
              await sem.acquire();
              try {
                return await work(i);
              } finally {
                sem.release();
              }
            }),
          );
        },
        // asyncio's worker-pool idiom: the jobs in a Queue, 10 spawned workers drain it.
        'Queue + 10 spawned workers': async (n) => {
          const q = new wasio.Queue();
          for (let i = 0; i < n; i++) q.putNowait(i);
          q.shutdown();
          const results = new Array(n);
          const worker = async () => {
            for await (const i of q) results[i] = await work(i);
          };
          await Promise.all(range(10).map(() => wasio.spawn(worker)));
        },
        'spawn per task + Semaphore(10)': async (n) => {
          const sem = new wasio.Semaphore(10);
          const tg = new wasio.TaskGroup();
          for (let i = 0; i < n; i++)
            tg.spawn(async () => {
              await sem.acquire();
              try {
                return await work(i);
              } finally {
                sem.release();
              }
            });
          await tg.join();
        },
      },
      peers: {
        'p-limit': async (n) => {
          const limit = pLimit(10);
          await Promise.all(range(n).map((i) => limit(() => work(i))));
        },
        'p-queue': async (n) => {
          const q = new PQueue({ concurrency: 10 });
          const all = range(n).map((i) => q.add(() => work(i)));
          await Promise.all(all);
        },
      },
    },
    {
      row: 'Mutex lock/unlock, uncontended',
      n: N,
      floor: (n) => {
        const m = new FloorSemaphore(1);
        return uncontended(
          n,
          () => m.acquire(),
          () => m.release(),
        );
      },
      wasio: {
        Lock: (n) => {
          const l = new wasio.Lock();
          return uncontended(
            n,
            () => l.acquire(),
            () => l.release(),
          );
        },
      },
      peers: {
        'async-mutex Mutex': (n) => {
          const m = new asyncMutex.Mutex();
          return uncontended(
            n,
            () => m.acquire(),
            (r) => r(),
          );
        },
      },
    },
    {
      row: 'Mutex lock/unlock, 10 contending',
      n: N,
      floor: (n) => {
        const m = new FloorSemaphore(1);
        return contended(
          n,
          10,
          () => m.acquire(),
          () => m.release(),
        );
      },
      wasio: {
        Lock: (n) => {
          const l = new wasio.Lock();
          return contended(
            n,
            10,
            () => l.acquire(),
            () => l.release(),
          );
        },
      },
      peers: {
        'async-mutex Mutex': (n) => {
          const m = new asyncMutex.Mutex();
          return contended(
            n,
            10,
            () => m.acquire(),
            (r) => r(),
          );
        },
      },
    },
    {
      row: 'Semaphore(4) acquire/release, uncontended',
      n: N,
      floor: (n) => {
        const s = new FloorSemaphore(4);
        return uncontended(
          n,
          () => s.acquire(),
          () => s.release(),
        );
      },
      wasio: {
        Semaphore: (n) => {
          const s = new wasio.Semaphore(4);
          return uncontended(
            n,
            () => s.acquire(),
            () => s.release(),
          );
        },
      },
      peers: {
        'async-mutex Semaphore': (n) => {
          const s = new asyncMutex.Semaphore(4);
          return uncontended(
            n,
            () => s.acquire(),
            ([, r]) => r(),
          );
        },
      },
    },
    {
      row: 'Semaphore(4) acquire/release, 10 contending',
      n: N,
      floor: (n) => {
        const s = new FloorSemaphore(4);
        return contended(
          n,
          10,
          () => s.acquire(),
          () => s.release(),
        );
      },
      wasio: {
        Semaphore: (n) => {
          const s = new wasio.Semaphore(4);
          return contended(
            n,
            10,
            () => s.acquire(),
            () => s.release(),
          );
        },
      },
      peers: {
        'async-mutex Semaphore': (n) => {
          const s = new asyncMutex.Semaphore(4);
          return contended(
            n,
            10,
            () => s.acquire(),
            ([, r]) => r(),
          );
        },
      },
    },
    {
      row: `spawn + await, ${N.toLocaleString('en')} at once`,
      n: N,
      // The peer is the floor here: a bare async function per item and Promise.all.
      floor: (n) => Promise.all(range(n).map(async (i) => i)),
      wasio: {
        'spawn + Promise.all': (n) => Promise.all(range(n).map((i) => wasio.spawn(async () => i))),
      },
      peers: {
        'async fn + Promise.all': (n) => Promise.all(range(n).map(async (i) => i)),
      },
    },
    {
      row: `TaskGroup: spawn and cancel ${G.toLocaleString('en')} tasks`,
      n: G,
      floor: async (n) => {
        // n async functions parked on promises, cancelled by one AbortController whose one
        // listener rejects them all.
        const ac = new AbortController();
        const rejecters = [];
        ac.signal.addEventListener('abort', () => rejecters.forEach((r) => r(ac.signal.reason)), {
          once: true,
        });
        const all = range(n).map(async () => {
          await new Promise((_, reject) => rejecters.push(reject));
        });
        await null;
        ac.abort();
        await Promise.allSettled(all);
      },
      wasio: {
        'TaskGroup + sleep(signal)': async (n) => {
          const tg = new wasio.TaskGroup();
          for (let i = 0; i < n; i++) tg.spawn((signal) => wasio.sleep(1e9, { signal }));
          await wasio.yieldNow();
          tg.cancel();
          await tg.join();
        },
      },
      peers: {
        Effection: (n) =>
          effection.run(function* () {
            for (let i = 0; i < n; i++)
              yield* effection.spawn(function* () {
                yield* effection.suspend();
              });
            yield* effection.sleep(0);
            // Returning halts (cancels) every child of this scope.
          }),
      },
    },
  ];
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * ns/op of each of `fns` (name -> fn): one warm-up round, then `runs` rounds; every round runs
 * each fn once, in turn, so a change in the machine's load hits them all alike. The median.
 */
async function timeAll(fns, n, runs) {
  const samples = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let r = 0; r <= runs; r++) {
    for (const [k, fn] of Object.entries(fns)) {
      const t = performance.now();
      await fn(n);
      if (r > 0) samples[k].push(((performance.now() - t) * 1e6) / n);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

/**
 * Runs every row and returns a Markdown table: ns/op for the floor, each wasio variant and each
 * peer, and wasio's best variant as a ratio to each peer and to the floor (below 1.0: wasio is
 * faster).
 */
export async function runAll(lib, { scale = 1, runs = 5, log = () => {} } = {}) {
  const lines = [
    '| row | floor (plain Promise) ns/op | wasio ns/op | peer ns/op | wasio / peer | wasio / floor |',
    '|---|---|---|---|---|---|',
  ];
  for (const c of cases(lib, scale)) {
    const fns = { floor: c.floor };
    for (const [k, fn] of Object.entries(c.wasio)) fns[`w:${k}`] = fn;
    for (const [k, fn] of Object.entries(c.peers)) fns[`p:${k}`] = fn;
    const t = await timeAll(fns, c.n, runs);
    const floor = t.floor;
    const ws = Object.fromEntries(Object.keys(c.wasio).map((k) => [k, t[`w:${k}`]]));
    const ps = Object.fromEntries(Object.keys(c.peers).map((k) => [k, t[`p:${k}`]]));
    const [bestName, best] = Object.entries(ws).sort((a, b) => a[1] - b[1])[0];
    const wcell = Object.entries(ws)
      .map(([k, v]) => `${fmt(v)} (${k})`)
      .join('<br>');
    for (const [pname, p] of Object.entries(ps)) {
      const line = `| ${c.row} | ${fmt(floor)} | ${wcell} | ${fmt(p)} (${pname}) | ${(best / p).toFixed(2)}${Object.keys(ws).length > 1 ? ` (${bestName})` : ''} | ${(best / floor).toFixed(2)} |`;
      lines.push(line);
      log(line);
    }
  }
  return lines.join('\n');
}
