# `await` inside every kind of expression the asynchronous evaluator combines: call arguments
# (positional, keyword, *args, **kwargs), operators, attributes, subscripts, slices, displays
# with unpacking, dicts, f-strings with specs, :=, and the order side effects happen in.
import asyncio


async def val(tag, v):
    print("eval", tag)
    await asyncio.sleep(0)
    return v


def show(*a, **k):
    print("show", a, sorted(k.items()))
    return len(a) + len(k)


class Box:
    def __init__(self, v):
        self.v = v
        self.items = [10, 20, 30, 40]

    def get(self, i):
        return self.items[i]


def noisy(tag, v):
    print("sync", tag)
    return v


async def main():
    print(show(noisy("a", 1), await val("b", 2), noisy("c", 3), k=await val("d", 4)))
    print(show(*await val("star", [1, 2]), noisy("after", 3), **await val("kw", {"z": 1})))
    print(await val("l", 6) * noisy("r", 7) - await val("r2", 1))
    print(-await val("neg", 5), not await val("not", 0))
    b = Box(await val("box", 9))
    print((await val("attr", b)).v, (await val("m", b)).get(await val("i", 2)))
    print(b.items[await val("sub", 1)], b.items[await val("lo", 1) : await val("hi", 3)])
    print(b.items[:: await val("step", 2)])
    print([noisy("x", 1), *await val("sp", (2, 3)), await val("y", 4)])
    print((await val("t", 1), noisy("t2", 2)), {await val("s", 5), noisy("s2", 5)})
    print({await val("k", "a"): noisy("v", 1), "b": await val("v2", 2), **await val("m2", {"c": 3})})
    w = 3.14159
    print(f"{await val('f', 'x')!r:>6}|{w:.{await val('p', 2)}f}|{noisy('g', 7):03d}")
    print((n := await val("walrus", 8)) + n)
    print([await val(i, i * i) for i in range(3)])
    print(await val("and", 0) and noisy("never", 1), await val("or", 0) or await val("or2", 5))
    print(noisy("c1", 1) < await val("c2", 2) < noisy("c3", 3))
    print(await val("if", 1) if await val("cond", True) else noisy("else", 2))
    # `x += await ...` reads x before it suspends: the other tasks' increments are lost, as
    # under CPython.
    await asyncio.gather(*(bump() for _ in range(3)))
    print("total", total, "items", items)
    return await val("ret", "done")


total = 0
items = []


async def bump():
    global total, items
    total += await val("bump", 1)
    items += [await val("item", len(items))]
    x: int = await val("ann", 2)
    assert await val("assert", x == 2), "never"


print(asyncio.run(main()))
