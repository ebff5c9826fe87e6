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
PY_OUT=www/playground/src/py
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>console.log(JSON.parse(s).target_directory))')
log "building the playground's wasm module (wasio-playground-runtime, profile npm)"
cargo build -q -p wasio-playground-runtime --lib --target wasm32-unknown-unknown --profile npm
rm -rf "$PY_OUT"
mkdir -p "$PY_OUT"
wasm-bindgen --target web --out-name wasio_playground --out-dir "$PY_OUT" \
  "$TARGET_DIR/wasm32-unknown-unknown/npm/wasio_playground_runtime.wasm"
www/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-reference-types --enable-multivalue \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  "$PY_OUT/wasio_playground_bg.wasm" -o "$PY_OUT/wasio_playground_bg.wasm"
log "building the playground (vite build)"
(cd www/playground && npx vite build --logLevel warn)
