// The wasm module's exports (wasm-bindgen's glue) and its initialisation.
//
// Every entry initialises the module before the API can be called: the Node entries compile it
// synchronously from the file next to them, the browser entry awaits it at top level (Chromium
// forbids synchronous compilation of modules over 4 KB on the main thread), /slim leaves it to
// the user's init(). The hooks the bindings call back are installed right after.

import initAsyncGlue, { initSync as initSyncGlue, install } from '../build/wasm/wasio_js.js';
import { onDone, onRun, onSettle } from './runtime.js';

export * from '../build/wasm/wasio_js.js';

let ready = false;

export const isReady = () => ready;

/** Throws unless the module is initialised (only wasio/slim can be used before it is). */
export function ensureReady() {
  if (!ready) throw new Error('wasio is not initialised: with wasio/slim, await init() first');
}

function installed() {
  if (!ready) {
    install({ settle: onSettle, run: onRun, done: onDone });
    ready = true;
  }
}

/** Initialises from bytes or a compiled WebAssembly.Module, synchronously. */
export function initSync(moduleOrBytes) {
  if (!ready) initSyncGlue({ module: moduleOrBytes });
  installed();
}

/** Initialises from a URL, a Response, bytes or a WebAssembly.Module. */
export async function initAsync(input) {
  if (!ready) await initAsyncGlue({ module_or_path: input });
  installed();
}
