import asyncio


async def job(n):
    await asyncio.sleep(n / 10)
    if n == 3:
        raise ValueError(f"job {n} failed")
    return n


async def main():
    tasks = [asyncio.create_task(job(n), name=f"job{n}") for n in (1, 5, 9)]
    done, pending = await asyncio.wait(tasks, timeout=0.6)
    print(sorted(t.get_name() for t in done), sorted(t.get_name() for t in pending))
    done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
    print([t.result() for t in done], len(pending))
    tasks = [asyncio.create_task(job(n)) for n in (2, 3, 8)]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    print(len(done), len(pending))
    for t in done:
        if t.exception():
            print("exception:", repr(t.exception()))
    for t in pending:
        t.cancel()
    done, pending = await asyncio.wait(tasks)
    print(sorted(t.cancelled() for t in tasks))


asyncio.run(main())
