"""Tests for exercises/10_patterns/graceful_shutdown.py.

The signal is real: a callback on the event loop sends SIGUSR1 to this very process with
os.kill, at a set moment of the loop's clock, and the loop runs the handler serve
installed. If no handler is installed the test sends nothing (SIGUSR1 would otherwise
end the whole test run) and fails instead. Each test checks that serve removed its
handler again. Requests are handled in 2.5 s unless they say otherwise.
"""

import asyncio
import os
import signal
from dataclasses import dataclass
from typing import Any

import pytest

from grader.inside.testing import Starter, Timeline, cancel_at_each_suspension

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGUSR1"), reason="needs POSIX signals")


class Pool:
    """A queue of requests, a handler that records who handled what, and the signal."""

    def __init__(self, exercise: Any, delays: dict[str, float] | None = None) -> None:
        self.exercise = exercise
        self.delays = delays or {}
        self.requests: asyncio.Queue[Any] = asyncio.Queue()
        self.timeline = Timeline()
        self.handled_by: dict[str, str] = {}
        self.signal_missing_at: list[float] = []
        self.handled_inside_kill_at: list[float] = []
        self.serving: asyncio.Task[Any] | None = None
        self.errors = {"bad": ValueError("bad request")}

    def submit(self, payload: str) -> asyncio.Future[Any]:
        reply = asyncio.get_running_loop().create_future()
        self.requests.put_nowait(self.exercise.Request(payload, reply))
        return reply

    async def handle(self, payload: str) -> str:
        task = asyncio.current_task()
        self.handled_by[payload] = task.get_name() if task else "?"
        async with self.timeline.track(payload):
            await asyncio.sleep(self.delays.get(payload, 2.5))
        if payload in self.errors:
            raise self.errors[payload]
        return payload.upper()

    def signal_at(self, when: float) -> None:
        """Send SIGUSR1 to this process at loop time `when`, if serve is ready for it."""

        def send() -> None:
            if signal.getsignal(signal.SIGUSR1) in (signal.SIG_DFL, None):
                self.signal_missing_at.append(asyncio.get_running_loop().time())
                return
            before = self.serving.cancelling() if self.serving else 0
            os.kill(os.getpid(), signal.SIGUSR1)
            # A loop's signal handler runs later, as a callback of the loop; a handler
            # installed with signal.signal() runs right here, before os.kill returns.
            if self.serving and self.serving.cancelling() > before:
                self.handled_inside_kill_at.append(asyncio.get_running_loop().time())

        asyncio.get_running_loop().call_at(when, send)

    def check_handler_at(self, when: float) -> None:
        """At loop time `when`, note it if serve has no SIGUSR1 handler installed."""

        def check() -> None:
            if signal.getsignal(signal.SIGUSR1) in (signal.SIG_DFL, None):
                self.signal_missing_at.append(asyncio.get_running_loop().time())

        asyncio.get_running_loop().call_at(when, check)

    async def serve(self, workers: int) -> int:
        self.serving = asyncio.current_task()
        try:
            answered: int = await self.exercise.serve(self.requests, self.handle, workers)
        finally:
            assert not self.signal_missing_at, (
                f"At t={self.signal_missing_at[0]:g} s serve had no handler for SIGUSR1 "
                "installed. Install one with loop.add_signal_handler(signal.SIGUSR1, ...), "
                "and keep it until serve ends: meanwhile a SIGUSR1 with no handler ends the "
                "whole process."
            )
            assert not self.handled_inside_kill_at, (
                f"At t={self.handled_inside_kill_at[0]:g} s SIGUSR1's handler ran the moment "
                "the signal arrived, in the middle of whatever the loop was doing: it was "
                "installed with signal.signal(). Install it with "
                "loop.add_signal_handler(signal.SIGUSR1, ...), as the task says: the loop "
                "then runs it as one of its own callbacks, where asyncio calls are safe."
            )
            assert not asyncio.get_running_loop().remove_signal_handler(signal.SIGUSR1), (
                "serve left its SIGUSR1 handler installed. Remove it when serve ends, "
                "however it ends (loop.remove_signal_handler in a `finally`)."
            )
        pending = asyncio.current_task().cancelling()  # type: ignore[union-attr]
        assert pending == 0, (
            f"serve returned, but the task that ran it still has {pending} cancellation(s) "
            "pending: the signal's cancel() was never taken back. Call uncancel() on the "
            "task before you return, or a later timeout or TaskGroup in it misbehaves."
        )
        return answered


def replies_of(futures: list[asyncio.Future[Any]]) -> list[str]:
    return [
        "waiting"
        if not f.done()
        else "cancelled"
        if f.cancelled()
        else repr(f.exception())
        if f.exception()
        else repr(f.result())
        for f in futures
    ]


async def test_named_workers_answer_requests_until_the_signal(exercise, clock):
    pool = Pool(exercise, {"a": 1.3, "b": 0.25, "c": 2.5, "d": 0.25, "e": 1.3})
    replies = [pool.submit(payload) for payload in "abcde"]
    names: list[str] = []
    asyncio.get_running_loop().call_at(
        0.125, lambda: names.extend(sorted(task.get_name() for task in asyncio.all_tasks()))
    )
    pool.signal_at(10)
    answered = await pool.serve(workers=3)
    assert replies_of(replies) == ["'A'", "'B'", "'C'", "'D'", "'E'"], (
        f"The five requests got these replies: {replies_of(replies)}; expected "
        "['A', 'B', 'C', 'D', 'E'], each set to what handle(payload) returned."
    )
    workers = [name for name in names if name.startswith("worker-")]
    assert workers == ["worker-0", "worker-1", "worker-2"], (
        f"At t=0.125 s the running tasks were named {names}; expected three workers among "
        "them, named 'worker-0', 'worker-1' and 'worker-2' (task.set_name)."
    )
    assert (answered, clock.now) == (5, 10), (
        f"serve returned {answered} at t={clock.now:g} s; expected 5 answered requests, "
        "returned when the signal came at t=10 s."
    )


async def test_the_signal_lets_requests_in_hand_finish_and_starts_no_more(exercise, clock):
    pool = Pool(exercise)
    replies = [pool.submit(payload) for payload in "abcd"]
    pool.signal_at(1.3)
    pool.check_handler_at(1.75)  # while 'a' and 'b' are still being answered
    answered = await pool.serve(workers=2)
    assert replies_of(replies) == ["'A'", "'B'", "waiting", "waiting"], pool.timeline.explain(
        f"With SIGUSR1 at t=1.3 s while two workers handled 'a' and 'b' (2.5 s each), the "
        f"replies were {replies_of(replies)}; expected 'A' and 'B' answered, and 'c' and "
        "'d' left waiting in the queue.",
        "The requests in hand must finish: shield each one from its worker's "
        "cancellation, and wait for it before the worker stops.",
    )
    assert pool.requests.qsize() == 2, "the requests nobody took must stay in the queue"
    assert (answered, clock.now) == (2, 2.5), (
        f"serve returned {answered} at t={clock.now:g} s; expected 2, once the requests in "
        "hand were answered at t=2.5 s."
    )


async def test_a_request_queued_while_the_workers_are_idle_is_taken_at_once(exercise, clock):
    # Off-grid arrivals, two of them in the same instant, while both workers wait.
    arrivals = {"x": 0.37, "y": 1.13, "z": 1.13}
    pool = Pool(exercise, dict.fromkeys(arrivals, 0.25))
    loop = asyncio.get_running_loop()
    replies: dict[str, asyncio.Future[Any]] = {}
    for payload, at in arrivals.items():
        loop.call_at(at, lambda payload=payload: replies.update({payload: pool.submit(payload)}))
    pool.signal_at(3.7)
    answered = await pool.serve(workers=2)
    started = {span.label: round(span.start, 6) for span in pool.timeline.spans}
    assert started == arrivals, pool.timeline.explain(
        f"Requests were queued at {arrivals} (payload: time) while both workers were idle; "
        f"handle started them at {started}; expected each at the moment it was queued.",
        "An idle worker waits on the queue itself (`await requests.get()`), which wakes it "
        "the moment a request comes in; looking now and then (get_nowait and a sleep) "
        "leaves each request waiting until the next look.",
    )
    got = {payload: replies_of([reply])[0] for payload, reply in sorted(replies.items())}
    expected = {payload: repr(payload.upper()) for payload in arrivals}
    assert (answered, got) == (3, expected), (
        f"The replies were {got} and serve returned {answered}; expected {expected} and 3."
    )


# At 0.125 s the one request is in hand; at 0.25 s it ends in the same instant.
@pytest.mark.parametrize("signal_time", [0.125, 0.25, 2.5])
async def test_idle_workers_stop_at_the_signal_at_once(exercise, clock, signal_time):
    pool = Pool(exercise, {"a": 0.25})
    reply = pool.submit("a")
    pool.signal_at(signal_time)
    answered = await pool.serve(workers=3)
    expected = (1, max(0.25, signal_time))
    assert (answered, clock.now) == expected, (
        f"With SIGUSR1 at t={signal_time:g} s and one 0.25 s request, serve returned "
        f"{answered} at t={clock.now:g} s (reply {replies_of([reply])[0]}); expected "
        f"{expected[0]} at t={expected[1]:g} s. Idle workers stop at once; the request in "
        "hand is answered first."
    )


async def test_a_failed_request_is_answered_with_its_error_and_the_worker_carries_on(
    exercise, clock
):
    pool = Pool(exercise, {"bad": 0.25, "good": 0.25})
    bad, good = pool.submit("bad"), pool.submit("good")
    pool.signal_at(1.3)
    answered = await pool.serve(workers=1)
    error = bad.exception() if bad.done() and not bad.cancelled() else None
    assert error is pool.errors["bad"], (
        f"handle('bad') raised {pool.errors['bad']!r}; its reply ended as "
        f"{replies_of([bad])[0]}; expected that very error, set with set_exception."
    )
    assert (replies_of([good]), answered) == (["'GOOD'"], 2), (
        f"After the failed request, the next one got {replies_of([good])[0]} and serve "
        f"returned {answered}; expected 'GOOD' and 2: a failed request is still answered."
    )


async def test_a_requester_that_gave_up_does_not_break_its_worker(exercise, clock):
    pool = Pool(exercise, {"gone": 1.3, "next": 0.25})
    gone, after = pool.submit("gone"), pool.submit("next")
    asyncio.get_running_loop().call_at(0.25, gone.cancel)
    pool.signal_at(2.5)
    answered = await pool.serve(workers=1)
    assert (replies_of([after]), answered) == (["'NEXT'"], 1), pool.timeline.explain(
        f"The requester of 'gone' cancelled its reply at t=0.25 s. After that, the next "
        f"request got {replies_of([after])[0]} and serve returned {answered}; expected "
        "'NEXT' and 1 (the cancelled reply cannot be answered).",
        "Setting the result of a cancelled future raises asyncio.InvalidStateError: "
        "catch it (or check reply.done()) and drop that answer.",
    )


@dataclass
class Served:
    """What a cancelled serve left: each reply as text, the queue's length, the handling."""

    replies: list[str]
    in_queue: int
    handled: list[str]
    timeline: Timeline


async def test_cancelled_at_any_await_serve_finishes_what_it_holds_then_ends_cancelled(
    exercise,
):
    async def serve_two_requests(start: Starter) -> Served:
        pool = Pool(exercise, {"a": 1.3, "b": 2.5})
        replies = [pool.submit(payload) for payload in "ab"]
        task = start(pool.serve(workers=2))
        await asyncio.wait({task}, timeout=10)
        return Served(replies_of(replies), pool.requests.qsize(), list(pool.handled_by),
                      pool.timeline)  # fmt: skip

    for run in await cancel_at_each_suspension(serve_two_requests):
        served = run.state
        assert run.ended_cancelled, (
            f"serve was {run.describe()} by its caller, and it {run.ended}; expected it to "
            "end cancelled. Only the signal's cancellation ends in a return: tell them "
            "apart with uncancel()."
        )
        taken = [p for p, reply in zip("ab", served.replies, strict=True) if reply != "waiting"]
        assert len(taken) + served.in_queue == 2, (
            f"serve was {run.describe()}; the replies were {served.replies} with "
            f"{served.in_queue} requests left in the queue; expected every request either "
            "answered or still in the queue."
        )
        unanswered = [p for p in served.handled if p not in taken]
        assert not unanswered, served.timeline.explain(
            f"serve was {run.describe()}; requests {unanswered} were being handled but "
            f"never answered (replies {served.replies}).",
            "A cancelled serve still finishes the requests its workers were handling.",
        )


@pytest.mark.parametrize("cancel_at", [0.125, 1.3, 2.5])
async def test_cancelling_serve_finishes_the_requests_in_hand_then_ends_cancelled(
    exercise, clock, cancel_at
):
    pool = Pool(exercise, {"a": 1.3, "b": 2.5})
    replies = [pool.submit(payload) for payload in "ab"]
    task = asyncio.create_task(pool.serve(workers=2))
    asyncio.get_running_loop().call_at(cancel_at, task.cancel)
    await asyncio.wait([task])
    outcome = "ended cancelled" if task.cancelled() else task_result(task)
    assert outcome == "ended cancelled", (
        f"serve was cancelled by its caller at t={cancel_at:g} s and then {outcome}; "
        "expected it to end cancelled. Only the signal's cancellation ends in a return: "
        "tell them apart with uncancel()."
    )
    assert (replies_of(replies), clock.now) == (["'A'", "'B'"], 2.5), pool.timeline.explain(
        f"serve was cancelled at t={cancel_at:g} s while its workers handled 'a' (1.3 s) "
        f"and 'b' (2.5 s); the replies were {replies_of(replies)} when it ended at "
        f"t={clock.now:g} s; expected both answered, and serve ending at t=2.5 s.",
        "A cancelled serve still finishes the requests its workers were handling.",
    )


def task_result(task: asyncio.Task[Any]) -> str:
    error = task.exception()
    return f"raised {error!r}" if error else f"returned {task.result()!r}"


async def test_a_caller_who_cancels_during_the_signals_shutdown_gets_serve_cancelled(
    exercise, clock
):
    pool = Pool(exercise, {"a": 2.5})
    reply = pool.submit("a")
    pool.signal_at(1.3)
    task = asyncio.create_task(pool.serve(workers=2))
    asyncio.get_running_loop().call_at(1.55, task.cancel)
    await asyncio.wait([task])
    outcome = "ended cancelled" if task.cancelled() else task_result(task)
    assert outcome == "ended cancelled", (
        "SIGUSR1 came at t=1.3 s, and while serve was finishing the request in hand its "
        f"caller cancelled it too, at t=1.55 s; serve then {outcome}. Expected it to end "
        "cancelled: uncancel() takes back only the signal's cancellation and returns how "
        "many are still pending; return only when that is 0."
    )
    assert (replies_of([reply]), clock.now) == (["'A'"], 2.5), pool.timeline.explain(
        f"The request in hand got {replies_of([reply])[0]} when serve ended at "
        f"t={clock.now:g} s; expected 'A', answered at t=2.5 s before serve ended.",
        "A cancelled serve still finishes the requests its workers were handling.",
    )
