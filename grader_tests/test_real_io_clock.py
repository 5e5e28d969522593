"""Real I/O on the virtual clock: sockets, subprocesses and threads cost no virtual time.

The loop waits for them in real time while they can still wake it, and declares a deadlock
as soon as nothing can: a read only the loop itself could answer, or a read whose thread or
process has ended. These tests run on the kit's loop (the plugin is loaded for them too).
"""

from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from grader.inside.virtual_clock import DEADLOCK_ERROR, KIT_THREADS, VirtualClockLoop
from grader.manifest import KIT_ROOT

CASES = Path(__file__).with_name("detector_cases") / "real_io_cases.py"
# Real seconds a thread or a child takes before it answers: long against the loop's
# real-time slices, short against the tests' timeout.
REAL_DELAY = 0.1


def the_loop() -> VirtualClockLoop:
    loop = asyncio.get_running_loop()
    assert isinstance(loop, VirtualClockLoop)
    return loop


async def echo_server() -> tuple[asyncio.Server, int]:
    """A server in this loop that answers each line with the line in capitals."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while line := await reader.readline():
            writer.write(line.upper())
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


async def test_a_round_trip_over_a_socket_costs_no_virtual_time():
    server, port = await echo_server()
    async with server:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for word in (b"one\n", b"two\n", b"three\n"):
            writer.write(word)
            assert await reader.readline() == word.upper()
        writer.close()
        await writer.wait_closed()
    assert asyncio.get_running_loop().time() == 0


async def test_a_read_that_only_the_loop_could_answer_is_a_deadlock_at_once():
    server, port = await echo_server()
    async with server:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        await asyncio.sleep(1.5)
        assert list(the_loop().outside_wakers()) == []
        started = time.perf_counter()
        with pytest.raises(DEADLOCK_ERROR):
            await reader.readline()  # the server waits for a line, and so does the client
        assert time.perf_counter() - started < 0.5, "the deadlock was not found at once"
        assert asyncio.get_running_loop().time() == 1.5
        writer.close()


async def test_clients_of_a_server_in_the_loop_all_waiting_deadlock():
    # The server's connections share its address: each is told apart by its peer too.
    server, port = await echo_server()
    async with server:
        clients = [await asyncio.open_connection("127.0.0.1", port) for _ in range(3)]
        assert list(the_loop().outside_wakers()) == []
        with pytest.raises(DEADLOCK_ERROR):
            await asyncio.gather(*(reader.readline() for reader, _ in clients))
        for _, writer in clients:
            writer.close()


async def test_both_ends_of_a_socket_pair_in_the_loop_deadlock():
    left, right = socket.socketpair()
    reader, writer = await asyncio.open_connection(sock=left)
    peer_reader, peer_writer = await asyncio.open_connection(sock=right)
    assert list(the_loop().outside_wakers()) == []
    with pytest.raises(DEADLOCK_ERROR):
        await asyncio.gather(reader.read(1), peer_reader.read(1))
    writer.close()
    peer_writer.close()


async def test_a_peer_answering_from_a_thread_after_real_time_is_no_deadlock():
    outside, inside = socket.socketpair()

    def answer_later() -> None:
        time.sleep(REAL_DELAY)
        outside.sendall(b"pong\n")

    reader, writer = await asyncio.open_connection(sock=inside)
    thread = threading.Thread(target=answer_later, name="answers later")
    thread.start()
    assert list(the_loop().outside_wakers()) == ["thread 'answers later'"]
    assert await reader.readline() == b"pong\n"
    assert asyncio.get_running_loop().time() == 0
    thread.join()
    writer.close()
    outside.close()


async def test_a_peer_outside_the_loop_is_waited_for():
    # The listener is a plain socket, not one of the loop's: it stands for another program.
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        peer, _ = listener.accept()
        (woken_by,) = the_loop().outside_wakers()
        assert woken_by.endswith(f"(connected to ('127.0.0.1', {port}))")
        writer.close()
        await writer.wait_closed()
        peer.close()


async def test_a_subprocess_that_exits_wakes_the_loop_with_no_virtual_time():
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", f"import time; time.sleep({REAL_DELAY}); print('done')",
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert f"subprocess {child.pid}" in the_loop().outside_wakers()
    output, _ = await child.communicate()
    assert output.strip() == b"done"
    assert child.returncode == 0
    assert asyncio.get_running_loop().time() == 0


@pytest.mark.skipif(sys.platform != "linux", reason="only Linux tells a process's state")
async def test_a_subprocess_busy_on_a_cpu_holds_the_virtual_clock():
    busy = f"import time\nend = time.monotonic() + {REAL_DELAY}\nwhile time.monotonic() < end: pass"
    child = await asyncio.create_subprocess_exec(sys.executable, "-c", busy)
    assert await asyncio.wait_for(child.wait(), 0.5) == 0
    assert asyncio.get_running_loop().time() == 0


async def test_a_sleeping_subprocess_lets_virtual_time_move_on():
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import time; time.sleep(60)"
    )
    try:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(child.wait(), 2.5)
        assert asyncio.get_running_loop().time() == 2.5
    finally:
        child.kill()
        await child.wait()


async def test_once_the_subprocess_has_exited_nobody_can_wake_the_loop():
    child = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
    never_set = asyncio.Event()
    waiter = asyncio.create_task(child.wait())
    with pytest.raises(DEADLOCK_ERROR):
        await never_set.wait()
    assert waiter.done(), "the deadlock was declared before the child's exit was seen"
    assert waiter.result() == 0
    assert list(the_loop().outside_wakers()) == []


async def test_a_thread_that_reports_back_wakes_the_loop():
    loop = asyncio.get_running_loop()
    reported = loop.create_future()

    def report_later() -> None:
        time.sleep(REAL_DELAY)
        loop.call_soon_threadsafe(reported.set_result, "report")

    thread = threading.Thread(target=report_later)
    thread.start()
    assert await reported == "report"
    assert loop.time() == 0
    thread.join()


@pytest.mark.parametrize(
    "schedule",
    [
        lambda loop, future: loop.call_soon(future.set_result, "report"),
        lambda loop, future: loop.call_later(1, future.set_result, "report"),
        lambda loop, future: future.set_result("report"),
    ],
    ids=["call_soon", "call_later", "a future's set_result"],
)
async def test_scheduling_from_a_worker_thread_raises_without_debug_mode(schedule):
    loop = asyncio.get_running_loop()
    assert not loop.get_debug()
    reported = loop.create_future()
    reported.add_done_callback(lambda _: None)  # set_result then has a callback to schedule
    raised: list[BaseException] = []

    def report() -> None:
        try:
            schedule(loop, reported)
        except RuntimeError as error:
            raised.append(error)
        loop.call_soon_threadsafe(lambda: None)  # the way in from a thread still works

    await asyncio.to_thread(report)
    assert [str(error) for error in raised] == [
        "Non-thread-safe operation invoked on an event loop other than the current one"
    ]


async def test_a_thread_that_never_reports_back_is_a_deadlock_once_it_has_ended():
    never_reported = asyncio.get_running_loop().create_future()
    thread = threading.Thread(target=time.sleep, args=(REAL_DELAY,), name="silent")
    thread.start()
    with pytest.raises(DEADLOCK_ERROR):
        await never_reported
    assert not thread.is_alive(), "the deadlock was declared while the thread could still report"


async def test_virtual_time_moves_on_after_a_short_grace_while_a_thread_lives():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, name="idle")
    thread.start()
    try:
        await asyncio.sleep(2.5)
        assert asyncio.get_running_loop().time() == 2.5
    finally:
        stop.set()
        thread.join()


async def test_idle_executor_workers_and_kit_threads_cannot_wake_the_loop():
    assert await asyncio.to_thread(sum, [1, 2]) == 3
    stop = threading.Event()
    watchdog = threading.Thread(target=stop.wait, name="kit watchdog")
    KIT_THREADS.add(watchdog)
    watchdog.start()
    try:
        assert list(the_loop().outside_wakers()) == []
    finally:
        stop.set()
        watchdog.join()


@pytest.mark.timeout(60)
def test_a_subprocess_that_never_exits_is_stopped_by_the_timeout_not_called_a_deadlock():
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", str(CASES), "--timeout=0.5", "-p", "no:warnings",
         "-o", "python_files=real_io_cases.py"],
        cwd=KIT_ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    sections = re.split(r"^_{3,} (test_\w+) _{3,}$", completed.stdout, flags=re.MULTILINE)
    found = dict(zip(sections[1::2], sections[2::2], strict=True))
    never_exits = found["test_waiting_for_a_child_that_never_exits"]
    assert "Timeout" in never_exits
    assert "Deadlock" not in never_exits
    assert "1 failed" in completed.stdout.splitlines()[-1]


def _looks(times: int) -> list[bool]:
    """Whether the outside rested between each of ``times`` pairs of looks 1 ms apart."""
    from grader.inside.virtual_clock import _outside_activity, _rests

    rested = []
    for _ in range(times):
        before = _outside_activity()
        threading.Event().wait(0.001)  # the loop's slice of waiting, with the GIL given up
        after = _outside_activity()
        assert before is not None, "/proc does not tell on Linux"
        assert after is not None, "/proc does not tell on Linux"
        rested.append(_rests(before, after))
    return rested


@pytest.mark.skipif(sys.platform != "linux", reason="the outside is read from /proc")
def test_a_thread_blocked_on_a_lock_lets_the_clock_move_on_without_the_grace():
    held = threading.Lock()
    held.acquire()
    blocked = threading.Thread(target=held.acquire, daemon=True)
    blocked.start()
    try:
        assert any(_looks(100)), "a thread blocked on a lock never looked at rest"
    finally:
        held.release()
        blocked.join()


@pytest.mark.skipif(sys.platform != "linux", reason="the outside is read from /proc")
def test_a_thread_at_work_or_a_child_at_work_holds_the_grace():
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            pass

    spinning = threading.Thread(target=spin, daemon=True)
    spinning.start()
    try:
        assert not any(_looks(20)), "a thread at work looked at rest"
    finally:
        stop.set()
        spinning.join()
    child = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        assert not any(_looks(20)), "a child process at work looked at rest"
    finally:
        child.kill()
        child.wait()
