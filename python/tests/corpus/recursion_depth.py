# Deep recursion works to 450 calls on every host (the limit is 500 in the browser build, 800
# in wasmtime's, 1000 natively as in CPython); past the limit every shape of unbounded recursion
# (plain, in loops and try/with, async, generators, callbacks) raises RecursionError, never a
# crash of the host.
import asyncio


def down(n):
    if n == 0:
        return 0
    return down(n - 1) + 1


class CM:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


class Node:
    def go(self, n, *, step=1, **kw):
        with CM():
            while True:
                try:
                    for _ in [1]:
                        return [self.go(n + step, step=step, **kw)][0]
                finally:
                    pass


async def adown(n):
    if n == 0:
        return 0
    return await adown(n - 1) + 1


async def aloop(n):
    async with asyncio.Lock():
        for _ in range(1):
            try:
                return await aloop(n + 1)
            finally:
                pass


def gen(n):
    yield n
    yield from gen(n + 1)


r = asyncio.run(adown(100))
print(down(450), r, sum(down(k) for k in range(0, 450, 50)))
shapes = [
    ("plain", lambda: down(10 ** 6)),
    ("loops", lambda: Node().go(0, x=1)),
    ("generator", lambda: sum(gen(0))),
    ("callback", lambda: sorted([1, 2], key=lambda v: Node().go(0))),
]
for name, shape in shapes:
    try:
        shape()
        print(name, "returned")
    except RecursionError as e:
        print(name, type(e).__name__)
try:
    asyncio.run(aloop(0))
except RecursionError as e:
    print("async", type(e).__name__)
print(down(400), "after")
