import asyncio


async def main():
    lifo = asyncio.LifoQueue()
    prio = asyncio.PriorityQueue()
    for x in [3, 1, 2]:
        await lifo.put(x)
        await prio.put((x, f"item{x}"))
    print([lifo.get_nowait() for _ in range(3)])
    print([(await prio.get())[1] for _ in range(3)])
    q = asyncio.Queue(maxsize=1)
    q.put_nowait("a")
    print(q.full(), q.empty(), q.qsize(), q.maxsize)
    try:
        q.put_nowait("b")
    except asyncio.QueueFull:
        print("QueueFull")
    q.get_nowait()
    try:
        q.get_nowait()
    except asyncio.QueueEmpty:
        print("QueueEmpty")
    try:
        q.task_done()
        q.task_done()
    except ValueError as e:
        print("ValueError:", e)


asyncio.run(main())
