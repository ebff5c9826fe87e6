# asyncio.wait with a timeout: what finished in time is in done, the rest
# in pending (still running until we cancel them).
import asyncio


async def job(n):
    await asyncio.sleep(n / 10)
    return n


async def main():
    tasks = [asyncio.create_task(job(n), name=f"job{n}") for n in (1, 5, 9)]
    done, pending = await asyncio.wait(tasks, timeout=0.6)
    print("done:", sorted(t.get_name() for t in done))
    print("pending:", sorted(t.get_name() for t in pending))
    for t in pending:
        t.cancel()
    await asyncio.wait(pending)
    print("cancelled:", sorted(t.get_name() for t in tasks if t.cancelled()))


asyncio.run(main())
