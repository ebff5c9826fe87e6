#!/usr/bin/env bash
# Builds the playground (www/playground) to static files in www/playground/dist: first the wasio
# npm package it runs on (www/, `npm run build`), then the page with Vite. Installs each folder's
# npm packages from its committed lockfile when they are missing or the lockfile changed.
# WASIO_PACKAGE_BUILD=always rebuilds the package even when www/dist exists (scripts/demo.sh does).
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

if [ ! -f www/package.json ]; then
  echo "build-playground: www/package.json (the wasio npm package) is missing" >&2
  exit 1
fi
if [ "${WASIO_PACKAGE_BUILD:-}" = always ] || [ ! -d www/dist ]; then
  npm_ci www
  log "building the wasio npm package (www/, npm run build)"
  (cd www && npm run build --silent)
fi
npm_ci www/playground
# The Python interpreter (python/, crate wasio-py) for the playground's Python runs: its browser
# build, wasm-bindgen'd for the web into www/playground/src/py (generated, not committed) and
# shrunk by binaryen's wasm-opt from the npm package's dev dependencies (-Oz --converge: 0.7 KB gz
# smaller than -Oz alone). The sandbox worker
# imports it only when a Python program runs.
PY_OUT=www/playground/src/py
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>console.log(JSON.parse(s).target_directory))')
log "building the Python interpreter for the browser (wasio-py, profile npm)"
cargo build -q -p wasio-py --lib --target wasm32-unknown-unknown --profile npm
mkdir -p "$PY_OUT"
wasm-bindgen --target web --out-dir "$PY_OUT" "$TARGET_DIR/wasm32-unknown-unknown/npm/wasio_py.wasm"
[ -x www/node_modules/.bin/wasm-opt ] || npm_ci www
www/node_modules/.bin/wasm-opt -Oz --converge --enable-bulk-memory --enable-reference-types --enable-multivalue \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  "$PY_OUT/wasio_py_bg.wasm" -o "$PY_OUT/wasio_py_bg.wasm"
log "building the playground (vite build)"
(cd www/playground && npx vite build --logLevel warn)
