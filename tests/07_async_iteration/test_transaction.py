"""Tests for exercises/07_async_iteration/transaction.py."""

import asyncio
import traceback

import pytest

from grader.inside.testing import cancel_at_each_suspension


class FakeDatabase:
    """Records begin, commit and rollback, each taking 0.25 s, and what the block did."""

    def __init__(self, begin_fails: bool = False) -> None:
        self.begin_fails = begin_fails
        self.calls: list[str] = []

    async def _step(self, name: str) -> None:
        self.calls.append(name)
        await asyncio.sleep(0.25)
        self.calls.append(f"{name} done")

    async def begin(self) -> None:
        await self._step("begin")
        if self.begin_fails:
            raise ConnectionError("the database is down")

    async def commit(self) -> None:
        await self._step("commit")

    async def rollback(self) -> None:
        await self._step("rollback")


async def test_a_block_that_succeeds_is_committed_and_tx_is_the_transaction(exercise, clock):
    db = FakeDatabase()
    transaction = exercise.Transaction(db)
    async with transaction as tx:
        db.calls.append("block")
        await asyncio.sleep(1.3)
    assert tx is transaction, (
        f"`async with Transaction(db) as tx` gave tx = {tx!r}; expected the Transaction "
        "itself: __aenter__'s return value is what `as` receives."
    )
    assert db.calls == ["begin", "begin done", "block", "commit", "commit done"], (
        f"A block that ended normally made the calls {db.calls}; expected begin, the block, "
        "then commit."
    )
    assert clock.now == 1.8, f"The transaction took {clock.now:g} s; expected 1.8 s."


class Abandoned(BaseException):
    """Not an Exception, as KeyboardInterrupt and SystemExit are not: still a failed block."""


@pytest.mark.parametrize(
    "error",
    [ValueError("bad row"), Abandoned("the user gave up")],
    ids=["an Exception", "a BaseException that is not an Exception"],
)
async def test_a_block_that_raises_is_rolled_back_and_its_error_comes_out(exercise, clock, error):
    db = FakeDatabase()
    kind = type(error).__name__

    async def use() -> None:
        async with exercise.Transaction(db):
            db.calls.append("block")
            await asyncio.sleep(1.3)
            raise error

    with pytest.raises(type(error)) as raised:
        await use()
    assert raised.value is error, f"The block raised {error!r}; out came {raised.value!r}."
    assert db.calls == ["begin", "begin done", "block", "rollback", "rollback done"], (
        f"A block that raised {kind} (a {type(error).__mro__[1].__name__} subclass) made "
        f"the calls {db.calls}; expected begin, the block, then rollback, and no commit. "
        "Any exception ends the block as a failure, BaseExceptions such as "
        "KeyboardInterrupt too: roll back whenever exc_type is not None."
    )
    assert clock.now == 1.8, (
        f"The error came out at t={clock.now:g} s; expected t=1.8 s, after the rollback "
        "had finished."
    )


async def _raise_from_a_cause() -> None:
    raise ValueError("bad row") from KeyError("id 7")


async def _raise_while_handling() -> None:
    try:
        {}["id 7"]
    except KeyError:
        raise ValueError("bad row")  # noqa: B904 (the implicit context is the point)


@pytest.mark.parametrize(
    "fail",
    [_raise_from_a_cause, _raise_while_handling],
    ids=["raised from a cause", "raised while handling another error"],
)
async def test_the_error_comes_out_with_the_error_that_led_to_it(exercise, clock, fail):
    db = FakeDatabase()
    with pytest.raises(ValueError, match="bad row") as raised:
        async with exercise.Transaction(db):
            await fail()
    report = "".join(traceback.format_exception(raised.value))
    assert "KeyError: 'id 7'" in report, (
        "The block raised ValueError('bad row') after a KeyError('id 7'); the traceback "
        f"that came out of the `async with` was:\n{report}\nIt no longer shows the "
        "KeyError that led to it. A transaction never hides what went wrong: let the "
        "block's own exception carry on untouched (return False from __aexit__), rather "
        "than raising it again with `from None`."
    )


async def test_the_error_is_never_swallowed(exercise, clock):
    db = FakeDatabase()
    reached = False
    try:
        async with exercise.Transaction(db):
            raise KeyError("missing")
        reached = True
    except KeyError:
        pass
    assert not reached, (
        "The block raised KeyError, yet the code after the `async with` ran: __aexit__ "
        "returned a true value, which swallows the error. Return False."
    )


async def test_a_failed_begin_raises_and_neither_commits_nor_rolls_back(exercise, clock):
    db = FakeDatabase(begin_fails=True)
    ran = False
    with pytest.raises(ConnectionError, match="the database is down"):
        async with exercise.Transaction(db):
            ran = True
    assert (ran, db.calls) == (False, ["begin", "begin done"]), (
        f"begin() raised ConnectionError; the block {'ran' if ran else 'did not run'} and the "
        f"calls were {db.calls}. Expected the error to come out of __aenter__, with no "
        "commit or rollback."
    )


async def test_cancelled_at_any_point_it_rolls_back_or_never_began_and_ends_cancelled(
    exercise, clock
):
    async def scenario(start) -> FakeDatabase:
        db = FakeDatabase()

        async def use() -> None:
            async with exercise.Transaction(db):
                db.calls.append("block")
                await asyncio.sleep(1.3)
                db.calls.append("block done")

        await asyncio.wait([start(use())], timeout=10)
        return db

    for run in await cancel_at_each_suspension(scenario):
        calls = run.state.calls
        assert run.ended_cancelled, (
            f"A task using a transaction was {run.describe()} and {run.ended}; expected it to "
            "end cancelled. Let the CancelledError carry on out of the `async with`: "
            "__aexit__ returns False, never True, and has no `return` inside a `finally`, "
            "which throws away an exception on its way out (such as a cancellation that "
            "comes during the commit or the rollback)."
        )
        if "block done" in calls:
            continue  # cancelled during the commit: the block itself had finished
        if "block" in calls:
            assert (calls[-2:], "commit" in calls) == (["rollback", "rollback done"], False), (
                f"A task was {run.describe()}, inside the block; the calls were {calls}. "
                "Expected a rollback, awaited to the end before the task ended, and no "
                "commit: a cancellation is a failure of the block (exc_type is "
                "CancelledError, which is not an Exception subclass)."
            )
        else:
            assert not {"commit", "rollback"} & set(calls), (
                f"A task was {run.describe()}, before the block ran; the calls were {calls}. "
                "Nothing began, so there is nothing to commit or roll back."
            )


async def test_a_failing_block_cancelled_at_any_point_ends_cancelled_and_never_commits(
    exercise, clock
):
    async def scenario(start) -> FakeDatabase:
        db = FakeDatabase()

        async def use() -> None:
            async with exercise.Transaction(db):
                db.calls.append("block")
                await asyncio.sleep(1.3)
                raise ValueError("bad row")

        await asyncio.wait([start(use())], timeout=10)
        return db

    for run in await cancel_at_each_suspension(scenario):
        calls = run.state.calls
        assert (run.ended_cancelled, "commit" in calls) == (True, False), (
            f"A task whose block raises ValueError was {run.describe()}; it {run.ended}, "
            f"after the calls {calls}. Expected it to end cancelled, with no commit: a "
            "cancellation that comes while the rollback runs carries on out of the "
            "`async with` like any other. Let the CancelledError out of __aexit__: never "
            "return True from it, and no `return` inside a `finally`, which throws away "
            "the exception on its way out."
        )
