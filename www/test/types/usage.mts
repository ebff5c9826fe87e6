// Type-checked with tsc --strict --noEmit (npm run test:types): what a user writes compiles, and
// each misuse below is an error (@ts-expect-error fails the check if it is not).
import {
  Barrier,
  BoundedSemaphore,
  Condition,
  Event,
  LifoQueue,
  Lock,
  PriorityQueue,
  Queue,
  QueueEmpty,
  Semaphore,
  Task,
  TaskGroup,
  asCompleted,
  gather,
  shield,
  sleep,
  spawn,
  timeout,
  trace,
  wait,
  yieldNow,
  loopTime,
} from 'wasio';
import { runSimulated } from 'wasio/testing';
import { init } from 'wasio/slim';

export async function usage(): Promise<void> {
  const t: Task<number> = spawn(
    async (signal: AbortSignal) => {
      await sleep(10, { signal });
      return 1;
    },
    { name: 'one' },
  );
  const n: number = await t;
  const ok: boolean = t.cancel('why');
  const id: number = t.id;
  const [a, b] = await gather(t, Promise.resolve('s'));
  const sum: number = a + n + id;
  const s: string = b;
  const v: string = await timeout(100, async (signal) => (await sleep(1, { signal }), 'x'));
  const [done, pending] = await wait([t], { returnWhen: 'FIRST_COMPLETED', timeout: 5 });
  for await (const x of asCompleted([t])) await x;
  const sh: Task<number> = shield(t);

  {
    await using tg = new TaskGroup();
    tg.spawn(async (signal) => sleep(1, { signal }));
  }
  const tg2 = new TaskGroup({ signal: AbortSignal.timeout(1000) });
  await tg2.join();

  const q = new Queue<string>(10);
  await q.put('a', { signal: AbortSignal.timeout(10) });
  const item: string = await q.get();
  q.putNowait('b');
  for await (const it of q) it.toUpperCase();
  const pq = new PriorityQueue<[number, string]>();
  pq.putNowait([1, 'x']);
  const lq = new LifoQueue<number>({ maxsize: 2 });
  lq.putNowait(1);

  const lock = new Lock();
  {
    using held = await lock.acquire({ signal: AbortSignal.timeout(10) });
  }
  const ev = new Event();
  const set: true = await ev.wait();
  const sem = new Semaphore(2);
  (await sem.acquire()).release();
  new BoundedSemaphore(1).release();
  const idx: number = await new Barrier(1).wait();
  const cond = new Condition(lock);
  await cond.waitFor(() => true);
  await yieldNow();
  const off = trace.subscribe((e) => {
    if (e.kind === 'spawn') console.log(e.name, e.task, e.time);
  });
  off();
  const r: string = await runSimulated(async () => 'sim');
  await init(new URL('https://example.invalid/wasio_bg.wasm'));
  const now: number = loopTime();
  if (new QueueEmpty('x') instanceof Error) void 0;
  void [ok, sum, s, v, done, pending, sh, item, set, idx, r, now];

  // Misuse: each line must be a type error.
  // @ts-expect-error ms must be a number
  await sleep('10');
  // @ts-expect-error signal must be an AbortSignal
  await sleep(1, { signal: 'no' });
  // @ts-expect-error fn must be a function
  spawn(42);
  // @ts-expect-error a Queue<string> takes strings
  q.putNowait(1);
  // @ts-expect-error returnWhen is one of three strings
  await wait([t], { returnWhen: 'SOMETIMES' });
  // @ts-expect-error a priority queue item is a number or [priority, ...]
  new PriorityQueue<[string, number]>();
  // @ts-expect-error the task's value is a number
  const wrong: string = await t;
  void wrong;
}

export async function streams(): Promise<void> {
  const { openConnection, startServer, readerFrom, IncompleteReadError } = await import('wasio');
  const server = await startServer(async (reader, writer) => {
    for await (const line of reader) writer.write(line);
  }, 'mem://types');
  const { reader, writer } = await openConnection('mem://types', { signal: AbortSignal.timeout(100) });
  writer.write('x\n');
  await writer.drain();
  const line: Uint8Array = await reader.readline();
  const rs: ReadableStream<Uint8Array> = reader.readable;
  const ws: WritableStream<Uint8Array> = writer.writable;
  try {
    await reader.readexactly(4);
  } catch (e) {
    if (e instanceof IncompleteReadError) e.partial.byteLength;
  }
  readerFrom(new Response('a'));
  server.close();
  // @ts-expect-error write takes bytes or a string
  writer.write(42);
  void [line, rs, ws];
}
