import asyncio


async def fetch(name, delay):
    await asyncio.sleep(delay)
    print(f"{name} done after {delay}s")
    return name.upper()


async def main():
    t1 = asyncio.create_task(fetch("alpha", 0.3), name="alpha-task")
    t2 = asyncio.create_task(fetch("beta", 0.1))
    print(t1.get_name(), t1.done())
    print(await t1, await t2, t1.done(), t1.result())
    try:
        await asyncio.wait_for(fetch("slow", 5), timeout=0.5)
    except asyncio.TimeoutError:
        print("slow timed out")
    print(await asyncio.wait_for(fetch("quick", 0.1), timeout=1))
    t3 = asyncio.create_task(fetch("never", 10))
    await asyncio.sleep(0)
    t3.cancel()
    try:
        await t3
    except asyncio.CancelledError:
        print("t3 cancelled:", t3.cancelled())


asyncio.run(main())
