#!/usr/bin/env bash
# Python front end (python/, crate wasio-py): lints, the native suite (the corpus compared byte for
# byte with CPython, error programs, SyntaxErrors, limits), then the same corpus and error programs
# run by the WASI command component in wasmtime, plus a real TCP echo over 127.0.0.1 compared with
# CPython's and a TCP client against CPython's asyncio server (both also natively, in the native
# suite: python/tests/net.rs), and the browser build's tests in Node. Needs python3 (for the expected outputs),
# wasmtime and wasm-bindgen-test-runner. About 2-3 minutes of CI on 2
# cores (mostly the two builds).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
step() { printf '\n\033[1;34m==> python: %s\033[0m\n' "$*"; }
die() { printf '\033[1;31mpython: %s\033[0m\n' "$*" >&2; exit 1; }

command -v python3 >/dev/null || die "python3 not found (the corpus's expected output comes from CPython)"
command -v wasmtime >/dev/null || die "wasmtime not found (scripts/setup.sh installs it)"
PORT_CPY=${WASIO_PY_TEST_PORT:-18851}
PORT_OURS=$((PORT_CPY + 1))
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')

step "format and lints (wasio-py)"
cargo fmt -p wasio-py --check
cargo clippy -p wasio-py --all-targets -- -D warnings
cargo clippy -p wasio-py --lib --target wasm32-wasip2 -- -D warnings
cargo clippy -p wasio-py --lib --tests --target wasm32-unknown-unknown -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc -p wasio-py --no-deps -q

step "native: corpus vs CPython, error programs, SyntaxErrors, limits"
cargo test -p wasio-py

step "Node: the browser build on the JS event loop (wasm-bindgen-test-runner)"
# Optimised, as the playground ships it: its recursion limit is set for optimised code's native
# frames (an unoptimised build's are several times larger). The runner can end without a summary
# (exit 0) when JavaScript's own stack overflows, so the summary line is required.
cargo test -p wasio-py --release --target wasm32-unknown-unknown --test web 2>&1 | tee "$TARGET_DIR/wasio-py-web-test.log"
grep -q "^test result: ok" "$TARGET_DIR/wasio-py-web-test.log" || die "the Node tests ended without a passing summary"

step "wasmtime: the WASI command component runs the same corpus"
cargo build -p wasio-py --release --target wasm32-wasip2
WASM="$TARGET_DIR/wasm32-wasip2/release/wasio-py.wasm"
# CPython runs asyncio on a virtual clock, as wasio-py does with --simulated-clock.
SIM=$PWD/python/tests/cpython_sim.py
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check() { # kind file
  local kind=$1 f=$2 dir base
  dir=$(dirname "$f")
  base=$(basename "$f")
  (cd "$dir" && PYTHONHASHSEED=0 python3 "$SIM" "$base" >"$tmp/want.out" 2>"$tmp/want.err"; echo $? >"$tmp/want.rc") || true
  (cd "$dir" && wasmtime run -Sinherit-network,allow-ip-name-lookup --dir . "$WASM" --simulated-clock "$base" >"$tmp/got.out" 2>"$tmp/got.err"; echo $? >"$tmp/got.rc") || true
  local ok=1
  cmp -s "$tmp/want.rc" "$tmp/got.rc" || ok=0
  cmp -s "$tmp/want.out" "$tmp/got.out" || ok=0
  if [ "$kind" = corpus ]; then
    cmp -s "$tmp/want.err" "$tmp/got.err" || ok=0
  else
    [ "$(tail -n1 "$tmp/want.err")" = "$(tail -n1 "$tmp/got.err")" ] || ok=0
  fi
  if [ $ok = 1 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED in wasmtime: $f"
    diff "$tmp/want.out" "$tmp/got.out" | head -20 || true
    tail -n3 "$tmp/want.err" "$tmp/got.err" || true
  fi
}
for f in python/tests/corpus/*.py; do check corpus "$f"; done
for f in python/tests/errors/*.py; do check errors "$f"; done

step "wasmtime: a real TCP echo over 127.0.0.1 (ports $PORT_CPY for CPython, $PORT_OURS for wasio-py)"
(cd python/tests/net && python3 tcp_echo.py "$PORT_CPY" >"$tmp/want.out" 2>&1) || die "CPython's TCP echo failed"
if (cd python/tests/net && timeout 60 wasmtime run -Sinherit-network,allow-ip-name-lookup --dir . "$WASM" tcp_echo.py "$PORT_OURS" >"$tmp/got.out" 2>&1) && cmp -s "$tmp/want.out" "$tmp/got.out"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  echo "FAILED: TCP echo in wasmtime"
  diff "$tmp/want.out" "$tmp/got.out" || true
fi

# A client against CPython's asyncio echo server (it serves one client, then exits): wasio-py's
# output must be CPython's client's.
client_vs_cpython_server() { # port out command...
  local port=$1 out=$2 i
  shift 2
  # Empty the file first: the background shell truncates it only when it starts, and the previous
  # server's "ready" must not let the client connect before this server listens.
  : >"$tmp/server.out"
  (cd python/tests/net && exec python3 echo_server.py "$port") >"$tmp/server.out" 2>&1 &
  local server=$!
  for i in $(seq 100); do grep -q ready "$tmp/server.out" 2>/dev/null && break; sleep 0.1; done
  (cd python/tests/net && timeout 60 "$@" tcp_client.py "$port") >"$out" 2>&1 || true
  # The server exits after its one client; a client that never reached it must not hang the suite.
  for i in $(seq 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
  kill "$server" 2>/dev/null || true
  wait "$server" || true
}
step "wasmtime: a TCP client against CPython's echo server (ports $((PORT_CPY + 2)), $((PORT_CPY + 3)))"
client_vs_cpython_server $((PORT_CPY + 2)) "$tmp/want.out" python3
client_vs_cpython_server $((PORT_CPY + 3)) "$tmp/got.out" wasmtime run -Sinherit-network,allow-ip-name-lookup --dir . "$WASM"
if grep -q "2008000 bytes" "$tmp/want.out" && cmp -s "$tmp/want.out" "$tmp/got.out"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  echo "FAILED: TCP client against CPython's server, in wasmtime"
  diff "$tmp/want.out" "$tmp/got.out" || true
fi

echo "python wasmtime: $passed passed, $failed failed"
[ "$failed" = 0 ] || exit 1
