"""Tests for exercises/06_queues/warm_connections.py."""

import asyncio

import pytest

from grader.inside.testing import task_outcome


async def test_the_connection_given_back_last_is_lent_out_first(exercise, clock):
    pool = exercise.Pool(["c1", "c2", "c3"])
    first, second = await pool.acquire(), await pool.acquire()
    assert (first, second) == ("c3", "c2"), (
        f"Pool(['c1', 'c2', 'c3']) lent out {first!r} then {second!r}; expected 'c3' then "
        "'c2': the last connection given back goes out first, so c1 stays idle."
    )
    pool.release("c2")
    pool.release("c3")
    again = [await pool.acquire() for _ in range(3)]
    assert again == ["c3", "c2", "c1"], (
        f"After c2 then c3 were given back, three acquire() calls got {again!r}; expected "
        "['c3', 'c2', 'c1']: newest given back first (asyncio.LifoQueue), not oldest."
    )
    assert clock.now == 0, "acquire() with a connection free must not wait."


async def test_a_connection_given_back_again_and_again_is_the_one_reused(exercise, clock):
    pool = exercise.Pool(["c1", "c2", "c3"])
    used = []
    for _ in range(4):
        connection = await pool.acquire()
        used.append(connection)
        await asyncio.sleep(0.25)
        pool.release(connection)
    assert used == ["c3"] * 4, (
        f"One task borrowed and gave back a connection four times and got {used!r}; "
        "expected 'c3' every time: the warm connection, while c1 and c2 stay idle."
    )


async def test_waiting_tasks_are_served_in_arrival_order_the_moment_one_comes_back(exercise, clock):
    pool = exercise.Pool(["c1"])
    assert await pool.acquire() == "c1"
    waiters = []
    for _ in range(3):
        waiters.append(asyncio.create_task(pool.acquire()))
        await asyncio.sleep(0)
    got: list[tuple[str, float] | None] = [None] * len(waiters)

    def note(index: int, task: asyncio.Task[str]) -> None:
        got[index] = (task.result(), clock.now)

    for index, task in enumerate(waiters):
        task.add_done_callback(lambda done, index=index: note(index, done))
    for at, connection in [(0.25, "c1"), (1.3, "c2"), (2.5, "c3")]:
        await asyncio.sleep(at - clock.now)
        pool.release(connection)
    await asyncio.wait(waiters, timeout=1)
    assert got == [("c1", 0.25), ("c2", 1.3), ("c3", 2.5)], (
        f"Three tasks waited in acquire(), one after another; c1, c2, c3 were given back at "
        f"t = 0.25, 1.3 and 2.5 s, and the waiters, in arrival order, got (connection, time) "
        f"{got!r}. Expected the first waiter to get c1 "
        "at 0.25 s, the second c2 at 1.3 s, the third c3 at 2.5 s: wait on the queue's get() "
        "rather than polling, and keep the waiters' order."
    )


@pytest.mark.parametrize("waiting_for", [0, 0.25])
async def test_a_task_cancelled_while_waiting_takes_no_connection(exercise, clock, waiting_for):
    pool = exercise.Pool(["c1"])
    await pool.acquire()
    leaving = asyncio.create_task(pool.acquire())
    staying = asyncio.create_task(pool.acquire())
    await asyncio.sleep(waiting_for)
    leaving.cancel()
    await asyncio.sleep(1.3)
    pool.release("c1")
    await asyncio.wait([leaving, staying], timeout=1)
    assert leaving.cancelled(), f"A cancelled acquire() ended with {leaving!r}; expected cancelled."
    assert task_outcome(staying) == "returned 'c1'", (
        f"One of two waiting tasks was cancelled; when c1 came back at t={1.3 + waiting_for:g} "
        f"s the other {task_outcome(staying)}; expected it to get c1 then. A cancelled "
        "waiter must not take the connection."
    )


@pytest.mark.parametrize("order", ["release_then_cancel", "cancel_then_release"])
async def test_a_waiter_cancelled_as_its_connection_comes_back_leaves_it_to_the_next(
    exercise, clock, order
):
    pool = exercise.Pool(["c1"])
    await pool.acquire()
    leaving = asyncio.create_task(pool.acquire())
    staying = asyncio.create_task(pool.acquire())
    await asyncio.sleep(0.25)
    # Both in the same step of the loop: the first waiter has not resumed when it is cancelled.
    if order == "release_then_cancel":
        pool.release("c1")
        leaving.cancel()
    else:
        leaving.cancel()
        pool.release("c1")
    await asyncio.wait([leaving, staying], timeout=1)
    outcomes, at = (task_outcome(leaving), task_outcome(staying)), clock.now
    staying.cancel()  # a waiter left without a connection would wait forever
    await asyncio.wait([staying])
    assert outcomes == ("ended cancelled", "returned 'c1'"), (
        f"Two tasks waited in acquire(); at t=0.25 s c1 was given back and the first waiter "
        f"was cancelled in the same instant ({order.replace('_', ' ')}). The first "
        f"{outcomes[0]} and the second {outcomes[1]}; expected the first to end cancelled "
        "and the second to get c1. A connection handed to a waiter that is cancelled "
        "before it resumes must go on to the next waiter (or back to the pool), not be "
        "lost: asyncio.LifoQueue's get() takes care of that."
    )
    assert at == 0.25, (
        f"The second waiter got c1 at t={at:g} s; expected t=0.25 s, when it came back."
    )


async def test_a_task_giving_a_connection_back_and_asking_again_at_once_shares_it_in_turn(
    exercise, clock
):
    # Which of the two gets c1 first is not fixed (see the docstring): the task asking again in
    # the same step, as with asyncio.Queue.get(), or the waiter it was given back for. Either
    # way each holds it in turn, and the second gets it the moment the first gives it back.
    pool = exercise.Pool(["c1"])
    held: list[tuple[str, str, float, float]] = []

    async def use(who: str) -> None:
        connection = await pool.acquire()
        began = clock.now
        await asyncio.sleep(1.13)
        held.append((who, connection, began, clock.now))
        pool.release(connection)

    first = await pool.acquire()
    waiter = asyncio.create_task(use("the waiter"))
    await asyncio.sleep(0.25)
    pool.release(first)
    await use("the releaser")  # asks in the same step, before the waiter has resumed
    await asyncio.wait([waiter], timeout=10)
    waiter.cancel()  # a waiter left without a connection would wait forever
    turns = sorted(held, key=lambda turn: turn[2])
    expected = [("c1", 0.25, 0.25 + 1.13), ("c1", 0.25 + 1.13, 0.25 + 1.13 + 1.13)]
    assert [turn[1:] for turn in turns] == expected, (
        f"One task gave c1 back at t=0.25 s, while another waited for it, and asked for a "
        f"connection again at once; each then held its connection for 1.13 s. They got "
        f"(who, connection, from, to) {turns!r}; expected c1 for one of them from t=0.25 s "
        f"to t=1.38 s and for the other from t=1.38 s to t=2.51 s. A connection goes to one "
        f"task at a time, and the one left waiting gets it the moment it comes back."
    )
