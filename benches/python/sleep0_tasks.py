# 1,000 tasks, each sleeping 0 a hundred times: 100,000 task switches.
import asyncio


async def worker():
    for _ in range(100):
        await asyncio.sleep(0)


async def main():
    await asyncio.gather(*(worker() for _ in range(1000)))
    print("done")


asyncio.run(main())
