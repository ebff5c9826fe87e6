#!/usr/bin/env bash
# wasio-alloc (www/alloc), the global allocator of the browser modules (npm bindings, Python front
# end, playground): lints, then its tests on every host. tests/heap.rs runs the heap's logic over a
# plain byte region natively, in Node, in headless Chromium and in wasmtime (p1 and p2);
# tests/global.rs runs std's collections on it as the global allocator in each wasm host.
# A small crate with no dependencies: well under a minute of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }

for tool in chromium chromedriver wasm-bindgen-test-runner wasmtime; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/setup.sh)" >&2; exit 1; }
done

step "wasio-alloc: format and lints"
cargo fmt -p wasio-alloc --check
cargo clippy -p wasio-alloc --all-targets -- -D warnings
for t in wasm32-unknown-unknown wasm32-wasip1 wasm32-wasip2; do
  cargo clippy -p wasio-alloc --lib --tests --target "$t" -- -D warnings
done
RUSTDOCFLAGS="-D warnings" cargo doc -p wasio-alloc --no-deps -q
RUSTDOCFLAGS="-D warnings" cargo doc -p wasio-alloc --no-deps -q --target wasm32-unknown-unknown

step "wasio-alloc: native"
cargo test -p wasio-alloc
step "wasio-alloc: Node"
cargo test -p wasio-alloc --target wasm32-unknown-unknown
step "wasio-alloc: headless Chromium"
WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}" \
  WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/tests/js/webdriver.json" \
  cargo test -p wasio-alloc --target wasm32-unknown-unknown
step "wasio-alloc: wasmtime (p1, p2)"
cargo test -p wasio-alloc --target wasm32-wasip1
cargo test -p wasio-alloc --target wasm32-wasip2
