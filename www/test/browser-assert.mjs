// The part of node:assert/strict the suite uses, for the browser runner.

class AssertionError extends Error {
  name = 'AssertionError';
}

function deepEqual(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
}

function matches(e, expected) {
  if (expected === undefined) return true;
  if (typeof expected === 'function' && expected.prototype !== undefined && e instanceof expected)
    return true;
  if (
    typeof expected === 'function' &&
    (expected.prototype === undefined || (!(expected.prototype instanceof Error) && expected !== Error))
  )
    return expected(e) === true;
  return false;
}

const fail = (msg) => {
  throw new AssertionError(msg);
};

export const assert = {
  ok: (v, msg) => v || fail(msg || `expected truthy, got ${v}`),
  equal: (a, b, msg) => Object.is(a, b) || fail(msg || `${String(a)} !== ${String(b)}`),
  deepEqual: (a, b, msg) =>
    deepEqual(a, b) || fail(msg || `${JSON.stringify(a)} not deep-equal ${JSON.stringify(b)}`),
  throws(fn, expected, msg) {
    try {
      fn();
    } catch (e) {
      if (!matches(e, expected)) fail(msg || `unexpected error ${e}`);
      return;
    }
    fail(msg || 'expected an exception');
  },
};
