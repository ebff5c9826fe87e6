#!/usr/bin/env bash
# The whole test suite, every host: native, Node, headless Chromium, wasmtime (p2 and p1).
# Installs what it needs first (scripts/setup.sh skips what is present).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

./scripts/setup.sh

step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }

step "format and lints"
cargo fmt --all --check
cargo clippy --all-targets -- -D warnings
for t in wasm32-unknown-unknown wasm32-wasip1 wasm32-wasip2; do
  cargo clippy --lib --tests --target "$t" -- -D warnings
done
# The browser's opt-in trap recovery.
cargo clippy --lib --tests --target wasm32-unknown-unknown --features recover -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -q
# The docs of every target docs.rs builds (the browser and WASI modules exist only there).
for t in wasm32-unknown-unknown wasm32-wasip2 wasm32-wasip1; do
  RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -q --target "$t"
done

step "native"
cargo test --all-targets
cargo test --doc

for host in scripts/test-*.sh; do
  [ -x "$host" ] || continue
  step "$host"
  "$host"
done
step "all suites passed"
