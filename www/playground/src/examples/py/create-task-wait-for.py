# create_task starts coroutines side by side; wait_for gives one a deadline
# and cancels it when the deadline passes.
import asyncio


async def fetch(name, delay):
    await asyncio.sleep(delay)
    print(f"{name} done after {delay}s")
    return name.upper()


async def main():
    t1 = asyncio.create_task(fetch("alpha", 0.3), name="alpha")
    t2 = asyncio.create_task(fetch("beta", 0.1), name="beta")
    print(await t1, await t2)
    try:
        await asyncio.wait_for(fetch("slow", 5), timeout=0.5)
    except TimeoutError:
        print("slow timed out")
    print(await asyncio.wait_for(fetch("quick", 0.1), timeout=1))


asyncio.run(main())
