// The one cargo invocation for the npm-js profile, shared by build.mjs and size.mjs (same flags, so
// neither invalidates the other's build cache).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function cargoBuildBindings(root, extraArgs = []) {
  // Panic locations name source files: strip the long registry and worktree prefixes from them.
  const home = process.env.CARGO_HOME || join(process.env.HOME || '/root', '.cargo');
  const registry = join(home, 'registry', 'src');
  // rustc applies the last matching prefix: the registry's own folders (index.crates.io-<hash>)
  // after the registry, so a crate's path starts at its name.
  const remap = [
    `--remap-path-prefix=${root}=`,
    `--remap-path-prefix=${registry}=`,
    ...(existsSync(registry) ? readdirSync(registry) : []).map(
      (d) => `--remap-path-prefix=${join(registry, d)}=`,
    ),
  ].join(' ');
  const env = { ...process.env, RUSTFLAGS: [process.env.RUSTFLAGS, remap].filter(Boolean).join(' ') };
  delete env.CARGO_ENCODED_RUSTFLAGS;
  execFileSync(
    'cargo',
    ['build', '--profile', 'npm-js', '--target', 'wasm32-unknown-unknown', '-p', 'wasio-js', ...extraArgs],
    { stdio: 'inherit', cwd: root, env },
  );
}
