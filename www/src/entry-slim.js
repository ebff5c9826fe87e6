// wasio/slim: no wasm inlined, nothing loaded until init(urlOrBytes) resolves. Call init first.
import { imports, start } from './wasm.js';

let loading;

async function load(source) {
  source = await source;
  if (typeof source === 'string' || source instanceof URL || source instanceof Request) {
    source = await fetch(source);
  }
  if (source instanceof Response) {
    if (!source.ok) throw new Error(`wasio: fetching the wasm failed: ${source.status} ${source.url}`);
    // Streaming compilation needs the application/wasm type; a server that sends another gets
    // the slower path rather than an error.
    if (!/^\s*application\/wasm\s*$/i.test(source.headers.get('content-type')))
      source = await source.arrayBuffer();
  }
  const made = await (source instanceof Response
    ? WebAssembly.instantiateStreaming(source, imports())
    : WebAssembly.instantiate(source, imports()));
  start(made.instance ?? made); // instantiate(module) resolves to the instance itself
}

/**
 * Loads the wasm module from `source`: a URL (string or URL; default: wasio_bg.wasm next to this
 * file), a Request, a Response or its promise, bytes, or a WebAssembly.Module. Resolves once the
 * API can be used; later calls do nothing (a failed one can be retried).
 */
export function init(source = new URL('./wasio_bg.wasm', import.meta.url)) {
  loading ??= load(source).catch((e) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

export * from './api.js';
