// The one cargo invocation for the project's shipped wasm32-unknown-unknown modules: the npm
// package's bindings (build.mjs and size.mjs, profile npm-js) and the playground's module
// (scripts/build-playground.sh runs this file as a command, profile npm). Same flags everywhere,
// so no build invalidates another's cache.
//
// The standard library is compiled from source, for size, with panics that trap at once. Stable
// Rust allows that only with RUSTC_BOOTSTRAP=1 (the flags are unstable; the toolchain stays the
// project's stable one, plus its rust-src component, added here when missing):
//   -Z build-std=std,panic_abort -Z build-std-features=optimize_for_size  std's own code for size
//   -C panic=immediate-abort   a panic is a trap: no message formatting, no panic hook
//   -Z location-detail=none    no file/line/column strings for panic sites
// What users lose: a panic inside the runtime (a bug) was a trap before too (panic=abort), but
// its message is gone; with the `recover` feature the task's error now says "task aborted by a
// wasm trap (unreachable)" instead of the panic's message. Measured (gzip -9, after wasm-opt):
// see www/README.md "## Size" and the playground's README.
//
// WASIO_WASM_STD=prebuilt builds with the prebuilt std instead (panic messages and locations
// back, for debugging a panic; paths shortened as below), without RUSTC_BOOTSTRAP. The steps
// in between, for measuring: `size` (std for size only), `size-abort` (+ immediate-abort).
//
// Builds go to their own subfolder of the target directory (small-std/; the other settings each
// to a folder of their own), so these flags do not rebuild or invalidate the workspace's other
// wasm32 builds.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TARGET = 'wasm32-unknown-unknown';
// Each with its own subfolder of the target directory (cargo's artifact names do not depend on
// RUSTFLAGS: sharing one folder would rebuild everything at each switch).
const STEPS = {
  prebuilt: { dir: 'prebuilt-std', std: false, rustflags: [] },
  size: { dir: 'std-size', std: true, rustflags: [] },
  'size-abort': {
    dir: 'std-size-abort',
    std: true,
    rustflags: ['-Zunstable-options', '-Cpanic=immediate-abort'],
  },
  'size-abort-noloc': {
    dir: 'small-std',
    std: true,
    rustflags: ['-Zunstable-options', '-Cpanic=immediate-abort', '-Zlocation-detail=none'],
  },
};

function targetDirectory(root) {
  if (process.env.CARGO_TARGET_DIR) return process.env.CARGO_TARGET_DIR;
  const meta = execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return JSON.parse(meta).target_directory;
}

function ensureRustSrc() {
  const installed = execFileSync('rustup', ['component', 'list', '--installed'], { encoding: 'utf8' });
  if (!/^rust-src\b/m.test(installed)) {
    console.error('adding rust component rust-src (the wasm modules build std from source)');
    execFileSync('rustup', ['component', 'add', 'rust-src'], { stdio: 'inherit' });
  }
}

// Paths in the remaining strings (panic locations with WASIO_WASM_STD=prebuilt): strip the long
// registry and worktree prefixes. rustc applies the last matching prefix: the registry's own
// folders (index.crates.io-<hash>) after the registry, so a crate's path starts at its name.
function remapFlags(root) {
  const home = process.env.CARGO_HOME || join(process.env.HOME || '/root', '.cargo');
  const registry = join(home, 'registry', 'src');
  return [
    `--remap-path-prefix=${root}=`,
    `--remap-path-prefix=${registry}=`,
    ...(existsSync(registry) ? readdirSync(registry) : []).map(
      (d) => `--remap-path-prefix=${join(registry, d)}=`,
    ),
  ];
}

/**
 * Builds package `pkg`'s wasm at `profile` and returns the path of its .wasm (named after the
 * package, dashes as underscores). `extraArgs` go to cargo (`-q`, `--no-default-features`, ...),
 * `rustflags` to rustc after the step's own.
 */
export function cargoBuildWasm(root, pkg, profile, extraArgs = [], rustflags = []) {
  const stepName = process.env.WASIO_WASM_STD || 'size-abort-noloc';
  const step = STEPS[stepName];
  if (step === undefined) {
    throw new Error(`WASIO_WASM_STD=${stepName}: expected one of ${Object.keys(STEPS).join(', ')}`);
  }
  const targetDir = join(targetDirectory(root), step.dir);
  const env = {
    ...process.env,
    CARGO_TARGET_DIR: targetDir,
    RUSTFLAGS: [process.env.RUSTFLAGS, ...step.rustflags, ...rustflags, ...remapFlags(root)]
      .filter(Boolean)
      .join(' '),
  };
  delete env.CARGO_ENCODED_RUSTFLAGS;
  const args = ['build', '-p', pkg, '--lib', '--target', TARGET, '--profile', profile, ...extraArgs];
  if (step.std) {
    ensureRustSrc();
    env.RUSTC_BOOTSTRAP = '1';
    args.push('-Z', 'build-std=std,panic_abort', '-Z', 'build-std-features=optimize_for_size');
  }
  // cargo's stdout to stderr: as a command, stdout carries only the path.
  execFileSync('cargo', args, { stdio: ['inherit', 2, 'inherit'], cwd: root, env });
  return join(targetDir, TARGET, profile, `${pkg.replaceAll('-', '_')}.wasm`);
}

/**
 * LLVM's inliner for the bindings' build: a call is inlined when the callee is `#[inline]` (their
 * threshold stays LLVM's 325), has one caller, or costs at most 25 (LLVM's default at opt-level 3
 * is 225); every other call stays a call. Opt-level 3 otherwise (profile npm-js). Measured on the
 * whole package's wasm after wasm-opt (gzip -9, before the one-caller limit of wasm-opt.mjs):
 * 48,110 B at LLVM's default, 47,258 at 100, 46,006 at 75, 45,097 at 50, 44,192 at 25, 43,938 at
 * 0; opt-level `z` 46,750 and `s` 47,314. 25 rather than 0: at 0 wasm-bindgen's borrow check of
 * each method's `self` stays a call, and the hand-offs cost 10-13% more cpu time (an uncontended
 * Semaphore 84 -> 95 ns, a Queue's put + get 319 -> 363 ns); at 25 they are within 5% of
 * before (the semaphore's release path marked `#[inline]` in the crate for it). Only the bindings' profile (npm-js) gets it: the playground's module (profile npm, its
 * own artifacts) is built as before. Figures and speed: www/README.md "## Size".
 */
const BINDINGS_RUSTFLAGS = ['-Cllvm-args=-inline-threshold=25'];

/** The npm package's bindings (crate wasio-js, profile npm-js). */
export function cargoBuildBindings(root, extraArgs = []) {
  return cargoBuildWasm(root, 'wasio-js', 'npm-js', extraArgs, BINDINGS_RUSTFLAGS);
}

// As a command: `node www/scripts/cargo.mjs <package> <profile> [cargo args...]` builds and prints
// the .wasm's path on stdout (cargo's own output goes to stderr).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [pkg, profile, ...rest] = process.argv.slice(2);
  if (!pkg || !profile) {
    console.error('usage: node www/scripts/cargo.mjs <package> <profile> [cargo args...]');
    process.exit(2);
  }
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  process.stdout.write(`${cargoBuildWasm(root, pkg, profile, rest)}\n`);
}
