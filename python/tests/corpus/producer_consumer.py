import asyncio
import random

STEP = {0: 0.1, 1: 0.25, 2: 0.45}
produced = []
DICE = []


async def producer(q, n, pid):
    for i in range(n):
        await asyncio.sleep(STEP[pid])
        item = f"p{pid}-{i}-{DICE[pid * n + i]}"
        await q.put(item)
        produced.append(item)


async def consumer(q, cid, seen):
    while True:
        item = await q.get()
        await asyncio.sleep(0.07)
        seen.append(item)
        q.task_done()


async def main():
    random.seed(7)
    DICE.extend(random.randint(1, 6) for _ in range(12))
    q = asyncio.Queue(maxsize=3)
    seen = []
    consumers = [asyncio.create_task(consumer(q, c, seen)) for c in range(2)]
    await asyncio.gather(*(producer(q, 4, p) for p in range(3)))
    await q.join()
    for c in consumers:
        c.cancel()
    res = await asyncio.gather(*consumers, return_exceptions=True)
    print(len(seen), sorted(seen) == sorted(produced), q.empty(), q.qsize())
    print(sorted(produced))
    print([type(r).__name__ for r in res])


asyncio.run(main())
