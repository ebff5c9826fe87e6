# A condition: consumers wait (holding nothing) until the producer has put
# an item and notified one of them.
import asyncio

items = []


async def consumer(cond, name):
    async with cond:
        await cond.wait_for(lambda: len(items) > 0)
        print(f"{name} consumed {items.pop(0)}")


async def producer(cond):
    for i in range(3):
        await asyncio.sleep(0.2)
        async with cond:
            items.append(i)
            print(f"produced {i}")
            cond.notify()


async def main():
    cond = asyncio.Condition()
    cs = [asyncio.create_task(consumer(cond, f"c{i}"), name=f"c{i}") for i in range(3)]
    await asyncio.create_task(producer(cond), name="producer")
    await asyncio.gather(*cs)
    print("done")


asyncio.run(main())
