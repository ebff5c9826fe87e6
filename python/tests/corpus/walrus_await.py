# Assignment expressions around await: parenthesised anywhere, bare as an if/elif/while condition.
import asyncio


async def f(x):
    await asyncio.sleep(0)
    return x * 2


async def main():
    if (y := await f(3)) > 5:
        print("y", y)
    n = 0
    while (n := n + await f(1)) < 7:
        print("n", n)
    print([z for v in [1, 2, 0] if (z := await f(v))], z)
    if y := await f(0):
        print("no")
    elif m := await f(2):
        print("elif", m, y)
    k = 3
    while k := k - 1:
        print("k", k, await f(k))
    while x := await f(0):
        pass
    print("x", x, (w := [await f(i) for i in range(3)]), w)
    print([(t := c) for c in "ab"], t, [last := i * i for i in range(4)], last)


asyncio.run(main())
