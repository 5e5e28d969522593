"""Tests for exercises/04_synchronisation/starting_gun.py."""

import asyncio

import pytest

from grader.inside.testing import Timeline, task_outcome

SHARED = (
    "Each StartingGun needs an event of its own: make it in __init__ "
    "(`self._fired = asyncio.Event()`), not once for the class or the module, where every "
    "gun shares it."
)


async def wait_for(gun) -> None:
    """`await gun.wait()`; a learner-worded failure if its event belongs to another loop."""
    try:
        await gun.wait()
    except RuntimeError as error:
        if "different event loop" not in str(error):
            raise
        raise AssertionError(
            f"gun.wait() raised {error!r}: its event was made before this test's event loop "
            f"existed and is shared by guns across tests. {SHARED}"
        ) from error


async def run(gun, timeline: Timeline, name: str, arrive_at: float) -> None:
    """A runner: walks to the line, waits for the gun, then runs for one second."""
    await asyncio.sleep(arrive_at)
    await wait_for(gun)
    async with timeline.track(name):
        await asyncio.sleep(1)


def fire(gun) -> None:
    """Pull the trigger; a learner-worded failure if that raises."""
    try:
        gun.fire()
    except Exception as error:
        raise AssertionError(
            f"gun.fire() raised {error!r}. Firing must never fail, not even when a waiting "
            "runner was cancelled or the gun has fired before; asyncio.Event.set() never does."
        ) from error


def nudge(starts: dict[str, float], expected: dict[str, float], otherwise: str) -> str:
    """The nudge for runners that started at `starts`: lateness first, else `otherwise`."""
    early = [name for name in expected if starts.get(name, expected[name]) < expected[name]]
    if early:
        return (
            f"{', '.join(early)} started before this gun fired: wait() returned on a gun made "
            "fresh for this test and not yet fired. wait() must return only once fire() has "
            f"been called on this very gun. {SHARED}"
        )
    late = [name for name in expected if starts.get(name, 0) > expected[name]]
    if starts.keys() == expected.keys() and late and all(starts[n] >= expected[n] for n in starts):
        return (
            f"{', '.join(late)} started late: after the gun fired, not in that instant. "
            "fire() must start every waiting runner the moment it is called: set the event "
            "right there (Event.set() is a plain method, fine to call from a callback), "
            "and let wait() await the event rather than check a flag now and then."
        )
    return otherwise


async def test_every_waiting_runner_starts_the_moment_the_gun_fires(exercise, clock):
    gun = exercise.StartingGun()
    timeline = Timeline()
    # Bo's odd arrival time means no polling interval can land exactly on t=5.
    arrivals = {"Ada": 0, "Bo": 1 / 3, "Cy": 1.2, "Di": 4}
    async with asyncio.TaskGroup() as race:
        for name, arrive_at in arrivals.items():
            race.create_task(run(gun, timeline, name, arrive_at))
        await asyncio.sleep(5)
        assert not timeline.spans, timeline.explain(
            "Runners started before the gun fired.", "wait() must not return before fire()."
        )
        fire(gun)
    starts = {span.label: span.start for span in timeline.spans}
    expected = dict.fromkeys(arrivals, 5.0)
    assert starts == expected, timeline.explain(
        f"The gun fired at t=5 s, but the runners started at {starts}.",
        nudge(
            starts,
            expected,
            "Every runner waiting must wake the moment the gun fires, not the next time it "
            "checks a flag. asyncio.Event.wait() returns as soon as someone calls set().",
        ),
    )


async def test_a_runner_who_arrives_after_the_gun_starts_at_once(exercise, clock):
    gun = exercise.StartingGun()
    fire(gun)
    await asyncio.sleep(2)
    await wait_for(gun)
    assert clock.now == 2, (
        f"The gun fired at t=0 s; a runner reaching the line at t=2 s started at "
        f"t={clock.now:g} s. A late runner must start at once: the gun stays fired."
    )
    await wait_for(gun)
    assert clock.now == 2, "A second wait() after the gun fired did not return at once."


async def test_firing_twice_changes_nothing(exercise, clock):
    gun = exercise.StartingGun()
    timeline = Timeline()
    async with asyncio.TaskGroup() as race:
        race.create_task(run(gun, timeline, "Ada", 0))
        await asyncio.sleep(1)
        fire(gun)
        await asyncio.sleep(1)
        fire(gun)
        race.create_task(run(gun, timeline, "Bo", 0))
    starts = {span.label: span.start for span in timeline.spans}
    expected = {"Ada": 1, "Bo": 2}
    assert starts == expected, timeline.explain(
        f"The gun fired at t=1 s and again at t=2 s; runners started at {starts}, "
        "expected Ada at 1 s and Bo (who arrived at 2 s) at 2 s.",
        nudge(starts, expected, "Firing a gun that has already fired must change nothing."),
    )


async def test_a_cancelled_runner_does_not_hold_back_the_others(exercise, clock):
    gun = exercise.StartingGun()
    timeline = Timeline()
    runners = {name: asyncio.create_task(run(gun, timeline, name, 0)) for name in "ABC"}
    await asyncio.sleep(1)
    runners["B"].cancel()
    await asyncio.sleep(1)
    fire(gun)
    outcomes = await asyncio.gather(*runners.values(), return_exceptions=True)
    assert runners["B"].cancelled(), (
        f"Runner B was cancelled while waiting for the gun, but its task ended with "
        f"{outcomes[1]!r}. Let CancelledError out of wait()."
    )
    starts = {span.label: span.start for span in timeline.spans}
    expected = {"A": 2, "C": 2}
    assert starts == expected, timeline.explain(
        f"Runner B was cancelled at t=1 s and the gun fired at t=2 s; the others started "
        f"at {starts}, expected A and C at 2 s. A ended with {outcomes[0]!r}, C with "
        f"{outcomes[2]!r}.",
        nudge(
            starts,
            expected,
            "A runner who leaves must not stop the gun from starting everyone else: don't "
            "let one runner's cancellation reach something the others wait on too.",
        ),
    )


# Both in one instant, before the runners get to run again: the cancellation still counts.
@pytest.mark.parametrize("order", ["cancel, then fire", "fire, then cancel"])
async def test_a_runner_cancelled_as_the_gun_fires_leaves_the_race(exercise, clock, order):
    gun = exercise.StartingGun()
    timeline = Timeline()
    runners = {name: asyncio.create_task(run(gun, timeline, name, 0)) for name in "ABC"}
    await asyncio.sleep(1.37)
    if order == "cancel, then fire":
        runners["B"].cancel()
        fire(gun)
    else:
        fire(gun)
        runners["B"].cancel()
    outcomes = await asyncio.gather(*runners.values(), return_exceptions=True)
    starts = {span.label: span.start for span in timeline.spans}
    ran = f", after starting its run at t={starts['B']:g} s" if "B" in starts else ""
    assert runners["B"].cancelled(), (
        f"At t=1.37 s, runner B was cancelled while waiting and the gun fired, in the same "
        f"instant ({order}); B's task {task_outcome(runners['B'])}{ran}. Expected it to end "
        "cancelled: a runner cancelled while waiting leaves the race, even if the gun fires "
        "before it gets to run again. Don't catch CancelledError in wait() to check whether "
        "the gun has fired meanwhile: let it out."
    )
    expected = {"A": 1.37, "C": 1.37}
    assert starts == expected, timeline.explain(
        f"At t=1.37 s, runner B was cancelled and the gun fired ({order}); the others started "
        f"at {starts}, expected A and C at 1.37 s. A ended with {outcomes[0]!r}, C with "
        f"{outcomes[2]!r}.",
        nudge(
            starts,
            expected,
            "A runner who leaves must not stop the gun from starting everyone else.",
        ),
    )


async def test_a_runner_waits_however_long_the_gun_takes(exercise, clock):
    gun = exercise.StartingGun()
    timeline = Timeline()
    async with asyncio.TaskGroup() as race:
        race.create_task(run(gun, timeline, "Ada", 0))
        await asyncio.sleep(1234.567891)
        fire(gun)
    starts = {span.label: span.start for span in timeline.spans}
    expected = {"Ada": 1234.567891}
    assert starts == expected, timeline.explain(
        f"Ada reached the line at t=0 s and the gun fired at t=1234.567891 s, but she "
        f"started at {starts}.",
        nudge(
            starts,
            expected,
            "wait() returns only when the gun has fired, however long that takes: no time "
            "limit of its own, and a timeout is not a start signal.",
        ),
    )


async def test_firing_one_gun_leaves_another_unfired(exercise, clock):
    fired, other = exercise.StartingGun(), exercise.StartingGun()
    fire(fired)
    waiting = asyncio.create_task(wait_for(other))
    await asyncio.wait({waiting}, timeout=2.37)
    if waiting.done() and not waiting.cancelled() and waiting.exception() is None:
        raise AssertionError(
            "Only one of two guns was fired, yet wait() on the other returned at "
            f"t={clock.now:g} s: the guns share their state. {SHARED}"
        )
    fire(other)
    await asyncio.wait({waiting}, timeout=1)
    assert waiting.done(), (
        "A second gun, fired at t=2.37 s, did not start its runner. Firing one gun must "
        "not change another, and each must start its own runners."
    )
    waiting.result()  # a failure of wait() itself says what went wrong
    assert clock.now == 2.37, (
        f"A second gun fired at t=2.37 s started its runner at t={clock.now:g} s; expected at once."
    )
