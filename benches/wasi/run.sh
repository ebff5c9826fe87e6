#!/usr/bin/env bash
# TCP echo benchmark: wasio's echo component in wasmtime vs wstd's and a runtime-less floor (raw
# `wasi` bindings) in the same wasmtime vs native tokio vs Python asyncio (and uvloop when it
# installs); and the same echo example built natively (std::net + helper threads) vs a
# thread-per-connection floor, tokio and asyncio. Prints Markdown tables with ratios and the
# components' sizes.
#
#   benches/wasi/run.sh
#
# Both components are built with the same release profile (LTO, one codegen unit, symbols
# stripped, panic=abort): opt-level 3 for the speed runs, and again with opt-level "s" for sizes.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
T=${WASI_BENCH_TARGET_DIR:-/tmp/wasio-wasi-bench}
log() { printf '\033[1m[wasi-bench]\033[0m %s\n' "$*" >&2; }

command -v wasmtime >/dev/null || { echo "wasmtime not found: run scripts/setup.sh" >&2; exit 1; }
python3 -c 'import uvloop' 2>/dev/null || python3 -m pip install --quiet uvloop 2>/dev/null \
  || log "uvloop does not install here: its column shows n/a"

profile() {  # $1 = opt-level
  export CARGO_PROFILE_RELEASE_OPT_LEVEL="$1" CARGO_PROFILE_RELEASE_LTO=true \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_PROFILE_RELEASE_STRIP=true \
    CARGO_PROFILE_RELEASE_PANIC=abort CARGO_PROFILE_RELEASE_DEBUG=false
}
build() {  # $1 = opt-level, $2 = target dir
  profile "$1"
  CARGO_TARGET_DIR="$2/wasio" cargo build -q --release --example echo_server --target wasm32-wasip2
  CARGO_TARGET_DIR="$2/wstd" cargo build -q --release --target wasm32-wasip2 \
    --manifest-path benches/wasi/wstd-echo/Cargo.toml
  CARGO_TARGET_DIR="$2/raw" cargo build -q --release --target wasm32-wasip2 \
    --manifest-path benches/wasi/raw-echo/Cargo.toml
}
log "building the echo components (opt-level 3, and \"s\" for size), and the echo example natively"
build 3 "$T/speed"
CARGO_TARGET_DIR="$T/speed/native" cargo build -q --release --example echo_server
build s "$T/size"
unset CARGO_PROFILE_RELEASE_OPT_LEVEL CARGO_PROFILE_RELEASE_LTO CARGO_PROFILE_RELEASE_CODEGEN_UNITS \
  CARGO_PROFILE_RELEASE_STRIP CARGO_PROFILE_RELEASE_PANIC CARGO_PROFILE_RELEASE_DEBUG

export WASIO_ECHO_WASM="$T/speed/wasio/wasm32-wasip2/release/examples/echo_server.wasm"
export WSTD_ECHO_WASM="$T/speed/wstd/wasm32-wasip2/release/wstd-echo.wasm"
export RAW_ECHO_WASM="$T/speed/raw/wasm32-wasip2/release/raw-echo.wasm"
export WASIO_ECHO_WASM_SIZE="$T/size/wasio/wasm32-wasip2/release/examples/echo_server.wasm"
export WSTD_ECHO_WASM_SIZE="$T/size/wstd/wasm32-wasip2/release/wstd-echo.wasm"
export PY_ECHO="$PWD/benches/wasi/py_echo.py"
export WASIO_NATIVE_ECHO="$T/speed/native/release/examples/echo_server"
log "running (about a minute)"
cargo bench -q -p wasio-benches --bench wasi_echo
