import asyncio


async def ticker(n, delay):
    for i in range(n):
        await asyncio.sleep(delay)
        yield i


class Resource:
    def __init__(self, name):
        self.name = name

    async def __aenter__(self):
        await asyncio.sleep(0.01)
        print(f"open {self.name}")
        return self

    async def __aexit__(self, exc_type, exc, tb):
        print(f"close {self.name} ({exc_type.__name__ if exc_type else None})")
        return False


class Countdown:
    def __init__(self, n):
        self.n = n

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.n <= 0:
            raise StopAsyncIteration
        await asyncio.sleep(0)
        self.n -= 1
        return self.n


async def main():
    async for i in ticker(3, 0.1):
        print("tick", i)
    print([x async for x in ticker(4, 0)])
    print([x async for x in Countdown(3)])
    async with Resource("db") as r:
        print("using", r.name)
    try:
        async with Resource("file"):
            raise RuntimeError("oops")
    except RuntimeError as e:
        print("caught", e)
    squares = [await asyncio.sleep(0, x * x) for x in range(4)]
    print(squares)


asyncio.run(main())
