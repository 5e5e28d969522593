"""Tests for exercises/05_exceptions/gather_every_outcome.py."""

import asyncio

import pytest

from grader.inside.testing import Timeline


class FakeHosts:
    """Each ping takes `delays[host]` seconds (default 1), then answers it or raises an error."""

    def __init__(
        self, delays: dict[str, float] | None = None, errors: dict[str, Exception] | None = None
    ) -> None:
        self.delays = delays or {}
        self.errors = errors or {}
        self.timeline = Timeline()

    async def ping(self, host: str) -> float:
        delay = self.delays.get(host, 1)
        async with self.timeline.track(f"ping {host}"):
            await asyncio.sleep(delay)
            if host in self.errors:
                raise self.errors[host]
            return float(delay)


async def ping_all_expecting_a_result(exercise, names: list[str], hosts: FakeHosts):
    """Call ping_all, turning an error from it into a message for the learner."""
    try:
        return await exercise.ping_all(names, hosts.ping)
    except Exception as error:
        raise AssertionError(
            f"ping_all({names!r}) raised {error!r}; expected it to return (up, down) with "
            "that error in `down`. Any exception a ping raises makes its host down, not only "
            "network errors: catch Exception (or use return_exceptions=True), not just OSError "
            "or ConnectionError."
        ) from error


async def test_answers_and_errors_are_split_by_host_in_the_order_of_hosts(exercise):
    # Neither alphabetical nor the order the pings end in (e, c, b, a, d), and one error is
    # no OSError: a reply the ping could not read is a failure too. Host e, right here,
    # answers at once with a latency of 0.0: falsy, but an answer.
    refused = ConnectionRefusedError("a refused")
    garbled = ValueError("b answered garbage")
    hosts = FakeHosts(
        {"d": 2.5, "b": 1.3, "c": 0.25, "e": 0, "a": 1.45}, errors={"b": garbled, "a": refused}
    )
    names = ["d", "b", "c", "e", "a"]
    up, down = await ping_all_expecting_a_result(exercise, names, hosts)
    assert list(up.items()) == [("d", 2.5), ("c", 0.25), ("e", 0.0)], (
        f"ping_all({names!r}) gave up={up!r}; expected {{'d': 2.5, 'c': 0.25, 'e': 0.0}} "
        "in that order: every host that answered, in the order of `hosts` (not sorted, and "
        "not in the order the pings ended)."
        + (
            " Host e answered 0.0: a latency of zero is falsy, but it is an answer. Tell "
            "errors apart with isinstance(outcome, Exception), not `if outcome`."
            if "e" not in up
            else ""
        )
    )
    assert list(down.items()) == [("b", garbled), ("a", refused)], (
        f"ping_all({names!r}) gave down={down!r}; expected b -> {garbled!r} and "
        f"a -> {refused!r}, in that order: each failed host with the exception its ping "
        "raised, in the order of `hosts`."
    )


async def test_ten_one_second_pings_take_one_second_even_when_half_fail(exercise, clock):
    names = [f"host{n}" for n in range(10)]
    hosts = FakeHosts(errors={name: ConnectionError(f"{name} down") for name in names[::2]})
    up, down = await exercise.ping_all(names, hosts.ping)
    assert clock.now == 1, hosts.timeline.explain(
        f"Ten one-second pings took {clock.now:g} s of event-loop time; expected 1 s.",
        "They did not all overlap. Start every ping before waiting for any: "
        "asyncio.gather(..., return_exceptions=True) runs them together and keeps errors "
        "as results.",
    )
    assert list(up) == names[1::2], f"up={up!r}; expected the odd hosts {names[1::2]!r}."
    assert list(down) == names[::2], f"down={down!r}; expected the even hosts {names[::2]!r}."


# Just past a guessed limit of ten pings at once, and past any other one might guess (32).
@pytest.mark.parametrize("count", [11, 37])
async def test_however_many_hosts_there_are_every_ping_runs_at_the_same_time(
    exercise, clock, count
):
    names = [f"host{n}" for n in range(count)]
    hosts = FakeHosts(errors={name: ConnectionError(f"{name} down") for name in names[::3]})
    up, down = await exercise.ping_all(names, hosts.ping)
    most = hosts.timeline.most_at_once()
    assert (clock.now, most) == (1, count), hosts.timeline.explain(
        f"{count} one-second pings took {clock.now:g} s of event-loop time, with at most "
        f"{most} running at once; expected 1 s, all {count} at the same time.",
        "The task sets no limit on the pings at once: start every ping before waiting for "
        "any, with no Semaphore or batches of your own. asyncio.gather(..., "
        "return_exceptions=True) runs them all together and keeps errors as results.",
    )
    assert (len(up), len(down)) == (count - len(names[::3]), len(names[::3])), (
        f"up={up!r}, down={down!r}; expected every third host down, the others up."
    )


async def test_a_very_slow_ping_is_waited_for_however_long_it_takes(exercise, clock):
    # 3540.3 s: longer than any timeout a learner might guess (the task sets none), and
    # still short of the hour after which the kit calls an await loop endless.
    hosts = FakeHosts({"far": 3540.3, "near": 0.25})
    up, down = await ping_all_expecting_a_result(exercise, ["far", "near"], hosts)
    expected = ({"far": 3540.3, "near": 0.25}, {}, 3540.3)
    assert (up, down, clock.now) == expected, hosts.timeline.explain(
        f"Host far answered after 3540.3 s and near after 0.25 s; ping_all returned "
        f"up={up!r}, down={down!r} at t={clock.now:g} s. Expected both up, at t=3540.3 s.",
        "The task sets no time limit: a slow host that answers is up. Wait for every "
        "ping to end (asyncio.gather with return_exceptions=True), with no timeout.",
    )


async def test_no_hosts_means_two_empty_dicts(exercise, clock):
    hosts = FakeHosts()
    assert await exercise.ping_all([], hosts.ping) == ({}, {})
    assert clock.now == 0


async def test_cancelling_ping_all_cancels_every_ping_and_reaches_the_caller(exercise, clock):
    hosts = FakeHosts({"a": 5, "b": 5, "c": 5}, errors={"b": ConnectionError("b down")})
    task = asyncio.create_task(exercise.ping_all(["a", "b", "c"], hosts.ping))
    await asyncio.sleep(1)
    task.cancel()
    await asyncio.wait({task}, timeout=10)
    assert task.cancelled(), (
        "ping_all was cancelled at t=1 s while its pings ran, but it "
        f"{'was still running' if not task.done() else _outcome(task)}; expected it to end "
        "cancelled. Cancellation is not a failed ping: let asyncio.CancelledError reach "
        "the caller."
    )
    still_running = [
        span.label for span in hosts.timeline.spans if span.outcome != "cancelled" or span.end != 1
    ]
    assert not still_running, hosts.timeline.explain(
        f"ping_all was cancelled at t=1 s, but {', '.join(still_running)} were not "
        "cancelled with it.",
        "Waiting on tasks one by one, or with asyncio.wait, leaves the others running when "
        "you are cancelled. asyncio.gather and TaskGroup cancel their children for you.",
    )


def _outcome(task: asyncio.Task) -> str:
    if task.exception() is not None:
        return f"raised {task.exception()!r}"
    return f"returned {task.result()!r}"
