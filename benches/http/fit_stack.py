"""Picks a shadow-stack size that puts the memory a `wasi:http` request writes on as few 4 KiB pages
as it can, from the linker's map of a first build (`-C link-arg=--Map=FILE`). Prints the size,
for a second build with `-C link-arg=-zstack-size=SIZE`; prints nothing (and exits 1) if no size
fits.

    python3 benches/http/fit_stack.py layout.map [--stack-depth BYTES] [--heap-use BYTES]

Why. `wasmtime serve` with the pooling allocator runs every request in a fresh instance whose
memory the kernel maps page by page: a read of a data page maps the module's image (with its
neighbours), and each page then written costs a copy-on-write fault; the shadow stack's first
page costs one more. Rust's wasm targets link the stack first: it grows down from the stack size
(1 MiB), and the read-only data, the data, the zero-initialised data and the heap follow it. What
a request writes besides its stack is the thread-locals (the executor's and the reactor's, which
sit in the data because their initial values are not all zero), the zero-initialised statics
(the allocator's state, wit-bindgen's start-up flag) and the first bytes of the heap: one span
that the default layout may cut at a page boundary (http_hello: 8 faults per request; two of
them this cut). A stack size just under a multiple of the page moves every address after the
stack down by the difference: this script picks the one that puts the whole span in one page,
leaves the top page of the stack at least `--stack-depth` bytes and the heap `--heap-use` bytes
(the hello path's deepest shadow-stack write is 2,632 B below the top, and its heap takes about
900 B), with the spare room split between the two: the stack then takes one page, which it
shares with the start of the read-only data.

The layout moves with every change of code or data, so the size is picked again for each build
(`benches/http/run.sh` does); a wrong size costs faults, never correctness (the stack is only
smaller by under 4 KiB)."""

import argparse
import re
import sys

PAGE = 0x1000


def layout(path):
    """(start of the read-only data, start of the written span, heap base) from a wasm-ld map."""
    sections, tls = {}, []
    for line in open(path):
        m = re.match(r"\s*([0-9a-f]+)\s+[0-9a-f-]+\s+([0-9a-f]+)\s+(\S+)\s*$", line)
        if m and m.group(3) in (".rodata", ".data", ".bss"):
            sections[m.group(3)] = (int(m.group(1), 16), int(m.group(2), 16))
        elif m and "__RUST_STD_INTERNAL_VAL" in m.group(3):
            tls.append(int(m.group(1), 16))
    if not {".rodata", ".bss"} <= sections.keys():
        raise SystemExit(f"{path}: no .rodata or .bss in the map")
    data = sections.get(".data", (0, 0))
    bss, bss_size = sections[".bss"]
    # Thread-locals with a nonzero initial value live in .data; the others, and every
    # zero-initialised static, in .bss.
    written = min([a for a in tls if data[0] <= a < data[0] + data[1]] + [bss])
    heap = (bss + bss_size + 15) & ~15
    return sections[".rodata"][0], written, heap


def fit(rodata, written, heap, depth, heap_use):
    """The stack size whose layout keeps [written, heap + heap_use) in one page and gives the
    stack `depth` bytes in its top page, or None. Positions are taken relative to the read-only
    data, which starts where the stack ends."""
    w, h = written - rodata, heap - rodata + heap_use
    best, best_spare = None, -1
    for top in range(depth, PAGE, 16):  # where in its page the stack's top (and the data) start
        # Page boundaries fall at k * PAGE - top (relative to the data's start).
        if (w + top) // PAGE != (h - 1 + top) // PAGE:
            continue
        # Spare room both ways: stack below `depth`, heap beyond `heap_use`.
        spare = min(top - depth, PAGE - 1 - (h - 1 + top) % PAGE)
        if spare > best_spare:
            best, best_spare = top, spare
    if best is None:
        return None
    # The stack keeps its size in whole pages (less one if it was a whole number), plus `best`.
    return (rodata - 1) // PAGE * PAGE + best


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("map")
    p.add_argument("--stack-depth", type=lambda s: int(s, 0), default=0xA50)
    p.add_argument("--heap-use", type=lambda s: int(s, 0), default=0x380)
    a = p.parse_args()
    size = fit(*layout(a.map), a.stack_depth, a.heap_use)
    if size is None:
        sys.exit(1)
    print(size)


if __name__ == "__main__":
    main()
