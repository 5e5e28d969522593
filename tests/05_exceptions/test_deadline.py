"""Tests for exercises/05_exceptions/deadline.py."""

import asyncio

import pytest

from grader.inside.testing import Span, Starter, Timeline, cancel_at_each_suspension, task_outcome


class FakeService:
    """Answers `answer` after `delay` seconds, or raises `error`; records each fetch.

    A cancelled fetch takes `cleanup` more seconds to unwind.
    """

    def __init__(
        self,
        delay: float,
        error: Exception | None = None,
        cleanup: float = 0,
        answer: str = "fresh quote",
    ) -> None:
        self.delay = delay
        self.error = error
        self.cleanup = cleanup
        self.answer = answer
        self.timeline = Timeline()

    async def fetch(self) -> str:
        async with self.timeline.track("fetch"):
            try:
                await asyncio.sleep(self.delay)
            except asyncio.CancelledError:
                await asyncio.sleep(self.cleanup)  # closing the connection takes a moment
                raise
            if self.error is not None:
                raise self.error
            return self.answer

    @property
    def span(self) -> Span:
        (span,) = self.timeline.spans
        return span


def describe(span: Span) -> str:
    """What had become of a fetch, in words."""
    if span.outcome == "running":
        return "was still running"
    return f"had {'been ' if span.outcome == 'cancelled' else ''}{span.outcome} at t={span.end:g} s"


# An empty answer that comes in time is an answer too: only the deadline means the fallback.
@pytest.mark.parametrize("fresh", ["fresh quote", ""], ids=["an answer", "an empty answer"])
async def test_a_fast_fetch_returns_its_answer_as_soon_as_it_arrives(exercise, clock, fresh):
    service = FakeService(delay=1, answer=fresh)
    answer = await exercise.fetch_with_deadline(service.fetch, 3, "cached quote")
    assert answer == fresh, (
        f"fetch() answered {fresh!r} after 1 s, within the 3 s deadline, and "
        f"fetch_with_deadline returned {answer!r}; expected {fresh!r}."
        + (
            " An empty string is falsy, but it is what fetch() answered: tell the timeout "
            "apart by catching TimeoutError, not with `answer or fallback`."
            if not fresh
            else ""
        )
    )
    assert clock.now == 1, service.timeline.explain(
        f"fetch_with_deadline returned at t={clock.now:g} s; the answer was there at t=1 s.",
        "The deadline is the longest you wait, not how long you wait: return as soon as "
        "the answer comes (asyncio.timeout or asyncio.wait_for do that).",
    )


async def test_a_slow_fetch_gives_the_fallback_exactly_at_the_deadline(exercise, clock):
    service = FakeService(delay=10)
    answer = await exercise.fetch_with_deadline(service.fetch, 3, "cached quote")
    assert answer == "cached quote", (
        f"fetch() needed 10 s against a 3 s deadline, and fetch_with_deadline returned "
        f"{answer!r}; expected the fallback 'cached quote'."
    )
    assert clock.now == 3, service.timeline.explain(
        f"fetch_with_deadline gave up at t={clock.now:g} s; expected t=3 s, the deadline.",
        "Stop waiting at the deadline: asyncio.timeout(seconds) or asyncio.wait_for.",
    )


# A cancelled fetch takes 0.37 s to close its connection: a moment or two is not enough;
# and one takes 3540.3 s: longer than any cap on the wait for it a learner might guess,
# and still short of the hour after which the kit calls an await loop endless.
@pytest.mark.parametrize("cleanup", [0.37, 3540.3], ids=["short cleanup", "long cleanup"])
async def test_the_slow_fetch_has_stopped_when_the_fallback_comes_back(exercise, clock, cleanup):
    service = FakeService(delay=100, cleanup=cleanup)
    answer = await exercise.fetch_with_deadline(service.fetch, 3, "cached quote")
    span = service.span
    stopped = span.outcome == "cancelled" and span.end == 3 + cleanup
    assert stopped, service.timeline.explain(
        f"When fetch_with_deadline returned the fallback at t={clock.now:g} s, the fetch "
        f"{describe(span)}; expected it cancelled at t=3 s and its {cleanup:g} s of cleanup "
        f"done, at t={3 + cleanup:g} s.",
        "Giving up must stop the work: cancel the fetch and wait for it to finish "
        "unwinding before you return, however long that takes. asyncio.timeout and "
        "asyncio.wait_for do both; task.cancel() on its own only asks, a sleep(0) or two "
        "does not wait for it, and a wait with a timeout of its own may give up too soon.",
    )
    assert (answer, clock.now) == ("cached quote", 3 + cleanup), service.timeline.explain(
        f"fetch_with_deadline returned {answer!r} at t={clock.now:g} s; expected the "
        f"fallback at t={3 + cleanup:g} s, as soon as the cancelled fetch had unwound.",
        "Return the fallback once the fetch has finished its cleanup, not later.",
    )


@pytest.mark.parametrize(
    ("delay", "expected", "at"),
    [(10, "cached quote", 3.95), (1.3, "fresh quote", 2.75)],
    ids=["slow fetch", "fast fetch"],
)
async def test_the_deadline_counts_from_the_call_not_from_the_start_of_the_loop(
    exercise, clock, delay, expected, at
):
    await asyncio.sleep(1.45)
    service = FakeService(delay=delay)
    answer = await exercise.fetch_with_deadline(service.fetch, 2.5, "cached quote")
    assert (answer, clock.now) == (expected, at), service.timeline.explain(
        f"At t=1.45 s, fetch_with_deadline(fetch, 2.5, 'cached quote') was called with a "
        f"fetch needing {delay:g} s; it returned {answer!r} at t={clock.now:g} s, expected "
        f"{expected!r} at t={at:g} s (2.5 s after the call at the latest).",
        "`seconds` is a duration from now: asyncio.timeout(seconds). asyncio.timeout_at "
        "takes a point on the loop's clock (loop.time() + seconds), not a duration.",
    )


async def test_a_failing_fetch_raises_its_own_error(exercise, clock):
    error = ConnectionError("quote service unreachable")
    service = FakeService(delay=1, error=error)
    try:
        answer = await exercise.fetch_with_deadline(service.fetch, 3, "cached quote")
    except ConnectionError as raised:
        caught = raised
    except BaseExceptionGroup as group:
        raise AssertionError(
            f"fetch() raised {error!r} at t=1 s; fetch_with_deadline raised {group!r}, "
            "a group holding it. The caller is owed the fetch's own error, which an "
            "`except ConnectionError` catches and a group is not: a TaskGroup wraps its "
            "tasks' errors, so take the error out of it, or run the fetch in your own task "
            "under asyncio.timeout."
        ) from group
    else:
        raise AssertionError(
            f"fetch() raised {error!r} at t=1 s, yet fetch_with_deadline returned "
            f"{answer!r}; expected the error to reach the caller. Only the deadline passing "
            "means the fallback."
        )
    assert caught is error, (
        f"fetch() raised {error!r} at t=1 s; fetch_with_deadline raised {caught!r}, an "
        "equal copy, not the error itself. Let the fetch's error go on up as it is."
    )
    assert clock.now == 1, (
        f"fetch() failed at t=1 s, but its error reached the caller at t={clock.now:g} s; "
        "expected t=1 s. A failure before the deadline needs no more waiting."
    )


async def test_cancelling_the_caller_cancels_the_fetch(exercise, clock):
    service = FakeService(delay=10)
    task = asyncio.create_task(exercise.fetch_with_deadline(service.fetch, 5, "cached quote"))
    await asyncio.sleep(1)
    task.cancel()
    await asyncio.wait({task})
    assert task.cancelled(), (
        f"fetch_with_deadline was cancelled at t=1 s and {task_outcome(task)}; expected it to end "
        "cancelled. Let asyncio.CancelledError through: it is not a timeout."
    )
    span = service.span
    cancelled_with_the_caller = span.outcome == "cancelled" and span.end == 1
    assert cancelled_with_the_caller, service.timeline.explain(
        f"fetch_with_deadline was cancelled at t=1 s, and the fetch {describe(span)}.",
        "A fetch you started on your own (asyncio.create_task) is not cancelled with you: "
        "cancel it in a `finally`, or let asyncio.timeout run it in your own task.",
    )


async def test_cancelling_the_caller_while_the_fetch_unwinds_after_the_deadline_ends_cancelled(
    exercise, clock
):
    # The deadline passes at 2.41 s and the fetch takes 1.13 s to unwind; the caller's own
    # cancel comes at 2.87 s, in the middle of that cleanup.
    service = FakeService(delay=100, cleanup=1.13)
    task = asyncio.create_task(exercise.fetch_with_deadline(service.fetch, 2.41, "cached quote"))
    await asyncio.sleep(2.87)
    cancelled_in_time = not task.done()
    task.cancel()
    await asyncio.wait({task}, timeout=10)
    await asyncio.sleep(1.3)  # time enough for a fetch still unwinding
    ended_cancelled = cancelled_in_time and task.cancelled()
    assert ended_cancelled, service.timeline.explain(
        f"The deadline passed at t=2.41 s, and while the fetch was still unwinding (its "
        f"cleanup was to last until t=3.54 s) the caller cancelled fetch_with_deadline at "
        f"t=2.87 s; it {task_outcome(task)}"
        + ("" if cancelled_in_time else " before that")
        + "; expected it to end cancelled.",
        "The caller's cancel is not the deadline, even when it lands after the deadline: "
        "don't decide from a flag of your own (or from task.cancelled()) that a "
        "CancelledError was yours. asyncio.timeout counts the cancels it made and lets "
        "any other one through.",
    )
    span = service.span
    assert span.outcome == "cancelled", service.timeline.explain(
        f"fetch_with_deadline was cancelled at t=2.87 s, and the fetch {describe(span)}.",
        "Cancelling fetch_with_deadline must cancel the fetch too.",
    )


@pytest.mark.parametrize(
    ("delay", "seconds", "expected", "at"),
    [
        (1.25, 1.3, "fresh quote", 1.25),
        (1.35, 1.3, "cached quote", 1.3),
        (0.25, 2.5, "fresh quote", 0.25),
        (2.75, 2.5, "cached quote", 2.5),
    ],
)
async def test_odd_deadlines_are_kept_to_the_instant(exercise, clock, delay, seconds, expected, at):
    service = FakeService(delay=delay)
    answer = await exercise.fetch_with_deadline(service.fetch, seconds, "cached quote")
    assert (answer, clock.now) == (expected, at), service.timeline.explain(
        f"fetch() needed {delay:g} s against a {seconds:g} s deadline; fetch_with_deadline "
        f"returned {answer!r} at t={clock.now:g} s, expected {expected!r} at t={at:g} s.",
        "Checking now and then (a loop with asyncio.sleep) is late by up to one check: "
        "let asyncio.timeout or asyncio.wait_for wake you at the exact moment.",
    )


# Deadlines over ten minutes long: longer than any cap on `seconds` one might guess.
@pytest.mark.parametrize(
    ("delay", "expected", "at"),
    [(612.37, "fresh quote", 612.37), (1500, "cached quote", 734.13)],
    ids=["fetch within it", "fetch past it"],
)
async def test_a_long_deadline_is_kept_in_full(exercise, clock, delay, expected, at):
    service = FakeService(delay=delay)
    answer = await exercise.fetch_with_deadline(service.fetch, 734.13, "cached quote")
    assert (answer, clock.now) == (expected, at), service.timeline.explain(
        f"fetch() needed {delay:g} s against a 734.13 s deadline; fetch_with_deadline "
        f"returned {answer!r} at t={clock.now:g} s, expected {expected!r} at t={at:g} s.",
        "The deadline is the caller's `seconds`, however long: don't cap it (min(seconds, "
        "...)) or put a limit of your own around the fetch.",
    )


async def test_cancelled_at_any_await_it_ends_cancelled_and_stops_the_fetch(exercise):
    # The fetch needs 10 s, the deadline is 2.5 s, and a cancelled fetch takes 0.25 s to unwind.
    async def slow_fetch(start: Starter) -> Timeline:
        service = FakeService(delay=10, cleanup=0.25)
        task = start(exercise.fetch_with_deadline(service.fetch, 2.5, "cached quote"))
        await asyncio.wait({task}, timeout=5)
        await asyncio.sleep(1)  # time enough for any fetch still unwinding
        return service.timeline

    for run in await cancel_at_each_suspension(slow_fetch):
        timeline = run.state
        assert run.ended_cancelled, timeline.explain(
            f"fetch_with_deadline(fetch, 2.5, 'cached quote') was {run.describe()}, and it "
            f"{run.ended}; expected it to end cancelled.",
            "A cancellation aimed at fetch_with_deadline is not the deadline passing, even "
            "while the fetch unwinds after the deadline: don't catch (or suppress) "
            "asyncio.CancelledError, let it through.",
        )
        left = [span.label for span in timeline.spans if span.outcome != "cancelled"]
        assert not left, timeline.explain(
            f"fetch_with_deadline was {run.describe()}; a second later the fetch had not "
            "been cancelled.",
            "Cancelling fetch_with_deadline must cancel the fetch too.",
        )
