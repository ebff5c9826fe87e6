#!/usr/bin/env bash
# Builds the playground (www/playground) to static files in www/playground/dist: first its one
# wasm module (www/playground/runtime: the wasio npm package's bindings and the Python
# interpreter, linked over one wasio runtime), then the page with Vite, which bundles the npm
# package's JS layer (www/src) over that module. Installs each folder's npm packages from its
# committed lockfile when they are missing or the lockfile changed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
log() { printf '\033[1m[playground]\033[0m %s\n' "$*" >&2; }

# npm ci in $1 unless node_modules matches package-lock.json (a stamp holds the lockfile's hash).
npm_ci() {
  local dir=$1 stamp="$1/node_modules/.wasio-lock-sha"
  local sha; sha=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$sha" ]; then
    log "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --silent)
    echo "$sha" >"$stamp"
  fi
}

if [ ! -f www/src/api.js ]; then
  echo "build-playground: www/src (the wasio npm package's JS layer) is missing" >&2
  exit 1
fi
# www/ for binaryen's wasm-opt (a dev dependency of the npm package).
npm_ci www
npm_ci www/playground
# The playground's wasm module (crate wasio-playground-runtime): wasm-bindgen'd for the web into
# www/playground/src/py (generated, not committed) and shrunk by wasm-opt. The sandbox worker
# instantiates it for either language.
#
# The module is built as the npm package's wasm is (www/scripts/cargo.mjs: the one cargo
# invocation for both): std compiled from source for size, panics that trap at once, no panic
# locations (RUSTC_BOOTSTRAP=1 on the stable toolchain, plus its rust-src component).
# Measured on this module after wasm-opt (gzip -9): 273,148 B with the prebuilt std; 265,554 with
# std built for size; 253,114 with immediate-abort too; 250,372 with no locations; 249,656 with
# wasm-opt -Os rather than -Oz (-Oz is 0.7 KB larger here); 248,520 with no panic recorder in
# the `recover` feature (src/host/browser/recovery.rs: it never ran there). What it changes for users: a panic
# was a trap before too (panic=abort), which the `recover` feature turns into the end of its task
# while the loop goes on; now the task's error says "task aborted by a wasm trap (unreachable)"
# instead of the panic's message.
PY_OUT=www/playground/src/py
log "building the playground's wasm module (wasio-playground-runtime, profile npm, std built for size)"
WASM=$(node www/scripts/cargo.mjs wasio-playground-runtime npm -q)
rm -rf "$PY_OUT"
mkdir -p "$PY_OUT"
wasm-bindgen --target web --out-name wasio_playground --out-dir "$PY_OUT" \
  "$WASM"
# The JS layer's loader steps (imports, finalize: src/wasm.js) beside the glue's own init().
node www/scripts/glue.mjs expose-loader-steps "$PY_OUT/wasio_playground.js"
www/node_modules/.bin/wasm-opt -Os --enable-bulk-memory --enable-reference-types --enable-multivalue \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  "$PY_OUT/wasio_playground_bg.wasm" -o "$PY_OUT/wasio_playground_bg.wasm"
log "building the playground (vite build)"
(cd www/playground && npx vite build --logLevel warn)
