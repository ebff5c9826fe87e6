#!/usr/bin/env bash
# wasm32-unknown-unknown in headless Chromium: the same test files as scripts/test-node.sh, plus
# the page-only tests (browser_chromium), with real WebSocket/HTTP peers on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
source tests/js/harness.sh

for tool in chromium chromedriver node wasm-bindgen-test-runner; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/setup.sh)" >&2; exit 1; }
done
start_peers
export WASM_BINDGEN_USE_BROWSER=1
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/tests/js/webdriver.json"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
# shellcheck disable=SC2046
run_wasm_tests --lib $(test_targets_except)
# Trap recovery (the opt-in `recover` feature), as in scripts/test-node.sh.
run_wasm_tests --features recover --test browser_loop
