#!/usr/bin/env bash
# Builds the Node benchmark (release, wasm32-unknown-unknown) and the size apps, runs
# the timing table in one Node process, and prints the wasm size table: the hello world and issue
# 19's small app (ticker, Queue with three consumers, timeout around a streamed fetch, exported
# Promise), each on wasio and on its peers, raw and gzip -9, without the name section, and after
# binaryen's wasm-opt -Os (npm package, installed here from package-lock.json); then the same two
# wasio apps with and without the `recover` feature (what trap recovery costs).
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$PATH"
TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/../../target}/wasm-benches"
OUT="$TARGET_DIR/pkg"
mkdir -p "$OUT"

build() { # crate dir, crate name, wasm-bindgen target, out name, [cargo args...]
  (cd "$1" && CARGO_TARGET_DIR="$TARGET_DIR" cargo build --release --target wasm32-unknown-unknown -q "${@:5}")
  local name
  name=$(echo "$2" | tr - _)
  wasm-bindgen --target "$3" --out-dir "$OUT/$4" "$TARGET_DIR/wasm32-unknown-unknown/release/$name.wasm"
}

# WASIO_BENCH_SIZE_ONLY=1 prints the size tables alone (no timing run).
[ -n "${WASIO_BENCH_SIZE_ONLY:-}" ] || build . wasio-node-bench nodejs node
build ../wasm-hello-wasio wasm-hello-wasio web hello-wasio
build ../wasm-hello-wbf wasm-hello-wbf web hello-wbf
build ../wasm-app-wasio wasm-app-wasio web app-wasio
build ../wasm-app-wbf wasm-app-wbf web app-wbf
# The same two wasio apps with trap recovery (the opt-in `recover` feature), for its cost.
build ../wasm-hello-wasio wasm-hello-wasio web hello-wasio-recover --features wasio/recover
build ../wasm-app-wasio wasm-app-wasio web app-wasio-recover --features wasio/recover

[ -n "${WASIO_BENCH_SIZE_ONLY:-}" ] || node bench.mjs "$OUT/node"

[ -x node_modules/.bin/wasm-opt ] || npm ci --no-audit --no-fund >/dev/null

size() { wc -c <"$1" | tr -d ' '; }
gz() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
# Four variants of each module: as wasm-bindgen wrote it, without its name section (custom
# sections stripped), after wasm-opt -Os, and both.
variants() { # wasm, stem
  cp "$1" "$2.wasm"
  wasm-tools strip --all "$1" -o "$2.strip.wasm"
  node_modules/.bin/wasm-opt -Os --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$1" -o "$2.opt.wasm"
  wasm-tools strip --all "$2.opt.wasm" -o "$2.opt.strip.wasm"
}
ratio() { python3 -c "print(f'{$1/$2:.2f}x')"; }
table() { # title, wasio wasm, peer wasm, wasio label, peer label
  variants "$2" "$OUT/w"
  variants "$3" "$OUT/p"
  echo
  echo "### $1 (release, opt-level s, LTO, after wasm-bindgen)"
  echo
  echo "| build | $4 raw | gzip -9 | $5 raw | gzip -9 | ratio raw | ratio gzip | gzip difference |"
  echo "|---|---|---|---|---|---|---|---|"
  for v in "as built:wasm" "without the name section:strip.wasm" "wasm-opt -Os:opt.wasm" \
    "wasm-opt -Os, without the name section:opt.strip.wasm"; do
    local w="$OUT/w.${v#*:}" p="$OUT/p.${v#*:}"
    echo "| ${v%%:*} | $(size "$w") | $(gz "$w") | $(size "$p") | $(gz "$p") |" \
      "$(ratio "$(size "$w")" "$(size "$p")") | $(ratio "$(gz "$w")" "$(gz "$p")") |" \
      "$(($(gz "$w") - $(gz "$p"))) |"
  done
}
table "hello-world wasm size (target: wasio at most the peer + 5 KB gzip)" \
  "$OUT/hello-wasio/wasm_hello_wasio_bg.wasm" "$OUT/hello-wbf/wasm_hello_wbf_bg.wasm" \
  "wasio (spawn + sleep + log)" "wasm-bindgen-futures (spawn_local + setTimeout promise + log)"
table "small web app wasm size (target: wasio at most 1.2x the peer)" \
  "$OUT/app-wasio/wasm_app_wasio_bg.wasm" "$OUT/app-wbf/wasm_app_wbf_bg.wasm" \
  "wasio" "wasm-bindgen-futures + gloo-timers + async-channel"
table "what trap recovery costs (the opt-in \`recover\` feature; the npm package and wasio-py turn it on)" \
  "$OUT/hello-wasio-recover/wasm_hello_wasio_bg.wasm" "$OUT/hello-wasio/wasm_hello_wasio_bg.wasm" \
  "hello world with \`recover\`" "hello world without"
table "what trap recovery costs in the small app" \
  "$OUT/app-wasio-recover/wasm_app_wasio_bg.wasm" "$OUT/app-wasio/wasm_app_wasio_bg.wasm" \
  "small app with \`recover\`" "small app without"
