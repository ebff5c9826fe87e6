#!/usr/bin/env bash
# HTTP benchmark: three wasi:http components in the same `wasmtime serve` (pooling allocator on),
# driven by `hey`: wasio (examples/http_hello, examples/http_echo; hello also linked with the
# stack size benches/http/fit_stack.py picks, and with the insecure-seed adapter merged into its
# core module, rows of their own), benches/http/wasio-http (wasio doing what wstd's component does:
# hello on `/`, the body forwarded on `/echo`), a wstd `#[http_server]` component, and a bare handler on the
# `wasi` bindings with no executor (the floor; for hello also the floor that reads the whole
# request, and the floor that builds an `http::Request` of it). Requests/s and p50/p99 latency at
# concurrency 10 and 100, for hello and for a 1 MiB body echoed (through the handler, and
# forwarded: the host splices; the floor echoes both ways too). Prints Markdown tables with ratios
# to the floors and to wstd, the server's CPU time and page faults per request, what bounds the
# echo (the load generator's CPU, the machine's busy share), component sizes (see report.py for
# how rounds are interleaved), and, with valgrind installed, the instructions per hello request
# (instructions.py: the steady figure; with one more floor there, hello only: it reads nothing of
# the request and has no echo, what a handler that takes nothing, as wasio's hello, compares to).
#
#   benches/http/run.sh            (about eight minutes on 2 cores, after the builds;
#                                   HTTP_BENCH_ROUNDS=5 for more rounds;
#                                   HTTP_BENCH_SCENARIOS=hello for hello only;
#                                   HTTP_BENCH_SIZES=0 to skip the size builds and table;
#                                   HTTP_BENCH_BEFORE=REV adds wasio rows built from git revision
#                                   REV, e.g. main: a before/after in the same run)
#
# All components are built with the same release profile (LTO, one codegen unit, symbols
# stripped, panic=abort): opt-level 3 for the speed runs, and again with opt-level "z" and "s" for
# sizes. With binaryen's wasm-opt (on PATH, or www/node_modules/.bin/ after `npm ci` in www/) the
# size table also shows the hello component with its core module through `wasm-opt -Oz`, a step
# after the link (README, "HTTP components": component size).
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
  CARGO_TARGET_DIR="$2/wasio-http" cargo build -q --release --target wasm32-wasip2 \
    --manifest-path benches/http/wasio-http/Cargo.toml
  CARGO_TARGET_DIR="$2/raw" cargo build -q --release --target wasm32-wasip2 \
    --manifest-path benches/http/raw-http/Cargo.toml
}
SIZES=${HTTP_BENCH_SIZES:-1}
log "building the components (opt-level 3, and \"z\" and \"s\" for size)"
build 3 "$T/speed"
# The hello component again, linked with the shadow-stack size that puts what a request writes
# on one memory page (fit_stack.py picks it from the first link's map; see there): a second
# row in the hello tables. The plain one is kept aside first (this relinks the same file).
HELLO_SPEED="$T/speed/wasio/wasm32-wasip2/release/examples/http_hello.wasm"
cp "$HELLO_SPEED" "$T/hello.wasm"
profile 3
CARGO_TARGET_DIR="$T/speed/wasio" cargo rustc -q --release --example http_hello \
  --target wasm32-wasip2 -- -C link-arg=--Map="$T/hello.map"
if STACK=$(python3 benches/http/fit_stack.py "$T/hello.map"); then
  CARGO_TARGET_DIR="$T/speed/wasio" cargo rustc -q --release --example http_hello \
    --target wasm32-wasip2 -- -C link-arg=-zstack-size="$STACK"
  cp "$HELLO_SPEED" "$T/hello-fitted.wasm"
  export WASIO_HELLO_FITTED="$T/hello-fitted.wasm"
  log "fitted hello: stack size $STACK"
else
  log "fit_stack.py found no stack size for this layout: no fitted row"
fi
# The floors that read the whole request (`read`) and build an http::Request of it (`request`),
# and the one that reads nothing and has no echo (`hello-only`, in the instructions table only).
for f in read request hello-only; do
  CARGO_TARGET_DIR="$T/speed/raw-$f" cargo build -q --release --target wasm32-wasip2 \
    --manifest-path benches/http/raw-http/Cargo.toml --features "$f"
done
export RAW_READ="$T/speed/raw-read/wasm32-wasip2/release/raw_http.wasm"
export RAW_REQUEST="$T/speed/raw-request/wasm32-wasip2/release/raw_http.wasm"
RAW_HELLO_ONLY="$T/speed/raw-hello-only/wasm32-wasip2/release/raw_http.wasm"
if [ "$SIZES" != 0 ]; then
  build z "$T/size-z"
  build s "$T/size-s"
fi

# binaryen's tools: on PATH, or from www/node_modules after `npm ci` in www/.
bin() { command -v "$1" || { [ -x "www/node_modules/.bin/$1" ] && echo "www/node_modules/.bin/$1"; } || true; }
WASM_OPT=$(bin wasm-opt)
WASM_MERGE=$(bin wasm-merge)

# The hello component with the insecure-seed adapter merged into its core module (README, "HTTP
# components": the adapter's own instance costs every request about 12,000 instructions): link
# the core module alone, merge the adapter in (its `env` import is the core module's memory),
# then make the component.
if [ -n "$WASM_MERGE" ]; then
  profile 3
  CARGO_TARGET_DIR="$T/core-3" cargo rustc -q --release --example http_hello --target wasm32-wasip2 \
    -- -C link-arg=--skip-wit-component
  "$WASM_MERGE" "$T/core-3/wasm32-wasip2/release/examples/http_hello.wasm" env \
    wit/adapters/insecure-seed.wasm wasi:random/insecure-seed@0.2.4 -o "$T/hello-merged-core.wasm" \
    --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
    --enable-nontrapping-float-to-int --enable-multivalue --enable-reference-types
  wasm-tools component new "$T/hello-merged-core.wasm" -o "$T/hello-merged.wasm"
  wasm-tools component targets wit/ "$T/hello-merged.wasm" --world proxy
  export WASIO_HELLO_MERGED="$T/hello-merged.wasm"
else
  log "no wasm-merge: no merged-adapter row"
fi

# The hello component with its core module through wasm-opt -Oz: link the core module alone
# (--skip-wit-component), optimise it, then make the component as the linker does.
if [ -n "$WASM_OPT" ] && [ "$SIZES" != 0 ]; then
  profile z
  CARGO_TARGET_DIR="$T/core-z" cargo rustc -q --release --example http_hello --target wasm32-wasip2 \
    -- -C link-arg=--skip-wit-component
  "$WASM_OPT" -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
    --enable-nontrapping-float-to-int --enable-multivalue --enable-reference-types \
    "$T/core-z/wasm32-wasip2/release/examples/http_hello.wasm" -o "$T/hello-core-oz.wasm"
  wasm-tools component new "$T/hello-core-oz.wasm" \
    --adapt wasi:random/insecure-seed@0.2.4=wit/adapters/insecure-seed.wasm -o "$T/hello-oz.wasm"
  wasm-tools component targets wit/ "$T/hello-oz.wasm" --world proxy
  export SIZE_WASIO_HELLO_WASM_OPT="$T/hello-oz.wasm"
else
  log "no wasm-opt: the size table leaves out the wasm-opt row"
fi

# wasio's hello and echo as of another revision (HTTP_BENCH_BEFORE=REV): its tree from git,
# built with the same profiles (speed, and z for the size table).
if [ -n "${HTTP_BENCH_BEFORE:-}" ]; then
  src="$T/before-src"
  rm -rf "$src" && mkdir -p "$src"
  git archive "$HTTP_BENCH_BEFORE" | tar -x -C "$src"
  for lvl in 3 z; do
    [ "$lvl" = 3 ] || [ "$SIZES" != 0 ] || continue
    profile "$lvl"
    (cd "$src" && CARGO_TARGET_DIR="$T/before-$lvl" cargo build -q --release --example http_hello \
      --example http_echo --target wasm32-wasip2)
  done
  export WASIO_HELLO_BEFORE="$T/before-3/wasm32-wasip2/release/examples/http_hello.wasm"
  export WASIO_ECHO_BEFORE="$T/before-3/wasm32-wasip2/release/examples/http_echo.wasm"
  [ "$SIZES" = 0 ] || export SIZE_Z_WASIO_HELLO_BEFORE="$T/before-z/wasm32-wasip2/release/examples/http_hello.wasm"
  export HTTP_BENCH_BEFORE_LABEL="$HTTP_BENCH_BEFORE $(git rev-parse --short "$HTTP_BENCH_BEFORE")"
fi

export WASIO_HELLO="$T/hello.wasm"
export WASIO_ECHO="$T/speed/wasio/wasm32-wasip2/release/examples/http_echo.wasm"
export WSTD="$T/speed/wstd/wasm32-wasip2/release/wstd-http.wasm"
export WASIO_HTTP="$T/speed/wasio-http/wasm32-wasip2/release/wasio_http.wasm"
export RAW="$T/speed/raw/wasm32-wasip2/release/raw_http.wasm"
for lvl in z s; do
  [ "$SIZES" != 0 ] || break
  L=$(echo "$lvl" | tr a-z A-Z)
  export "SIZE_${L}_WASIO_HELLO=$T/size-$lvl/wasio/wasm32-wasip2/release/examples/http_hello.wasm"
  export "SIZE_${L}_WASIO_ECHO=$T/size-$lvl/wasio/wasm32-wasip2/release/examples/http_echo.wasm"
  export "SIZE_${L}_WSTD=$T/size-$lvl/wstd/wasm32-wasip2/release/wstd-http.wasm"
  export "SIZE_${L}_WASIO_HTTP=$T/size-$lvl/wasio-http/wasm32-wasip2/release/wasio_http.wasm"
  export "SIZE_${L}_RAW=$T/size-$lvl/raw/wasm32-wasip2/release/raw_http.wasm"
done
export HTTP_BENCH_PORT="$PORT"
log "running"
python3 benches/http/report.py
if command -v valgrind >/dev/null; then
  log "instructions per hello request (callgrind)"
  python3 benches/http/instructions.py "floor (bare wasi handler)=$RAW" \
    "floor, hello only (reads nothing, no echo)=$RAW_HELLO_ONLY" \
    "floor + request read (no executor)=$RAW_READ" "floor + http::Request (no executor)=$RAW_REQUEST" \
    ${WASIO_HELLO_BEFORE:+"wasio before ($HTTP_BENCH_BEFORE_LABEL)=$WASIO_HELLO_BEFORE"} \
    "wasio=$WASIO_HELLO" ${WASIO_HELLO_MERGED:+"wasio, adapter merged (wasm-merge)=$WASIO_HELLO_MERGED"} \
    "wasio hello+echo (like wstd's)=$WASIO_HTTP" "wstd #[http_server]=$WSTD" --vs "floor + http::Request (no executor)" \
    --vs "floor, hello only (reads nothing, no echo)"
else
  log "no valgrind: no instructions table"
fi
