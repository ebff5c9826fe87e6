// The same declarations reached from CommonJS (the require condition's index.d.cts).
import wasio = require('wasio');
import testing = require('wasio/testing');

export async function usage(): Promise<number> {
  const t = wasio.spawn(async (signal) => (await wasio.sleep(1, { signal }), 2));
  // @ts-expect-error the task's value is a number
  const s: string = await t;
  void s;
  return (await t) + (await testing.runSimulated(() => 1));
}
