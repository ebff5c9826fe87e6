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
//
// `--one-caller-inline-max-function-size 40`: a function with one caller is inlined into it only
// when it is at most 40 bytes (binaryen inlines every such function by default). Why that is
// smaller was not studied (fewer locals in the flattened callers? repeats that gzip finds across
// functions?); the figures are what keep it. Measured (gzip -9) on the whole package's wasm built
// with LLVM's inline threshold at 0 (cargo.mjs): 43,938 B by default; 43,382 at 0, 43,094 at 10,
// 42,963 at 20, 42,920 at 30, 42,850 at 40, 42,908 at 50, 43,133 at 100, 43,802 at 400; on the
// wasm of LLVM's default inlining, 48,110 -> 46,304 B; on the threshold that ships (25),
// 44,192 -> 43,102 B. The core's wasm: 8,928 -> 9,002 B (its one measure that grows).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export function wasmOpt(www, input, output) {
  execFileSync(
    join(www, 'node_modules', '.bin', 'wasm-opt'),
    [
      '--one-caller-inline-max-function-size',
      '40',
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
