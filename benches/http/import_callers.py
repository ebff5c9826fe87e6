"""Why does a component import this? Prints the chains of functions that reach an import of a
core module, from the import up to the module's exports (the reverse call graph, read from
`wasm-tools print` with the name section's function names).

    python3 benches/http/import_callers.py CORE.wasm IMPORT [--depth N]
    python3 benches/http/import_callers.py --example http_hello IMPORT [--depth N]

IMPORT is part of the import's module or field name (e.g. `insecure-seed`). With `--example`,
the example's core module is linked first (`--skip-wit-component`, symbols kept, the benchmark's
release profile; `--opt-level 1` inlines less, so the chains are longer) in
$HTTP_BENCH_TARGET_DIR/callers-LEVEL (default /tmp/wasio-http-bench).

Every function a component imports costs `wasmtime serve` work at each instantiation, called or
not (README, "Instructions per request"), so an import is worth tracing to its callers. What it
showed for `wasi:random/insecure-seed` in `http_hello` when its handler was given the whole
request (README, "HTTP components", now traces `http_echo`): its one caller is std's
thread-local `RandomState` keys (`LazyStorage::initialize`), reached only from the `http`
crate's `HeaderMap` insertions inlined into wasio's request and response code.

Calls through a table (`call_indirect`) have no static callee: a function whose address is taken
(`ref.func`, an `elem` segment) is shown as reached from `<table>`.
"""

import argparse
import os
import re
import subprocess
import sys

FUNC = re.compile(r"^\s*\(func \$(\S+) \(;(\d+);\)")
IMPORT = re.compile(r'^\s*\(import "([^"]*)" "([^"]*)" \(func \$(\S+) \(;(\d+);\)')
EXPORT = re.compile(r'^\s*\(export "([^"]*)" \(func (\d+|\$\S+)\)\)')
CALL = re.compile(r"\b(?:return_)?call \$(\S+?)\)?(?:\s|$)")
REF = re.compile(r"\bref\.func \$(\S+?)\)?(?:\s|$)")
ELEM = re.compile(r"^\s*\(elem\b")


LEGACY_ESCAPES = {"$LT$": "<", "$GT$": ">", "$u20$": " ", "$RF$": "&", "$BP$": "*", "$C$": ",",
                  "$u7b$": "{", "$u7d$": "}", "$u5b$": "[", "$u5d$": "]", "$u27$": "'", "..": "::"}


def demangle(name):
    """A Rust symbol name in the legacy scheme (`_ZN` + length-prefixed parts + hash), made
    readable: the parts joined by `::`, the hash dropped, `$LT$`-style escapes undone; a v0 name
    (`_R`) that is a plain path of modules and functions likewise. Other names (generic v0
    paths, exports) are printed as they are."""
    if name.startswith("_R"):
        return demangle_v0(name)
    if not (name.startswith("_ZN") and name.endswith("E")):
        return name
    parts, i, body = [], 3, name[:-1]
    while i < len(body):
        j = i
        while j < len(body) and body[j].isdigit():
            j += 1
        if j == i:
            return name
        n = int(body[i:j])
        parts.append(body[j : j + n])
        i = j + n
    if parts and re.fullmatch(r"h[0-9a-f]{16}", parts[-1]):
        parts.pop()
    out = "::".join(p[1:] if p.startswith("_$") else p for p in parts)
    for k, v in LEGACY_ESCAPES.items():
        out = out.replace(k, v)
    return out


def demangle_v0(name):
    """The parts of a v0 symbol that is only nested paths (`N`) over a crate root (`C`)."""

    def ident(i):
        if name.startswith("s", i):  # disambiguator: s <base-62> _
            i = name.index("_", i) + 1
        if name.startswith("u", i):  # Punycode: left as it is
            i += 1
        j = i
        while j < len(name) and name[j].isdigit():
            j += 1
        n = int(name[i:j])
        if name.startswith("_", j):
            j += 1
        return name[j : j + n], j + n

    def path(i):
        if name.startswith("C", i):
            part, i = ident(i + 1)
            return [part], i
        if name.startswith("N", i):
            parts, i = path(i + 2)
            part, i = ident(i)
            return parts + [part], i
        raise ValueError(name)

    try:
        parts, _ = path(2)
        return "::".join(parts)
    except (ValueError, IndexError):
        return name


def build_example(example, opt):
    """Links `example`'s core module with symbols kept; returns its path."""
    base = os.environ.get("HTTP_BENCH_TARGET_DIR", "/tmp/wasio-http-bench")
    target = os.path.join(base, f"callers-{opt}")
    env = dict(
        os.environ,
        CARGO_TARGET_DIR=target,
        CARGO_PROFILE_RELEASE_OPT_LEVEL=opt,
        CARGO_PROFILE_RELEASE_LTO="true",
        CARGO_PROFILE_RELEASE_CODEGEN_UNITS="1",
        CARGO_PROFILE_RELEASE_STRIP="false",
        CARGO_PROFILE_RELEASE_PANIC="abort",
        CARGO_PROFILE_RELEASE_DEBUG="false",
    )
    subprocess.run(
        ["cargo", "rustc", "-q", "--release", "--example", example, "--target", "wasm32-wasip2",
         "--", "-C", "link-arg=--skip-wit-component"],
        env=env,
        check=True,
    )
    return os.path.join(target, "wasm32-wasip2", "release", "examples", f"{example}.wasm")


def graph(wat):
    """(callers: callee -> set of callers, imports: name -> "module field", exports: name ->
    export names) of the printed module."""
    callers, imports, exports, by_index = {}, {}, {}, {}
    cur, in_elem = None, False
    for line in wat.splitlines():
        m = IMPORT.match(line)
        if m:
            imports[m.group(3)] = f"{m.group(1)} {m.group(2)}"
            by_index[m.group(4)] = m.group(3)
            continue
        m = FUNC.match(line)
        if m:
            cur, in_elem = m.group(1), False
            by_index[m.group(2)] = cur
            continue
        m = EXPORT.match(line)
        if m:
            ref = m.group(2)
            name = ref[1:] if ref.startswith("$") else by_index.get(ref, ref)
            exports.setdefault(name, []).append(m.group(1))
            continue
        if ELEM.match(line):
            in_elem = True
        caller = "<table>" if in_elem else cur
        if caller is None:
            continue
        for callee in CALL.findall(line):
            callers.setdefault(callee, set()).add(caller)
        for callee in REF.findall(line):
            callers.setdefault(callee, set()).add("<table>")
        if in_elem:
            for callee in re.findall(r"\$(\S+?)\)?(?:\s|$)", line):
                callers.setdefault(callee, set()).add("<table>")
    return callers, imports, exports


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("module", nargs="?", help="a core module with a name section")
    p.add_argument("import_", metavar="IMPORT", help="part of the import's module or field name")
    p.add_argument("--example", help="link this example's core module first")
    p.add_argument("--opt-level", default="3", help="with --example: 1 inlines less (longer chains)")
    p.add_argument("--depth", type=int, default=12)
    a = p.parse_args()
    if a.example:
        if a.module:
            a.import_ = a.module
        path = build_example(a.example, a.opt_level)
    elif a.module:
        path = a.module
    else:
        p.error("give a core module or --example")
    printed = subprocess.run(["wasm-tools", "print", path], capture_output=True, text=True)
    if printed.returncode != 0:
        sys.exit(f"wasm-tools print {path}: {printed.stderr.strip()}")
    wat = printed.stdout
    callers, imports, exports = graph(wat)
    hits = [f for f, what in imports.items() if a.import_ in what]
    if not hits:
        sys.exit(f"{path}: no function import matching {a.import_!r} (or no name section)")
    for f in hits:
        print(f"import {imports[f]}")
        seen = {f}

        def walk(fn, depth):
            for c in sorted(callers.get(fn, ())):
                tag = f"  [export {', '.join(exports[c])}]" if c in exports else ""
                again = "  (above)" if c in seen else ""
                print(f"{'  ' * depth}<- {demangle(c)}{tag}{again}")
                if c not in seen and depth < a.depth:
                    seen.add(c)
                    walk(c, depth + 1)

        walk(f, 1)
        if not callers.get(f):
            print("  (no callers: the import is linked but unused)")


if __name__ == "__main__":
    main()
