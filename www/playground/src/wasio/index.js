// `wasio` as the sandbox worker has it: the npm package's own JS layer (www/src), over the
// playground's one wasm module (runtime/: the package's bindings and the Python interpreter linked
// together, one wasio runtime under both) instead of the package's module, which would bring a
// second copy of the runtime. vite.config.ts resolves `wasio` here, and the JS layer's import of
// its wasm-bindgen glue to that module's glue (src/py/wasio_playground.js, generated).
import { imports, start } from "../../../src/wasm.js";
import wasmUrl from "../py/wasio_playground_bg.wasm?url";

// As the package's browser entry does, from the module's URL. The Python front end's `init()`
// (wasm-bindgen's own loader, src/python.ts) then finds the module instantiated and does nothing.
start((await WebAssembly.instantiateStreaming(fetch(wasmUrl), imports())).instance);

export * from "../../../src/api.js";
