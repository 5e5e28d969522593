"""Tests for exercises/01_coroutines/await_the_result.py."""

import asyncio

import pytest


class FakeUsers:
    """A user directory whose calls take virtual time, recording what really ran."""

    def __init__(
        self,
        names: dict[int, str],
        lookup_time: float = 1,
        error_type: type[Exception] = LookupError,
    ) -> None:
        self.names = names
        self.lookup_time = lookup_time
        self.error_type = error_type
        self.lookups: list[int] = []
        self.visits: list[int] = []
        self.errors: list[Exception] = []

    async def fetch_name(self, user_id: int) -> str:
        self.lookups.append(user_id)
        await asyncio.sleep(self.lookup_time)
        if user_id not in self.names:
            self.errors.append(self.error_type(f"no user with id {user_id}"))
            raise self.errors[-1]
        return self.names[user_id]

    async def record_visit(self, user_id: int) -> None:
        await asyncio.sleep(1)
        self.visits.append(user_id)


def _nudge_if_coroutine(greeting: object) -> str:
    if "coroutine object" in str(greeting):
        return (
            " That is a coroutine object, not a name: calling an async function only builds "
            "one. `await` it to run it and get the value it returns."
        )
    return ""


async def test_greet_returns_the_name_that_was_looked_up(exercise):
    users = FakeUsers({7: "Ada", 8: "Grace"})
    for user_id, expected in [(7, "Hello, Ada!"), (8, "Hello, Grace!")]:
        greeting = await exercise.greet(user_id, users.fetch_name, users.record_visit)
        assert greeting == expected, (
            f"greet({user_id}, ...) returned {greeting!r}; expected {expected!r}."
            + _nudge_if_coroutine(greeting)
        )


async def test_a_slow_lookup_is_waited_for_however_long_it_takes(exercise, clock):
    # 3540.3 s: longer than any timeout a learner might guess (the task sets none), and
    # still short of the hour after which the kit calls an await loop endless.
    users = FakeUsers({7: "Ada"}, lookup_time=3540.3)
    try:
        greeting = await exercise.greet(7, users.fetch_name, users.record_visit)
    except Exception as error:
        raise AssertionError(
            f"With fetch_name taking 3540.3 s, greet(7, ...) raised {error!r} at "
            f"t={clock.now:g} s; expected 'Hello, Ada!' at t=3541.3 s (the lookup, then the "
            "1 s visit). The task sets no time limit: await the lookup however long it takes."
        ) from error
    assert (greeting, clock.now) == ("Hello, Ada!", 3541.3), (
        f"With fetch_name taking 3540.3 s, greet(7, ...) returned {greeting!r} at "
        f"t={clock.now:g} s; expected 'Hello, Ada!' at t=3541.3 s: the lookup, then the "
        "visit, each awaited once." + _nudge_if_coroutine(greeting)
    )


async def test_the_name_lookup_actually_runs(exercise):
    users = FakeUsers({7: "Ada"})
    await exercise.greet(7, users.fetch_name, users.record_visit)
    assert users.lookups == [7], (
        f"greet(7, ...) returned, but fetch_name ran for {users.lookups!r}; expected [7]. "
        "The body of an async function only runs when its coroutine is awaited."
    )


async def test_a_user_greeted_again_is_looked_up_again(exercise):
    users = FakeUsers({7: "Ada"})
    first = await exercise.greet(7, users.fetch_name, users.record_visit)
    users.names[7] = "Ada Lovelace"  # the directory changed between the two visits
    second = await exercise.greet(7, users.fetch_name, users.record_visit)
    assert (first, second, users.lookups) == ("Hello, Ada!", "Hello, Ada Lovelace!", [7, 7]), (
        f"User 7 was greeted twice, renamed from 'Ada' to 'Ada Lovelace' in between: greet "
        f"returned {first!r}, then {second!r}, and fetch_name ran for {users.lookups!r}; "
        "expected 'Hello, Ada!', then 'Hello, Ada Lovelace!', with a lookup each time, "
        "[7, 7]. Each greeting awaits its own fetch_name(user_id): keep no name from an "
        "earlier call." + _nudge_if_coroutine(second)
    )


async def test_the_visit_is_recorded_before_greet_returns(exercise):
    users = FakeUsers({7: "Ada"})
    await exercise.greet(7, users.fetch_name, users.record_visit)
    if users.visits == []:
        advice = (
            "record_visit(7) only builds a coroutine; the visit is recorded when you "
            "`await` it, and greet must wait for that before it returns."
        )
    else:
        advice = "Each visit is recorded once: await record_visit(user_id) exactly once."
    assert users.visits == [7], (
        f"When greet(7, ...) returned, the recorded visits were {users.visits!r}; "
        f"expected [7]. {advice}"
    )


# A LookupError, a subclass of it and an unrelated error: greet has no reason to treat
# one kind of failure differently from another.
@pytest.mark.parametrize("error_type", [LookupError, KeyError, ConnectionError])
async def test_a_failed_lookup_raises_its_error(exercise, clock, error_type):
    users = FakeUsers({7: "Ada"}, lookup_time=1.13, error_type=error_type)
    with pytest.raises(error_type, match="no user with id 99") as excinfo:
        await exercise.greet(99, users.fetch_name, users.record_visit)
    assert excinfo.value is users.errors[0], (
        f"greet(99, ...) raised {excinfo.value!r}; expected the very error fetch_name "
        f"raised, {users.errors[0]!r}, not a new one made from it. Let it propagate: "
        "`await` raises the coroutine's own error, and greet has nothing to add."
    )
    assert (users.lookups, clock.now) == ([99], 1.13), (
        f"With fetch_name(99) raising {error_type.__name__} after 1.13 s, greet(99, ...) "
        f"called fetch_name for {users.lookups!r} and raised at t={clock.now:g} s; expected "
        "one lookup, [99], and the error at t=1.13 s. The task asks for one lookup: when "
        "it fails, raise its error at once rather than asking again."
    )
