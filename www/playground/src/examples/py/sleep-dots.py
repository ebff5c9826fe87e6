# The article's first example: print dots while a slow operation runs.
# The ticker is a task of its own; cancelling it ends its lane.
import asyncio


async def slow_operation():
    await asyncio.sleep(1.1)
    return 42


async def dots():
    while True:
        print(".", end="")
        await asyncio.sleep(0.25)


async def main():
    ticker = asyncio.create_task(dots(), name="dots")
    result = await slow_operation()
    ticker.cancel()
    print()
    print("result:", result)


asyncio.run(main())
