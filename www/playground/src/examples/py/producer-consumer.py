# A bounded queue between a producer and two consumers: the producer waits
# when the queue is full, consumers wait when it is empty; join() waits
# until every item is marked done.
import asyncio


async def producer(q):
    for i in range(6):
        await q.put(i)
        print(f"put {i}")


async def consumer(q, name):
    while True:
        item = await q.get()
        await asyncio.sleep(0.2)
        print(f"{name} got {item}")
        q.task_done()


async def main():
    q = asyncio.Queue(maxsize=2)
    consumers = [asyncio.create_task(consumer(q, f"c{i}"), name=f"c{i}") for i in (1, 2)]
    await asyncio.create_task(producer(q), name="producer")
    await q.join()
    for c in consumers:
        c.cancel()
    print("all items processed")


asyncio.run(main())
