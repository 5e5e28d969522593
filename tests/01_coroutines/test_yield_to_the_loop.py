"""Tests for exercises/01_coroutines/yield_to_the_loop.py."""

import asyncio
from contextlib import asynccontextmanager, suppress

import pytest


class Log:
    """What happened, in order: each item processed and each time its progress was shown."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.progress = asyncio.Event()

    def step(self, item: int) -> int:
        self.events.append(f"item {item}")
        self.progress.set()  # wakes the progress display, which then needs a turn
        return item * 10

    def gaps(self) -> list[tuple[str, str]]:
        """Pairs of items processed one straight after the other, with no turn in between."""
        return [
            (first, second)
            for first, second in zip(self.events, self.events[1:], strict=False)
            if first.startswith("item") and second.startswith("item")
        ]


@asynccontextmanager
async def a_progress_display(log: Log):
    """Another task on the loop: it shows progress each time an item is done, given a turn."""

    async def show_progress() -> None:
        while True:
            await log.progress.wait()
            log.progress.clear()
            log.events.append("progress shown")

    display = asyncio.create_task(show_progress())
    try:
        yield
    finally:
        display.cancel()
        with suppress(asyncio.CancelledError):
            await display


async def test_results_come_back_in_the_order_of_the_items(exercise):
    log = Log()
    results = await exercise.process_all([3, 1, 2], log.step)
    assert results == [30, 10, 20], (
        f"process_all([3, 1, 2], step) returned {results!r}; expected [30, 10, 20], "
        "step's result for each item, in the order of the items."
    )
    nothing = await exercise.process_all([], log.step)
    assert nothing == [], f"process_all([], step) returned {nothing!r}; expected []."


# Short lists and long ones: the turn is owed between any two items, however many there are.
@pytest.mark.parametrize("count", [2, 3, 10, 25, 40, 57])
async def test_other_tasks_get_a_turn_between_any_two_items(exercise, count):
    log = Log()
    async with a_progress_display(log):
        await exercise.process_all(list(range(count)), log.step)
    gaps = log.gaps()
    shown = ", ".join(f"{a} and {b}" for a, b in gaps[:3])
    more = f" (and {len(gaps) - 3} more pairs)" if len(gaps) > 3 else ""
    assert not gaps, (
        f"While process_all worked through {count} items, a progress display (another "
        f"task, woken after each item) got no turn between {shown}{more}. What happened: "
        f"{', '.join(log.events[:8])}, ...\n"
        "A task keeps the event loop until it reaches an `await` that suspends it. Await "
        "something that gives up the turn between every two items, whatever the length of "
        "the list (asyncio.sleep(0) does exactly that)."
    )


async def test_giving_turns_costs_no_event_loop_time(exercise, clock):
    log = Log()
    await exercise.process_all(list(range(25)), log.step)
    assert clock.now == 0, (
        f"Processing 25 items took {clock.now:g} s of event-loop time; expected 0 s. The work "
        "is not waiting for anything: give up the turn without sleeping for a while."
    )


async def test_a_failing_step_stops_the_work_and_raises(exercise):
    log = Log()
    corrupt = ValueError("item 3 is corrupt")

    def step(item: int) -> int:
        log.step(item)
        if item == 3:
            raise corrupt
        return item

    with pytest.raises(ValueError, match="item 3 is corrupt") as excinfo:
        await exercise.process_all([1, 2, 3, 4, 5], step)
    assert excinfo.value is corrupt, (
        f"process_all raised {excinfo.value!r}; expected the very error step(3) raised, "
        f"{corrupt!r}, not a new one made from it. Let step's error propagate as it is."
    )
    processed = [event for event in log.events if event.startswith("item")]
    assert processed == ["item 1", "item 2", "item 3"], (
        f"After step(3) raised, process_all had processed {processed!r}; expected it to "
        "stop at item 3. Stop at the first failure instead of carrying on."
    )
