// The wasm module's exports (wasm-bindgen's glue) and the one step every loader ends with.
//
// Every entry instantiates the module before the API can be called, each its own way and with
// nothing else (wasm-bindgen's own loader is cut from the glue: scripts/glue.mjs): the Node
// entries compile the file next to them synchronously, the browser entries stream their inlined
// bytes at top level (Chromium forbids synchronous compilation of modules over 4 KB on the main
// thread), /slim leaves it to the user's init(). `start(instance)` then hands the instance to the
// glue and installs the hooks the bindings call back.

import { finalize, install } from '../build/wasm/wasio_js.js';
import { onDone, onRun, onSettle } from './runtime.js';

export * from '../build/wasm/wasio_js.js';

let ready = false;

/**
 * The hooks the bindings call never throw into wasm (an exception unwinding through it would leave
 * the bindings' state half-changed): what one throws is reported as an uncaught error instead.
 */
const report = (e) =>
  queueMicrotask(() => {
    throw e;
  });

const hooks = {
  settle(id, code, value) {
    try {
      onSettle(id, code, value);
    } catch (e) {
      report(e);
    }
  },
  run(slot) {
    try {
      onRun(slot);
    } catch (e) {
      report(e);
    }
  },
  done(slot) {
    try {
      onDone(slot);
    } catch (e) {
      report(e);
    }
  },
};

/** Throws unless the module is initialised (only wasio/slim can be used before it is). */
export function ensureReady() {
  if (!ready) throw new Error('wasio is not initialised: with wasio/slim, await init() first');
}

/** Takes the module's instance (made with the glue's `imports()`); later calls do nothing. */
export function start(instance) {
  if (!ready) {
    finalize(instance);
    install(hooks);
    ready = true;
  }
}
