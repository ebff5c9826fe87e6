// wasio/slim: no wasm inlined, nothing loaded until init(urlOrBytes) resolves. Call init first.
import { initAsync, isReady } from './wasm.js';

/**
 * Loads the wasm module from `source`: a URL (string or URL; default: wasio_bg.wasm next to this
 * file), a Response or its promise, bytes, or a WebAssembly.Module. Resolves once the API can be
 * used; later calls do nothing.
 */
export async function init(source) {
  if (isReady()) return;
  await initAsync(source === undefined ? new URL('./wasio_bg.wasm', import.meta.url) : source);
}

export * from './api.js';
