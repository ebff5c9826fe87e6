"""Runs a Python program under CPython with asyncio on a virtual clock.

Usage: python3 cpython_sim.py program.py [args...]

The corpus compares wasio-py's output with CPython's byte for byte. wasio-py runs the program on
wasio's simulated clock; this runs CPython's own asyncio on the same kind of clock, so that the
expected output does not depend on how loaded the machine is (on the real clock, a ticker that
sleeps 0.25 s four times next to a 1.1 s sleep prints four dots or five depending on scheduling
delays).

The clock is one float, `now`, starting at zero. The event loop's selector first polls its file
descriptors without waiting; if nothing is ready and the loop would wait for a timer, the clock
jumps to that timer instead of sleeping. A loop with no timer blocks on real I/O as usual.
`loop.time()`, `time.monotonic()` and `time.perf_counter()` read the virtual clock (wasio-py's
`time` module reads the loop clock too).
"""

import asyncio
import runpy
import selectors
import sys
import time

now = 0.0


class VirtualSelector(selectors.DefaultSelector):
    """A selector that advances the virtual clock instead of sleeping for a timer."""

    def select(self, timeout=None):
        global now
        ready = super().select(0)
        if ready or timeout == 0:
            return ready
        if timeout is None:
            return super().select(None)
        now += timeout
        return []


class VirtualLoop(asyncio.SelectorEventLoop):
    """CPython's selector loop on the virtual clock."""

    def __init__(self):
        super().__init__(VirtualSelector())

    def time(self):
        return now


class VirtualPolicy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self):
        return VirtualLoop()


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: cpython_sim.py program.py [args...]")
    asyncio.set_event_loop_policy(VirtualPolicy())
    time.monotonic = time.perf_counter = lambda: now
    sys.argv = sys.argv[1:]
    sys.path[0] = "."
    runpy.run_path(sys.argv[0], run_name="__main__")


main()
