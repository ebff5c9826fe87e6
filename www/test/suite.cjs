'use strict';
// The package's test suite, one file for every host: Node ESM (node-esm.test.mjs), Node CJS
// (node-cjs.test.cjs) and headless Chromium (browser.mjs bundles it with a small runner).
// `w` is the package, `runSimulated` comes from wasio/testing, `test(name, fn)` registers a test
// and `assert` is node:assert/strict or the browser runner's equivalent.
// Time-based tests run on the simulated clock (runSimulated), never on the wall clock.

module.exports = function suite({ w, runSimulated, test, assert, gc, memory, peer }) {
  const { spawn, sleep, yieldNow, timeout, gather, wait, asCompleted, shield, TaskGroup } = w;
  const { Queue, LifoQueue, PriorityQueue, Lock, Event, Semaphore, BoundedSemaphore, Barrier, Condition } = w;

  const text = (bytes) => new TextDecoder().decode(bytes);
  const isAbort = (e) => e instanceof DOMException && e.name === 'AbortError';
  const rejectsWith = async (p, check) => {
    let caught = null;
    try {
      await p;
    } catch (e) {
      caught = { e };
    }
    assert.ok(caught !== null, 'expected a rejection');
    check(caught.e);
    return caught.e;
  };

  // ---- tasks ----

  test('spawn runs fn at the next turn with a signal, and the task resolves with its value', async () => {
    let ran = false;
    let seen;
    const t = spawn(
      (signal) => {
        ran = true;
        seen = signal;
        return 7;
      },
      { name: 'seven' },
    );
    assert.equal(ran, false);
    assert.equal(t.name, 'seven');
    assert.equal(typeof t.id, 'number');
    assert.equal(t.done, false);
    assert.equal(await t, 7);
    assert.ok(ran);
    assert.equal(seen, t.signal);
    assert.equal(t.done, true);
    assert.equal(t.cancelled, false);
  });

  // A Task is a native promise (await and Promise.all take the engine's promise path), settled
  // when the task ends; one that fails or is cancelled with nobody awaiting it stays quiet.
  test('a Task is a native promise; an unawaited failed or cancelled task raises no unhandled rejection', async () => {
    const unhandled = [];
    const record = (e) => unhandled.push(e.reason === undefined ? e : e.reason);
    const stop =
      typeof process !== 'undefined' && typeof process.on === 'function'
        ? (process.on('unhandledRejection', record), () => process.off('unhandledRejection', record))
        : (globalThis.addEventListener('unhandledrejection', record),
          () => globalThis.removeEventListener('unhandledrejection', record));
    try {
      const t = spawn(async () => 5);
      assert.ok(t instanceof Promise);
      assert.equal(Promise.resolve(t), t, 'no wrapper promise while nobody traces');
      assert.equal(await t, 5);
      const failed = spawn(async () => {
        throw new Error('nobody awaits me');
      });
      const cancelled = spawn(() => sleep(1e9));
      cancelled.cancel();
      const observed = spawn(async () => {
        throw new Error('observed later');
      });
      await yieldNow();
      await yieldNow();
      await new Promise((resolve) => setTimeout(resolve, 0));
      assert.ok(failed.done && cancelled.done && observed.done);
      assert.ok(cancelled.cancelled);
      await rejectsWith(observed, (e) => assert.equal(e.message, 'observed later'));
      // Awaited after it failed, or chained, it still rejects for that code.
      await rejectsWith(failed, (e) => assert.equal(e.message, 'nobody awaits me'));
      await rejectsWith(
        failed.then((v) => v),
        (e) => assert.equal(e.message, 'nobody awaits me'),
      );
      await new Promise((resolve) => setTimeout(resolve, 0));
      assert.deepEqual(unhandled, []);
      // While tracing, the engine reads the Task's `then` (the attribution needs it).
      const unsubscribe = w.trace.subscribe(() => {});
      const traced = spawn(() => 1);
      assert.ok(Promise.resolve(traced) !== traced);
      assert.equal(await traced, 1);
      unsubscribe();
    } finally {
      stop();
    }
  });

  test('a task whose fn throws rejects with that error and is not cancelled', async () => {
    const boom = new Error('boom');
    const t = spawn(async () => {
      await yieldNow();
      throw boom;
    });
    await rejectsWith(t, (e) => assert.equal(e, boom));
    assert.equal(t.cancelled, false);
    assert.equal(t.done, true);
  });

  test('cancel before the first turn: fn never runs, the task rejects with AbortError', async () => {
    let ran = false;
    const t = spawn(() => {
      ran = true;
    });
    assert.equal(t.cancel(), true);
    await rejectsWith(t, (e) => assert.ok(isAbort(e)));
    assert.equal(ran, false);
    assert.equal(t.cancelled, true);
    assert.equal(t.cancel(), false);
  });

  test('cancel aborts the signal and rejects the wait the task is in', () =>
    runSimulated(async () => {
      const log = [];
      const t = spawn(async (signal) => {
        try {
          await sleep(1000, { signal });
          log.push('slept');
        } catch (e) {
          log.push(e.name);
          throw e;
        } finally {
          log.push('finally');
        }
      });
      await sleep(10);
      assert.ok(t.cancel('stop'));
      assert.equal(t.signal.aborted, true);
      assert.equal(t.signal.reason, 'stop');
      await rejectsWith(t, (e) => assert.equal(e, 'stop'));
      assert.deepEqual(log, [undefined, 'finally']);
    }));

  test('spawn with a pre-aborted options.signal is cancelled without running', async () => {
    let ran = false;
    const t = spawn(() => (ran = true), { signal: AbortSignal.abort() });
    await rejectsWith(t, (e) => assert.ok(isAbort(e)));
    assert.equal(ran, false);
    assert.ok(t.cancelled);
  });

  test('options.signal aborting later cancels the task', () =>
    runSimulated(async () => {
      const ac = new AbortController();
      const t = spawn((signal) => sleep(100, { signal }), { signal: ac.signal });
      await sleep(1);
      ac.abort(new Error('parent'));
      await rejectsWith(t, (e) => assert.equal(e.message, 'parent'));
    }));

  test('Symbol.asyncDispose cancels the task and waits for it to end', () =>
    runSimulated(async () => {
      let cleaned = false;
      const t = spawn(async (signal) => {
        try {
          await sleep(1e6, { signal });
        } finally {
          cleaned = true;
        }
      });
      await yieldNow();
      await t[Symbol.asyncDispose || Symbol.for('Symbol.asyncDispose')]();
      assert.ok(cleaned);
      assert.ok(t.cancelled);
    }));

  // ---- time ----

  test('runSimulated: an hour of sleep passes at once in loop time', async () => {
    const t0 = Date.now();
    const [before, after] = await runSimulated(async () => {
      const b = w.loopTime();
      await sleep(3_600_000);
      return [b, w.loopTime()];
    });
    assert.equal(after - before, 3_600_000);
    assert.ok(Date.now() - t0 < 2000);
  });

  test('sleeps wake in deadline order, same order every run', async () => {
    const run = () =>
      runSimulated(async () => {
        const log = [];
        await gather(
          ...[30, 10, 20, 10].map((ms, i) =>
            spawn(async (signal) => {
              await sleep(ms, { signal });
              log.push(`${i}@${ms}`);
            }),
          ),
        );
        return log;
      });
    const a = await run();
    assert.deepEqual(a, ['1@10', '3@10', '2@20', '0@30']);
    assert.deepEqual(await run(), a);
  });

  test('sleep with a pre-aborted signal rejects at once; aborting later rejects with the reason', () =>
    runSimulated(async () => {
      await rejectsWith(sleep(10, { signal: AbortSignal.abort() }), (e) => assert.ok(isAbort(e)));
      const ac = new AbortController();
      const p = sleep(1e6, { signal: ac.signal });
      ac.abort(new Error('why'));
      await rejectsWith(p, (e) => assert.equal(e.message, 'why'));
    }));

  test('timeout rejects with TimeoutError and cancels the task it wraps', () =>
    runSimulated(async () => {
      let inner;
      const t = spawn(async (signal) => {
        inner = signal;
        await sleep(1000, { signal });
      });
      await rejectsWith(timeout(50, t), (e) => {
        assert.ok(e instanceof DOMException);
        assert.equal(e.name, 'TimeoutError');
      });
      assert.ok(inner.aborted);
      assert.equal(inner.reason.name, 'TimeoutError');
      assert.ok(t.cancelled);
      assert.equal(w.loopTime() >= 50, true);
    }));

  test('timeout passes a result through in time, and accepts a function or a promise', () =>
    runSimulated(async () => {
      assert.equal(await timeout(100, async (signal) => (await sleep(10, { signal }), 'fn')), 'fn');
      assert.equal(await timeout(100, Promise.resolve('p')), 'p');
      await rejectsWith(timeout(5, sleep(10)), (e) => assert.equal(e.name, 'TimeoutError'));
    }));

  test('yieldNow given the task signal also yields to the other tasks', async () => {
    const log = [];
    const task = (name) =>
      spawn(async (signal) => {
        for (let i = 1; i <= 3; i++) {
          log.push(`${name}${i}`);
          await yieldNow({ signal });
        }
      });
    await gather(task('a'), task('b'));
    assert.deepEqual(log, ['a1', 'b1', 'a2', 'b2', 'a3', 'b3']);
  });

  test('yieldNow lets every other ready task run once', async () => {
    const log = [];
    const a = spawn(async () => {
      log.push('a1');
      await yieldNow();
      log.push('a2');
    });
    const b = spawn(async () => {
      log.push('b1');
      await yieldNow();
      log.push('b2');
    });
    await gather(a, b);
    assert.deepEqual(log, ['a1', 'b1', 'a2', 'b2']);
  });

  // ---- combinators ----

  test('gather keeps order; returnExceptions returns errors in place', () =>
    runSimulated(async () => {
      const boom = new Error('boom');
      const r = await gather(
        spawn(async (s) => (await sleep(20, { signal: s }), 'a')),
        spawn(async (s) => (await sleep(10, { signal: s }), 'b')),
        Promise.resolve('c'),
      );
      assert.deepEqual(r, ['a', 'b', 'c']);
      const r2 = await gather(
        Promise.reject(boom),
        sleep(5).then(() => 1),
        { returnExceptions: true },
      );
      assert.deepEqual(r2, [boom, 1]);
      await rejectsWith(gather(Promise.reject(boom), sleep(5)), (e) => assert.equal(e, boom));
    }));

  test('wait: FIRST_COMPLETED, FIRST_EXCEPTION, timeout', () =>
    runSimulated(async () => {
      const a = spawn((s) => sleep(10, { signal: s }));
      const b = spawn((s) => sleep(30, { signal: s }));
      let [done, pending] = await wait([a, b], { returnWhen: 'FIRST_COMPLETED' });
      assert.ok(done.has(a) && pending.has(b));
      [done, pending] = await wait([b], { timeout: 5 });
      assert.equal(done.size, 0);
      assert.ok(pending.has(b));
      const c = spawn(async () => {
        throw new Error('x');
      });
      const d = spawn((s) => sleep(1000, { signal: s }));
      [done, pending] = await wait([c, d], { returnWhen: 'FIRST_EXCEPTION' });
      assert.ok(done.has(c) && pending.has(d));
      d.cancel();
      assert.throws(() => wait([]), TypeError);
      assert.throws(() => wait([a], { returnWhen: 'SOMETIMES' }), RangeError);
    }));

  test('asCompleted yields in completion order', () =>
    runSimulated(async () => {
      const ts = [30, 10, 20].map((ms) => spawn(async (s) => (await sleep(ms, { signal: s }), ms)));
      const got = [];
      for await (const t of asCompleted(ts)) got.push(await t);
      assert.deepEqual(got, [10, 20, 30]);
    }));

  test('shield: cancelling the shield leaves the inner task running', () =>
    runSimulated(async () => {
      const inner = spawn(async (s) => (await sleep(20, { signal: s }), 'inner'));
      const outer = shield(inner);
      await sleep(1);
      outer.cancel();
      await rejectsWith(outer, (e) => assert.ok(isAbort(e)));
      assert.equal(await inner, 'inner');
    }));

  // ---- TaskGroup ----

  test('TaskGroup: join waits for every task', () =>
    runSimulated(async () => {
      const tg = new TaskGroup();
      const log = [];
      tg.spawn(async (s) => (await sleep(20, { signal: s }), log.push('b')));
      tg.spawn(async (s) => (await sleep(10, { signal: s }), log.push('a')));
      await tg.join();
      assert.deepEqual(log, ['a', 'b']);
    }));

  test('TaskGroup: the first failure cancels the siblings and join rejects with it', () =>
    runSimulated(async () => {
      const tg = new TaskGroup();
      const boom = new Error('boom');
      let siblingReason;
      const sib = tg.spawn(async (signal) => {
        try {
          await sleep(1000, { signal });
        } catch (e) {
          siblingReason = e;
          throw e;
        }
      });
      tg.spawn(async (signal) => {
        await sleep(10, { signal });
        throw boom;
      });
      await rejectsWith(tg.join(), (e) => assert.equal(e, boom));
      assert.ok(isAbort(siblingReason));
      assert.ok(sib.cancelled);
      assert.ok(w.loopTime() < 1000);
    }));

  test('TaskGroup: several failures reject with an AggregateError', () =>
    runSimulated(async () => {
      const tg = new TaskGroup();
      tg.spawn(async () => {
        throw new Error('one');
      });
      tg.spawn(() => {
        throw new Error('two');
      });
      await rejectsWith(tg.join(), (e) => {
        assert.ok(e instanceof AggregateError);
        assert.deepEqual(e.errors.map((x) => x.message).sort(), ['one', 'two']);
      });
    }));

  test('TaskGroup: asyncDispose joins', () =>
    runSimulated(async () => {
      const tg = new TaskGroup();
      let done = false;
      tg.spawn(async (s) => {
        await sleep(5, { signal: s });
        done = true;
      });
      await tg[Symbol.asyncDispose || Symbol.for('Symbol.asyncDispose')]();
      assert.ok(done);
    }));

  // ---- queues ----

  test('Queue: FIFO, putNowait/getNowait throw QueueFull/QueueEmpty, size', async () => {
    const q = new Queue(2);
    q.putNowait('a');
    await q.put('b');
    assert.equal(q.size, 2);
    assert.ok(q.full());
    assert.throws(
      () => q.putNowait('c'),
      (e) => e instanceof w.QueueFull && e.name === 'QueueFull',
    );
    assert.equal(await q.get(), 'a');
    assert.equal(q.getNowait(), 'b');
    assert.throws(
      () => q.getNowait(),
      (e) => e instanceof w.QueueEmpty && e.name === 'QueueEmpty',
    );
    assert.ok(q.empty());
  });

  test('Queue: an aborted get leaves the line and consumes no item', () =>
    runSimulated(async () => {
      const q = new Queue();
      const ac = new AbortController();
      const first = q.get({ signal: ac.signal });
      const second = q.get();
      ac.abort();
      await rejectsWith(first, (e) => assert.ok(isAbort(e)));
      q.putNowait('x');
      assert.equal(await second, 'x');
      assert.equal(q.size, 0);
    }));

  test('Queue: an aborted put inserts nothing; a pre-aborted put/get rejects at once', () =>
    runSimulated(async () => {
      const q = new Queue(1);
      q.putNowait(1);
      const ac = new AbortController();
      const p = q.put(2, { signal: ac.signal });
      await sleep(1);
      ac.abort();
      await rejectsWith(p, (e) => assert.ok(isAbort(e)));
      assert.equal(q.getNowait(), 1);
      assert.throws(() => q.getNowait(), w.QueueEmpty);
      await rejectsWith(q.put(3, { signal: AbortSignal.abort() }), (e) => assert.ok(isAbort(e)));
      await rejectsWith(q.get({ signal: AbortSignal.abort() }), (e) => assert.ok(isAbort(e)));
      assert.equal(q.size, 0);
    }));

  test('Queue: a task cancelled while in get consumes nothing', () =>
    runSimulated(async () => {
      const q = new Queue();
      const t = spawn((signal) => q.get({ signal }));
      const t2 = spawn((signal) => q.get({ signal }));
      await sleep(1);
      t.cancel();
      await rejectsWith(t, (e) => assert.ok(isAbort(e)));
      q.putNowait('only');
      assert.equal(await t2, 'only');
    }));

  test('Queue: taskDone/join, shutdown, for await', () =>
    runSimulated(async () => {
      const q = new Queue();
      for (const i of [1, 2, 3]) q.putNowait(i);
      const got = [];
      const consumer = spawn(async () => {
        for await (const item of q) {
          got.push(item);
          q.taskDone();
        }
      });
      await q.join();
      assert.deepEqual(got, [1, 2, 3]);
      q.shutdown();
      await consumer;
      assert.throws(() => q.putNowait(4), w.QueueShutDown);
      await rejectsWith(q.get(), (e) => assert.ok(e instanceof w.QueueShutDown));
      assert.throws(() => q.taskDone(), w.TaskDoneError);
    }));

  test('LifoQueue and PriorityQueue order', async () => {
    const l = new LifoQueue();
    [1, 2, 3].forEach((i) => l.putNowait(i));
    assert.deepEqual([l.getNowait(), l.getNowait(), l.getNowait()], [3, 2, 1]);
    const p = new PriorityQueue();
    p.putNowait([5, 'e']);
    p.putNowait([1, 'a']);
    p.putNowait([3, 'c']);
    p.putNowait([1, 'a2']);
    assert.deepEqual(
      [p.getNowait(), p.getNowait(), p.getNowait(), p.getNowait()],
      [
        [1, 'a'],
        [1, 'a2'],
        [3, 'c'],
        [5, 'e'],
      ],
    );
    assert.throws(() => p.putNowait('x'), TypeError);
  });

  // ---- sync ----

  test('Lock: FIFO hand-off; an aborted acquire leaves the line and keeps no lock', () =>
    runSimulated(async () => {
      const lock = new Lock();
      const held = await lock.acquire();
      const log = [];
      const ac = new AbortController();
      const a = lock.acquire({ signal: ac.signal });
      const b = lock.acquire().then((h) => (log.push('b'), h));
      const c = lock.acquire().then((h) => (log.push('c'), h));
      ac.abort();
      await rejectsWith(a, (e) => assert.ok(isAbort(e)));
      held.release();
      (await b).release();
      (await c).release();
      assert.deepEqual(log, ['b', 'c']);
      assert.equal(lock.locked(), false);
      assert.throws(
        () => lock.release(),
        (e) => e instanceof w.ReleaseError,
      );
      await rejectsWith(lock.acquire({ signal: AbortSignal.abort() }), (e) => assert.ok(isAbort(e)));
      assert.equal(lock.locked(), false);
    }));

  test('waits started in a row (in a task, or at top level) join the line in that order', () =>
    runSimulated(async () => {
      const q = new Queue();
      const inTask = spawn((signal) => gather(q.get({ signal }), q.get({ signal }), q.get({ signal })));
      await sleep(1);
      const top = [q.get(), q.get()];
      for (const i of [1, 2, 3, 4, 5]) q.putNowait(i);
      assert.deepEqual(await inTask, [1, 2, 3]);
      assert.deepEqual(await Promise.all(top), [4, 5]);
    }));

  // The crate hands a permit, the lock, an item or the event to the oldest waiter inside the
  // JS call that frees it, and the waiter's promise settles right there: its callback runs
  // before a microtask queued just after that call (a loop turn later, it would run after it).
  // A wait joins the line inside the call that starts it: a newcomer right after finds it there.
  test('a hand-off settles the waiter in the releasing call, not a loop turn later; a wait joins the line at once', () =>
    runSimulated(async () => {
      const order = async (what, setup, handOff) => {
        const log = [];
        const p = setup();
        await sleep(1);
        p.then(() => log.push(what));
        handOff();
        queueMicrotask(() => log.push('after'));
        await p;
        await sleep(1);
        assert.deepEqual(log, [what, 'after']);
      };
      const sem = new Semaphore(1);
      await sem.acquire();
      await order(
        'semaphore',
        () => sem.acquire(),
        () => sem.release(),
      );
      const lock = new Lock();
      await lock.acquire();
      await order(
        'lock',
        () => lock.acquire(),
        () => lock.release(),
      );
      const q = new Queue();
      await order(
        'queue',
        () => q.get(),
        () => q.putNowait(1),
      );
      const ev = new Event();
      await order(
        'event',
        () => ev.wait(),
        () => ev.set(),
      );
      // Joined at once: a tryAcquire right after a pending acquire() finds it in line.
      const s2 = new Semaphore(1);
      const held = await s2.acquire();
      const next = s2.acquire();
      held.release();
      assert.equal(s2.tryAcquire(), false, 'the permit went to the waiter in line');
      (await next).release();
      assert.equal(s2.value, 1);
      // A wait whose outcome is known at once (a queued item, via put() of a full queue's
      // getter) still settles through its promise, in order.
      const q2 = new Queue(1);
      q2.putNowait('a');
      const put = q2.put('b');
      assert.equal(q2.getNowait(), 'a');
      await put;
      assert.equal(q2.getNowait(), 'b');
    }));

  test('Lock: a task cancelled while queued for the lock does not get it', () =>
    runSimulated(async () => {
      const lock = new Lock();
      await lock.acquire();
      const t = spawn(async (signal) => {
        await lock.acquire({ signal });
        return 'got it';
      });
      await sleep(1);
      t.cancel();
      await rejectsWith(t, (e) => assert.ok(isAbort(e)));
      lock.release();
      assert.equal(lock.locked(), false);
      assert.ok(lock.tryAcquire());
      lock.release();
    }));

  test('Event: wait, set, clear; aborted wait rejects', () =>
    runSimulated(async () => {
      const ev = new Event();
      const ac = new AbortController();
      const aborted = ev.wait({ signal: ac.signal });
      const waiter = ev.wait();
      ac.abort();
      await rejectsWith(aborted, (e) => assert.ok(isAbort(e)));
      ev.set();
      assert.equal(await waiter, true);
      assert.ok(ev.isSet());
      ev.clear();
      assert.ok(!ev.isSet());
    }));

  test('Semaphore: an aborted acquire keeps no permit; BoundedSemaphore over-release throws', () =>
    runSimulated(async () => {
      const s = new Semaphore(1);
      await s.acquire();
      const ac = new AbortController();
      const a = s.acquire({ signal: ac.signal });
      const b = s.acquire();
      ac.abort();
      await rejectsWith(a, (e) => assert.ok(isAbort(e)));
      s.release();
      await b;
      assert.equal(s.value, 0);
      s.release();
      assert.equal(s.value, 1);
      const bs = new BoundedSemaphore(1);
      assert.throws(
        () => bs.release(),
        (e) => e instanceof w.ReleaseError,
      );
      await bs.acquire();
      bs.release();
      assert.equal(bs.value, 1);
    }));

  // The Semaphore's count and its line of waiters (line.js) are kept in JS: the crate's counting
  // (no permit made or lost, the bound) and the bindings' semantics for a wait's owner must hold.
  test("Semaphore's count: tryAcquire, value and locked; a bounded release past its value changes nothing; a handle releases once", () =>
    runSimulated(async () => {
      const s = new Semaphore(2);
      assert.equal(s.tryAcquire(), true);
      const h = await s.acquire();
      assert.equal(s.value, 0);
      assert.ok(s.locked());
      assert.equal(s.tryAcquire(), false);
      h.release();
      h.release(); // a handle releases its permit once
      assert.equal(s.value, 1);
      assert.equal(s.locked(), false);
      s.release(); // the tryAcquire's permit
      s.release(); // an unbounded semaphore may go past its initial value
      assert.equal(s.value, 3);
      const big = new Semaphore(0xffffffff);
      assert.equal(big.value, 0xffffffff);
      (await big.acquire()).release();
      assert.equal(big.value, 0xffffffff);
      const bs = new BoundedSemaphore(2);
      const a = await bs.acquire();
      assert.equal(bs.tryAcquire(), true);
      a.release();
      bs.release();
      assert.equal(bs.value, 2);
      assert.throws(
        () => bs.release(),
        (e) => e instanceof w.ReleaseError,
      );
      a.release(); // already released: no error, no permit
      assert.equal(bs.value, 2, 'a failed release changes nothing');
      assert.equal(bs.locked(), false);
      class Subclassed extends BoundedSemaphore {}
      assert.throws(
        () => new Subclassed(1).release(),
        (e) => e instanceof w.ReleaseError,
        "a BoundedSemaphore's subclass is bounded too",
      );
      const zero = new Semaphore(0);
      assert.ok(zero.locked());
      const waiting = zero.acquire();
      zero.release(); // to the waiter, not the count
      (await waiting).release();
      assert.equal(zero.value, 1);
    }));

  test("Semaphore's line: FIFO past aborted waiters; an owning task's cancellation rejects, a finished task's wait stays", () =>
    runSimulated(async () => {
      const s = new Semaphore(1);
      const held = await s.acquire();
      const order = [];
      const got = (name) => (h) => (order.push(name), h);
      const ac = new AbortController();
      const aborted = Array.from({ length: 100 }, () => s.acquire({ signal: ac.signal }));
      const top = s.acquire().then(got('top'));
      // Owned through the task's signal; owned (no signal) as started in the function's
      // synchronous part; started by a function that returns without awaiting it.
      const bySignal = spawn((signal) => s.acquire({ signal }).then(got('bySignal')));
      const bySync = spawn(() => s.acquire().then(got('bySync')));
      let orphaned;
      const finished = spawn(() => {
        orphaned = s.acquire().then(got('orphaned'));
      });
      const last = s.acquire().then(got('last'));
      await sleep(1);
      await finished;
      assert.ok(s.locked());
      assert.equal(s.value, 0);
      assert.equal(s.tryAcquire(), false, 'no barging past the line');
      ac.abort('gone');
      bySignal.cancel('cancelled');
      bySync.cancel();
      for (const p of aborted) await rejectsWith(p, (e) => assert.equal(e, 'gone'));
      await rejectsWith(bySignal, (e) => assert.equal(e, 'cancelled'));
      await rejectsWith(bySync, (e) => assert.ok(isAbort(e)));
      assert.ok(bySync.cancelled);
      held.release(); // to `top`, past the hundred aborted waiters
      (await top).release(); // to `last` (the line: top, last, then the tasks' waits at the next turn)
      (await last).release();
      (await orphaned).release();
      assert.deepEqual(order, ['top', 'last', 'orphaned']);
      assert.equal(s.value, 1, 'no permit lost, none made');
      assert.equal(s.locked(), false);
      // A BoundedSemaphore(0) has no permit to hand to its waiter: release() still throws.
      const none = new BoundedSemaphore(0);
      const ac2 = new AbortController();
      const waiting = none.acquire({ signal: ac2.signal });
      assert.throws(
        () => none.release(),
        (e) => e instanceof w.ReleaseError,
      );
      ac2.abort();
      await rejectsWith(waiting, (e) => assert.ok(isAbort(e)));
    }));

  test("Semaphore's line: traced as semaphore waits, and the code after an acquire runs as its task", () =>
    runSimulated(async () => {
      const s = new Semaphore(1);
      const held = await s.acquire();
      const events = [];
      const unsubscribe = w.trace.subscribe((e) => events.push(e));
      let child;
      const t = spawn(
        async (signal) => {
          await sleep(1, { signal });
          const h = await s.acquire({ signal });
          child = spawn(() => {}, { name: 'child' });
          h.release();
        },
        { name: 'acquirer' },
      );
      const ac = new AbortController();
      const aborted = s.acquire({ signal: ac.signal });
      await sleep(2);
      ac.abort();
      await rejectsWith(aborted, (e) => assert.ok(isAbort(e)));
      held.release();
      await t;
      await child;
      unsubscribe();
      const waits = events.filter(
        (e) => (e.kind === 'wait' || e.kind === 'wait-end') && e.what === 'semaphore',
      );
      assert.deepEqual(
        waits.map((e) => [e.kind, e.task, e.outcome]),
        [
          ['wait', undefined, undefined],
          ['wait', t.id, undefined],
          ['wait-end', undefined, 'aborted'],
          ['wait-end', t.id, 'ok'],
        ],
      );
      assert.equal(waits[0].wait, waits[2].wait, 'a wait-end pairs with its wait');
      assert.equal(waits[1].wait, waits[3].wait);
      assert.ok(waits[0].wait !== waits[1].wait, 'two waits, two ids');
      const spawned = events.find((e) => e.kind === 'spawn' && e.name === 'child');
      assert.equal(spawned.by, t.id, 'the code after the acquire runs as the acquiring task');
    }));

  test('Barrier: trips when every party arrives; abort breaks waiters', () =>
    runSimulated(async () => {
      const b = new Barrier(2);
      const r = await gather(b.wait(), b.wait());
      assert.deepEqual(r.sort(), [0, 1]);
      const waiting = b.wait();
      await yieldNow();
      b.abort();
      await rejectsWith(waiting, (e) => assert.ok(e instanceof w.BrokenBarrierError));
    }));

  test('Condition: notify wakes FIFO; an aborted waiter passes a wake-up on', () =>
    runSimulated(async () => {
      const cond = new Condition();
      const log = [];
      const ac = new AbortController();
      const waiter = (name, signal) =>
        spawn(async () => {
          await cond.acquire();
          try {
            await cond.wait({ signal });
            log.push(name);
          } finally {
            cond.release();
          }
        });
      const a = waiter('a', ac.signal);
      const b = waiter('b');
      await sleep(1);
      await cond.acquire();
      cond.notify(1); // goes to a...
      ac.abort(); // ...which is aborted before it runs: b gets it
      cond.release();
      await rejectsWith(a, (e) => assert.ok(isAbort(e)));
      await b;
      assert.deepEqual(log, ['b']);
    }));

  test("Condition: the crate's LockCondition: FIFO, ReleaseError, lost wake-up, lock retaken on abort, traced as condition", () =>
    runSimulated(async () => {
      const lock = new Lock();
      const cond = new Condition(lock);
      await rejectsWith(cond.wait(), (e) => assert.ok(e instanceof w.ReleaseError));
      assert.equal(lock.locked(), false);
      const log = [];
      const waiter = (name) =>
        spawn(
          async (signal) => {
            await cond.acquire();
            try {
              await cond.wait({ signal });
              log.push(`${name} woke`);
            } catch (e) {
              log.push(`${name} aborted, locked ${cond.locked()}`);
              throw e;
            } finally {
              cond.release();
            }
          },
          { name },
        );
      const events = [];
      const unsubscribe = w.trace.subscribe((e) => events.push(e));
      const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(waiter);
      await sleep(1);
      assert.equal(lock.locked(), false, 'waiting releases the lock');
      assert.equal(cond.notify(2), 2);
      await sleep(1);
      assert.deepEqual(log.splice(0), ['a woke', 'b woke']);
      await Promise.all([a, b]);
      // The lost wake-up: c is notified, then aborted while it queues for the lock we hold.
      await cond.acquire();
      assert.equal(cond.notify(1), 1);
      await sleep(1);
      c.cancel();
      await sleep(1);
      cond.release(); // c re-acquires it (asyncio does), releases it; d got c's notification
      await rejectsWith(c, (e) => assert.ok(isAbort(e)));
      await d;
      unsubscribe();
      assert.deepEqual(log.sort(), ['c aborted, locked true', 'd woke']); // c retakes the lock after d
      assert.equal(lock.locked(), false);
      // The JS layer's wait events name it (the four waits, c's included), and the tasks'
      // pending polls say what they wait on: the crate's condition.
      const whats = events.filter((e) => e.kind === 'wait' && e.what === 'condition');
      assert.equal(whats.length, 4, JSON.stringify(events.filter((e) => e.kind === 'wait')));
      const reasons = events.filter((e) => e.kind === 'poll-end' && e.task === a.id && !e.ready);
      assert.ok(
        reasons.some((e) => e.reason === 'condition'),
        JSON.stringify(reasons.map((e) => e.reason)),
      );
    }));

  // Every wait: a pre-aborted signal rejects at once and changes nothing; a wait aborted while
  // queued rejects with the reason, leaves the line (the next waiter is served) and takes nothing.
  const waits = {
    sleep: () => ({ start: (signal) => sleep(1e6, { signal }), check: async () => {} }),
    yieldNow: () => ({ start: (signal) => yieldNow({ signal }), check: async () => {}, preOnly: true }),
    'Lock.acquire': () => {
      const l = new Lock();
      l.tryAcquire();
      return {
        start: (signal) => l.acquire({ signal }),
        check: async () => {
          const next = l.acquire();
          l.release();
          (await next).release();
          assert.equal(l.locked(), false);
        },
      };
    },
    'Semaphore.acquire': () => {
      const s = new Semaphore(1);
      s.tryAcquire();
      return {
        start: (signal) => s.acquire({ signal }),
        check: async () => {
          const next = s.acquire();
          s.release();
          (await next).release();
          assert.equal(s.value, 1);
        },
      };
    },
    'Event.wait': () => {
      const e = new Event();
      return {
        start: (signal) => e.wait({ signal }),
        check: async () => {
          const next = e.wait();
          e.set();
          assert.equal(await next, true);
        },
      };
    },
    'Barrier.wait': () => {
      const b = new Barrier(2);
      return {
        start: (signal) => b.wait({ signal }),
        check: async () => {
          assert.equal(b.nWaiting, 0);
          const r = await gather(b.wait(), b.wait());
          assert.deepEqual(r.sort(), [0, 1]);
        },
      };
    },
    'Condition.wait': () => {
      const c = new Condition();
      return {
        start: async (signal) => {
          await c.acquire();
          try {
            await c.wait({ signal });
          } finally {
            c.release();
          }
        },
        check: async () => assert.equal(c.locked(), false),
      };
    },
    'Queue.get': () => {
      const q = new Queue();
      return {
        start: (signal) => q.get({ signal }),
        check: async () => {
          const next = q.get();
          q.putNowait('x');
          assert.equal(await next, 'x');
          assert.equal(q.size, 0);
        },
      };
    },
    'Queue.put': () => {
      const q = new Queue(1);
      q.putNowait('first');
      return {
        start: (signal) => q.put('aborted', { signal }),
        check: async () => {
          assert.equal(q.getNowait(), 'first');
          assert.throws(() => q.getNowait(), w.QueueEmpty);
        },
      };
    },
    'Queue.join': () => {
      const q = new Queue();
      q.putNowait(1);
      return {
        start: (signal) => q.join({ signal }),
        check: async () => {
          q.getNowait();
          q.taskDone();
          await q.join();
        },
      };
    },
    'StreamReader.readline': () => {
      let conn;
      return {
        start: async (signal) => {
          conn = conn || (await openQuiet());
          return conn.reader.readline({ signal });
        },
        check: async () => {
          conn.writer.write('kept\n');
          assert.equal(text(await conn.reader.readline()), 'kept\n');
          conn.writer.close();
          assert.equal(text(await conn.reader.read()), '', 'the server saw the end and closed too');
        },
      };
    },
  };
  let quietServer = null;
  const openQuiet = async () => {
    if (quietServer === null)
      quietServer = await w.startServer(async (reader, writer) => {
        for await (const line of reader) writer.write(line);
      }, 'mem://suite-abort-matrix');
    return w.openConnection('mem://suite-abort-matrix');
  };

  for (const [name, make] of Object.entries(waits)) {
    test(`abort semantics: ${name}`, () =>
      runSimulated(async () => {
        const pre = make();
        await rejectsWith(pre.start(AbortSignal.abort('pre')), (e) => assert.equal(e, 'pre'));
        await pre.check();
        const m = make();
        if (m.preOnly) return;
        const ac = new AbortController();
        const p = m.start(ac.signal);
        await sleep(1);
        ac.abort('late');
        await rejectsWith(p, (e) => assert.equal(e, 'late'));
        await m.check();
      }));
  }

  // ---- bad input ----

  test('bad input throws TypeError/RangeError naming the parameter', () => {
    assert.throws(
      () => sleep(-1),
      (e) => e instanceof RangeError && /ms/.test(e.message),
    );
    assert.throws(
      () => sleep('10'),
      (e) => e instanceof TypeError && /ms/.test(e.message),
    );
    assert.throws(() => sleep(NaN), TypeError);
    assert.throws(
      () => sleep(1, { signal: 'no' }),
      (e) => e instanceof TypeError && /signal/.test(e.message),
    );
    assert.throws(
      () => spawn(42),
      (e) => e instanceof TypeError && /fn/.test(e.message),
    );
    assert.throws(
      () => new Queue(-1),
      (e) => e instanceof RangeError && /maxsize/.test(e.message),
    );
    assert.throws(
      () => new Queue(1.5),
      (e) => e instanceof TypeError && /maxsize/.test(e.message),
    );
    assert.throws(
      () => new Semaphore(-1),
      (e) => e instanceof RangeError && /value/.test(e.message),
    );
    assert.throws(
      () => new Barrier(0),
      (e) => e instanceof RangeError && /parties/.test(e.message),
    );
    assert.throws(() => timeout(-5, Promise.resolve()), RangeError);
    assert.throws(() => timeout(5, 42), TypeError);
    assert.throws(() => gather(1), TypeError);
  });

  test('huge delays saturate instead of trapping', () =>
    runSimulated(async () => {
      const ac = new AbortController();
      const p = sleep(Number.MAX_VALUE, { signal: ac.signal });
      const q = sleep(Infinity, { signal: ac.signal });
      await yieldNow();
      ac.abort();
      await rejectsWith(p, (e) => assert.ok(isAbort(e)));
      await rejectsWith(q, (e) => assert.ok(isAbort(e)));
    }));

  // ---- trace ----

  test('trace: a wake, spawn or cancel made by JS code after an await names the task that code runs for', () =>
    runSimulated(async () => {
      const events = [];
      const unsubscribe = w.trace.subscribe((e) => events.push(e));
      const ready = new Event();
      const lock = new Lock();
      const q = new Queue();
      const waiter = spawn((signal) => ready.wait({ signal }), { name: 'waiter' });
      const getter = spawn((signal) => q.get({ signal }), { name: 'getter' });
      const victim = spawn((signal) => sleep(1000, { signal }), { name: 'victim' });
      let child;
      const actor = spawn(
        async (signal) => {
          await sleep(10, { signal }); // a pending wait: its continuation runs as this task
          ready.set();
          q.putNowait(1);
          // A free lock (no wait): its continuation runs as this task too.
          const held = await lock.acquire({ signal });
          held.release();
          child = spawn(() => {}, { name: 'child' });
          victim.cancel();
        },
        { name: 'actor' },
      );
      await actor;
      // Code resumed by a Task's end runs as the task that awaited it: here runSimulated's own.
      const late = spawn(() => {}, { name: 'late' });
      // So does code resumed by a promise the package settles (gather, timeout, a group's join).
      await gather(sleep(1));
      const gathered = spawn(() => {}, { name: 'gathered' });
      await timeout(100, sleep(1));
      const timed = spawn(() => {}, { name: 'timed' });
      // Code resumed by a promise of its own (not the package's) names nobody: no guess.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const later = spawn(() => {}, { name: 'later' });
      await Promise.all([waiter, getter, child, late, gathered, timed, later, victim.then(null, () => {})]);
      unsubscribe();
      const by = (kind, task) => events.filter((e) => e.kind === kind && e.task === task).map((e) => e.by);
      // Outside any poll, the loop knows no waker: before this, these had no `by`.
      assert.ok(by('wake', waiter.id).includes(actor.id), 'event.set() after an await wakes as the actor');
      assert.ok(by('wake', getter.id).includes(actor.id), 'a put after an await wakes as the actor');
      assert.deepEqual(by('spawn', child.id), [actor.id], 'a spawn after an await');
      assert.deepEqual(by('cancel-requested', victim.id), [actor.id], 'a cancel after an await');
      const top = events.find((e) => e.kind === 'spawn' && e.name === 'actor').by;
      assert.ok(top !== undefined && top !== actor.id);
      assert.deepEqual(by('spawn', late.id), [top], 'code after awaiting a task runs as the awaiting task');
      assert.deepEqual(by('spawn', gathered.id), [top], 'code after gather()');
      assert.deepEqual(by('spawn', timed.id), [top], 'code after timeout()');
      assert.deepEqual(by('spawn', later.id), [undefined], 'code after a foreign promise names nobody');
    }));

  test("trace: a task's waits appear in its own polls, with no helper task", () =>
    runSimulated(async () => {
      const events = [];
      const unsubscribe = w.trace.subscribe((e) => events.push(e));
      const t = spawn(
        async (signal) => {
          await sleep(10, { signal });
          await sleep(10, { signal });
        },
        { name: 'worker' },
      );
      await t;
      unsubscribe();
      const spawns = events.filter((e) => e.kind === 'spawn');
      assert.deepEqual(
        spawns.map((e) => e.name),
        ['worker'],
      );
      assert.equal(spawns[0].task, t.id);
      // Each timer is armed inside one of the worker's polls.
      let inPoll = null;
      let armedIn = [];
      for (const e of events) {
        if (e.kind === 'poll-begin') inPoll = e.task;
        if (e.kind === 'poll-end') inPoll = null;
        if (e.kind === 'timer-armed') armedIn.push(inPoll);
      }
      assert.deepEqual(armedIn, [t.id, t.id]);
      // The JS layer's own wait events name what the task waits for.
      const waits = events.filter((e) => e.kind === 'wait' || e.kind === 'wait-end');
      assert.deepEqual(
        waits.map((e) => [e.kind, e.what, e.task, e.outcome]),
        [
          ['wait', 'sleep', t.id, undefined],
          ['wait-end', 'sleep', t.id, 'ok'],
          ['wait', 'sleep', t.id, undefined],
          ['wait-end', 'sleep', t.id, 'ok'],
        ],
      );
      assert.equal(waits[1].time - waits[0].time, 10);
      // The crate's own events: each pending poll of the worker says what it waits on: its
      // sleep, or its JS code's promise (the code after an await runs in a microtask).
      const reasons = events.filter((e) => e.kind === 'poll-end' && e.task === t.id && !e.ready);
      assert.deepEqual(
        reasons.map((e) => e.reason),
        ['sleep', 'promise', 'sleep', 'promise'],
      );
      assert.ok(events.every((e) => typeof e.time === 'number'));
      const n = events.length;
      await sleep(1);
      assert.equal(events.length, n, 'unsubscribed');
    }));

  // ---- streams ----

  test('mem:// server and connection: readline, readexactly, readuntil, read to the end', async () => {
    const server = await w.startServer(async (reader, writer) => {
      for await (const line of reader) writer.write(text(line).toUpperCase());
    }, 'mem://suite-echo');
    assert.equal(server.address, 'mem://suite-echo');
    const { reader, writer } = await w.openConnection('mem://suite-echo');
    writer.write('hello\nworld;rest\n');
    await writer.drain();
    assert.equal(text(await reader.readline()), 'HELLO\n');
    assert.equal(text(await reader.readuntil(';')), 'WORLD;');
    assert.equal(text(await reader.readexactly(5)), 'REST\n');
    writer.write('tail');
    writer.writeEof();
    // A write after writeEof() throws a typed error (and so does writeEof() after close()).
    assert.throws(
      () => writer.write('late'),
      (e) => e instanceof w.StreamError && /write_eof/.test(e.message),
    );
    assert.equal(text(await reader.read()), 'TAIL');
    assert.ok(reader.atEof());
    writer.close();
    assert.throws(
      () => writer.writeEof(),
      (e) => e instanceof w.StreamError && /after close/.test(e.message),
    );
    server.close();
    await server.waitClosed();
  });

  test('streams: IncompleteReadError keeps the partial bytes; refused and busy errors are typed', async () => {
    const server = await w.startServer((reader, writer) => {
      writer.write('abc');
    }, 'mem://suite-short');
    const { reader } = await w.openConnection('mem://suite-short');
    const e = await rejectsWith(reader.readexactly(5), (e) => assert.ok(e instanceof w.IncompleteReadError));
    assert.equal(text(e.partial), 'abc');
    assert.equal(e.expected, 5);
    await rejectsWith(w.openConnection('mem://suite-nobody'), (e) =>
      assert.ok(e instanceof w.ConnectionRefusedError),
    );
    await rejectsWith(
      w.startServer(() => {}, 'mem://suite-short'),
      (e) => assert.ok(e instanceof w.AddressInUseError),
    );
    server.close();
    // A server that answers one line only after it got one: the first read is still pending.
    const quiet = await w.startServer(async (reader, writer) => {
      writer.write(await reader.readline());
    }, 'mem://suite-quiet');
    const c = await w.openConnection('mem://suite-quiet');
    const first = c.reader.readline();
    await yieldNow();
    await rejectsWith(c.reader.read(10), (e) => assert.ok(e instanceof w.StreamError));
    c.writer.write('x\n');
    assert.equal(text(await first), 'x\n');
    assert.throws(() => c.writer.write(42), TypeError);
    quiet.close();
  });

  test('streams: an aborted read rejects and loses no data', async () => {
    const server = await w.startServer(async (reader, writer) => {
      await reader.readline();
      writer.write('late\n');
    }, 'mem://suite-abort');
    const { reader, writer } = await w.openConnection('mem://suite-abort');
    const ac = new AbortController();
    const p = reader.readline({ signal: ac.signal });
    ac.abort();
    await rejectsWith(p, (e) => assert.ok(isAbort(e)));
    writer.write('go\n');
    assert.equal(text(await reader.readline()), 'late\n');
    server.close();
  });

  test('streams: WHATWG readable and writable views, and readerFrom(a fetch Response)', async () => {
    const server = await w.startServer(async (reader, writer) => {
      const out = writer.writable.getWriter();
      for await (const chunk of reader.readable) await out.write(chunk);
      await out.close();
    }, 'mem://suite-whatwg');
    const { reader, writer } = await w.openConnection('mem://suite-whatwg');
    writer.write('one two');
    writer.writeEof();
    const chunks = [];
    for await (const c of reader.readable) chunks.push(text(c));
    assert.equal(chunks.join(''), 'one two');
    const r = w.readerFrom(new Response('alpha\nbeta'));
    assert.equal(text(await r.readline()), 'alpha\n');
    assert.equal(text(await r.read()), 'beta');
    assert.throws(() => w.readerFrom(42), TypeError);
    // A stream of chunks that are not bytes: the bytes before them, then a StreamError.
    const mixed = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('ok\n'));
        c.enqueue('not bytes');
        c.close();
      },
    });
    const m = w.readerFrom(mixed);
    assert.equal(text(await m.readline()), 'ok\n');
    await rejectsWith(m.read(), (e) =>
      assert.ok(e instanceof w.StreamError && /not a Uint8Array/.test(e.message)),
    );
    // A reader whose read() rejects: a StreamError.
    const failing = w.readerFrom({ read: () => Promise.reject(new Error('gone')) });
    await rejectsWith(failing.read(), (e) => assert.ok(e instanceof w.StreamError));
    server.close();
  });

  test('ws:// connection to a real WebSocket echo peer', async () => {
    assert.ok(peer, 'the runner must start the WebSocket peer');
    const { reader, writer } = await w.openConnection(String(peer));
    writer.write('ping\n');
    await writer.drain();
    assert.equal(text(await reader.readline()), 'ping\n');
    writer.close();
    await writer.waitClosed();
    await rejectsWith(w.openConnection('ws://127.0.0.1:1/'), (e) =>
      assert.ok(e instanceof w.ConnectionRefusedError),
    );
  });

  test('trace: a task cancelled while waiting records the cancellation on its own lane', () =>
    runSimulated(async () => {
      const events = [];
      const unsubscribe = w.trace.subscribe((e) => events.push(e));
      const t = spawn((signal) => sleep(1000, { signal }), { name: 'victim' });
      await sleep(10);
      t.cancel();
      await t.catch(() => {});
      unsubscribe();
      assert.ok(t.cancelled);
      assert.ok(events.some((e) => e.kind === 'cancel-requested' && e.task === t.id));
    }));

  test('one signal shared by a thousand pending waits: aborting it rejects them all and leaves none', () =>
    runSimulated(async () => {
      const ac = new AbortController();
      const lock = new Lock();
      await lock.acquire();
      const q = new Queue();
      const waits = [];
      for (let i = 0; i < 250; i++) {
        waits.push(sleep(1e6, { signal: ac.signal }));
        waits.push(lock.acquire({ signal: ac.signal }));
        waits.push(q.get({ signal: ac.signal }));
        waits.push(spawn((signal) => sleep(1e6, { signal }), { signal: ac.signal }));
      }
      await yieldNow();
      ac.abort(new Error('all'));
      const results = await Promise.allSettled(waits);
      assert.ok(results.every((r) => r.status === 'rejected' && r.reason.message === 'all'));
      assert.equal(w.__testing.jsPendingWaits(), 0);
      lock.release();
      assert.ok(lock.tryAcquire(), 'no aborted acquire kept the lock');
      q.putNowait('kept');
      assert.equal(q.getNowait(), 'kept');
    }));

  test('a function without parameters runs without a signal; task.signal is still there', async () => {
    const t = spawn(() => 'no signal');
    assert.equal(t.signal.aborted, false);
    assert.equal(await t, 'no signal');
    const u = spawn(async () => {
      await sleep(1e6);
    });
    u.cancel('late');
    assert.equal(u.signal.aborted, true);
    assert.equal(u.signal.reason, 'late');
    await rejectsWith(u, (e) => assert.equal(e, 'late'));
  });

  // ---- memory ----

  test('a million sleeps and timeouts on one long-lived signal leave memory flat', { timeout: 120000 }, () =>
    runSimulated(async () => {
      const ac = new AbortController();
      const signal = ac.signal;
      const N = 1_000_000;
      let base = 0;
      for (let i = 0; i < N; i++) {
        if (i % 2 === 0) await sleep(0, { signal });
        else await timeout(10, Promise.resolve(i), { signal });
        if (i === 100_000) {
          gc && gc();
          base = memory();
        }
      }
      gc && gc();
      const grown = memory() - base;
      assert.equal(w.__testing.pendingWaits(), 0);
      assert.equal(w.__testing.jsPendingWaits(), 0);
      assert.ok(grown < 8 * 1024 * 1024, `memory grew by ${grown} bytes over 900,000 calls`);
    }),
  );
};
