#!/usr/bin/env bash
# HTTP components (wasi:http): build the example components, check that each targets the
# wasi:http/proxy world in wit/ (and nothing more), then drive them in `wasmtime serve` with real
# clients on 127.0.0.1 (tests/host/test_http.py). Fails loudly; skips nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
step() { printf '\n\033[1;34m==> http: %s\033[0m\n' "$*"; }
die() { printf '\033[1;31mhttp: %s\033[0m\n' "$*" >&2; exit 1; }

command -v wasmtime >/dev/null || die "wasmtime not found (scripts/setup.sh installs it)"
command -v wasm-tools >/dev/null || die "wasm-tools not found (scripts/setup.sh installs it)"
command -v curl >/dev/null || die "curl not found"
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
EXAMPLES=(http_hello http_echo http_fetch http_json http_sse http_fanout fixture_http_channel
  fixture_http_parts fixture_http_forward)

step "the insecure-seed adapter matches its source (wit/adapters/insecure-seed.wat)"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
wasm-tools parse wit/adapters/insecure-seed.wat -o "$tmp/a.wasm"
wasm-tools component embed wit/ --world insecure-seed-adapter "$tmp/a.wasm" -o "$tmp/adapter.wasm"
diff <(wasm-tools print "$tmp/adapter.wasm" | grep -v producers) \
  <(wasm-tools print wit/adapters/insecure-seed.wasm | grep -v producers) >/dev/null \
  || die "wit/adapters/insecure-seed.wasm is stale: rebuild it (see the .wat)"

step "example components (release, wasm32-wasip2)"
cargo build --release --target wasm32-wasip2 $(printf -- '--example %s ' "${EXAMPLES[@]}")
DIR="$TARGET_DIR/wasm32-wasip2/release/examples"

step "components against wit/ (world proxy: wasi:http/proxy and nothing else)"
for ex in "${EXAMPLES[@]}"; do
  wasm="$DIR/$ex.wasm"
  [ -f "$wasm" ] || die "missing $wasm"
  wasm-tools component targets wit/ "$wasm" --world proxy
  wasm-tools component wit "$wasm" | grep -q 'export wasi:http/incoming-handler@' \
    || die "$ex does not export wasi:http/incoming-handler"
  echo "  $ex: targets wasio:components/proxy ($(stat -c %s "$wasm") bytes)"
done
if wasm-tools component targets wit/ "$DIR/http_echo.wasm" --world insecure-seed-adapter 2>/dev/null; then
  die "a narrower world accepted http_echo: the wit check checks nothing"
fi

step "doc examples of wasio::http, run in wasmtime (-S http)"
cargo test --doc --target wasm32-wasip2 -- src/http/

step "wasmtime serve, driven by asyncio, http.client and curl on 127.0.0.1"
WASIO_HTTP_WASM_DIR="$DIR" python3 -W ignore::ResourceWarning -m unittest -v tests/host/test_http.py
step "http: all passed"
