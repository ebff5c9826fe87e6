;; An adapter module (wit-component's `--adapt`) that gives a component's core module
;; `wasi:random/insecure-seed` from `wasi:random/random`, which the wasi:http/proxy world has.
;;
;; Rust's std seeds `HashMap`'s `RandomState` with `insecure-seed` (the `http` crate's `HeaderMap`
;; reaches it: every insertion links its hash-flooding defence, `Danger::set_red`, which takes a
;; `RandomState`; README, "HTTP components"), and `insecure-seed` is not in the proxy world. wasio's build script passes this
;; adapter to the linker for its example components; see README ("HTTP components") for yours.
;;
;; Rebuild wit/adapters/insecure-seed.wasm (scripts/test-http.sh checks it matches):
;;   wasm-tools parse wit/adapters/insecure-seed.wat -o /tmp/a.wasm
;;   wasm-tools component embed wit/ --world insecure-seed-adapter /tmp/a.wasm -o wit/adapters/insecure-seed.wasm
(module
  (import "wasi:random/random@0.2.12" "get-random-u64" (func $u64 (result i64)))
  (import "env" "memory" (memory 0))
  ;; insecure-seed: func() -> tuple<u64, u64>, returned through a pointer to 16 bytes.
  (func (export "insecure-seed") (param $ret i32)
    (i64.store (local.get $ret) (call $u64))
    (i64.store offset=8 (local.get $ret) (call $u64)))
)
