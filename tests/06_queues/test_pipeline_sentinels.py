"""Tests for exercises/06_queues/pipeline_sentinels.py."""

import asyncio
from collections import Counter
from collections.abc import Awaitable, Iterator

import pytest

from grader.inside.testing import Timeline, task_outcome

# Long enough, in virtual time, that a pipeline still running after it would run forever
# (an hour: longer than the ten-minute parse and store one test makes).
PATIENCE = 3600


class Stages:
    """A fake parse (upper-cases a line in a per-line time) and store (0.25 s or per record).

    Parsing the line ``broken`` raises ValueError; storing the record ``unstorable`` raises
    OSError once its 0.25 s are over.
    """

    def __init__(
        self,
        seconds: dict[str, float] | None = None,
        broken: str | None = None,
        unstorable: str | None = None,
        store_seconds: dict[str, float] | None = None,
    ) -> None:
        self.seconds = seconds or {}
        self.store_seconds = store_seconds or {}
        self.broken = broken
        self.unstorable = unstorable
        self.timeline = Timeline()
        self.stored: list[str] = []
        self.raised: Exception | None = None

    async def parse(self, line: str) -> str:
        async with self.timeline.track(f"parse {line}"):
            await asyncio.sleep(self.seconds.get(line, 1))
            if line == self.broken:
                self.raised = ValueError(f"cannot parse {line!r}")
                raise self.raised
            return line.upper()

    async def store(self, record: str) -> None:
        async with self.timeline.track(f"store {record}"):
            await asyncio.sleep(self.store_seconds.get(record, 0.25))
            if record == self.unstorable:
                self.raised = OSError(f"no room left to store {record!r}")
                raise self.raised
            self.stored.append(record)


async def finish(call: Awaitable[int], stages: Stages) -> int:
    try:
        async with asyncio.timeout(PATIENCE):
            return await call
    except TimeoutError:
        raise AssertionError(
            stages.timeline.explain(
                f"run_pipeline was still running {PATIENCE} s later.",
                "A consumer waits on get() forever unless it is told the items are over. Put "
                "one sentinel per parser after the last line, and the storer's sentinel once "
                "every parser has stopped; a consumer that takes a sentinel returns.",
            )
        ) from None


def leaves(error: BaseException) -> Iterator[BaseException]:
    """The exceptions inside ``error``, a (possibly nested) exception group, or ``error`` itself."""
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            yield from leaves(inner)
    else:
        yield error


def assert_nothing_left_running(what: str) -> None:
    me = asyncio.current_task()
    left = [task for task in asyncio.all_tasks() if task is not me]
    assert not left, (
        f"{what}, {len(left)} of its tasks were still running: a stage waiting on a queue "
        "for an item that will never come. Every consumer needs its sentinel."
    )


async def test_every_line_is_parsed_and_stored_once_repeats_included(exercise, clock):
    stages = Stages()
    lines = ["a", "b", "a", "c"]
    count = await finish(exercise.run_pipeline(lines, stages.parse, stages.store, 2), stages)
    assert Counter(stages.stored) == Counter({"A": 2, "B": 1, "C": 1}), stages.timeline.explain(
        f"run_pipeline({lines!r}, parsers=2) stored {stages.stored!r}; expected A twice, B and C.",
        "Every line goes through parse and then store, once.",
    )
    assert count == 4, f"run_pipeline stored 4 records but returned {count!r}."
    assert_nothing_left_running("After run_pipeline returned")


async def test_the_storer_keeps_going_until_the_slowest_parser_is_done(exercise, clock):
    stages = Stages({"a": 0.25, "b": 2.5, "c": 0.25, "d": 1.3})
    count = await finish(exercise.run_pipeline(list("abcd"), stages.parse, stages.store, 3), stages)
    assert sorted(stages.stored) == ["A", "B", "C", "D"], stages.timeline.explain(
        f"With parsers taking 0.25 to 2.5 s, only {sorted(stages.stored)} were stored; "
        "expected all four.",
        "The storer stopped while a parser was still working. Its sentinel must come after "
        "every parser has stopped (asyncio.wait on the parser tasks), not from the reader "
        "nor from the first parser to finish.",
    )
    assert (count, clock.now) == (4, 2.75), stages.timeline.explain(
        f"run_pipeline returned {count!r} at t={clock.now:g} s; expected 4 at t=2.75 s, when "
        "the last record (parsed by t=2.5 s) was stored.",
        "Stop each stage as soon as its sentinel arrives.",
    )
    assert_nothing_left_running("After run_pipeline returned")


async def test_parsers_work_at_once_and_it_returns_when_the_last_record_is_stored(exercise, clock):
    stages = Stages({line: 1.3 for line in "abcdef"})
    pipeline = exercise.run_pipeline(list("abcdef"), stages.parse, stages.store, 3)
    count = await finish(pipeline, stages)
    parsing = Timeline([span for span in stages.timeline.spans if span.label.startswith("parse")])
    assert parsing.most_at_once() == 3, parsing.explain(
        f"With parsers=3, {parsing.most_at_once()} parse call(s) ran at once at most; expected 3.",
        "Start `parsers` parser tasks, all taking lines from the same queue.",
    )
    # Three lines parsed by 1.3 s and three more by 2.6 s; the last store ends at 3.35 s.
    assert (count, clock.now) == (6, 3.35), stages.timeline.explain(
        f"run_pipeline returned {count!r} at t={clock.now:g} s; expected 6 at t=3.35 s.",
        "Return as soon as the storer has stored the last record.",
    )


async def test_a_slow_parse_and_a_slow_store_are_waited_for_however_long_they_take(exercise, clock):
    # big is parsed by t=0.25 s and stored until t=612.75 s; slow is parsed until t=612.5 s
    # and then waits for the storer, which stores it from t=612.75 to 613 s.
    stages = Stages({"slow": 612.5, "big": 0.25}, store_seconds={"BIG": 612.5})
    task = asyncio.create_task(
        exercise.run_pipeline(["slow", "big"], stages.parse, stages.store, 2)
    )
    await asyncio.wait([task], timeout=PATIENCE)
    outcome = task_outcome(task)
    task.cancel()
    assert (outcome, clock.now) == ("returned 2", 613), stages.timeline.explain(
        f"With parse('slow') and store('BIG') taking 612.5 s each, run_pipeline {outcome} at "
        f"t={clock.now:g} s; expected it to return 2 at t=613 s, when SLOW was stored.",
        "The task sets no time limit: await each parse and store however long it takes, "
        "without asyncio.wait_for or asyncio.timeout around it.",
    )
    assert_nothing_left_running("After run_pipeline returned")


async def test_a_blank_line_and_its_empty_record_are_items_not_sentinels(exercise, clock):
    stages = Stages({"": 0.25, "a": 1.3, "b": 0.25})
    lines = ["", "a", "", "b"]
    count = await finish(exercise.run_pipeline(lines, stages.parse, stages.store, 2), stages)
    assert (Counter(stages.stored), count) == (Counter({"": 2, "A": 1, "B": 1}), 4), (
        stages.timeline.explain(
            f"run_pipeline({lines!r}, parsers=2) stored {stages.stored!r} and returned "
            f"{count!r}; expected '' twice, 'A' and 'B', and 4.",
            "An empty line is a line like any other, and its record '' a record: only None "
            "is the sentinel. Test for it with `is None`, not with `not item`.",
        )
    )
    assert_nothing_left_running("After run_pipeline returned")


@pytest.mark.parametrize(
    ("lines", "parsers", "expected_time"),
    [([], 3, 0), (["x"], 4, 0.5), (["x", "x"], 1, 0.75)],
    ids=["no lines", "more parsers than lines", "one parser, the same line twice"],
)
async def test_no_lines_one_line_and_more_parsers_than_lines(
    exercise, clock, lines, parsers, expected_time
):
    stages = Stages({"x": 0.25})
    count = await finish(exercise.run_pipeline(lines, stages.parse, stages.store, parsers), stages)
    assert (count, stages.stored) == (len(lines), ["X"] * len(lines)), (
        f"run_pipeline({lines!r}, parsers={parsers}) stored {stages.stored!r} and returned "
        f"{count!r}; expected {['X'] * len(lines)!r} and {len(lines)}."
    )
    assert clock.now == expected_time, stages.timeline.explain(
        f"run_pipeline({lines!r}, parsers={parsers}) returned at t={clock.now:g} s; expected "
        f"t={expected_time:g} s.",
        "Each parser stops at its own sentinel: one per parser, even with no lines at all.",
    )
    assert_nothing_left_running(f"After run_pipeline({lines!r}, parsers={parsers}) returned")


async def run_expecting_an_error(call: Awaitable[int], stages: Stages) -> str:
    """Await run_pipeline, which should raise; say how it ended instead if it was not that."""
    try:
        count = await finish(call, stages)
    except (ValueError, OSError, ExceptionGroup) as error:
        if all(leaf is stages.raised for leaf in leaves(error)):
            return ""
        return f"raised {error!r}"
    return f"returned {count!r}"


async def test_a_failing_parse_raises_its_error_and_stops_every_stage(exercise, clock):
    stages = Stages({"a": 2.5, "b": 1.3, "c": 0.25}, broken="b")
    pipeline = exercise.run_pipeline(list("abcd"), stages.parse, stages.store, 2)
    instead = await run_expecting_an_error(pipeline, stages)
    assert not instead, stages.timeline.explain(
        f"parse('b') raised {stages.raised!r} at t=1.3 s, and run_pipeline {instead} at "
        f"t={clock.now:g} s; expected it to raise that error (alone, or in a TaskGroup's "
        "ExceptionGroup).",
        "Run the stages in a TaskGroup and let a stage's error out of it.",
    )
    assert clock.now == 1.3, f"run_pipeline raised at t={clock.now:g} s; expected t=1.3 s."
    running = [span.label for span in stages.timeline.spans if span.end is None]
    assert not running, stages.timeline.explain(
        f"After the error, {running} kept running.",
        "Run the stages in a TaskGroup: it cancels the others when one fails.",
    )
    assert_nothing_left_running("After run_pipeline raised")


async def test_a_failing_store_raises_its_error_and_stops_every_stage(exercise, clock):
    # c is parsed at 1.55 s, after b; its store fails at 1.8 s while a and d are parsing.
    stages = Stages({"a": 2.5, "b": 1.3, "c": 0.25}, unstorable="C")
    pipeline = exercise.run_pipeline(list("abcd"), stages.parse, stages.store, 2)
    instead = await run_expecting_an_error(pipeline, stages)
    assert not instead, stages.timeline.explain(
        f"store('C') raised {stages.raised!r} at t=1.8 s, and run_pipeline {instead} at "
        f"t={clock.now:g} s; expected it to raise that error (alone, or in a TaskGroup's "
        "ExceptionGroup).",
        "A failed store is not a record to skip: let the storer's error end it, and the "
        "TaskGroup passes it on to the caller.",
    )
    assert clock.now == 1.8, f"run_pipeline raised at t={clock.now:g} s; expected t=1.8 s."
    running = [span.label for span in stages.timeline.spans if span.end is None]
    assert not running, stages.timeline.explain(
        f"After the error, {running} kept running.",
        "Run the stages in a TaskGroup: it cancels the others when one fails.",
    )
    assert_nothing_left_running("After run_pipeline raised")


@pytest.mark.parametrize("at", [0, 0.25, 1.3, 2.5])
async def test_cancelling_the_pipeline_cancels_every_stage(exercise, clock, at):
    stages = Stages({"a": 1.3, "b": 0.25, "c": 2.5, "d": 1.3})
    task = asyncio.create_task(exercise.run_pipeline(list("abcd"), stages.parse, stages.store, 2))
    await asyncio.sleep(at)
    task.cancel()
    await asyncio.wait([task], timeout=PATIENCE)
    outcome = task_outcome(task)
    running = [span.label for span in stages.timeline.spans if span.end is None]
    assert outcome == "ended cancelled", (
        f"run_pipeline was cancelled at t={at:g} s and {outcome}; expected it to end cancelled."
    )
    assert not running, stages.timeline.explain(
        f"run_pipeline was cancelled at t={at:g} s, but {running} kept running.",
        "Start every stage in the TaskGroup, which cancels them all when it is cancelled.",
    )
    assert_nothing_left_running(f"After run_pipeline was cancelled at t={at:g} s")
