'use strict';
// wasio/core's tests, one file for every host: Node ESM (core.test.mjs), Node CJS
// (core.test.cjs) and headless Chromium (browser-entry.mjs registers them beside the suite).
// `core` is the wasio/core entry: its own wasm (the bindings without their default features).
// The core has no simulated clock (wasio/testing drives the default entry's loop), so the timed
// tests only race a 1-5 ms wait against one of an hour: their outcome does not depend on timing.

const CORE_EXPORTS = ['Task', 'TaskGroup', 'sleep', 'spawn', 'timeout', 'yieldNow'];
const EXPECTED = 'core ok: sum=55 slept=true timedOut=TimeoutError cancelled=true group=AbortError';

/** A program on the core API; returns one line (EXPECTED when every step behaved). */
async function program({ spawn, sleep, timeout, TaskGroup }) {
  let sum = 0;
  const tg = new TaskGroup();
  for (let i = 1; i <= 10; i++)
    tg.spawn(async () => {
      await sleep(i % 3);
      sum += i;
    });
  await tg.join();
  const slept = await spawn(async (signal) => (await sleep(5, { signal }), true));
  const stuck = spawn((signal) => sleep(3_600_000, { signal }));
  let timedOut = 'none';
  try {
    await timeout(1, stuck);
  } catch (e) {
    timedOut = e.name;
  }
  const cancelled = stuck.cancelled;
  // The first failure cancels the siblings.
  let sibling = 'none';
  const failing = new TaskGroup();
  failing.spawn(async (signal) => {
    try {
      await sleep(3_600_000, { signal });
    } catch (e) {
      sibling = e.name;
      throw e;
    }
  });
  failing.spawn(async () => {
    await sleep(1);
    throw new Error('boom');
  });
  try {
    await failing.join();
  } catch (e) {
    if (e.message !== 'boom') sibling = `joined with ${e}`;
  }
  return `core ok: sum=${sum} slept=${slept} timedOut=${timedOut} cancelled=${cancelled} group=${sibling}`;
}

module.exports = function coreSuite({ core, test, assert }) {
  const rejectionName = async (p) => {
    try {
      await p;
    } catch (e) {
      return e.name;
    }
    return 'fulfilled';
  };

  test('wasio/core exports exactly the core API', () => {
    assert.deepEqual(Object.keys(core).sort(), CORE_EXPORTS);
  });

  test('wasio/core runs a program of tasks, timers, timeouts and task groups', async () => {
    assert.equal(await program(core), EXPECTED);
  });

  test('wasio/core rejects bad input with typed errors, not wasm traps', () => {
    assert.throws(() => core.sleep(-1), RangeError);
    assert.throws(() => core.sleep('1'), TypeError);
    assert.throws(() => core.spawn(42), TypeError);
    assert.throws(() => core.timeout(1, 42), TypeError);
    assert.throws(() => new core.TaskGroup({ signal: 1 }), TypeError);
  });

  test('wasio/core: a pre-aborted signal rejects at once and a cancelled task reports it', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    assert.equal(await rejectionName(core.sleep(1, { signal: ctrl.signal })), 'AbortError');
    const t = core.spawn((signal) => core.sleep(3_600_000, { signal }));
    await core.yieldNow();
    assert.equal(t.cancel(), true);
    assert.equal(await rejectionName(t), 'AbortError');
    assert.equal(t.cancelled, true);
  });
};
module.exports.EXPECTED = EXPECTED;
module.exports.program = program;
