// The one wasm-opt invocation (binaryen's npm package), shared by build.mjs and size.mjs so that
// `npm run size` measures what `npm run build` ships.
//
// -Os to a fixed point, then `--flatten --rereloop -Os`: flattening the IR and rebuilding its
// control flow lets the second round merge and drop more blocks. -Os rather than -Oz since the
// wasm is built with std for size and panics that trap (cargo.mjs): on that wasm, gzip -9, the
// whole package 55,225 B with -Oz in both places, 55,189 with -Os first and -Oz after, 55,060 with
// -Os in both (the core 9,778 -> 9,777); one -Oz or -Os round alone 55,849 / 55,799. The second
// round, measured (at -Oz, before std for size) on the whole package's wasm: 69,347 -> 68,026 B gz
// (-1.3 KB); no row of benches/js moved beyond its run-to-run noise in
// interleaved A/B runs in Node. Tried and not kept (no gain, or larger): --gufa,
// --gufa-optimizing, -O4, --monomorphize, --merge-similar-functions, --type-ssa, a second
// `--flatten --rereloop -Oz` round (-0.1 KB for another pass over everything).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export function wasmOpt(www, input, output) {
  execFileSync(
    join(www, 'node_modules', '.bin', 'wasm-opt'),
    [
      '-Os',
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
      '-Os',
      input,
      '-o',
      output,
    ],
    { stdio: 'inherit' },
  );
}
