# PriorityQueue keeps heapq's order, also among items that compare equal.
import asyncio


class Job:
    def __init__(self, prio, name):
        self.prio = prio
        self.name = name

    def __lt__(self, other):
        return self.prio < other.prio


async def main():
    q = asyncio.PriorityQueue()
    for k, p in enumerate([3, 1, 2, 1, 3, 2, 1, 0, 2, 3, 1, 0]):
        q.put_nowait(Job(p, f"job{k}"))
    print(q.qsize(), [q.get_nowait().name for _ in range(6)])
    for k, p in enumerate([5, 1, 5, 0]):
        await q.put(Job(p, f"late{k}"))
    out = []
    while not q.empty():
        j = await q.get()
        out.append(f"{j.prio}:{j.name}")
    print(out)
    lifo = asyncio.LifoQueue(maxsize=2)
    await lifo.put("a")
    await lifo.put("b")

    async def putter():
        await lifo.put("c")
        print("put c")

    t = asyncio.create_task(putter())
    await asyncio.sleep(0)
    print(lifo.full(), await lifo.get(), await lifo.get())
    await t
    print(await lifo.get(), lifo.empty())


asyncio.run(main())
