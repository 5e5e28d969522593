"""Tests for exercises/04_synchronisation/bank_account_lock.py."""

import asyncio

import pytest

from grader.inside.testing import Span, Starter, Timeline, cancel_at_each_suspension


class SlowStore:
    """Keeps a balance; read() and write() each take one second of event-loop time.

    Every deposit shows on the timeline as one span, from the start of its read to the end
    of its write: while one span is open, the deposit is in its critical section.
    """

    def __init__(self) -> None:
        self.balance = 0
        self.timeline = Timeline()
        self.fail_writes = 0
        self._open: dict[asyncio.Task[object] | None, Span] = {}

    def fail_next_write(self) -> None:
        """Make the next write raise ConnectionError instead of saving."""
        self.fail_writes += 1

    async def read(self) -> int:
        span = Span(f"deposit {len(self.timeline.spans) + 1}", asyncio.get_running_loop().time())
        self.timeline.spans.append(span)
        self._open[asyncio.current_task()] = span
        balance = self.balance
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            self._close(outcome="cancelled")
            raise
        return balance

    async def write(self, balance: int) -> None:
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            self._close(outcome="cancelled")
            raise
        span = self._open.pop(asyncio.current_task(), None)
        if span is not None:
            span.end = asyncio.get_running_loop().time()
        if self.fail_writes:
            self.fail_writes -= 1
            if span is not None:
                span.outcome = "raised"
            raise ConnectionError("the store went away")
        if span is not None:
            span.outcome = "done"
        self.balance = balance

    def _close(self, outcome: str) -> None:
        """End the current deposit's span: it left its critical section early."""
        span = self._open.pop(asyncio.current_task(), None)
        if span is not None:
            span.end, span.outcome = asyncio.get_running_loop().time(), outcome


async def test_ten_deposits_at_once_all_count(exercise):
    store = SlowStore()
    account = exercise.Account(store)
    balances = await asyncio.gather(*(account.deposit(10) for _ in range(10)))
    assert store.balance == 100, store.timeline.explain(
        f"Ten deposits of 10 ran at the same time and left a balance of {store.balance}; "
        "expected 100.",
        "Deposits read the balance while another was still between its read and its write, "
        "so their writes overwrote each other. Hold one asyncio.Lock, shared by the whole "
        "account, from before the read until after the write.",
    )
    assert sorted(balances) == list(range(10, 101, 10)), (
        f"The ten deposits returned {sorted(balances)}; expected each to return the balance "
        "it wrote: 10, 20, ..., 100."
    )


async def test_only_one_deposit_is_between_its_read_and_its_write_at_a_time(exercise):
    store = SlowStore()
    account = exercise.Account(store)
    await asyncio.gather(account.deposit(1), account.deposit(2), account.deposit(3))
    when, most = store.timeline.busiest_moment()
    assert most == 1, store.timeline.explain(
        f"{most} deposits were between their read and their write at t={when:g} s; "
        "expected one at a time.",
        "The `await` between the read and the write lets other tasks run. Hold an "
        "asyncio.Lock made once per account (in __init__) across both awaits.",
    )


async def test_a_failed_deposit_raises_and_the_next_deposits_still_work(exercise, clock):
    store = SlowStore()
    account = exercise.Account(store)
    store.fail_next_write()
    with pytest.raises(ConnectionError, match="the store went away"):
        await account.deposit(5)
    assert store.balance == 0, (
        f"A deposit whose write failed changed the balance to {store.balance}."
    )
    started = clock.now
    # If the failed deposit kept the lock, these two wait forever: a deadlock.
    await asyncio.gather(account.deposit(7), account.deposit(11))
    assert store.balance == 18, store.timeline.explain(
        f"After a failed deposit of 5, deposits of 7 and 11 left a balance of "
        f"{store.balance}; expected 18.",
        "The deposits after a failure must still take turns.",
    )
    assert clock.now - started == 4, store.timeline.explain(
        f"Two deposits after the failure took {clock.now - started:g} s; expected 4 s "
        "(two turns of a 1 s read and a 1 s write).",
        "Release the lock however the deposit ends: `async with lock:` does it for you.",
    )


async def test_a_cancelled_deposit_lets_the_next_deposits_through(exercise, clock):
    store = SlowStore()
    account = exercise.Account(store)
    cancelled = asyncio.create_task(account.deposit(5))
    await asyncio.sleep(0.5)  # halfway through its read
    cancelled.cancel()
    await asyncio.gather(cancelled, return_exceptions=True)
    started = clock.now
    try:
        async with asyncio.timeout(60):
            await asyncio.gather(account.deposit(7), account.deposit(11))
    except TimeoutError:
        raise AssertionError(
            "A deposit was cancelled halfway through its read; the deposits after it were "
            "still waiting 60 s later, so the cancelled one kept the lock. Release the lock "
            "however the deposit ends, cancellation included: `async with lock:` does it."
        ) from None
    assert (store.balance, clock.now - started) == (18, 4), store.timeline.explain(
        f"After a cancelled deposit, deposits of 7 and 11 left a balance of {store.balance} "
        f"after {clock.now - started:g} s; expected 18 after 4 s.",
        "A cancelled deposit writes nothing; the ones after it still take turns.",
    )


async def test_a_deposit_cancelled_at_any_await_leaves_the_lock_working(exercise):
    async def deposit_between_two_others(start: Starter) -> SlowStore:
        store = SlowStore()
        account = exercise.Account(store)
        first = asyncio.create_task(account.deposit(1))
        await asyncio.sleep(0)  # the first deposit is in; the next one has to wait for it
        victim = start(account.deposit(5))
        later = asyncio.create_task(account.deposit(10))
        await asyncio.wait({first, victim, later}, timeout=30)
        for task in (first, later):
            task.cancel()  # only needed when a deposit never got its turn
        await asyncio.gather(first, later, return_exceptions=True)
        return store

    for run in await cancel_at_each_suspension(deposit_between_two_others):
        store = run.state
        when, most = store.timeline.busiest_moment()
        assert most == 1, store.timeline.explain(
            f"A deposit of 5, queued behind a deposit of 1 and ahead of one of 10, was "
            f"{run.describe()}. Then {most} deposits were between their read and their write "
            f"at once (at t={when - run.began:g} s of that run).",
            "A deposit cancelled while it waits for the lock never got it, so it must not "
            "release it: acquire before the `try` whose `finally` releases, or use "
            "`async with lock:`.",
        )
        assert store.balance == 11, store.timeline.explain(
            f"A deposit of 5, queued behind a deposit of 1 and ahead of one of 10, was "
            f"{run.describe()}; the balance ended at {store.balance}, expected 11 (the "
            "cancelled deposit writes nothing, the other two both count).",
            "Release the lock however a deposit ends, cancellation included.",
        )
