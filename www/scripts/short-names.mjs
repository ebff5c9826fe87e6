// Short import and export names for wasm-bindgen's output, before wasm-opt.
//
// wasm-bindgen names every import after its Rust path plus a 16-digit hash
// (`__wbg_call_…_f249a2a76caa9a55`, 62 of them) under the module `./wasio_js_bg.js`, and every
// export after its Rust name (`jsqueue_put_nowait`, `__wbg_jsqueue_free`, 101 of them). Each name
// is in the wasm and again in the glue, and the hashes do not compress. Nothing outside the glue
// sees these names (the JS layer imports the glue's functions and classes, never the instance's
// exports), so both sides are renamed to one or two letters here:
//
//   - the wasm's import section: module `./wasio_js_bg.js` -> `a`, its fields -> short names; an
//     inline snippet's module (`./snippets/…/inline0.js`) -> `b`, `c`…, its fields unchanged
//     (they are the snippet's own export names, and the glue passes the snippet module itself);
//   - the wasm's export section: every export -> a short name;
//   - the glue: the import object's keys (`__wbg_…: function`, `"./wasio_js_bg.js": import0`) and
//     every `wasm.<export>` use.
//
// The whole package's wasm and glue together: see the commit message and www/README.md ("Size").
// Every name is replaced whole (a word boundary on both sides), and a name of the glue that is
// not found, or found again after renaming, fails the build rather than shipping a module whose
// imports do not resolve.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads an unsigned LEB128 at `at`: [value, next offset]. */
function uleb(buf, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf[at++];
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, at];
    shift += 7;
  }
}

function encodeUleb(value) {
  const out = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return out;
}

const utf8 = new TextEncoder();
const decoder = new TextDecoder();

function readName(buf, at) {
  const [len, start] = uleb(buf, at);
  return [decoder.decode(buf.subarray(start, start + len)), start + len];
}

function name(s) {
  const bytes = utf8.encode(s);
  return [...encodeUleb(bytes.length), ...bytes];
}

/** Short identifier number `i`: a, b, …, z, A, …, Z, aa, ab, … */
function shortName(i) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let s = '';
  do {
    s = alphabet[i % alphabet.length] + s;
    i = Math.floor(i / alphabet.length) - 1;
  } while (i >= 0);
  return s;
}

/** Copies an import's or export's description (everything after its names) from `at`. */
function importDesc(buf, at) {
  const kind = buf[at];
  let end = at + 1;
  switch (kind) {
    case 0: // function: type index
      [, end] = uleb(buf, end);
      break;
    case 1: {
      // table: reftype, limits
      end += 1;
      const flags = buf[end++];
      [, end] = uleb(buf, end);
      if (flags & 1) [, end] = uleb(buf, end);
      break;
    }
    case 2: {
      // memory: limits
      const flags = buf[end++];
      [, end] = uleb(buf, end);
      if (flags & 1) [, end] = uleb(buf, end);
      break;
    }
    case 3: // global: valtype, mutability
      end += 2;
      break;
    default:
      throw new Error(`short-names: unknown import kind ${kind}`);
  }
  return buf.subarray(at, end);
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Renames the imports and exports of `wasm` (bytes from wasm-bindgen) and their uses in `glue`
 * (its JS). Returns `{ wasm, glue }`.
 */
export function shortenNames(wasm, glue) {
  const buf = new Uint8Array(wasm);
  if (buf[0] !== 0 || buf[1] !== 0x61 || buf[2] !== 0x73 || buf[3] !== 0x6d) {
    throw new Error('short-names: not a wasm module');
  }
  const modules = new Map(); // old module name -> new
  const fields = new Map(); // old field name of the bindgen module -> new
  const exports = new Map(); // old export name -> new
  const out = [buf.subarray(0, 8)]; // parts, joined at the end
  let at = 8;
  while (at < buf.length) {
    const id = buf[at];
    const [size, start] = uleb(buf, at + 1);
    const end = start + size;
    if (id === 2) {
      let p = start;
      let count;
      [count, p] = uleb(buf, p);
      const body = [...encodeUleb(count)];
      for (let i = 0; i < count; i++) {
        let module;
        let field;
        [module, p] = readName(buf, p);
        [field, p] = readName(buf, p);
        const desc = importDesc(buf, p);
        p += desc.length;
        if (!modules.has(module)) modules.set(module, shortName(modules.size));
        const bindgen = module === './wasio_js_bg.js';
        if (bindgen && !fields.has(field)) fields.set(field, shortName(fields.size));
        body.push(...name(modules.get(module)), ...name(bindgen ? fields.get(field) : field), ...desc);
      }
      out.push(Uint8Array.from([2, ...encodeUleb(body.length), ...body]));
    } else if (id === 7) {
      let p = start;
      let count;
      [count, p] = uleb(buf, p);
      const body = [...encodeUleb(count)];
      for (let i = 0; i < count; i++) {
        let field;
        [field, p] = readName(buf, p);
        const [, next] = uleb(buf, p + 1); // kind, index
        exports.set(field, shortName(exports.size));
        body.push(...name(exports.get(field)), ...buf.subarray(p, next));
        p = next;
      }
      out.push(Uint8Array.from([7, ...encodeUleb(body.length), ...body]));
    } else {
      out.push(buf.subarray(at, end));
    }
    at = end;
  }
  if (!modules.has('./wasio_js_bg.js')) throw new Error('short-names: no ./wasio_js_bg.js imports');

  let js = glue;
  const replace = (pattern, to, what) => {
    const before = js;
    js = js.replace(pattern, to);
    if (js === before) throw new Error(`short-names: ${what} not found in the glue`);
  };
  // The import object: `name: function(` keys of the bindgen module, then the module keys.
  for (const [from, to] of fields) {
    replace(new RegExp(`(^|[\\s{,])${escape(from)}(?=\\s*:)`, 'gm'), `$1${to}`, `import ${from}`);
  }
  for (const [from, to] of modules) {
    replace(new RegExp(`^(\\s*)"${escape(from)}"(?=: import\\d+,$)`, 'gm'), `$1"${to}"`, `module ${from}`);
  }
  // Uses of the instance's exports. Some (a class's `free`, an unused export) have none.
  for (const [from, to] of exports) {
    js = js.replace(new RegExp(`\\bwasm\\.${escape(from)}\\b`, 'g'), `wasm.${to}`);
  }
  // A field left in the glue is a use this rename does not know of (the hashes make them unique).
  for (const from of fields.keys()) {
    if (js.includes(from)) throw new Error(`short-names: ${from} is still used in the glue`);
  }
  return { wasm: Buffer.concat(out), glue: js };
}

/** `shortenNames` over wasm-bindgen's output folder `dir` (wasio_js_bg.wasm, wasio_js.js). */
export function shortenNamesIn(dir) {
  const wasmPath = join(dir, 'wasio_js_bg.wasm');
  const gluePath = join(dir, 'wasio_js.js');
  const r = shortenNames(readFileSync(wasmPath), readFileSync(gluePath, 'utf8'));
  writeFileSync(wasmPath, r.wasm);
  writeFileSync(gluePath, r.glue);
}
