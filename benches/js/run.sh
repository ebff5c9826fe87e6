#!/usr/bin/env bash
# The JS benchmarks (issue 14), run by hand: wasio's npm package side by side with p-limit,
# p-queue, async-mutex and Effection, in Node and in headless Chromium, then the size table.
#   ./run.sh           full run (several minutes on an idle 2-core machine)
#   ./run.sh --smoke   every row at 1% of its size, one round (a check that it all runs)
# Builds the package when www/dist is missing or stale, packs it here and adds the tarball with
# `npm install --no-save` after `npm ci` (see www/apps/README.md for why).
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$PATH"
here=$PWD
www=$here/../../www
smoke=
[ "${1:-}" = "--smoke" ] && smoke=--smoke

stale=
if [ ! -f "$www/dist/wasio_bg.wasm" ] || [ ! -f "$www/build/wasm/wasio_js_bg.wasm" ]; then
  stale=yes
elif [ -n "$(cd "$www" && find ../src ../Cargo.toml ../Cargo.lock bindings src scripts package.json \
  -newer dist/wasio_bg.wasm -print -quit)" ]; then
  stale=yes
fi
npm ci --no-audit --no-fund --prefer-offline --loglevel=error &
ci=$!
if [ -n "$stale" ]; then
  (cd "$www" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error && npm run build)
fi
wait "$ci"
rm -f wasio-*.tgz
(cd "$www" && npm pack --pack-destination "$here" --loglevel=error >/dev/null)
npm install --no-save --no-audit --no-fund --prefer-offline --loglevel=error ./wasio-*.tgz

node node.mjs $smoke
node browser.mjs $smoke
if [ -z "$smoke" ]; then
  node size.mjs
fi
