import asyncio


async def ok(n):
    await asyncio.sleep(n / 10)
    return n


async def bad(n):
    await asyncio.sleep(n / 10)
    raise ValueError(f"bad {n}")


async def main():
    print(await asyncio.gather(ok(3), ok(1), ok(2)))
    print(await asyncio.gather(ok(1), bad(2), ok(3), return_exceptions=True))
    try:
        await asyncio.gather(ok(1), bad(2), bad(3))
    except ValueError as e:
        print("first error:", e)
    await asyncio.sleep(0.5)
    print(await asyncio.gather())


asyncio.run(main())
