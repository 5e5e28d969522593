"""Tests for exercises/09_threads_processes/run_a_subprocess.py.

The programs are real Python subprocesses. A program that is running holds the event loop's
virtual clock (the kit's loop waits for it in real time); one that sleeps or waits does not,
so a deadline of 2.37 s passes at exactly t=2.37 s while a program hangs.
"""

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from grader.inside.testing import task_outcome

# Virtual seconds a test waits for run before it gives up on it.
PATIENCE = 60
# -S skips the site module: the programs start in half the time.
PYTHON = [sys.executable, "-S", "-X", "utf8", "-c"]
# Also writes a warning to its standard error, which is not part of the output.
SHOUT = (
    "import sys; sys.stderr.write('a warning\\n'); sys.stdout.write(sys.stdin.read().upper()); "
    "sys.exit(3)"
)
# Answers line by line, as it reads: its output fills the pipe while input still comes in.
SHOUT_EACH_LINE = "import sys\nfor line in sys.stdin:\n    sys.stdout.write(line.upper())"


# A program that never ends by itself: it waits on an event nothing will set. Like many a
# hung program it ignores the polite signals (terminate() and Ctrl-C); only SIGKILL stops it.
IGNORES_POLITE_SIGNALS = (
    "import os, signal, threading\n"
    "for polite in (signal.SIGTERM, signal.SIGINT):\n"
    "    signal.signal(polite, signal.SIG_IGN)\n"
)
HANGS = [*PYTHON, IGNORES_POLITE_SIGNALS + "threading.Event().wait()"]
# Virtual seconds between two lines of the program that hangs while it keeps printing.
TICK = 0.31


@contextlib.asynccontextmanager
async def hung_program(kind: str, folder: Path) -> AsyncIterator[tuple[list[str], str]]:
    """A program of `kind` that never ends by itself, and a hint about what it does.

    "prints_a_line_every_0_31_s" copies lines from a named pipe to its output; the test
    writes a line to that pipe every TICK s of the loop's clock. While the program waits
    for the next line it rests, so the clock moves on to the next tick (or the deadline).
    """
    if kind == "silent":
        yield HANGS, ""
    elif kind == "closes_its_output_and_runs_on":
        code = IGNORES_POLITE_SIGNALS + "os.close(1)\nthreading.Event().wait()"
        yield (
            [*PYTHON, code],
            (
                "This program closed its standard output at once and went on running: the end of "
                "the output is not the end of the program. The deadline holds until it has exited. "
            ),
        )
    else:
        fifo = folder / "ticks"
        os.mkfifo(fifo)
        # Read and write: the pipe opens at once, and a line waits in it until it is read.
        ticks = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
        loop = asyncio.get_running_loop()

        def tick() -> None:
            nonlocal handle
            os.write(ticks, b"tick\n")
            handle = loop.call_later(TICK, tick)

        handle = loop.call_later(TICK, tick)
        code = IGNORES_POLITE_SIGNALS + (
            f"ticks = os.open({str(fifo)!r}, os.O_RDONLY)\n"
            "while line := os.read(ticks, 64):\n"
            "    os.write(1, line)\n"
            "threading.Event().wait()"
        )
        try:
            yield (
                [*PYTHON, code],
                (
                    f"This program printed a line every {TICK} s: the deadline is for the whole "
                    "run, not a limit on each wait for more output. "
                ),
            )
        finally:
            handle.cancel()
            os.close(ticks)


def still_running(pid: int) -> bool:
    """Whether process `pid` exists and has not exited (a zombie has exited)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[0] != "Z"


# How a Process is stopped, with the signal each method sends (send_signal: its argument).
STOPPING_METHODS = (("kill", signal.SIGKILL), ("terminate", signal.SIGTERM), ("send_signal", None))


class Programs:
    """Records each process that asyncio.create_subprocess_exec starts, and whether it was killed.

    Whether run waited for a killed program is read from its Process object: its returncode
    is set only once asyncio has collected the exit, which `await process.wait()` waits for.
    Looking at the process from outside would race the kernel, which takes a moment to end
    a killed process.
    """

    def __init__(self) -> None:
        self.started: list[asyncio.subprocess.Process] = []
        # The signals run sent, by process id.
        self.signalled: dict[int, list[signal.Signals]] = {}

    async def exec(self, *args: Any, **kwargs: Any) -> asyncio.subprocess.Process:
        process = await CREATE_SUBPROCESS_EXEC(*args, **kwargs)
        self.started.append(process)
        for name, sent in STOPPING_METHODS:
            setattr(process, name, self._noting(process, getattr(process, name), sent))
        return process

    def _noting(
        self,
        process: asyncio.subprocess.Process,
        stop: Callable[..., None],
        sent: signal.Signals | None = None,
    ) -> Any:
        def stopping(*args: Any) -> None:
            number = sent if sent is not None else signal.Signals(args[0])
            self.signalled.setdefault(process.pid, []).append(number)
            stop(*args)

        return stopping

    def why_still_waiting(self) -> str:
        """Why run could still be waiting for a hung program: it never killed it for sure."""
        polite = sorted(
            {sent.name for sents in self.signalled.values() for sent in sents}
            - {signal.SIGKILL.name}
        )
        if not polite or any(signal.SIGKILL in sents for sents in self.signalled.values()):
            return NOT_STOPPED
        return (
            f"run sent the program {' and '.join(polite)} and waited for it to end, but this "
            "program ignores that, as a hung program may. process.terminate() only asks a "
            "program to stop; process.kill() sends SIGKILL, which no program can ignore."
        )

    def stop_all(self) -> None:
        """Kill every program an attempt left running, so that none outlives the test."""
        for process in self.started:
            stop_for_good(process.pid)

    async def end_all(self) -> None:
        """Kill every program left running and collect its exit while the loop still runs."""
        self.stop_all()
        for process in self.started:
            await process.wait()

    def check_stopped(self, how: str) -> None:
        """Fail unless every program started was stopped and its exit collected by run."""
        for process in self.started:
            pid, ended = process.pid, process.returncode is not None
            stop_for_good(pid)
            assert ended or pid in self.signalled, (
                f"run {how}, but the program is still running. Giving up on a program does "
                "not stop it: process.kill(), then `await process.wait()`, in a `finally` (or "
                "an `except` that re-raises), so that it stops however run ends."
            )
            assert ended, (
                f"run {how} and killed the program, but did not wait until it had ended: "
                "process.kill() only sends a signal, and the program takes a moment to go. "
                "`await process.wait()` after the kill, so that run ends after the program."
            )


CREATE_SUBPROCESS_EXEC = asyncio.create_subprocess_exec


@pytest.fixture
def programs(monkeypatch: pytest.MonkeyPatch) -> Iterator[Programs]:
    """Every program the test starts, through asyncio.create_subprocess_exec."""
    made = Programs()
    monkeypatch.setattr(asyncio, "create_subprocess_exec", made.exec)
    monkeypatch.setattr(asyncio.subprocess, "create_subprocess_exec", made.exec)
    yield made
    made.stop_all()


STUCK_ON_A_PIPE = (
    "Writing all the input, or waiting for the exit, before reading the output leaves both "
    "sides waiting on a full pipe: process.communicate(input) does both at once."
)
NOT_STOPPED = (
    "A program that hangs must be given up on at the deadline (asyncio.wait_for or "
    "asyncio.timeout around process.communicate)."
)


async def run_in_time(
    exercise,
    args: list[str],
    text: str,
    seconds: float,
    why: Callable[[], str] = lambda: STUCK_ON_A_PIPE,
    programs: Programs | None = None,
) -> tuple[int, str]:
    """What run returns, failing the test (saying `why()`) if it still runs after PATIENCE s."""
    try:
        async with asyncio.timeout(PATIENCE):
            return await exercise.run(args, text, seconds)
    except TimeoutError:
        if asyncio.get_running_loop().time() < PATIENCE:
            raise
        message = f"run was still waiting for the program after {PATIENCE} s. {why()}"
        if programs is not None:
            await programs.end_all()
        pytest.fail(message)


def stop_for_good(pid: int) -> None:
    """Kill process `pid` if an attempt left it running, so that it does not outlive the test."""
    if still_running(pid):
        os.kill(pid, signal.SIGKILL)


# Inputs for SHOUT, by name: the output is each in capitals. The long ones are well past a
# pipe's 64 KiB and start with one ASCII letter, so that wherever the output is cut into
# chunks of an even size, a chunk ends in the middle of a letter.
TEXTS = {
    "short": "  héllo, wörld\n\n",
    "empty": "",
    "two_byte_letters_past_a_chunk": "a" + "é" * 2**17,
    "four_byte_letters_past_a_chunk": "a" + "😀" * 2**16,
}


def shown(text: str) -> str:
    """`text` as a learner can read it in a message: its repr, or what it is made of if long."""
    if len(text) <= 40:
        return repr(text)
    return f"{text[:5]!r}... ({len(text)} characters, {len(text.encode())} bytes of UTF-8)"


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
async def test_the_exit_code_and_the_output_come_back(exercise, clock, text):
    given = (
        f"A program that prints its input in capitals (and 'a warning' to its standard "
        f"error) and exits with 3 was given {shown(text)}"
    )
    try:
        result = await run_in_time(exercise, [*PYTHON, SHOUT], text, 10)
    except TimeoutError:
        pytest.fail(
            f"{given}; run raised TimeoutError at t={clock.now:g} s, though the program only "
            "reads all its input and exits. It was still waiting for the end of its input: "
            "close its standard input even when there is nothing to send (communicate(b'') "
            "does; communicate(None) leaves the pipe open)."
        )
    except UnicodeDecodeError as error:
        pytest.fail(
            f"{given}; run raised UnicodeDecodeError ({error.reason} at byte {error.start} of "
            f"{len(error.object)} bytes). The output comes in chunks, and a chunk can end in "
            "the middle of a letter that takes several bytes: decode the whole output once, "
            "after it is all read."
        )
    expected = (3, text.upper())
    got = repr(result)
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], str):
        got = f"({result[0]!r}, {shown(result[1])})"
    assert result == expected, (
        f"{given}; run returned {got}, expected "
        f"(3, {shown(text.upper())}): the exit code, and the standard output exactly as "
        "written, decoded from UTF-8 (what the program writes to stderr is not part of it)."
    )
    assert clock.now == 0, f"The program ran and exited, yet run returned at t={clock.now:g} s."


async def test_a_large_input_and_output_do_not_get_stuck(exercise):
    text = "a line of text, long enough to make half a MiB in a few thousand.\n" * 2**13
    try:
        result = await run_in_time(exercise, [*PYTHON, SHOUT_EACH_LINE], text, 30)
    except TimeoutError:
        pytest.fail(
            "run gave up after 30 s on a program that was only waiting for its output to be "
            f"read. {STUCK_ON_A_PIPE}"
        )
    assert result == (0, text.upper()), (
        f"A program that prints half a MiB of input back in capitals, line by line, gave back "
        f"{len(result[1])} characters with exit code {result[0]}; expected all of it, and 0."
    )


@pytest.mark.parametrize(
    "kind", ["silent", "closes_its_output_and_runs_on", "prints_a_line_every_0_31_s"]
)
async def test_a_program_that_hangs_is_killed_at_the_deadline(
    exercise, clock, programs, kind, tmp_path
):
    async with hung_program(kind, tmp_path) as (args, hint):
        try:
            result = await run_in_time(
                exercise, args, "", 2.37, lambda: hint + programs.why_still_waiting(), programs
            )
        except TimeoutError:
            pass
        else:
            pytest.fail(
                f"A program that never ends, given 2.37 s, made run return {result!r}; "
                f"expected TimeoutError. {hint}"
            )
    assert clock.now == 2.37, (
        f"The deadline was 2.37 s, and run gave up at t={clock.now:g} s; expected t=2.37 s."
    )
    programs.check_stopped("raised TimeoutError")


async def test_cancelling_run_kills_the_program(exercise, programs):
    task = asyncio.create_task(exercise.run(HANGS, "", 30))
    await asyncio.sleep(1.3)
    task.cancel()
    await asyncio.wait({task}, timeout=PATIENCE)
    if not task.done():
        why = programs.why_still_waiting()
        # Free run from its wait, so that it ends before the test does.
        await programs.end_all()
        await asyncio.wait({task})
        pytest.fail(f"run was cancelled at t=1.3 s and still waiting {PATIENCE} s later. {why}")
    assert task.cancelled(), (
        f"run was cancelled at t=1.3 s and {task_outcome(task)}; expected it to end cancelled."
    )
    programs.check_stopped("was cancelled")
