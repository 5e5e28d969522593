"""Tests for exercises/05_exceptions/taskgroup_except_star.py."""

import asyncio
from collections.abc import Iterator

import pytest

from grader.inside.testing import Timeline

# Neither in the order of the names nor sorted, so that ids sorted or in finishing order show.
IDS = {"alice": 7, "bob": 3, "carol": 12, "dave": 5}


class RowTooLong(ValueError):
    """A refusal of a more precise kind: still a ValueError."""


class FakeDatabase:
    """Saves a row after `delays[row]` seconds (default 1) and returns its id from IDS.

    Rows in `refuse` raise ValueError (with the message "row 'bob' refused", or with
    `refusal_args` when given), rows in `too_long` its subclass RowTooLong, rows in `broken`
    raise ConnectionError. `raised` lists the very errors the saves raised.
    """

    def __init__(
        self,
        delays: dict[str, float],
        refuse: frozenset[str] = frozenset(),
        broken: frozenset[str] = frozenset(),
        too_long: frozenset[str] = frozenset(),
        refusal_args: tuple[str, ...] | None = None,
    ) -> None:
        self.delays = delays
        self.refuse = refuse
        self.broken = broken
        self.too_long = too_long
        self.refusal_args = refusal_args
        self.timeline = Timeline()
        self.raised: list[Exception] = []

    async def save(self, row: str) -> int:
        async with self.timeline.track(f"save {row}"):
            await asyncio.sleep(self.delays.get(row, 1))
            if row in self.refuse:
                args = (f"row {row!r} refused",) if self.refusal_args is None else self.refusal_args
                raise ValueError(*args)
            if row in self.too_long:
                raise RowTooLong(f"row {row!r} refused: too long")
            if row in self.broken:
                error = ConnectionError(f"lost the database while saving {row!r}")
                self.raised.append(error)
                raise error
            return IDS[row]


def leaves(group: BaseExceptionGroup) -> Iterator[BaseException]:
    """The exceptions inside a (possibly nested) exception group."""
    for error in group.exceptions:
        if isinstance(error, BaseExceptionGroup):
            yield from leaves(error)
        else:
            yield error


async def import_expecting_a_result(exercise, rows: list[str], database: FakeDatabase):
    """Call import_batch, turning an escaped ExceptionGroup into a message for the learner."""
    try:
        return await exercise.import_batch(rows, database.save)
    except BaseExceptionGroup as group:
        raise AssertionError(
            f"import_batch({rows!r}) raised {group!r}; expected it to handle the "
            "ValueErrors and return "
            "([], refused). A TaskGroup wraps errors in an ExceptionGroup, which a plain "
            "`except ValueError` never matches: use `except* ValueError`."
        ) from group
    except (Exception, asyncio.CancelledError) as error:
        raise AssertionError(
            f"import_batch({rows!r}) raised {error!r}; expected it to return ([], refused) "
            "for the refused batch. Take each refusal's message with str(error), which "
            "works for every ValueError (error.args[0] fails on a ValueError()), return "
            "([], refused) even when the messages are empty, and read no task's result in "
            "a refused batch: its tasks failed or were cancelled."
        ) from error


@pytest.mark.parametrize(
    "rows",
    [["alice", "bob", "carol"], ["alice", "bob", "alice", "carol", "bob"]],
    ids=["each_row_once", "rows_listed_twice"],
)
async def test_a_clean_batch_returns_every_id_in_the_order_of_rows(exercise, clock, rows):
    database = FakeDatabase({"alice": 3, "bob": 1, "carol": 2})
    result = await exercise.import_batch(rows, database.save)
    expected = ([IDS[row] for row in rows], [])
    assert result == expected, (
        f"import_batch({rows!r}) returned {result!r}; expected {expected!r}: the ids save "
        "gave back, one per row (a row listed twice is saved twice), in the order of the "
        "rows (not sorted, and not in the order the saves ended), and nothing refused."
        + (
            " Take each id from its own task (keep the tasks in a list), not from a dict "
            "keyed by row."
            if len(rows) != len(set(rows))
            else ""
        )
    )
    assert clock.now == 3, database.timeline.explain(
        f"Saves of 3, 1 and 2 seconds took {clock.now:g} s of event-loop time; expected 3 s.",
        "Start every save in the TaskGroup (group.create_task) before waiting for any.",
    )


async def test_saves_that_take_minutes_are_waited_for(exercise, clock):
    # Saves of over ten minutes: longer than any time limit one might guess.
    database = FakeDatabase({"alice": 612.37, "bob": 0.25, "carol": 734.13})
    try:
        outcome = repr(await exercise.import_batch(["alice", "bob", "carol"], database.save))
    except Exception as error:  # any error is the learner's, reported below
        outcome = f"raised {error!r}"
    assert (outcome, clock.now) == ("([7, 3, 12], [])", 734.13), database.timeline.explain(
        f"Saves of 612.37 s, 0.25 s and 734.13 s, none failing: import_batch {outcome} at "
        f"t={clock.now:g} s; expected ([7, 3, 12], []) at t=734.13 s.",
        "The task puts no time limit on a save: a slow save is still a save. Await save(row) "
        "as it is, without asyncio.wait_for or asyncio.timeout around it.",
    )


# The message is whatever str(error) gives: empty for ValueError() and ValueError(""), and
# every argument for a ValueError made with two.
@pytest.mark.parametrize(
    "args",
    [("row 'bob' refused",), (), ("",), ("row 'bob' refused", "name too long")],
    ids=["a_message", "no_message", "an_empty_message", "two_arguments"],
)
async def test_a_refused_row_cancels_the_other_saves_and_is_reported(exercise, clock, args):
    # alice is saved at 0.25 s, before bob is refused at 1.3 s: the batch still gives no ids.
    database = FakeDatabase(
        {"alice": 0.25, "bob": 1.3, "carol": 2.5}, refuse=frozenset({"bob"}), refusal_args=args
    )
    refusal = ValueError(*args)
    result = await import_expecting_a_result(exercise, ["alice", "bob", "carol"], database)
    if isinstance(result, tuple) and result[:1] == ([],):
        nudge = (
            "`refused` holds the message of each ValueError: str(error), whatever it is "
            "(not error.args[0], and not only the messages that are not empty)."
        )
    else:
        nudge = (
            "The batch is all or nothing: a refused batch gives no ids at all, not even "
            "those saved before the refusal."
        )
    expected = ([], [str(refusal)])
    assert result == expected, (
        f"alice was saved at t=0.25 s, then bob's save raised {refusal!r} at t=1.3 s, and "
        f"import_batch returned {result!r}; expected {expected!r}. {nudge}"
    )
    left_running = [
        span.label for span in database.timeline.spans if span.end is None or span.end > 1.3
    ]
    stopped_at_once = clock.now == 1.3 and not left_running
    assert stopped_at_once, database.timeline.explain(
        f"bob's save failed at t=1.3 s, but import_batch returned at t={clock.now:g} s"
        + (f" and {', '.join(left_running)} kept running" if left_running else "")
        + ".",
        "A failed batch must stop at once: inside an asyncio.TaskGroup, the first error "
        "cancels the tasks still running.",
    )


async def test_every_refused_row_is_reported(exercise, clock):
    # bob is listed twice, so two refusals carry the same message; dave's refusal is a
    # RowTooLong, a subclass of ValueError.
    database = FakeDatabase({"alice": 3}, refuse=frozenset({"bob"}), too_long=frozenset({"dave"}))
    rows = ["alice", "bob", "dave", "bob"]
    ids, refused = await import_expecting_a_result(exercise, rows, database)
    assert ids == [], f"import_batch returned ids {ids!r} for a refused batch; expected []."
    expected = ["row 'bob' refused", "row 'bob' refused", "row 'dave' refused: too long"]
    if len(refused) < len(expected):
        nudge = (
            "The ExceptionGroup holds every error (`failures.exceptions`): keep them all, "
            "one entry per refusal even when two messages are the same, and a subclass of "
            "ValueError (as `except* ValueError` matches it) is a refusal too."
        )
    else:
        nudge = "Each entry is an error's message, str(error): not the error, nor its repr()."
    assert sorted(refused) == expected, (
        f"For rows {rows!r}, both saves of bob were refused at t=1 s with ValueError, and "
        f"dave's with RowTooLong, a subclass of ValueError; import_batch reported "
        f"{refused!r}, expected the three messages {expected!r} (in any order). {nudge}"
    )


@pytest.mark.parametrize(
    "refuse", [frozenset(), frozenset({"bob"})], ids=["alone", "together_with_a_refusal"]
)
async def test_other_errors_reach_the_caller_in_an_exception_group(exercise, clock, refuse):
    database = FakeDatabase({"alice": 3}, refuse=refuse, broken=frozenset({"carol"}))
    rows = ["alice", "bob", "carol"]
    try:
        result = await exercise.import_batch(rows, database.save)
    except BaseExceptionGroup as group:
        errors = [*leaves(group)]
    except ConnectionError as error:
        raise AssertionError(
            f"carol's save raised ConnectionError and import_batch raised {error!r} on its "
            "own; expected an ExceptionGroup holding it. Unexpected errors reach the caller "
            "still inside a group: `except* ValueError` re-raises the rest as a group by "
            "itself, so do not take them out of it."
        ) from error
    else:
        raise AssertionError(
            f"carol's save raised ConnectionError, yet import_batch returned {result!r}. "
            "Only ValueErrors are expected; `except* ValueError` leaves every other error "
            "in the group and lets it go on up to the caller."
        )
    assert [type(error) for error in errors] == [ConnectionError], (
        f"carol's save raised ConnectionError{' and bob was refused' if refuse else ''}; "
        f"import_batch raised a group holding {errors!r}. Expected the ConnectionError alone: "
        "handle only the ValueErrors (`except* ValueError`) and let everything else go on up."
    )
    (raised,) = database.raised
    assert errors[0] is raised, (
        f"carol's save raised {raised!r}; the group import_batch raised holds {errors[0]!r}, "
        "an equal copy, not the error itself. Let the unexpected error go on up as it was "
        "raised (`except* ValueError` re-raises the rest of the group by itself), so that "
        "the caller sees where it came from, its traceback included."
    )
    assert clock.now == 1, database.timeline.explain(
        f"carol's save failed at t=1 s, but the error reached the caller at t={clock.now:g} s.",
        "Inside an asyncio.TaskGroup, the first error cancels the tasks still running.",
    )
