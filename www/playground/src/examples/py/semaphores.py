# A semaphore lets at most two downloads run at once; the others wait for
# a permit.
import asyncio


async def download(sem, n):
    async with sem:
        print(f"download {n} started")
        await asyncio.sleep(0.3)
        print(f"download {n} finished")


async def main():
    sem = asyncio.Semaphore(2)
    await asyncio.gather(*(asyncio.create_task(download(sem, n), name=f"download{n}") for n in range(5)))
    print("all downloads done")


asyncio.run(main())
