# 10,000 tasks each put one item through one Queue; a consumer takes them all.
import asyncio

N = 10_000


async def producer(q, i):
    await q.put(i)


async def main():
    q = asyncio.Queue()
    tasks = [asyncio.create_task(producer(q, i)) for i in range(N)]
    total = 0
    for _ in range(N):
        total += await q.get()
    await asyncio.gather(*tasks)
    print(total)


asyncio.run(main())
