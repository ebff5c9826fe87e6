#!/usr/bin/env bash
# wasm32-unknown-unknown in Node: every integration test that applies (core, sync, queue, stream,
# net, browser host), through wasm-bindgen-test-runner, with real WebSocket/HTTP peers on 127.0.0.1.
# Node 20 needs --experimental-websocket for its WebSocket global.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
source tests/js/harness.sh

command -v node >/dev/null || { echo "FAIL: node is not installed" >&2; exit 1; }
command -v wasm-bindgen-test-runner >/dev/null || { echo "FAIL: wasm-bindgen-test-runner missing (scripts/setup.sh)" >&2; exit 1; }
start_peers
unset WASM_BINDGEN_USE_BROWSER
export NODE_ARGS="--experimental-websocket"
# browser_chromium needs a page (requestAnimationFrame): scripts/test-browser.sh runs it.
# shellcheck disable=SC2046
run_wasm_tests --lib $(test_targets_except browser_chromium)
# Trap recovery is the opt-in `recover` feature: the loop suite again with it on (its recovery
# tests exist only then; tests/browser_panic.rs, above, is the default's panic = trap).
run_wasm_tests --features recover --test browser_loop
# The browser module's doc examples only exist on this target: make sure they still compile.
cargo test --doc --target wasm32-unknown-unknown >/dev/null
echo "ok: doc examples compile for wasm32-unknown-unknown"
