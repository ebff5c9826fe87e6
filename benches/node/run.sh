#!/usr/bin/env bash
# Builds the Node benchmark (release, wasm32-unknown-unknown) and the two hello-world apps, runs
# the timing table in one Node process, and prints the wasm size table (raw and gzip -9).
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$PATH"
TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/../../target}/wasm-benches"
OUT="$TARGET_DIR/pkg"
mkdir -p "$OUT"

build() { # crate dir, crate name, wasm-bindgen target, out name
  (cd "$1" && CARGO_TARGET_DIR="$TARGET_DIR" cargo build --release --target wasm32-unknown-unknown -q)
  local name
  name=$(echo "$2" | tr - _)
  wasm-bindgen --target "$3" --out-dir "$OUT/$4" "$TARGET_DIR/wasm32-unknown-unknown/release/$name.wasm"
}

build . wasio-node-bench nodejs node
build ../wasm-hello-wasio wasm-hello-wasio web hello-wasio
build ../wasm-hello-wbf wasm-hello-wbf web hello-wbf

node bench.mjs "$OUT/node"

size() { wc -c <"$1" | tr -d ' '; }
gz() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
W="$OUT/hello-wasio/wasm_hello_wasio_bg.wasm"
B="$OUT/hello-wbf/wasm_hello_wbf_bg.wasm"
echo
echo "### hello-world wasm size (release, opt-level s, LTO, after wasm-bindgen; no wasm-opt)"
echo
echo "| app | raw bytes | gzip -9 bytes |"
echo "|---|---|---|"
echo "| wasio (spawn + sleep + log) | $(size "$W") | $(gz "$W") |"
echo "| wasm-bindgen-futures only (spawn_local + setTimeout promise + log) | $(size "$B") | $(gz "$B") |"
echo "| ratio wasio/wbf | $(python3 -c "print(f'{$(size "$W")/$(size "$B"):.2f}x')") | $(python3 -c "print(f'{$(gz "$W")/$(gz "$B"):.2f}x')") |"
