import asyncio

counter = 0


async def incr(lock, name):
    global counter
    async with lock:
        v = counter
        await asyncio.sleep(0.01)
        counter = v + 1
        print(f"{name} -> {counter}")


async def waiter(ev, name):
    print(f"{name} waiting")
    await ev.wait()
    print(f"{name} released")


async def main():
    lock = asyncio.Lock()
    await asyncio.gather(*(incr(lock, f"t{i}") for i in range(4)))
    print("counter", counter, "locked", lock.locked())
    ev = asyncio.Event()
    ws = [asyncio.create_task(waiter(ev, f"w{i}")) for i in range(3)]
    await asyncio.sleep(0.1)
    print("setting", ev.is_set())
    ev.set()
    await asyncio.gather(*ws)
    await lock.acquire()
    print("manual", lock.locked())
    lock.release()
    try:
        lock.release()
    except RuntimeError as e:
        print("RuntimeError:", e)


asyncio.run(main())
