#!/usr/bin/env bash
# WASI host: the test suites inside wasmtime (wasm32-wasip2 and wasm32-wasip1), the example
# components checked against wit/, and the host-side tests that drive those components with real
# peers on 127.0.0.1. Fails loudly; skips nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
step() { printf '\n\033[1;34m==> wasi: %s\033[0m\n' "$*"; }
die() { printf '\033[1;31mwasi: %s\033[0m\n' "$*" >&2; exit 1; }

command -v wasmtime >/dev/null || die "wasmtime not found (scripts/setup.sh installs it)"
command -v wasm-tools >/dev/null || die "wasm-tools not found (scripts/setup.sh installs it)"
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')

step "cargo test --target wasm32-wasip2 (every suite that applies, in wasmtime with the network grant)"
cargo test --target wasm32-wasip2 --lib --tests --examples

step "doc examples of the WASI API, run in wasmtime"
cargo test --doc --target wasm32-wasip2 -- src/wasi/

step "cargo test --target wasm32-wasip1 (timers, stdio and the portable suites; no sockets on p1)"
cargo test --target wasm32-wasip1 --lib --tests --examples

step "example components (release)"
cargo build --release --examples --target wasm32-wasip2
cargo build --release --example readline --example waiting --target wasm32-wasip1
P2="$TARGET_DIR/wasm32-wasip2/release/examples"
P1="$TARGET_DIR/wasm32-wasip1/release/examples"

step "components against wit/"
wasm-tools component wit wit/ >/dev/null
for ex in echo_server echo_client readline waiting producer_consumer; do
  wasm="$P2/$ex.wasm"
  [ -f "$wasm" ] || die "missing $wasm"
  wasm-tools component targets wit/ "$wasm" --world command
  wasm-tools component wit "$wasm" | grep -q 'export wasi:cli/run@' || die "$ex does not export wasi:cli/run"
  echo "  $ex: targets wasio:components/command"
done
for ex in readline waiting producer_consumer; do
  wasm-tools component targets wit/ "$P2/$ex.wasm" --world command-no-sockets
  echo "  $ex: needs no sockets (targets wasio:components/command-no-sockets)"
done
if wasm-tools component targets wit/ "$P2/echo_server.wasm" --world command-no-sockets 2>/dev/null; then
  die "the socket-free world accepted echo_server: the wit check checks nothing"
fi

step "article examples as commands (p2 and p1)"
for dir in "$P2" "$P1"; do
  out=$(wasmtime run "$dir/waiting.wasm")
  [ "$out" = $'Waiting 5 seconds\n.....\ndone' ] || die "waiting ($dir): unexpected output: $out"
done
out=$(wasmtime run "$P2/producer_consumer.wasm" | tail -1)
[ "$out" = "consumed 20 items, sum 190" ] || die "producer_consumer: unexpected output: $out"

step "host-side tests: components in wasmtime, driven by Python asyncio peers on 127.0.0.1"
WASIO_WASM_DIR="$P2" WASIO_WASM_DIR_P1="$P1" python3 -m unittest -v tests/host/test_components.py
step "wasi: all passed"
