"""Tests for exercises/04_synchronisation/meet_at_the_barrier.py."""

import asyncio
from dataclasses import dataclass, field

from grader.inside.testing import Starter, Timeline, cancel_at_each_suspension, task_outcome

# Long enough, in virtual time, that a member still waiting after it will wait forever.
PATIENCE = 60


class LegFailed(Exception):
    """A leg of the route went wrong."""


@dataclass
class Team:
    """Members walking legs of given lengths; each leg is a span on the timeline."""

    exercise: object
    routes: dict[str, list[float]]
    failing_leg: tuple[str, int] | None = None
    timeline: Timeline = field(default_factory=Timeline)
    ended: dict[str, float] = field(default_factory=dict)
    # Whether the camp was already broken when each member's walk_with_team ended.
    camp_broken_at_end: dict[str, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.camp = asyncio.Barrier(len(self.routes))
        self.tasks = {
            name: asyncio.create_task(self._member(name, hours))
            for name, hours in self.routes.items()
        }

    def _leg(self, name: str, number: int, hours: float):
        async def leg() -> None:
            async with self.timeline.track(f"{name} leg {number}"):
                await asyncio.sleep(hours)
                if self.failing_leg == (name, number):
                    raise LegFailed(f"{name} fell on leg {number}")

        return leg

    async def _member(self, name: str, hours: list[float]) -> None:
        legs = [self._leg(name, n, h) for n, h in enumerate(hours, start=1)]
        try:
            await self.exercise.walk_with_team(legs, self.camp)
        finally:
            self.ended[name] = asyncio.get_running_loop().time()
            self.camp_broken_at_end[name] = self.camp.broken

    async def finish(
        self, stuck: str, patience: float = PATIENCE
    ) -> dict[str, BaseException | None]:
        """Wait for every member; fail with `stuck` if one is still waiting `patience` s later."""
        _, pending = await asyncio.wait(self.tasks.values(), timeout=patience)
        if pending:
            waiting = sorted(name for name, task in self.tasks.items() if task in pending)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            raise AssertionError(
                self.timeline.explain(
                    f"{', '.join(waiting)} still waiting at the camp {patience:g} s later: {stuck}",
                    "A barrier never notices that a party is gone; a member that stops must "
                    "break it with `await camp.abort()` before letting its error out.",
                )
            )
        return {
            name: (asyncio.CancelledError() if task.cancelled() else task.exception())
            for name, task in self.tasks.items()
        }

    def check_broke_the_camp(self, name: str) -> None:
        """Fail unless `name` had broken the camp by the time its walk_with_team ended."""
        assert self.camp_broken_at_end.get(name), (
            f"{name}'s walk_with_team ended before the camp was broken. `await camp.abort()` "
            "before letting the error out: calling abort() without awaiting it (or leaving it "
            "to a task) breaks nothing by the time you leave."
        )

    def starts(self, number: int) -> dict[str, float]:
        suffix = f" leg {number}"
        return {
            span.label.removesuffix(suffix): span.start
            for span in self.timeline.spans
            if span.label.endswith(suffix)
        }


async def test_everyone_sets_off_when_the_last_member_arrives(exercise, clock):
    team = Team(exercise, {"Ann": [1, 2], "Bob": [3, 1], "Cat": [2, 2]})
    outcomes = await team.finish("the whole team had arrived, yet someone kept waiting.")
    assert outcomes == dict.fromkeys(team.routes), (
        f"Walking with no trouble, the members ended with {outcomes}; expected no errors."
    )
    assert team.starts(2) == dict.fromkeys(team.routes, 3), team.timeline.explain(
        f"Bob, the slowest, reached the camp at t=3 s, but the second legs started at "
        f"{team.starts(2)}; expected everyone at t=3 s.",
        "After each leg, `await camp.wait()`: it returns for everybody when the last member "
        "arrives.",
    )
    assert team.ended == dict.fromkeys(team.routes, 5), team.timeline.explain(
        f"The last leg ended at t=5 s, but the members finished at {team.ended}; expected "
        "all at t=5 s.",
        "Wait at the camp after the last leg too, so that everybody finishes together.",
    )


async def test_a_long_leg_and_a_long_wait_at_the_camp_are_part_of_the_walk(exercise, clock):
    # Ann waits at the camp for 612.5 s, Bob for 733.2 s; each walks a leg over ten minutes
    # long. Longer than any time limit one might guess, but nothing went wrong.
    team = Team(exercise, {"Ann": [0.25, 734.5], "Bob": [612.75, 1.3]})
    outcomes = await team.finish("the whole team had arrived, yet someone kept waiting.", 3000)
    assert outcomes == dict.fromkeys(team.routes), team.timeline.explain(
        f"Ann walked legs of 0.25 s and 734.5 s, Bob of 612.75 s and 1.3 s, with no trouble; "
        f"the members ended with {outcomes}; expected no errors.",
        "The task sets no time limit on a leg or on the wait at the camp: a slow member is "
        "still coming. Await leg() and camp.wait() as they are, without asyncio.wait_for or "
        "asyncio.timeout around them.",
    )
    assert (team.starts(2), team.ended) == (
        dict.fromkeys(team.routes, 612.75),
        dict.fromkeys(team.routes, 1347.25),
    ), team.timeline.explain(
        f"The last to reach the first camp, Bob, came at t=612.75 s, and the last to reach "
        f"the second, Ann, at t=1347.25 s; the second legs started at {team.starts(2)} and "
        f"the members finished at {team.ended}; expected "
        "both second legs at t=612.75 s and both to finish at t=1347.25 s.",
        "Wait at the camp for as long as it takes the last member to arrive.",
    )


async def test_a_member_whose_leg_fails_breaks_the_camp_for_everyone(exercise, clock):
    # Cat waits at the camp from t=0.5; Ann falls at t=1; Bob reaches the camp at t=3.
    team = Team(exercise, {"Ann": [1, 1], "Bob": [3, 1], "Cat": [0.5, 1]}, ("Ann", 1))
    outcomes = await team.finish("Ann's leg failed, but the others were never told.")
    assert isinstance(outcomes["Ann"], LegFailed), (
        f"Ann's first leg raised LegFailed, but her walk_with_team ended with "
        f"{outcomes['Ann']!r}. Break the camp, then re-raise the leg's error."
    )
    team.check_broke_the_camp("Ann")
    for name in ("Bob", "Cat"):
        assert isinstance(outcomes[name], asyncio.BrokenBarrierError), (
            f"After Ann's leg failed, {name}'s walk_with_team ended with {outcomes[name]!r}; "
            "expected asyncio.BrokenBarrierError from camp.wait(), let out."
        )
    assert team.ended == {"Ann": 1, "Bob": 3, "Cat": 1}, team.timeline.explain(
        f"Ann fell at t=1 s; the members stopped at {team.ended}. Expected Ann and Cat "
        "(waiting at the camp) at t=1 s, and Bob when he reached the camp at t=3 s.",
        "Call `await camp.abort()` as soon as a leg raises.",
    )
    assert not team.starts(2), team.timeline.explain(
        f"After the camp was broken, second legs still started: {team.starts(2)}.",
        "Let BrokenBarrierError out of walk_with_team; walk no further legs.",
    )


async def test_a_member_cancelled_at_the_camp_breaks_it(exercise, clock):
    team = Team(exercise, {"Ann": [1, 1], "Bob": [1, 1], "Cat": [5, 1]})
    await asyncio.sleep(2)
    team.tasks["Bob"].cancel()
    outcomes = await team.finish("Bob was cancelled while waiting at the camp.")
    assert team.tasks["Bob"].cancelled(), (
        f"Bob was cancelled while waiting at the camp, but his task ended with "
        f"{outcomes['Bob']!r}. Break the camp, then let the CancelledError out."
    )
    team.check_broke_the_camp("Bob")
    for name in ("Ann", "Cat"):
        assert isinstance(outcomes[name], asyncio.BrokenBarrierError), (
            f"After Bob was cancelled at the camp, {name} ended with {outcomes[name]!r}; "
            "expected asyncio.BrokenBarrierError from camp.wait(), let out."
        )
    assert team.ended == {"Ann": 2, "Bob": 2, "Cat": 5}, team.timeline.explain(
        f"Bob was cancelled at t=2 s; the members stopped at {team.ended}. Expected Ann "
        "(waiting) at t=2 s and Cat when she reached the camp at t=5 s.",
        "Cancellation arrives as asyncio.CancelledError, which is not an Exception: catch "
        "BaseException (or use try/finally) to break the camp.",
    )


async def test_a_member_cancelled_while_walking_breaks_the_camp(exercise, clock):
    team = Team(exercise, {"Ann": [1], "Bob": [4]})
    await asyncio.sleep(2)
    team.tasks["Bob"].cancel()
    outcomes = await team.finish("Bob was cancelled in the middle of a leg.")
    assert team.tasks["Bob"].cancelled(), (
        f"Bob was cancelled during a leg, but his task ended with {outcomes['Bob']!r}. "
        "Let the CancelledError out."
    )
    assert isinstance(outcomes["Ann"], asyncio.BrokenBarrierError), (
        f"Bob was cancelled during his leg; Ann, waiting at the camp, ended with "
        f"{outcomes['Ann']!r}; expected asyncio.BrokenBarrierError."
    )
    assert team.ended == {"Ann": 2, "Bob": 2}, team.timeline.explain(
        f"Bob was cancelled at t=2 s; the members stopped at {team.ended}; expected both at t=2 s.",
        "Break the camp whatever stops the member: a failed leg, or a cancellation during "
        "a leg or at the camp.",
    )


def leg_of(seconds: float):
    """A leg that takes `seconds` of walking."""

    async def leg() -> None:
        await asyncio.sleep(seconds)

    return leg


async def test_a_member_cancelled_at_any_await_breaks_the_camp_and_ends_cancelled(exercise):
    # Bob walks 1.3 s and 0.25 s; Ann 0.25 s and 1.3 s; Cat 2.5 s and 0.25 s.
    async def bob_cancelled(start: Starter) -> tuple[bool, dict[str, str], dict[str, float]]:
        camp = asyncio.Barrier(3)
        loop = asyncio.get_running_loop()
        others = {
            name: asyncio.create_task(exercise.walk_with_team([leg_of(a), leg_of(b)], camp))
            for name, (a, b) in {"Ann": (0.25, 1.3), "Cat": (2.5, 0.25)}.items()
        }
        # When each of the others was done, to tell who had finished before Bob was cancelled.
        done_at: dict[str, float] = {}
        for name, task in others.items():
            task.add_done_callback(lambda _, name=name: done_at.setdefault(name, loop.time()))
        bob = start(exercise.walk_with_team([leg_of(1.3), leg_of(0.25)], camp))
        await asyncio.wait({bob, *others.values()}, timeout=PATIENCE)
        ended = {name: task_outcome(task) for name, task in others.items()}
        for task in others.values():
            task.cancel()  # only needed when someone was left waiting
        await asyncio.gather(*others.values(), return_exceptions=True)
        return camp.broken, ended, done_at

    for run in await cancel_at_each_suspension(bob_cancelled):
        broken, ended, done_at = run.state
        assert run.ended_cancelled, (
            f"Bob's walk_with_team was {run.describe()}, and it {run.ended}; expected it to "
            "end cancelled, after breaking the camp."
        )
        if run.point == 0:
            continue  # a coroutine cancelled before its first step runs none of its code
        # Cancelled after the last meeting (at an await of his own after it), Bob leaves
        # nobody waiting: Ann and Cat may already have finished their walks.
        cancelled_at = round(run.began + (run.cancelled_at or 0), 6)
        walking = {
            name: how
            for name, how in ended.items()
            if not (how == "returned None" and round(done_at[name], 6) <= cancelled_at)
        }
        if not walking:
            continue
        assert broken, (
            f"Bob's walk_with_team was {run.describe()} and ended without breaking the camp; "
            "Ann and Cat would wait for him forever. Break it (`await camp.abort()`) whatever "
            "stops him, a cancellation during a leg or at the camp included."
        )
        stuck = {name: how for name, how in walking.items() if not how.startswith("raised Broken")}
        assert not stuck, (
            f"Bob was {run.describe()}, while {' and '.join(walking)} still had to meet him; "
            f"then {stuck} instead of raising asyncio.BrokenBarrierError. Members at a "
            "broken camp let that error out."
        )
