//! The few lines of JavaScript the host needs that no binding expresses (or none expresses in
//! few bytes): an exception guard around loop callbacks, a promise settlement hook, a promise
//! settled from Rust (`wasio_deferred`, `wasio_resolve`), the browser driver's JS half (its
//! microtask and macrotask primitives, its slices and its one timer: `wasio_driver`,
//! `wasio_post`, `wasio_timer`), one call each to start a `fetch`, to get its body's reader and to
//! read a chunk, and two copies out of JS objects for `fetch` and WebSocket (headers, bytes).

use js_sys::Function;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function wasio_guard(f, onError) {
  return function (a, b, c) {
    try { f(a, b, c); } catch (e) { onError(e); }
  };
}
const settlers = new WeakMap();
export function wasio_deferred() {
  let settle;
  const p = new Promise(function (resolve, reject) {
    settle = function (ok, v) { (ok ? resolve : reject)(v); };
  });
  settlers.set(p, settle);
  return p;
}
export function wasio_resolve(p, ok, v) {
  const settle = settlers.get(p);
  settlers.delete(p);
  if (settle) settle(ok, v);
}
export function wasio_driver(f) {
  const d = {
    f: f,
    micro: microtask(),
    macro: macrotask(),
    m: function () { f(0, 0); },
    M: function () { f(1, 0); },
    t: function () { d.h = undefined; f(2, 0); },
    h: undefined,
  };
  return d;
}
export function wasio_post(d, macro) {
  if (macro) d.macro(d.M); else d.micro(d.m);
}
export function wasio_timer(d, ms) {
  if (d.h !== undefined) { clearTimeout(d.h); d.h = undefined; }
  if (ms >= 0) d.h = setTimeout(d.t, ms);
}
export function wasio_settle(d, p, token) {
  p.then(function (v) { d.f(3, token, v); }, function (e) { d.f(4, token, e); });
}
export function wasio_abort_controller() {
  return typeof AbortController === "function" ? new AbortController() : undefined;
}
export function wasio_error_text(e, name) {
  if (e instanceof Error) return name ? e.name : e.message;
  if (name) return undefined;
  try { return String(e); } catch (_) { return "a thrown value with no string form"; }
}
export function wasio_fetch(url, method, headers, body, controller) {
  const h = new Headers();
  for (let i = 0; i < headers.length; i += 2) h.append(headers[i], headers[i + 1]);
  const init = { method: method, headers: h, signal: controller.signal };
  if (body !== undefined) init.body = body;
  return fetch(new Request(url, init));
}
export function wasio_body_reader(r) {
  return r.body ? r.body.getReader() : null;
}
export function wasio_read(reader) {
  return reader.read().then(function (r) { return r.done ? null : r.value; });
}
export function wasio_header_pairs(headers) {
  const out = [];
  headers.forEach(function (value, name) { out.push(name, value); });
  return out;
}
function microtask() {
  if (typeof queueMicrotask === "function") {
    return function (cb) { queueMicrotask(cb); };
  }
  const resolved = Promise.resolve();
  return function (cb) { resolved.then(cb); };
}
function macrotask() {
  const g = globalThis;
  if (g.scheduler && typeof g.scheduler.postTask === "function") {
    const s = g.scheduler;
    return function (cb) { s.postTask(cb); };
  }
  if (typeof g.setImmediate === "function") {
    return function (cb) { g.setImmediate(cb); };
  }
  if (typeof g.MessageChannel === "function") {
    const ch = new g.MessageChannel();
    const queue = [];
    ch.port1.onmessage = function () { const cb = queue.shift(); if (cb) cb(); };
    return function (cb) { queue.push(cb); ch.port2.postMessage(null); };
  }
  return function (cb) { g.setTimeout(cb, 0); };
}
"#)]
extern "C" {
    /// `f` wrapped so that an exception (or a wasm trap) escaping it calls `on_error` instead of
    /// propagating into the host's event loop (where Node would exit the process). The wrapper
    /// passes its three arguments on.
    pub(crate) fn wasio_guard(f: &Function, on_error: &Function) -> Function;
    /// A new promise, settled by [`wasio_resolve`] (its settling function waits in a `WeakMap`
    /// keyed by the promise: nothing is added to the promise the caller gets).
    pub(crate) fn wasio_deferred() -> js_sys::Promise;
    /// Resolves (`ok`) or rejects a promise from [`wasio_deferred`] with `v`; later calls do
    /// nothing.
    pub(crate) fn wasio_resolve(p: &js_sys::Promise, ok: bool, v: &JsValue);
    /// The browser driver's JS half: its callback `f` (kind, token, value), its microtask and
    /// macrotask primitives (see [`wasio_post`]), `f` bound to each kind of slice (0 micro,
    /// 1 macro, 2 timer), and the handle of its one `setTimeout` (see [`wasio_timer`]).
    pub(crate) fn wasio_driver(f: &Function) -> JsValue;
    /// Queues the driver's microtask (`macro_task` false) or macrotask slice: `scheduler.postTask`
    /// where it exists, `setImmediate` in Node, a `MessageChannel` otherwise, `setTimeout(cb, 0)`
    /// last.
    pub(crate) fn wasio_post(driver: &JsValue, macro_task: bool);
    /// Clears the driver's armed `setTimeout`, if any, and arms its timer slice in `ms` unless
    /// `ms` is negative. The global `setTimeout` and `clearTimeout` are looked up at each call
    /// (so wrappers installed later are seen).
    pub(crate) fn wasio_timer(driver: &JsValue, ms: f64);
    /// Calls the driver's callback with `(3, token, value)` or `(4, token, error)` when `p`
    /// settles.
    pub(crate) fn wasio_settle(driver: &JsValue, p: &js_sys::Promise, token: u32);
    /// A new `AbortController`, or `None` where the host has none.
    pub(crate) fn wasio_abort_controller() -> Option<web_sys::AbortController>;
    /// A JS error's `message` (`name` false) or `name` (`name` true). For anything else, its
    /// message is `String(e)` and its name `None`. One import where `instanceof Error`,
    /// `message`, `name` and the `Debug` text of other values were four.
    pub(crate) fn wasio_error_text(e: &JsValue, name: bool) -> Option<String>;
    /// `fetch(new Request(url, init))`, `init` holding `method`, the `headers` (a flat
    /// `[name, value, name, value, …]` list), `body` if there is one, and `controller`'s signal.
    /// Throws (synchronously) when the `Headers` or the `Request` reject their input.
    ///
    /// One call into JS where building the `RequestInit`, `Headers` and `Request` from Rust took
    /// eight imports, each with its exception-catching glue, in every app that fetches.
    #[wasm_bindgen(catch)]
    pub(crate) fn wasio_fetch(
        url: &str,
        method: &str,
        headers: Vec<JsValue>,
        body: Option<js_sys::Uint8Array>,
        controller: Option<&web_sys::AbortController>,
    ) -> Result<js_sys::Promise, JsValue>;
    /// A `fetch` response's body as a `ReadableStreamDefaultReader`, or `None` without one.
    #[wasm_bindgen(catch)]
    pub(crate) fn wasio_body_reader(
        response: &web_sys::Response,
    ) -> Result<Option<web_sys::ReadableStreamDefaultReader>, JsValue>;
    /// `reader.read()`, resolved to the chunk itself, or to `null` once the stream is done: reading
    /// the step object's `done` and `value` from Rust took two property lookups with their
    /// string conversions in every app that reads a body.
    pub(crate) fn wasio_read(reader: &web_sys::ReadableStreamDefaultReader) -> js_sys::Promise;
    /// A `Headers` object's entries as one flat array, `[name, value, name, value, …]`: one call
    /// into JS, where walking the JS iterator protocol from Rust took nine imports and their
    /// glue.
    pub(crate) fn wasio_header_pairs(headers: &web_sys::Headers) -> js_sys::Array;
}

#[wasm_bindgen]
extern "C" {
    /// `console.error` with two arguments.
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    pub(crate) fn console_error2(a: &str, b: &JsValue);
    /// `dst.set(src)`, with `this` = the view wasm-bindgen makes of `dst`: copies `src` into
    /// wasm memory. The caller makes `dst` exactly `src.length` long.
    #[wasm_bindgen(js_namespace = Uint8Array, js_name = "prototype.set.call")]
    fn copy_into(dst: &mut [u8], src: &js_sys::Uint8Array);
}

/// The bytes of a JS `Uint8Array`, copied into a new `Vec`.
///
/// `Uint8Array::to_vec` does the same, but reads the length twice (two calls into JS) and
/// asserts the two are equal, which links `assert_eq!`'s `Debug` formatting of two `usize`s into
/// every app that reads a `fetch` body or a WebSocket message. Here the length is read once.
pub(crate) fn bytes_of(src: &js_sys::Uint8Array) -> Vec<u8> {
    let mut bytes = vec![0; src.length() as usize];
    copy_into(&mut bytes, src);
    bytes
}
