// Argument checks: bad input is a TypeError or RangeError naming the parameter, never a trap.

export function checkMs(ms, name) {
  if (typeof ms !== 'number' || Number.isNaN(ms)) {
    throw new TypeError(`${name} must be a number of milliseconds, got ${typeof ms}`);
  }
  if (ms < 0) throw new RangeError(`${name} must not be negative, got ${ms}`);
  return ms;
}

export function checkCount(n, name, min = 0) {
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new TypeError(`${name} must be an integer, got ${typeof n === 'number' ? n : typeof n}`);
  }
  if (n < min || n > 0xffffffff) {
    throw new RangeError(`${name} must be between ${min} and ${0xffffffff}, got ${n}`);
  }
  return n;
}

export function checkOptions(options, name = 'options') {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object') throw new TypeError(`${name} must be an object`);
  return options;
}

export function checkSignal(signal, name = 'options.signal') {
  if (signal === undefined || signal === null) return undefined;
  if (
    typeof signal !== 'object' ||
    typeof signal.aborted !== 'boolean' ||
    typeof signal.addEventListener !== 'function'
  ) {
    throw new TypeError(`${name} must be an AbortSignal`);
  }
  return signal;
}

/** `options.signal`, checked; `options` may be undefined or null (no signal). */
export const signalOf = (options) =>
  options === undefined ? undefined : checkSignal(checkOptions(options).signal);

export function checkFunction(fn, name) {
  if (typeof fn !== 'function') throw new TypeError(`${name} must be a function`);
  return fn;
}

export const isThenable = (x) =>
  x !== null && (typeof x === 'object' || typeof x === 'function') && typeof x.then === 'function';
