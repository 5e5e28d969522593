"""Tests for exercises/10_patterns/eager_cache.py (Python 3.12 or newer).

Whether a task ran eagerly is seen from the outside: before calling lookup_all, the test
queues a marker with loop.call_soon. An eager task reads the cache inside create_task,
before the loop gets round to the marker; an ordinary task reads it only on the loop's
next pass, after the marker. Fetches take 1.3 s.

On Python 3.11 this file is still collected, and its tests are skipped: the exercise
needs asyncio.eager_task_factory, new in 3.12.
"""

import asyncio
import sys
from collections.abc import KeysView
from typing import Any

import pytest

pytestmark = pytest.mark.skipif(
    sys.version_info < (3, 12), reason="asyncio.eager_task_factory needs Python 3.12"
)

MARKER = "(the loop's next pass)"


class Cache(dict[str, Any]):
    """A dict that notes each key looked up in it, in one list with the loop's marker.

    A lookup is noted however it is made: `key in cache`, `cache[key]`, `cache.get(key)`
    or `key in cache.keys()`.
    """

    def __init__(self, events: list[str], *args: Any) -> None:
        super().__init__(*args)
        self.events = events
        # Each lookup: the key, the task that made it, and whether the loop's task
        # factory was asyncio.eager_task_factory at that moment.
        self.lookups: list[tuple[object, asyncio.Task[Any] | None, bool]] = []

    def _note(self, key: object) -> None:
        self.events.append(f"looked up {key}")
        factory = asyncio.get_running_loop().get_task_factory()
        eager = factory is asyncio.eager_task_factory  # type: ignore[attr-defined]  # 3.12+
        self.lookups.append((key, asyncio.current_task(), eager))

    def __contains__(self, key: object) -> bool:
        self._note(key)
        return super().__contains__(key)

    def __getitem__(self, key: str) -> Any:
        self._note(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._note(key)
        return super().get(key, default)

    def keys(self) -> KeysView[str]:  # type: ignore[override]
        # A view whose `in` asks __contains__ above, so that lookup is noted too.
        return KeysView(self)


class Source:
    """The slow source behind the cache."""

    def __init__(self, failing: dict[str, Exception] | None = None) -> None:
        self.fetched: list[str] = []
        self.failing = failing or {}

    async def fetch(self, key: str) -> str:
        self.fetched.append(key)
        await asyncio.sleep(1.3)
        if key in self.failing:
            raise self.failing[key]
        return f"fetched {key}"


def with_marker() -> list[str]:
    events: list[str] = []
    asyncio.get_running_loop().call_soon(events.append, MARKER)
    return events


async def test_cached_keys_are_answered_inside_create_task(exercise, clock):
    events = with_marker()
    # "b" holds a falsy value, and "z" is cached too but not asked for.
    cache = Cache(events, {"a": 1, "b": 0, "z": 26})
    source = Source()
    values = await exercise.lookup_all(["a", "b", "c"], cache, source.fetch)
    lookups = list(cache.lookups)
    falsy = (
        " 'b' is in the cache: its value, 0, is falsy but a value all the same. Ask "
        "whether the key is there (`key in cache`), not whether its value is true."
    )
    assert source.fetched == ["c"], (
        f"lookup_all fetched {source.fetched}; expected only 'c', the one key asked for "
        "that is not in the cache." + (falsy if "b" in source.fetched else "")
    )
    expected_values = {"a": 1, "b": 0, "c": "fetched c"}
    assert values == expected_values, (
        f"lookup_all(['a', 'b', 'c']) with a: 1, b: 0 and z: 26 cached returned {values!r}; "
        f"expected {expected_values!r}: the value of each key asked for, and no other."
    )
    # A key may be looked up twice (`key in cache`, then `cache[key]`): its first lookup
    # is the one that must come before the loop's next pass.
    before = list(dict.fromkeys(events[: events.index(MARKER)] if MARKER in events else events))
    expected = ["looked up a", "looked up b", "looked up c"]
    assert before == expected, (
        f"Before the loop's next pass, these happened: {before}; expected {expected}. The "
        "tasks waited for the loop to start them: set the loop's task factory to "
        "asyncio.eager_task_factory before creating them."
    )
    stored = dict.get(cache, "c", "nothing")
    assert stored == "fetched c", (
        f"After lookup_all, the cache held {stored!r} for 'c'; expected 'fetched c', the "
        "value fetched for it: a fetched value is stored in `cache`."
    )
    assert clock.now == 1.3, f"lookup_all took {clock.now:g} s; expected one fetch, 1.3 s."
    caller = asyncio.current_task()
    in_caller = list(dict.fromkeys(key for key, task, _ in lookups if task is caller))
    tasks = {task for _, task, _ in lookups if task is not caller}
    one_task_per_key = (
        f"lookup_all looked up {in_caller} in its own task and the rest in {len(tasks)} "
        "task(s); expected every key looked up in a task of its own, one per key in the "
        "TaskGroup: a cache hit gets a task too, and the eager factory lets it finish at once."
    )
    assert not in_caller, one_task_per_key
    assert len(tasks) == 3, one_task_per_key
    # Only the lookups made inside create_task (before the loop's next pass) need the
    # eager factory: a cached value read after its fetch may see any factory.
    made_inside = len(events[: events.index(MARKER)]) if MARKER in events else len(lookups)
    not_eager = list(dict.fromkeys(key for key, _, eager in lookups[:made_inside] if not eager))
    assert not not_eager, (
        f"When {not_eager} were looked up inside create_task, the loop's task factory was "
        "not asyncio.eager_task_factory; expected it set while lookup_all creates its tasks "
        "(loop.set_task_factory(asyncio.eager_task_factory))."
    )


# `keys` is any Iterable: a generator can be gone through only once.
KEY_KINDS = {
    "list": list,
    "tuple": tuple,
    "generator": lambda keys: (key for key in keys),
}


@pytest.mark.parametrize("kind", KEY_KINDS)
async def test_misses_are_fetched_at_the_same_time(exercise, clock, kind):
    events = with_marker()
    source = Source()
    cache = Cache(events, {"b": 2, "y": 25})
    keys = KEY_KINDS[kind](["a", "b", "c", "d"])
    values = await exercise.lookup_all(keys, cache, source.fetch)
    expected = {"a": "fetched a", "b": 2, "c": "fetched c", "d": "fetched d"}
    once = (
        " A generator gives its keys only once: go through `keys` once, keeping each key "
        "with its task (a dict {key: task})."
        if kind == "generator"
        else ""
    )
    assert values == expected, (
        f"lookup_all(keys) with the keys 'a', 'b', 'c', 'd' as a {kind}, and b: 2 and y: 25 "
        f"cached, returned {values!r}; expected {expected!r}: the value of each key asked "
        "for, and no other." + once
    )
    assert (sorted(source.fetched), clock.now) == (["a", "c", "d"], 1.3), (
        f"Three misses of 1.3 s each took {clock.now:g} s (fetched {source.fetched}); "
        "expected 1.3 s: every key has its own task, and the fetches overlap."
    )


async def test_the_loop_gets_its_own_task_factory_back(exercise):
    loop = asyncio.get_running_loop()
    before = loop.get_task_factory()
    await exercise.lookup_all(["a", "a"], Cache([], {"a": 1}), Source().fetch)
    after = loop.get_task_factory()
    assert after is before, (
        f"Before lookup_all the loop's task factory was {before!r}; afterwards it was "
        f"{after!r}; expected the same one back. Keep loop.get_task_factory() before you "
        "change it, and set it back in a `finally`."
    )


@pytest.mark.parametrize("how", ["a fetch fails", "lookup_all is cancelled"])
async def test_the_old_task_factory_is_back_however_lookup_all_ends(exercise, clock, how):
    loop = asyncio.get_running_loop()
    before = loop.get_task_factory()
    error = ConnectionError("source down")
    source = Source({"b": error})
    task = asyncio.create_task(exercise.lookup_all(["a", "b"], Cache([]), source.fetch))
    if how == "lookup_all is cancelled":
        loop.call_at(0.25, task.cancel)
    await asyncio.wait([task])
    if how == "a fetch fails":
        group = task.exception()
        inside = list(group.exceptions) if isinstance(group, BaseExceptionGroup) else None
        assert inside == [error], (
            f"With fetch('b') raising {error!r}, lookup_all {'raised ' + repr(group)}; "
            "expected the TaskGroup's ExceptionGroup holding that error."
        )
    else:
        assert task.cancelled(), "lookup_all, cancelled at t=0.25 s, did not end cancelled."
    assert loop.get_task_factory() is before, (
        f"After {how}, the loop's task factory was {loop.get_task_factory()!r}; expected "
        f"the one from before, {before!r}. Restore it in a `finally`."
    )
