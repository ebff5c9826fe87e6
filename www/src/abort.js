// One 'abort' listener per signal, however many waits and tasks watch it.
//
// A signal shared by many pending waits (or many tasks) gets a single listener, which calls every
// watcher registered for it; the listener is removed when the last watcher leaves. So concurrent
// waits on one signal cost one listener (no MaxListenersExceededWarning in Node), and a million
// sequential waits on one long-lived signal leave nothing behind.

/** signal -> { watchers: Set<() => void>, listener } */
const watched = new WeakMap();

/** Calls `fn()` once when `signal` aborts, until unwatch(signal, fn). `signal` is not aborted. */
export function watch(signal, fn) {
  let w = watched.get(signal);
  if (w === undefined) {
    const watchers = new Set();
    const listener = () => {
      watched.delete(signal);
      for (const f of watchers) f();
    };
    w = { watchers, listener };
    watched.set(signal, w);
    signal.addEventListener('abort', listener, { once: true });
  }
  w.watchers.add(fn);
}

/** Stops watching. */
export function unwatch(signal, fn) {
  const w = watched.get(signal);
  if (w === undefined) return;
  w.watchers.delete(fn);
  if (w.watchers.size === 0) {
    watched.delete(signal);
    signal.removeEventListener('abort', w.listener);
  }
}
