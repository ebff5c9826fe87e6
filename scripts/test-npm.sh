#!/usr/bin/env bash
# The npm package (www/): installs its tools from the committed lockfile (npm ci), builds it
# (npm run build: cargo + wasm-bindgen + wasm-opt + esbuild), then runs `npm test` there: the
# node:test suite in Node as ESM and as CommonJS, the same suite in headless Chromium, the
# tsc --strict types test and the format check.
set -euo pipefail
cd "$(dirname "$0")/../www"
export PATH="$HOME/.cargo/bin:$PATH"

command -v node >/dev/null || { echo "FAIL: node is not installed" >&2; exit 1; }
command -v wasm-bindgen >/dev/null || { echo "FAIL: wasm-bindgen missing (scripts/setup.sh)" >&2; exit 1; }
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

cargo clippy -p wasio-js --target wasm32-unknown-unknown -- -D warnings
npm ci --no-audit --no-fund
npm run build
npm test
