// The one wasm-opt invocation (binaryen's npm package), shared by build.mjs and size.mjs so that
// `npm run size` measures what `npm run build` ships.
//
// -Oz to a fixed point, then `--flatten --rereloop -Oz`: flattening the IR and rebuilding its
// control flow lets the second -Oz merge and drop more blocks. Measured on the whole package's
// wasm: 69,347 -> 68,026 B gz (-1.3 KB); no row of benches/js moved beyond its run-to-run noise in
// interleaved A/B runs in Node. Tried and not kept (no gain, or larger): --gufa,
// --gufa-optimizing, -O4, --monomorphize, --merge-similar-functions, --type-ssa, a second
// `--flatten --rereloop -Oz` round (-0.1 KB for another pass over everything).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export function wasmOpt(www, input, output) {
  execFileSync(
    join(www, 'node_modules', '.bin', 'wasm-opt'),
    [
      '-Oz',
      '--converge',
      '--enable-bulk-memory',
      '--enable-reference-types',
      '--enable-multivalue',
      '--enable-nontrapping-float-to-int',
      '--enable-sign-ext',
      '--enable-mutable-globals',
      '--strip-producers',
      '--strip-target-features',
      '--flatten',
      '--rereloop',
      '-Oz',
      input,
      '-o',
      output,
    ],
    { stdio: 'inherit' },
  );
}
