"""Tests for exercises/04_synchronisation/bank_account_lock.py.

The store's calls take irregular times (a read 0.734213 s, a write 1.290127 s), so a
deposit that waits by checking a flag every 0.1 s or 0.25 s wakes at a multiple of its
interval and can't start the moment the one before it ends; the virtual clock counts in
microseconds, so the times the tests expect are exact. One test gives the store minutes
per call (a read 612.483 s, a write 734.219 s): a deposit that gives up on the store after
a guessed 30 s, 60 s or 600 s fails there.
"""

import asyncio
import contextvars
from dataclasses import dataclass
from typing import Any

import pytest

from grader.inside.testing import Span, Starter, Timeline, cancel_at_each_suspension, task_outcome

READ = 0.734213
WRITE = 1.290127
# One deposit's turn: its read, then its write.
TURN = 2.02434
# A store that is very slow to answer, but answers: longer than any timeout one might guess.
SLOW_READ = 612.483
SLOW_WRITE = 734.219


@dataclass
class _Deposit:
    """One deposit: its span on the timeline and whether its caller has seen it end."""

    amount: int = 0
    span: Span | None = None
    store_calls: int = 0  # its reads and writes under way
    over: bool = False  # the call to account.deposit has returned, raised or been cancelled
    saved_at: float | None = None  # when its write finished, if it did


# The deposit under way in this context, set by deposit() below. A context variable, not the
# current task, so that a read or write the deposit runs in another task (asyncio.shield or
# create_task copy the context into it) still belongs to it.
_deposit: contextvars.ContextVar[_Deposit | None] = contextvars.ContextVar("deposit", default=None)


class SlowStore:
    """Keeps a balance; read() and write() take `read_time` and `write_time` seconds.

    Every deposit shows on the timeline as one span, its critical section: from the start
    of its read until its write ends, or, if it never gets to write (it failed or was
    cancelled), until the deposit itself ends. A write still going on after its deposit
    ended (shielded, say) keeps the span open until it is over.
    """

    def __init__(self, read_time: float = READ, write_time: float = WRITE) -> None:
        self.read_time = read_time
        self.write_time = write_time
        self.balance = 0
        self.timeline = Timeline()
        self.failing: list[str] = []  # "read" or "write": the next such call raises
        self.errors: list[Exception] = []  # each error a call raised
        self.deposits: list[_Deposit] = []

    def fail_next(self, call: str) -> None:
        """Make the next `call` ("read" or "write") raise ConnectionError once it is done."""
        self.failing.append(call)

    def _fails(self, call: str, deposit: _Deposit) -> None:
        """Raise the error planned for this call, if one is."""
        if call in self.failing:
            self.failing.remove(call)
            self._call_ends(deposit, "raised", closes=True)
            error = ConnectionError(f"the store went away during the {call}")
            self.errors.append(error)
            raise error

    async def read(self) -> int:
        deposit = self._call_begins()
        balance = self.balance
        try:
            await asyncio.sleep(self.read_time)
        except asyncio.CancelledError:
            self._call_ends(deposit, "cancelled", closes=True)
            raise
        self._fails("read", deposit)
        self._call_ends(deposit, "done", closes=False)
        return balance

    async def write(self, balance: int) -> None:
        deposit = self._call_begins()
        try:
            await asyncio.sleep(self.write_time)
        except asyncio.CancelledError:
            self._call_ends(deposit, "cancelled", closes=True)
            raise
        self._fails("write", deposit)
        deposit.saved_at = _now()
        self._call_ends(deposit, "done", closes=True)
        self.balance = balance

    def _call_begins(self) -> _Deposit:
        """The deposit making this call; opens its span if none is open."""
        deposit = _deposit.get()
        if deposit is None:
            # Store calls from a task the account started itself (a worker of its own):
            # each read opens a span there and the write after it closes it.
            deposit = _Deposit()
            _deposit.set(deposit)
        if deposit.span is None or deposit.span.end is not None:
            deposit.span = Span(f"deposit {len(self.timeline.spans) + 1}", _now())
            self.timeline.spans.append(deposit.span)
        deposit.store_calls += 1
        return deposit

    def _call_ends(self, deposit: _Deposit, outcome: str, *, closes: bool) -> None:
        """A read or write is over: a write (or a cancelled call) ends the critical section."""
        deposit.store_calls -= 1
        if closes or (deposit.over and not deposit.store_calls):
            self._close(deposit, outcome)

    def deposit_over(self, deposit: _Deposit, outcome: str) -> None:
        """The deposit's caller saw it end; its span ends now unless a call goes on."""
        deposit.over = True
        if not deposit.store_calls:
            self._close(deposit, outcome)

    @staticmethod
    def _close(deposit: _Deposit, outcome: str) -> None:
        span = deposit.span
        if span is not None and span.end is None:
            span.end, span.outcome = _now(), outcome


def _now() -> float:
    return asyncio.get_running_loop().time()


async def deposit(store: SlowStore, account: Any, amount: int) -> int:
    """`account.deposit(amount)`, telling `store` when the deposit is over."""
    record = _Deposit(amount)
    store.deposits.append(record)
    token = _deposit.set(record)
    outcome = "raised"
    try:
        balance: int = await account.deposit(amount)
        outcome = "done"
        return balance
    except asyncio.CancelledError:
        outcome = "cancelled"
        raise
    finally:
        _deposit.reset(token)
        store.deposit_over(record, outcome)


async def deposits_after(store: SlowStore, account: Any, *amounts: int) -> None:
    """Run deposits of `amounts` at once; fail with a clear message if they never finish."""
    try:
        async with asyncio.timeout(600):
            await asyncio.gather(*(deposit(store, account, amount) for amount in amounts))
    except TimeoutError:
        raise AssertionError(
            f"The deposits of {' and '.join(map(str, amounts))} after it were still waiting "
            "600 s later, so the one before them kept the lock. Release the lock however "
            "the deposit ends, errors and cancellation included: `async with lock:` does it."
        ) from None


async def test_ten_deposits_at_once_all_count(exercise, clock):
    store = SlowStore()
    account = exercise.Account(store)
    balances = await asyncio.gather(*(deposit(store, account, 10) for _ in range(10)))
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
    assert clock.now == 10 * TURN, store.timeline.explain(
        f"Ten deposits took {clock.now:g} s; expected {10 * TURN:g} s, ten turns of a "
        f"{READ} s read and a {WRITE} s write, each starting the moment the one before it "
        "ended.",
        "A waiting deposit that checks a flag now and then starts late. Wait on an "
        "asyncio.Lock: releasing it wakes the next deposit at once.",
    )


async def test_only_one_deposit_is_between_its_read_and_its_write_at_a_time(exercise):
    store = SlowStore()
    account = exercise.Account(store)
    await asyncio.gather(*(deposit(store, account, amount) for amount in (1, 2, 3)))
    when, most = store.timeline.busiest_moment()
    assert most == 1, store.timeline.explain(
        f"{most} deposits were between their read and their write at t={when:g} s; "
        "expected one at a time.",
        "The `await` between the read and the write lets other tasks run. Hold an "
        "asyncio.Lock made once per account (in __init__) across both awaits.",
    )


@pytest.mark.parametrize("failing", ["read", "write"])
async def test_a_failed_deposit_raises_and_the_next_deposits_still_work(exercise, clock, failing):
    store = SlowStore()
    account = exercise.Account(store)
    store.fail_next(failing)
    raised: Exception | None = None
    try:
        outcome = f"returned {await deposit(store, account, 5)!r}"
    except Exception as error:
        outcome, raised = f"raised {error!r}", error
    assert store.errors, f"The store was told to fail the next {failing}, but it never did."
    assert raised is store.errors[0], (
        f"The store's {failing} raised {store.errors[0]!r} during a deposit of 5, and the "
        f"deposit {outcome}; expected it to raise that very error. If the store raises, the "
        "error must reach the caller of deposit: don't catch it to try again or carry on, "
        "let it propagate (`async with lock:` still releases the lock on the way out)."
    )
    assert store.balance == 0, (
        f"A deposit whose {failing} failed changed the balance to {store.balance}."
    )
    started = clock.now
    await deposits_after(store, account, 7, 11)
    elapsed = round(clock.now - started, 6)  # the clock counts in microseconds
    assert store.balance == 18, store.timeline.explain(
        f"After a deposit of 5 whose {failing} failed, deposits of 7 and 11 left a balance of "
        f"{store.balance}; expected 18.",
        "The deposits after a failure must still take turns.",
    )
    assert elapsed == 2 * TURN, store.timeline.explain(
        f"Two deposits after the failure took {elapsed:g} s; expected "
        f"{2 * TURN:g} s, two turns of a {READ} s read and a {WRITE} s write, the second "
        "starting the moment the first ended.",
        "The second deposit started late: a deposit that waits by checking a flag now and "
        "then notices the turn only at its next check. Wait on an asyncio.Lock instead: "
        "releasing it wakes the next deposit at once.",
    )


async def test_a_cancelled_deposit_lets_the_next_deposits_through(exercise, clock):
    store = SlowStore()
    account = exercise.Account(store)
    cancelled = asyncio.create_task(deposit(store, account, 5))
    await asyncio.sleep(0.5)  # during its read
    cancelled.cancel()
    await asyncio.gather(cancelled, return_exceptions=True)
    assert cancelled.cancelled(), (
        f"A deposit of 5 was cancelled during its read, and the call {task_outcome(cancelled)}; "
        "expected it to end cancelled, so that its caller knows the deposit did not happen. "
        "Don't catch asyncio.CancelledError to return (or raise) something else: let it "
        "propagate, and `async with lock:` still releases the lock on the way out."
    )
    started = clock.now
    await deposits_after(store, account, 7, 11)
    elapsed = round(clock.now - started, 6)  # the clock counts in microseconds
    assert (store.balance, elapsed) == (18, 2 * TURN), store.timeline.explain(
        f"After a deposit of 5 was cancelled during its read, deposits of 7 and 11 left a "
        f"balance of {store.balance} after {elapsed:g} s; expected 18 after "
        f"{2 * TURN:g} s.",
        "A cancelled deposit stops where it is and writes nothing (don't shield it from "
        "the cancellation); the ones after it still take turns, each starting the moment "
        "the one before it ends.",
    )


async def test_a_deposit_cancelled_at_any_await_leaves_the_lock_working(exercise):
    async def deposit_between_two_others(start: Starter) -> SlowStore:
        store = SlowStore()
        account = exercise.Account(store)
        first = asyncio.create_task(deposit(store, account, 1))
        await asyncio.sleep(0)  # the first deposit is in; the next one has to wait for it
        victim = start(deposit(store, account, 5))
        later = asyncio.create_task(deposit(store, account, 10))
        await asyncio.wait({first, victim, later}, timeout=30)
        for task in (first, later):
            task.cancel()  # only needed when a deposit never got its turn
        await asyncio.gather(first, later, return_exceptions=True)
        return store

    for run in await cancel_at_each_suspension(deposit_between_two_others):
        store = run.state
        # Cancelled once its write had finished, the deposit of 5 is in the balance.
        cancelled_at = None if run.cancelled_at is None else run.began + run.cancelled_at
        saved = any(
            cancelled_at is None or round(record.saved_at, 6) <= round(cancelled_at, 6)
            for record in store.deposits
            if record.amount == 5 and record.saved_at is not None
        )
        expected = 16 if saved else 11
        assert saved or run.cancelled_at is None or run.ended_cancelled, (
            f"A deposit of 5, queued behind a deposit of 1 and ahead of one of 10, was "
            f"{run.describe()}, before its write had finished, and the call {run.ended}; "
            "expected it to end cancelled, so that its caller knows the deposit did not "
            "happen. Don't catch asyncio.CancelledError to carry on or return: let it "
            "propagate, and `async with lock:` still releases the lock on the way out."
        )
        when, most = store.timeline.busiest_moment()
        assert most == 1, store.timeline.explain(
            f"A deposit of 5, queued behind a deposit of 1 and ahead of one of 10, was "
            f"{run.describe()}. Then {most} deposits were between the start of their read "
            "and the end of their write (or of the deposit, when it never wrote) at once "
            f"(at t={when - run.began:g} s of that run).",
            "Keep the lock until the deposit is really over. A deposit cancelled while it "
            "waits for the lock never got it, so it must not release it: acquire before "
            "the `try` whose `finally` releases, or use `async with lock:`. And a write "
            "shielded from the cancellation goes on after the lock is released.",
        )
        assert store.balance == expected, store.timeline.explain(
            f"A deposit of 5, queued behind a deposit of 1 and ahead of one of 10, was "
            f"{run.describe()}; the balance ended at {store.balance}, expected {expected} "
            "(the other two both count; the cancelled one counts only if its write had "
            "already finished, and must not write once it is cancelled).",
            "Release the lock however a deposit ends, cancellation included. A cancelled "
            "deposit must not go on to write in the background: don't shield it.",
        )


async def test_a_store_that_takes_minutes_to_answer_is_waited_for(exercise, clock):
    store = SlowStore(SLOW_READ, SLOW_WRITE)
    account = exercise.Account(store)
    outcomes = await asyncio.gather(
        deposit(store, account, 7), deposit(store, account, 11), return_exceptions=True
    )
    turn = SLOW_READ + SLOW_WRITE
    assert (store.balance, sorted(map(repr, outcomes))) == (18, ["18", "7"]), (
        store.timeline.explain(
            f"With a store taking {SLOW_READ} s to read and {SLOW_WRITE} s to write, deposits "
            f"of 7 and 11 came back with {outcomes!r} and left a balance of {store.balance}; "
            "expected them to return 7 and 18 and leave 18.",
            "The task sets no time limit on the store: a slow answer is still an answer. "
            "Don't wrap a read or a write in asyncio.wait_for or asyncio.timeout with a "
            "guessed limit.",
        )
    )
    assert clock.now == round(2 * turn, 6), store.timeline.explain(
        f"Two deposits on a store taking {SLOW_READ} s to read and {SLOW_WRITE} s to write "
        f"took {clock.now:g} s; expected {2 * turn:g} s, two turns, the second starting "
        "the moment the first ended.",
        "Wait for the store however long it takes, and hand the lock on as soon as a "
        "deposit's write is done.",
    )
