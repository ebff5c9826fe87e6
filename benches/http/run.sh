#!/usr/bin/env bash
# HTTP benchmark: three wasi:http components in the same `wasmtime serve` (pooling allocator on),
# driven by `hey`: wasio (examples/http_hello, examples/http_echo), a wstd `#[http_server]`
# component, and a bare handler on the `wasi` bindings with no executor (the floor). Requests/s
# and p50/p99 latency at concurrency 10 and 100, for hello and for a 1 MiB body echoed (streamed
# through the handler). Prints Markdown tables with ratios to the floor, and component sizes.
#
#   benches/http/run.sh            (about three minutes on 2 cores, after the builds)
#
# All components are built with the same release profile (LTO, one codegen unit, symbols
# stripped, panic=abort): opt-level 3 for the speed runs, and again with opt-level "s" for sizes.
# wstd's component imports wasi:cli, so every component is served with -S cli (same host for all).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
T=${HTTP_BENCH_TARGET_DIR:-/tmp/wasio-http-bench}
PORT=${HTTP_BENCH_PORT:-18080}
log() { printf '\033[1m[http-bench]\033[0m %s\n' "$*" >&2; }

command -v wasmtime >/dev/null || { echo "wasmtime not found: run scripts/setup.sh" >&2; exit 1; }
command -v hey >/dev/null || { echo "hey not found: run scripts/setup.sh" >&2; exit 1; }

profile() {  # $1 = opt-level
  export CARGO_PROFILE_RELEASE_OPT_LEVEL="$1" CARGO_PROFILE_RELEASE_LTO=true \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_PROFILE_RELEASE_STRIP=true \
    CARGO_PROFILE_RELEASE_PANIC=abort CARGO_PROFILE_RELEASE_DEBUG=false
}
build() {  # $1 = opt-level, $2 = target dir
  profile "$1"
  CARGO_TARGET_DIR="$2/wasio" cargo build -q --release --example http_hello --example http_echo \
    --target wasm32-wasip2
  CARGO_TARGET_DIR="$2/wstd" cargo build -q --release --target wasm32-wasip2 \
    --manifest-path benches/http/wstd-http/Cargo.toml
  CARGO_TARGET_DIR="$2/raw" cargo build -q --release --target wasm32-wasip2 \
    --manifest-path benches/http/raw-http/Cargo.toml
}
log "building the components (opt-level 3, and \"s\" for size)"
build 3 "$T/speed"
build s "$T/size"

export WASIO_HELLO="$T/speed/wasio/wasm32-wasip2/release/examples/http_hello.wasm"
export WASIO_ECHO="$T/speed/wasio/wasm32-wasip2/release/examples/http_echo.wasm"
export WSTD="$T/speed/wstd/wasm32-wasip2/release/wstd-http.wasm"
export RAW="$T/speed/raw/wasm32-wasip2/release/raw_http.wasm"
export SIZE_WASIO_HELLO="$T/size/wasio/wasm32-wasip2/release/examples/http_hello.wasm"
export SIZE_WASIO_ECHO="$T/size/wasio/wasm32-wasip2/release/examples/http_echo.wasm"
export SIZE_WSTD="$T/size/wstd/wasm32-wasip2/release/wstd-http.wasm"
export SIZE_RAW="$T/size/raw/wasm32-wasip2/release/raw_http.wasm"
export HTTP_BENCH_PORT="$PORT"
log "running"
python3 benches/http/report.py
