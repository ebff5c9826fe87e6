import asyncio

log = []


async def waiter(cond, name):
    async with cond:
        log.append(f"{name} waits")
        await cond.wait()
        log.append(f"{name} woke, locked {cond.locked()}")


async def main():
    lock = asyncio.Lock()
    cond = asyncio.Condition(lock)
    try:
        await cond.wait()
    except RuntimeError as e:
        print("wait without the lock:", e)
    try:
        cond.notify()
    except RuntimeError as e:
        print("notify without the lock:", e)

    # FIFO: notify(n) wakes the oldest n.
    ts = [asyncio.create_task(waiter(cond, n)) for n in "abcd"]
    await asyncio.sleep(0)
    print("lock released while waiting:", not lock.locked())
    async with lock:
        cond.notify(2)
    await asyncio.sleep(0)
    async with cond:
        cond.notify_all()
    await asyncio.gather(*ts)
    print(log)
    log.clear()

    # A waiter cancelled while it waits holds the lock again when its CancelledError is raised,
    # and the next notification goes to the next waiter. (The lost wake-up of a waiter cancelled
    # after it was notified is not here: CPython 3.11 has that bug, fixed in wasio and 3.13.)
    async def cancelled(name):
        async with cond:
            log.append(f"{name} waits")
            try:
                await cond.wait()
            except asyncio.CancelledError:
                log.append(f"{name} cancelled, locked {cond.locked()}")
                raise

    a = asyncio.create_task(cancelled("a"))
    b = asyncio.create_task(waiter(cond, "b"))
    await asyncio.sleep(0)
    a.cancel()
    try:
        await a
    except asyncio.CancelledError:
        print("a cancelled")
    async with cond:
        cond.notify(1)
    await b
    print(log)
    print("locked at the end:", cond.locked(), lock.locked())


asyncio.run(main())
