"""Tests for exercises/04_synchronisation/producer_consumer_condition.py."""

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass

import pytest

# Long enough, in virtual time, that a consumer still waiting after it will wait forever.
PATIENCE = 60


@dataclass
class Got:
    """What one consumer's get() ended with, and when."""

    result: object
    at: float


async def consume(handoff) -> Got:
    """One consumer: a single get(), remembering its item (or error) and the time."""
    try:
        result: object = await handoff.get()
    except Exception as error:
        result = error
    return Got(result, asyncio.get_running_loop().time())


async def settle(consumers: list[asyncio.Task[Got]], stuck: str) -> list[Got]:
    """Wait for the consumers to finish; fail with `stuck` if one is still waiting much later."""
    _, pending = await asyncio.wait(consumers, timeout=PATIENCE)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    assert not pending, f"{len(pending)} consumer(s) still waiting {PATIENCE} s later: {stuck}"
    return [task.result() for task in consumers]


async def within_patience(call: Awaitable[object], stuck: str) -> object:
    """Await `call`; fail with `stuck` if it is still waiting much later."""
    try:
        async with asyncio.timeout(PATIENCE):
            return await call
    except TimeoutError:
        raise AssertionError(f"Still waiting {PATIENCE} s later: {stuck}") from None


async def test_items_come_out_oldest_first_even_when_put_before_anyone_asks(exercise, clock):
    handoff = exercise.Handoff()
    for item in ["a", "b", "c"]:
        await handoff.put(item)
    got = [
        await within_patience(
            handoff.get(),
            "get() found items already put but waited anyway. Check for an item before you "
            "wait (`while not ...: await cond.wait()`, or `await cond.wait_for(...)`): a "
            "notify() sent before anyone waited is not kept for later.",
        )
        for _ in range(3)
    ]
    assert got == ["a", "b", "c"], (
        f"put('a'), put('b'), put('c') then three get() calls returned {got!r}; expected "
        "['a', 'b', 'c']: oldest first."
    )
    assert clock.now == 0, f"get() with items ready took {clock.now:g} s; expected no wait."


async def test_the_same_item_put_twice_is_handed_out_twice(exercise, clock):
    handoff = exercise.Handoff()
    puts = ["a", "b", "a", "a"]
    for item in puts:
        await handoff.put(item)
    await handoff.close()
    got: list[object] = []
    for _ in range(len(puts) + 1):
        try:
            got.append(await within_patience(handoff.get(), "get() on a closed handoff waited."))
        except exercise.Closed:
            break
    assert got == puts, (
        f"put('a'), put('b'), put('a'), put('a'), close(), then get() until it raised "
        f"Closed handed out {got!r}; expected {puts!r}. Every put() is one more item for "
        "one more consumer, even when an equal item is already waiting: append it, don't "
        "skip it."
    )


async def test_a_waiting_consumer_gets_the_item_the_moment_it_is_put(exercise, clock):
    handoff = exercise.Handoff()
    consumer = asyncio.create_task(consume(handoff))
    await asyncio.sleep(2.25)
    await handoff.put("x")
    (got,) = await settle(
        [consumer],
        "put() did not wake the consumer waiting in get(). Call notify() after "
        "adding the item, while holding the condition.",
    )
    assert got.result == "x", f"The waiting consumer got {got.result!r}; expected 'x'."
    assert got.at == 2.25, (
        f"The item was put at t=2.25 s but the waiting consumer got it at t={got.at:g} s. "
        "Don't poll with sleep: wait on the condition, and notify it in put()."
    )


async def test_two_quick_puts_wake_two_waiting_consumers(exercise, clock):
    handoff = exercise.Handoff()
    consumers = [asyncio.create_task(consume(handoff)) for _ in range(2)]
    await asyncio.sleep(1)
    await handoff.put("x")
    await handoff.put("y")
    got = await settle(
        consumers,
        "two items were put one right after the other, but only one waiting "
        "consumer was woken. Notify on every put, not only when the buffer was empty: the "
        "first consumer has not taken its item yet when the second put() runs.",
    )
    assert sorted(str(g.result) for g in got) == ["x", "y"], (
        f"Two waiting consumers got {[g.result for g in got]!r} from put('x'), put('y'); "
        "expected one item each."
    )
    assert [g.at for g in got] == [1, 1], f"They got them at {[g.at for g in got]}; expected t=1."


async def test_a_woken_consumer_who_finds_the_item_taken_waits_again(exercise, clock):
    handoff = exercise.Handoff()
    waiting = asyncio.create_task(consume(handoff))
    await asyncio.sleep(1)
    # This consumer runs before the woken one gets the lock back, and takes "x" first.
    barging = asyncio.create_task(consume(handoff))
    await handoff.put("x")
    await asyncio.sleep(1)
    await handoff.put("y")
    got = await settle([waiting, barging], "put('y') did not reach the consumer left waiting.")
    results = sorted(str(g.result) for g in got)
    assert results == ["x", "y"], (
        f"A consumer waited, then another arrived just as 'x' was put, then 'y' was put; "
        f"they got {[g.result for g in got]!r}, expected 'x' and 'y', one each. Being woken "
        "does not mean the item is still there: check again after every wakeup (a `while` "
        "loop around wait(), or wait_for()), and wait again if it is gone."
    )


async def test_close_hands_out_what_is_left_then_raises_closed_everywhere(exercise, clock):
    handoff = exercise.Handoff()
    await handoff.put("a")
    await handoff.close()
    try:
        first = await within_patience(handoff.get(), "get() after close() with 'a' left waited.")
    except exercise.Closed:
        raise AssertionError(
            "get() after put('a'), close() raised Closed; expected it to return 'a'. Items "
            "already put are still handed out after close(): get() raises Closed only once "
            "the handoff is closed AND `_items` is empty (and close() must not drop them)."
        ) from None
    assert first == "a", f"get() after put('a'), close() returned {first!r}; expected 'a'."
    with pytest.raises(exercise.Closed):
        await within_patience(handoff.get(), "get() on a closed, empty handoff waited.")

    handoff = exercise.Handoff()
    consumers = [asyncio.create_task(consume(handoff)) for _ in range(3)]
    await asyncio.sleep(2)
    await handoff.put("last")
    await handoff.close()
    got = await settle(
        consumers,
        "close() did not wake every consumer waiting in get(). Use "
        "notify_all(): each of them must see that the handoff is closed.",
    )
    items = [g.result for g in got if not isinstance(g.result, exercise.Closed)]
    assert items == ["last"], (
        f"Three consumers were waiting when 'last' was put and the handoff closed; they got "
        f"{[g.result for g in got]!r}. Expected one to get 'last' and two to raise Closed."
    )
    assert [g.at for g in got] == [2, 2, 2], (
        f"The consumers finished at {[g.at for g in got]}; expected all at t=2, when "
        "close() was called."
    )
    with pytest.raises(exercise.Closed):
        await handoff.put("late")
    try:
        late = await within_patience(handoff.get(), "get() after a refused put() waited.")
    except exercise.Closed:
        return
    raise AssertionError(
        f"put('late') after close() raised Closed, yet get() then returned {late!r}; "
        "expected Closed. A refused put() must not leave its item behind: check `_closed` "
        "before you append."
    )


async def test_a_cancelled_consumer_takes_nothing(exercise, clock):
    handoff = exercise.Handoff()
    leaving = asyncio.create_task(handoff.get())
    staying = asyncio.create_task(consume(handoff))
    await asyncio.sleep(1)
    leaving.cancel()
    await asyncio.gather(leaving, return_exceptions=True)
    assert leaving.cancelled(), (
        f"A consumer cancelled while waiting in get() ended with {leaving!r}; expected it "
        "to be cancelled. Let CancelledError out of get()."
    )
    await asyncio.sleep(1)
    await handoff.put("x")
    (got,) = await settle(
        [staying], "the item went to the consumer who had been cancelled, so it was lost."
    )
    assert (got.result, got.at) == ("x", 2), (
        f"After one waiting consumer was cancelled, put('x') at t=2 s gave the other "
        f"{got.result!r} at t={got.at:g} s; expected 'x' at t=2 s."
    )


async def test_a_consumer_cancelled_just_after_being_woken_takes_nothing(exercise, clock):
    handoff = exercise.Handoff()
    leaving = asyncio.create_task(handoff.get())
    await asyncio.sleep(1.3)
    await handoff.put("x")  # wakes the waiting consumer...
    leaving.cancel()  # ...which is cancelled before it gets to run
    await asyncio.gather(leaving, return_exceptions=True)
    assert leaving.cancelled(), (
        f"A consumer woken by put('x') and cancelled before it could run ended with "
        f"{leaving!r}; expected it to end cancelled and take nothing: its caller is told "
        "the get() did not happen, so an item it returned anyway would be lost. Let the "
        "CancelledError out of get(), whatever the consumer was woken for."
    )
    got = await within_patience(handoff.get(), "the item went to the cancelled consumer.")
    assert (got, clock.now) == ("x", 1.3), (
        f"After the woken consumer was cancelled, the next get() returned {got!r} at "
        f"t={clock.now:g} s; expected 'x' at once, at t=1.3 s: the item stays for the "
        "next consumer."
    )


async def test_a_wakeup_meant_for_a_cancelled_consumer_passes_to_the_next(exercise, clock):
    handoff = exercise.Handoff()
    leaving = asyncio.create_task(handoff.get())
    await asyncio.sleep(0.25)
    staying = asyncio.create_task(consume(handoff))
    await asyncio.sleep(1)
    await handoff.put("x")  # notify() wakes the consumer who waited first...
    leaving.cancel()  # ...and it is cancelled before it gets to run
    await asyncio.gather(leaving, return_exceptions=True)
    (got,) = await settle(
        [staying],
        "put('x') woke the consumer who was then cancelled, and nobody woke the other "
        "one. Before Python 3.13, a Condition waiter cancelled just after notify() takes "
        "the wakeup with it: catch CancelledError around the wait and, if an item is "
        "still there, notify() again before you let the cancellation out.",
    )
    assert (got.result, got.at) == ("x", 1.25), (
        f"Two consumers waited; put('x') at t=1.25 s woke the first, which was cancelled "
        f"before it ran. The second got {got.result!r} at t={got.at:g} s; expected 'x' at "
        "t=1.25 s, the moment it was put: a wakeup must not be lost with the consumer."
    )
