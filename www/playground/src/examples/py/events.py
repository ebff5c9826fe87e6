# An event wakes every task waiting on it at once.
import asyncio


async def waiter(event, name):
    print(f"{name} waiting")
    await event.wait()
    print(f"{name} woke")


async def main():
    event = asyncio.Event()
    tasks = [asyncio.create_task(waiter(event, f"waiter{i}"), name=f"waiter{i}") for i in range(3)]
    await asyncio.sleep(0.5)
    print("setting the event")
    event.set()
    await asyncio.gather(*tasks)
    print("is_set:", event.is_set())


asyncio.run(main())
