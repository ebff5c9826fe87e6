#!/usr/bin/env bash
# examples/browser-app, built as a user builds it (its build.sh: cargo + wasm-bindgen --target web),
# served from 127.0.0.1 by a static server and checked in headless Chromium through chromedriver:
# the page's text and its console (tests/browser_app.py).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
for tool in chromium chromedriver python3 wasm-bindgen; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/setup.sh)" >&2; exit 1; }
done
HTTP_PORT="${WASIO_TEST_APP_PORT:-18766}"
DRIVER_PORT="${WASIO_TEST_DRIVER_PORT:-18767}"
cargo clippy -p browser-app --target wasm32-unknown-unknown -- -D warnings
examples/browser-app/build.sh
python3 tests/browser_app.py examples/browser-app "$HTTP_PORT" "$DRIVER_PORT"
