#!/usr/bin/env bash
# Builds the app into examples/browser-app/pkg (the one build command). Then serve this folder:
#   python3 -m http.server 8000 --bind 127.0.0.1 --directory examples/browser-app
# and open http://127.0.0.1:8000/.
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$PATH"
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
# The CLI must be exactly the version this crate pins (Cargo.toml: wasm-bindgen = "=X").
want=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)
have=$(wasm-bindgen --version | awk '{print $2}')
[ "$want" = "$have" ] || { echo "FAIL: wasm-bindgen CLI is $have, the crate pins $want: cargo install wasm-bindgen-cli --version $want" >&2; exit 1; }
cargo build --release --target wasm32-unknown-unknown
wasm-bindgen --target web --no-typescript --out-dir pkg \
  "$target_dir/wasm32-unknown-unknown/release/browser_app.wasm"
echo "built $(pwd)/pkg; serve with: python3 -m http.server 8000 --bind 127.0.0.1 --directory $(pwd)"
