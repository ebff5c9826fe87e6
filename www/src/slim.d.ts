// Type declarations for `wasio/slim`: the whole API, usable once init() has resolved.
export * from './index.js';

/**
 * Loads the wasm module: a URL (default: wasio_bg.wasm next to the entry), a Response or its
 * promise, bytes, or a compiled WebAssembly.Module. Later calls do nothing.
 */
export declare function init(
  source?: string | URL | Response | PromiseLike<Response> | BufferSource | WebAssembly.Module,
): Promise<void>;
