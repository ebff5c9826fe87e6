import asyncio

active = 0
peak = 0


async def limited(sem, i):
    global active, peak
    async with sem:
        active += 1
        peak = max(peak, active)
        print(f"start {i} (active {active})")
        await asyncio.sleep(0.1)
        active -= 1
    return i * 10


async def main():
    sem = asyncio.Semaphore(2)
    print(await asyncio.gather(*(limited(sem, i) for i in range(5))))
    print("peak", peak, "locked", sem.locked())
    b = asyncio.BoundedSemaphore(1)
    await b.acquire()
    b.release()
    try:
        b.release()
    except ValueError as e:
        print("ValueError:", e)


asyncio.run(main())
