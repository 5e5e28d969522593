"""Tests for exercises/06_queues/work_queue.py."""

import asyncio
from collections import Counter
from collections.abc import Awaitable

import pytest

from grader.inside.testing import Timeline, task_outcome

# Long enough, in virtual time, that a call still waiting after it would wait forever
# (an hour: longer than the ten-minute call one test makes).
PATIENCE = 3600
HANG = (
    "handle_all never returned: queue.join() waits until every item taken with get() has "
    "been marked finished with queue.task_done(). Call it once per item, in a `finally`, "
    "so that an item whose handle raised counts as finished too."
)


EARLY = (
    "join() returns once every item taken has been marked finished, so task_done() means "
    "'handled': call it after handle(item) has returned or raised (in a `finally`), not as "
    "soon as the item is taken."
)


class FakeHandler:
    """Handles an item in a per-item time of virtual time; items in `broken` raise.

    A cancelled call takes `cleanup` more seconds to unwind. `raised` lists the very errors
    the calls raised, one per failed call.
    """

    def __init__(
        self, seconds: dict[str, float], broken: tuple[str, ...] = (), cleanup: float = 0
    ) -> None:
        self.seconds = seconds
        self.broken = broken
        self.cleanup = cleanup
        self.timeline = Timeline()
        self.raised: list[Exception] = []

    def unfinished(self) -> list[str]:
        """The items whose call of handle was cancelled or is still running."""
        return [
            span.label for span in self.timeline.spans if span.outcome not in ("done", "raised")
        ]

    async def handle(self, item: str) -> None:
        async with self.timeline.track(item):
            try:
                await asyncio.sleep(self.seconds.get(item, 1))
            except asyncio.CancelledError:
                await asyncio.sleep(self.cleanup)  # closing a connection takes a moment
                raise
            if item in self.broken:
                self.raised.append(ValueError(f"{item} is broken"))
                raise self.raised[-1]


def last_end(handler: FakeHandler) -> float:
    """The moment the last call of handle finished."""
    return max(span.end for span in handler.timeline.spans if span.end is not None)


def assert_no_worker_idle_while_items_wait(handler: FakeHandler, workers: int) -> None:
    """Whenever a call ends and items are still waiting, `workers` calls run right after.

    The task fixes no order (FIFO, LIFO or any other), so this is checked at every
    moment a call ends instead of against the times one particular order gives.
    """
    spans = handler.timeline.spans
    for moment in sorted({span.end for span in spans if span.end is not None}):
        started = [span for span in spans if span.start <= moment]
        running = sum(1 for span in started if span.end is None or span.end > moment)
        waiting = len(spans) - len(started)
        assert waiting == 0 or running == workers, handler.timeline.explain(
            f"At t={moment:g} s, with {waiting} item(s) still waiting, only {running} call(s) "
            f"of handle were running; expected {workers} (workers={workers}).",
            "A consumer that has finished an item takes the next one at once: loop on "
            "`await queue.get()` in each of the `workers` consumers.",
        )


async def within_patience(call: Awaitable[object]) -> object:
    try:
        async with asyncio.timeout(PATIENCE):
            return await call
    except TimeoutError:
        raise AssertionError(HANG) from None


def still_running() -> list[str]:
    """The tasks other than the test's own that have not finished."""
    me = asyncio.current_task()
    return sorted(task.get_name() for task in asyncio.all_tasks() if task is not me)


def assert_nothing_left_running(what: str) -> None:
    left = still_running()
    assert not left, (
        f"{what}, {len(left)} task(s) it started were still running. The consumers wait on "
        "queue.get() for an item that will never come: once join() returns, cancel each "
        "consumer and wait for it (asyncio.wait or gather), also when handle_all is cancelled."
    )


async def test_every_item_is_handled_once_repeats_included(exercise, clock):
    handler = FakeHandler({})
    items = ["a", "b", "a", "c", "a"]
    errors = await within_patience(exercise.handle_all(items, handler.handle, 2))
    handled = Counter(handler.timeline.labels())
    assert handled == Counter(items), (
        f"handle_all({items!r}, handle, workers=2) handled {dict(handled)}; expected "
        f"{dict(Counter(items))}: every item once, an item listed three times three times."
    )
    assert errors == [], f"No call raised, yet handle_all returned {errors!r}; expected []."
    assert_nothing_left_running("After handle_all returned")


async def test_the_workers_share_the_items_and_it_returns_when_the_last_is_done(exercise, clock):
    seconds = {"a": 1.3, "b": 0.25, "c": 0.25, "d": 2.5, "e": 1, "f": 0.25}
    handler = FakeHandler(seconds)
    await within_patience(exercise.handle_all(list(seconds), handler.handle, 2))
    most = handler.timeline.most_at_once()
    assert most == 2, handler.timeline.explain(
        f"With workers=2, {most} call(s) of handle ran at the same time at most; expected 2.",
        "Start `workers` consumer tasks that each take the next item from the queue as "
        "soon as they are free.",
    )
    unfinished = handler.unfinished()
    assert not unfinished, handler.timeline.explain(
        f"handle_all returned at t={clock.now:g} s, before the work was done: the calls for "
        f"{unfinished} had not finished.",
        EARLY,
    )
    assert_no_worker_idle_while_items_wait(handler, 2)
    assert clock.now == last_end(handler), handler.timeline.explain(
        f"handle_all returned at t={clock.now:g} s; the last call finished at "
        f"t={last_end(handler):g} s.",
        "Return as soon as the work is done: `await queue.join()` wakes at the moment the "
        "last item is marked finished with task_done().",
    )
    assert_nothing_left_running("After handle_all returned")


async def test_more_workers_than_items_and_no_items_at_all(exercise, clock):
    handler = FakeHandler({"a": 0.25, "b": 0.25})
    await within_patience(exercise.handle_all(["a", "b"], handler.handle, 5))
    assert clock.now == 0.25, handler.timeline.explain(
        f"Two 0.25 s items with workers=5: handle_all returned at t={clock.now:g} s; "
        "expected 0.25 s, when both calls had finished.",
        EARLY
        if clock.now < 0.25
        else "Several items finishing at the same instant must all be marked finished.",
    )
    assert_nothing_left_running("With five workers and two items, after handle_all returned")
    errors = await within_patience(exercise.handle_all([], handler.handle, 3))
    assert (errors, clock.now) == ([], 0.25), (
        f"handle_all([], handle, workers=3) returned {errors!r} after "
        f"{clock.now - 0.25:g} s; expected [] at once."
    )
    assert_nothing_left_running("With no items, after handle_all returned")


async def test_a_slow_call_is_waited_for_however_long_it_takes(exercise, clock):
    handler = FakeHandler({"slow": 612.5, "quick": 0.29})
    task = asyncio.create_task(exercise.handle_all(["slow", "quick"], handler.handle, 2))
    await asyncio.wait([task], timeout=PATIENCE)
    outcome = task_outcome(task)
    task.cancel()
    assert (outcome, clock.now) == ("returned []", 612.5), handler.timeline.explain(
        f"With one call of handle taking 612.5 s, handle_all {outcome} at t={clock.now:g} s; "
        "expected it to return [] at t=612.5 s, when that call ended.",
        "The task sets no time limit: wait in queue.join() however long the work takes, "
        "without asyncio.wait_for or asyncio.timeout around it or around a call.",
    )
    assert_nothing_left_running("After handle_all returned")


@pytest.mark.parametrize(
    "items", [list("abcd"), list("abcbd")], ids=["each_item_once", "b_listed_twice"]
)
async def test_a_failing_call_is_returned_and_the_others_still_run(exercise, clock, items):
    handler = FakeHandler({"a": 1.3, "b": 0.25, "c": 2.5, "d": 0.25}, broken=("b", "d"))
    errors = await within_patience(exercise.handle_all(items, handler.handle, 2))
    assert sorted(handler.timeline.labels()) == sorted(items), handler.timeline.explain(
        f"With b and d raising, handle was called for {handler.timeline.labels()!r}; "
        f"expected every item of {items!r}.",
        "An error in one call must not stop the consumer: catch it, keep it, go on.",
    )
    unfinished = handler.unfinished()
    assert not unfinished, handler.timeline.explain(
        f"handle_all returned {errors!r} at t={clock.now:g} s, before the work was done: "
        f"the calls for {unfinished} had not finished (b and d were to raise).",
        EARLY,
    )
    expected = handler.raised
    assert sorted(map(id, errors)) == sorted(map(id, expected)), (
        f"For items {items!r}, handle raised {expected!r} and handle_all returned "
        f"{errors!r}; expected exactly those {len(expected)} error objects (in any order): "
        "one per failed call, an item that failed twice twice. Keep them in a list, not "
        "in a dict keyed by item."
    )
    assert_no_worker_idle_while_items_wait(handler, 2)
    assert clock.now == last_end(handler), handler.timeline.explain(
        f"handle_all returned at t={clock.now:g} s; the last call finished at "
        f"t={last_end(handler):g} s.",
        "A call that raised is finished too: mark it with task_done() in a `finally`, and "
        "join() wakes the moment the last call ends.",
    )
    assert_nothing_left_running("After handle_all returned")


# A cancelled call of handle may need time to unwind (closing a connection): 612.37 s is
# longer than any wait for the consumers one might cap, and short of an hour.
@pytest.mark.parametrize("cleanup", [0, 612.37], ids=["instant_unwind", "slow_unwind"])
@pytest.mark.parametrize("at", [0, 0.25, 1.3, 2.5])
async def test_cancelling_handle_all_cancels_the_calls_and_every_consumer(
    exercise, clock, at, cleanup
):
    handler = FakeHandler({"a": 1.3, "b": 0.25, "c": 2.5, "d": 0.25, "e": 1}, cleanup=cleanup)
    task = asyncio.create_task(exercise.handle_all(list("abcde"), handler.handle, 2))
    ended_at: list[float] = []
    task.add_done_callback(lambda _: ended_at.append(clock.now))
    await asyncio.sleep(at)
    # The calls take 5.3 s in all, so two workers run them until t=2.65 s at the earliest,
    # whatever order they take the items in: handle_all is still at work.
    assert not task.done(), handler.timeline.explain(
        f"handle_all {task_outcome(task)} at t={ended_at[0]:g} s, before it could be "
        f"cancelled at t={at:g} s; its calls were to run until t=2.65 s at the earliest.",
        EARLY
        if task_outcome(task).startswith("returned")
        else "handle_all keeps going until every item has been handled.",
    )
    task.cancel()
    await asyncio.wait([task], timeout=PATIENCE)
    outcome = task_outcome(task)
    running = [span.label for span in handler.timeline.spans if span.end is None]
    left = still_running()
    for leftover in asyncio.all_tasks() - {asyncio.current_task()}:
        leftover.cancel()
    if outcome == "was still running":
        why = (
            f" {PATIENCE} s later. It was probably waiting for a consumer that never ends: "
            "one that catches its own cancellation (`except BaseException`, or `except "
            "asyncio.CancelledError` without a bare `raise`) goes back to `queue.get()` on an "
            "empty queue. Catch `Exception` around handle(item): asyncio.CancelledError is "
            "not one, so the cancel ends the consumer."
        )
    else:
        why = "."
    assert outcome == "ended cancelled", (
        f"handle_all was cancelled at t={at:g} s; expected it to end cancelled, but it "
        f"{outcome}{why}"
    )
    assert not running, handler.timeline.explain(
        f"handle_all was cancelled at t={at:g} s and ended at t={ended_at[0]:g} s, but "
        f"handle({running[0]!r}) was still running"
        + (f" (a cancelled call takes {cleanup:g} s to unwind)" if cleanup else "")
        + ".",
        "Cancel the consumers when handle_all is cancelled: put the join() in a `try`, "
        "cancel them in its `finally`, and wait there for them to finish, however long "
        "their calls take to unwind (asyncio.wait or gather, with no timeout).",
    )
    assert not left, (
        f"handle_all was cancelled at t={at:g} s and left {len(left)} task(s) it had "
        "started still running. Cancel every task handle_all starts (the consumers, and a "
        "producer if it has one) in a `finally` around join(), and wait for them."
    )
