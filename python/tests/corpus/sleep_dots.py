# The article's first example: print dots while a slow operation runs.
import asyncio
import time


async def slow_operation():
    await asyncio.sleep(1.1)
    return 42


async def dots():
    while True:
        print(".", end="")
        await asyncio.sleep(0.25)


async def main():
    start = time.perf_counter()
    ticker = asyncio.create_task(dots())
    result = await slow_operation()
    ticker.cancel()
    print()
    print("result:", result)
    print(f"took {time.perf_counter() - start:.1f}s")


asyncio.run(main())
