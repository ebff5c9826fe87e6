# A lock makes a read-modify-write with an await in the middle safe: the
# workers take turns (each waits on the lock while another holds it).
import asyncio

counter = 0


async def worker(lock, name):
    global counter
    for _ in range(2):
        async with lock:
            value = counter
            await asyncio.sleep(0.1)
            counter = value + 1
            print(f"{name} -> {counter}")


async def main():
    lock = asyncio.Lock()
    await asyncio.gather(*(asyncio.create_task(worker(lock, f"w{i}"), name=f"w{i}") for i in range(3)))
    print("counter:", counter)


asyncio.run(main())
