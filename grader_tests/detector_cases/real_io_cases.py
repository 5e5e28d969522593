"""A test stuck on a live subprocess (run by test_real_io_clock.py, never collected)."""

import asyncio
import sys


async def test_waiting_for_a_child_that_never_exits():
    # The child reads its stdin until the end, which never comes; the timeout stops the test
    # and closing the loop kills the child.
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import sys; sys.stdin.read()", stdin=asyncio.subprocess.PIPE
    )
    try:
        await child.wait()
    finally:
        child.kill()
