import asyncio

items = []


async def consumer(cond, name):
    async with cond:
        await cond.wait_for(lambda: len(items) > 0)
        item = items.pop(0)
        print(f"{name} consumed {item}")


async def producer(cond):
    for i in range(3):
        await asyncio.sleep(0.1)
        async with cond:
            items.append(i)
            print(f"produced {i}")
            cond.notify()


async def main():
    cond = asyncio.Condition()
    cs = [asyncio.create_task(consumer(cond, f"c{i}")) for i in range(3)]
    await producer(cond)
    await asyncio.gather(*cs)
    async with cond:
        print("locked inside:", cond.locked())
    print("locked outside:", cond.locked())


asyncio.run(main())
