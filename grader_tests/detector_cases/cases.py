"""Tests that each trip one mistake detector (run by test_detectors.py, never collected)."""

import asyncio
import time


async def work():
    await asyncio.sleep(1)


async def explode():
    raise ValueError("kaput")


async def test_deadlock():
    never_set = asyncio.Event()
    await asyncio.sleep(2)
    await never_set.wait()


async def test_never_awaited():
    work()


async def test_pending_task():
    asyncio.create_task(work(), name="forgotten")


async def test_unretrieved_exception():
    asyncio.create_task(explode())
    await asyncio.sleep(1)


async def test_blocking_call():
    time.sleep(1)


async def test_busy_loop():
    while True:
        pass


async def stubborn():
    while True:
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            pass


async def test_task_that_ignores_cancellation():
    asyncio.create_task(stubborn(), name="stubborn")
    await asyncio.sleep(0)


async def test_clean_code_passes():
    task = asyncio.create_task(work())
    assert await asyncio.to_thread(sum, [1, 2]) == 3
    await task
    assert asyncio.get_running_loop().time() == 1
