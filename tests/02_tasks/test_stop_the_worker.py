"""Tests for exercises/02_tasks/stop_the_worker.py."""

import asyncio

import pytest

from grader.inside.testing import Starter, Timeline, cancel_at_each_suspension, task_outcome


class FakeItems:
    """Processing an item takes one second; a cancelled item takes `cleanup` seconds to undo.

    A second cancel() during the cleanup cuts it short: `interrupted` records the item and when.
    `ran_in` records the name of the task each item was processed in, `errors` each crash.
    """

    def __init__(self, cleanup: float = 0, crash_on: int | None = None) -> None:
        self.cleanup = cleanup
        self.crash_on = crash_on
        self.timeline = Timeline()
        self.interrupted: list[tuple[int, float]] = []
        self.ran_in: list[str] = []
        self.tasks: list[asyncio.Task[object] | None] = []
        self.errors: list[ValueError] = []

    async def process(self, item: int) -> None:
        task = asyncio.current_task()
        self.ran_in.append(task.get_name() if task is not None else "no task")
        self.tasks.append(task)
        async with self.timeline.track(f"item {item}"):
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                try:
                    await asyncio.sleep(self.cleanup)  # putting the item back takes a while
                except asyncio.CancelledError:
                    self.interrupted.append((item, asyncio.get_running_loop().time()))
                    raise
                raise
            if item == self.crash_on:
                self.errors.append(ValueError(f"item {item} is corrupt"))
                raise self.errors[-1]


async def run_worker_for(exercise, seconds, name, items):
    """Call the exercise, turning an escaped CancelledError into a learner-worded failure."""
    try:
        return await exercise.run_worker_for(seconds, name, items.process)
    except asyncio.CancelledError:
        pytest.fail(
            f"run_worker_for({seconds}, {name!r}) raised CancelledError. Awaiting a task you "
            "cancelled raises CancelledError in the awaiting code; here it is expected, so "
            "catch it around `await worker` and return the report."
        )


async def test_the_report_names_the_worker_and_counts_the_items_it_finished(exercise):
    items = FakeItems()
    caller = asyncio.current_task()
    assert caller is not None
    caller_name = caller.get_name()
    report = await run_worker_for(exercise, 3.5, "indexer", items)
    assert (report.name, report.processed) == ("indexer", 3), items.timeline.explain(
        f"run_worker_for(3.5, 'indexer') returned {report!r}; expected name='indexer' and "
        "processed=3: items 0, 1 and 2 took a second each, and item 3 was interrupted.",
        "The name is the task's (worker.get_name()); the count is the worker's own.",
    )
    tasks = sorted(set(items.ran_in))
    assert tasks == ["indexer"], (
        f"run_worker_for(3.5, 'indexer') processed its items in the task(s) {tasks}; "
        "expected the worker task itself to be called 'indexer'. A task's name is given "
        "when it is made: asyncio.create_task(coro, name=name)."
    )
    in_caller = any(task is caller for task in items.tasks)
    assert (in_caller, caller.get_name()) == (False, caller_name), (
        f"run_worker_for(3.5, 'indexer') was called from the task {caller_name!r}; the items "
        f"were processed {'in that very task' if in_caller else 'in another task'}, and "
        f"afterwards the calling task was called {caller.get_name()!r}. Expected a worker "
        "task of its own, called 'indexer', and the caller's task left as it was: start "
        "the worker with asyncio.create_task(work(), name=name) rather than doing the work "
        "yourself under a borrowed name."
    )


async def test_it_returns_only_once_the_worker_has_stopped(exercise, clock):
    # Off-grid times: a loop that checks every 0.5, 0.25, 0.1 or 0.05 s whether the worker
    # is done, or a timeout of a second, misses the instant it stops (3.37 + 1.29 = 4.66 s).
    items = FakeItems(cleanup=1.29)
    report = await run_worker_for(exercise, 3.37, "indexer", items)
    last = items.timeline.spans[-1]
    assert last.end is not None, items.timeline.explain(
        f"run_worker_for returned at t={clock.now:g} s while the task 'indexer' was still "
        f"running: {last.label} had not finished cleaning up after the cancel.",
        "worker.cancel() only asks the task to stop. Await the task after cancelling it: "
        "that waits until it has really finished, however long that takes.",
    )
    running = [
        task.get_name() for task in asyncio.all_tasks() if task is not asyncio.current_task()
    ]
    assert not running, (
        f"run_worker_for returned at t={clock.now:g} s, but the tasks {running} were still "
        "running. Await the worker after cancelling it, so that it is done when you return."
    )
    assert not items.interrupted, cleanup_cut_short(items, 3.37)
    assert (clock.now, report.processed) == (4.66, 3), items.timeline.explain(
        f"run_worker_for returned {report!r} at t={clock.now:g} s; expected processed=3 at "
        "t=4.66 s (cancelled at 3.37 s, plus 1.29 s for item 3 to clean up).",
        "Cancel the worker once, then await it: it wakes you the instant the worker is done. "
        "Checking now and then is late by up to one check.",
    )


async def test_a_slow_cleanup_is_waited_for_however_long_it_takes(exercise, clock):
    items = FakeItems(cleanup=3540.3)
    report = await run_worker_for(exercise, 2.5, "indexer", items)
    assert not items.interrupted, cleanup_cut_short(items, 2.5)
    last = items.timeline.spans[-1]
    assert (clock.now, last.end, report.processed) == (3542.8, 3542.8, 2), items.timeline.explain(
        f"With item 2 taking 3540.3 s to clean up after the cancel at t=2.5 s, run_worker_for "
        f"returned {report!r} at t={clock.now:g} s; expected processed=2 at t=3542.8 s, the "
        "instant the worker stopped.",
        "A timeout or a sleep guesses how long the worker needs to stop, and a slow cleanup "
        "outlasts the guess. Await the worker itself: there is no time to guess.",
    )


def cleanup_cut_short(items: FakeItems, cancelled_at: float) -> str:
    """The failure message for a worker whose cleanup a second cancel() interrupted."""
    item, when = items.interrupted[0]
    return items.timeline.explain(
        f"The worker was cancelled at t={cancelled_at:g} s and item {item} began its "
        f"{items.cleanup:g} s cleanup, but a second cancel() cut the cleanup short at "
        f"t={when:g} s.",
        "Cancelling again does not hurry the task along: it interrupts the cleanup the task "
        "is doing. Cancel the worker once, then await it until it is done.",
    )


async def test_a_crashed_worker_s_error_is_raised(exercise):
    items = FakeItems(crash_on=2)
    with pytest.raises(ValueError, match="item 2 is corrupt") as excinfo:
        await run_worker_for(exercise, 5, "indexer", items)
    assert excinfo.value is items.errors[0], (
        f"run_worker_for raised {excinfo.value!r}; expected the very error the worker "
        f"crashed with, {items.errors[0]!r}, not a new one made from it. Awaiting the "
        "worker raises that error itself: let it propagate."
    )


async def test_a_cancellation_aimed_at_run_worker_for_is_not_swallowed(exercise):
    items = FakeItems(cleanup=1)
    caller = asyncio.create_task(exercise.run_worker_for(3.5, "indexer", items.process))
    await asyncio.sleep(4)  # the worker was cancelled at 3.5 s and cleans up until 4.5 s
    returned_early = caller.done()
    caller.cancel()
    await asyncio.wait([caller])
    leftovers = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    if leftovers:
        await asyncio.wait(leftovers)  # let the worker finish cleaning up, whatever happened
    assert not returned_early, items.timeline.explain(
        f"run_worker_for(3.5, 'indexer') {task_outcome(caller)} before t=4 s, while the "
        "cancelled worker was still cleaning up (until t=4.5 s).",
        "Await the worker after cancelling it, so that it is done when you return.",
    )
    assert caller.cancelled(), items.timeline.explain(
        "run_worker_for(3.5, 'indexer') was itself cancelled at t=4 s, while it waited for "
        f"the worker to stop, and it {task_outcome(caller)}; expected it to end cancelled.",
        "Only the CancelledError you caused by cancelling the worker is yours to catch. When "
        "the task running run_worker_for is being cancelled (asyncio.current_task()"
        ".cancelling() is not 0), re-raise the CancelledError instead of returning.",
    )


async def test_a_worker_cancelled_again_by_someone_else_is_still_not_an_error(exercise, clock):
    # Some other part of the program (a shutdown routine, say) cancels the worker too, while
    # it cleans up after run_worker_for's own cancel. Nobody cancelled run_worker_for.
    items = FakeItems(cleanup=1.29)

    async def cancel_the_worker_at(when: float) -> None:
        await asyncio.sleep(when)
        for task in asyncio.all_tasks():
            if task.get_name() == "indexer":
                task.cancel()

    someone_else = asyncio.create_task(cancel_the_worker_at(3.91))
    try:
        report: object = await exercise.run_worker_for(3.5, "indexer", items.process)
    except asyncio.CancelledError:
        report = "CancelledError"
    await someone_else
    assert report == exercise.Report("indexer", 3), items.timeline.explain(
        "run_worker_for(3.5, 'indexer') cancelled the worker at t=3.5 s, and some other code "
        "cancelled it once more at t=3.91 s, during its cleanup; nobody cancelled "
        f"run_worker_for, and it gave {report!r} at t={clock.now:g} s; expected "
        "Report(name='indexer', processed=3) as soon as the worker stopped.",
        "However many times the worker was cancelled, its CancelledError is not aimed at "
        "you. Whether you are being cancelled is a question about your own task: "
        "asyncio.current_task().cancelling(), not the worker's.",
    )


async def test_cancelled_at_any_await_run_worker_for_ends_cancelled(exercise):
    async def stop_after_2_5_seconds(start: Starter) -> None:
        items = FakeItems(cleanup=0.25)
        before = asyncio.all_tasks()
        task = start(exercise.run_worker_for(2.5, "indexer", items.process))
        await asyncio.wait({task}, timeout=10)
        # A worker left behind by an early cancellation is not this test's business.
        leftovers = asyncio.all_tasks() - before - {task}
        for leftover in leftovers:
            leftover.cancel()
        await asyncio.gather(*leftovers, return_exceptions=True)

    for run in await cancel_at_each_suspension(stop_after_2_5_seconds):
        assert run.ended_cancelled, (
            f"run_worker_for(2.5, 'indexer') was {run.describe()}, and it {run.ended}; "
            "expected it to end cancelled. A cancellation aimed at run_worker_for, whether it "
            "comes while the worker runs or while it stops, is not yours to swallow: "
            "let asyncio.CancelledError out (re-raise it when current_task().cancelling())."
        )


async def test_the_worker_processes_items_0_1_2_one_after_another(exercise, clock):
    items = FakeItems()
    report = await run_worker_for(exercise, 2.5, "indexer", items)
    labels = items.timeline.labels()
    starts = [span.start for span in items.timeline.spans]
    assert (labels, starts) == (["item 0", "item 1", "item 2"], [0, 1, 2]), items.timeline.explain(
        f"run_worker_for(2.5, 'indexer') had the worker process {labels} starting at "
        f"t = {starts}; expected items 0, 1 and 2, each starting as the one before "
        "ended (item 2 interrupted at t=2.5 s).",
        "The worker calls `await process(0)`, then `await process(1)`, and so on.",
    )
    assert report.processed == 2, f"run_worker_for returned {report!r}; expected processed=2."
