import asyncio
import random

STEP = {0: 0.1, 1: 0.25, 2: 0.45}


async def producer(q, n, pid):
    for i in range(n):
        await asyncio.sleep(STEP[pid])
        item = f"p{pid}-{i}-{random.randint(1, 6)}"
        await q.put(item)
        print(f"produced {item}")


async def consumer(q, cid, seen):
    while True:
        item = await q.get()
        await asyncio.sleep(0.07)
        seen.append(item)
        print(f"c{cid} handled {item} (qsize={q.qsize()})")
        q.task_done()


async def main():
    random.seed(7)
    q = asyncio.Queue(maxsize=3)
    seen = []
    consumers = [asyncio.create_task(consumer(q, c, seen)) for c in range(2)]
    await asyncio.gather(*(producer(q, 4, p) for p in range(3)))
    await q.join()
    for c in consumers:
        c.cancel()
    res = await asyncio.gather(*consumers, return_exceptions=True)
    print(len(seen))
    print([type(r).__name__ for r in res])


asyncio.run(main())
