// wasio/core reached from CommonJS (the require condition's core.d.cts).
import core = require('wasio/core');

export async function usage(): Promise<number> {
  const t = core.spawn(async (signal) => (await core.sleep(1, { signal }), 2));
  // @ts-expect-error the core entry has no queues
  void new core.Queue();
  return core.timeout(10, t);
}
