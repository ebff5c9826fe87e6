#!/usr/bin/env bash
# The packaging matrix of the npm package (issue 14; www/apps/README.md): every app installs the
# PACKED tarball and runs under Vite (dev server and vite build), webpack 5, esbuild, Rollup, a
# plain module page (default entry and wasio/slim) in headless Chromium, and Node as ESM (also
# wasio/slim) and CommonJS; each must print the line shared/program.js expects.
#
# Builds the package first when www/dist is missing or older than its sources. The apps' own
# tools come from www/apps/package-lock.json (npm ci); the tarball is then added with
# `npm install --no-save`, so the lockfile never records its integrity hash (which changes with
# every build) and `npm ci` stays deterministic. Both installs share npm's one cache.
set -euo pipefail
cd "$(dirname "$0")/../www"
export PATH="$HOME/.cargo/bin:$PATH"
start=$SECONDS
npm_ci() { (cd "$1" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error); }

command -v node >/dev/null || { echo "FAIL: node is not installed" >&2; exit 1; }
[ -x /usr/bin/chromium ] || { echo "FAIL: /usr/bin/chromium missing (scripts/setup.sh)" >&2; exit 1; }

stale=
if [ ! -f dist/wasio_bg.wasm ] || [ ! -f dist/browser.mjs ]; then
  stale=yes
elif [ -n "$(find ../src ../Cargo.toml ../Cargo.lock bindings src scripts package.json \
  -newer dist/wasio_bg.wasm -print -quit)" ]; then
  stale=yes
fi

# The apps' install runs while the package builds.
npm_ci apps &
apps_pid=$!
if [ -n "$stale" ] || [ ! -x node_modules/.bin/prettier ]; then
  npm_ci .
fi
if [ -n "$stale" ]; then
  command -v wasm-bindgen >/dev/null || { echo "FAIL: wasm-bindgen missing (scripts/setup.sh)" >&2; exit 1; }
  rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
  npm run build
fi
wait "$apps_pid"

rm -f apps/wasio-*.tgz
npm pack --pack-destination apps --loglevel=error >/dev/null
(cd apps && npm install --no-save --no-audit --no-fund --prefer-offline --loglevel=error ./wasio-*.tgz)
node_modules/.bin/prettier --check apps ../benches/js

(cd apps && node run.mjs)
echo "test-npm-matrix: $((SECONDS - start)) s"
