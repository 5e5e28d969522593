"""A snapshot of everything that decides a verdict, compared after each exercise's tests.

Learner code runs in the same process as the tests, so it could replace ``asyncio.sleep``
with a no-op (sequential code would look concurrent), swap pytest's report machinery, the
grader's recorder or an assertion builtin, or register a pytest plugin of its own. The
snapshot is taken after collection and before any learner code is imported: every
function, class and module reachable by name from the modules that decide a verdict, the
methods of their classes, and the hook implementations pytest calls. After the last test
of each attempt (see ``KitPlugin._interference``) the same names must still hold the same
objects; anything else is interference.
"""

from __future__ import annotations

import operator
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain
from types import BuiltinFunctionType, FunctionType, MethodType, ModuleType
from typing import Any

import pytest

# Modules whose callables and classes decide or record a verdict, by name prefix.
PROTECTED_PREFIXES = (
    "builtins", "time", "asyncio", "looptime", "pytest", "_pytest", "pluggy", "pytest_asyncio",
    "pytest_timeout", "grader", "unittest", "os", "posix", "sys", "json", "hmac", "hashlib",
    "gc", "warnings", "faulthandler", "signal", "selectors", "select", "threading", "_thread",
    "contextvars", "inspect", "traceback", "functools", "weakref", "concurrent",
)  # fmt: skip
_WATCHED_TYPES = (type, FunctionType, BuiltinFunctionType, MethodType, ModuleType, staticmethod,
                  classmethod, property)  # fmt: skip

# Rebound around every test by pytest itself (its assertion and warnings plugins).
_REBOUND_PER_TEST = {
    ("_pytest.assertion.util", "_reprcompare"),
    ("_pytest.assertion.util", "_assertion_pass"),
    ("warnings", "_showwarnmsg_impl"),
    ("warnings", "showwarning"),
}

_MISSING = object()


@dataclass
class Snapshot:
    """Live views of the watched namespaces, and what each watched name held at the start.

    Holding the namespaces themselves (a module's ``__dict__``, a class's mapping proxy,
    ``sys.modules``) makes each comparison one lookup: a test costs a millisecond or so.
    """

    # (namespace, name, object it held, owner shown in a message)
    entries: list[tuple[Mapping[str, Any], str, Any, str]] = field(default_factory=list)
    # (a protected class's namespace, the names it had, its name): to see a new method
    class_names: list[tuple[Mapping[str, Any], frozenset[str], str]] = field(default_factory=list)
    hooks: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    # The same entries as one getter per namespace and the objects they must return, in
    # order: the comparison runs in C (see unchanged).
    _fast: _FastCheck | None = None

    def group(self) -> None:
        """Build the fast comparison from ``entries``."""
        by_namespace: dict[int, tuple[Mapping[str, Any], list[str]]] = {}
        for namespace, name, _, _ in self.entries:
            by_namespace.setdefault(id(namespace), (namespace, []))[1].append(name)
        self._fast = _FastCheck(list(by_namespace.values()), operator.itemgetter)

    def unchanged(self) -> bool:
        """Whether every watched name still holds its object (identity, never ``==``)."""
        return self._fast is not None and self._fast.unchanged()


class _FastCheck:
    """Names to look up in live namespaces or objects, and the objects they held at first."""

    def __init__(
        self, lookups: list[tuple[Any, list[str]]], make_getter: Callable[..., Any]
    ) -> None:
        self._owners = [owner for owner, _ in lookups]
        self._getters = [_tuple_getter(make_getter, names) for _, names in lookups]
        self._originals = self._current()

    def _current(self) -> tuple[Any, ...]:
        return tuple(chain.from_iterable(map(operator.call, self._getters, self._owners)))

    def unchanged(self) -> bool:
        """Whether every name still holds the very object it did (identity, never ``==``)."""
        try:
            return all(map(operator.is_, self._current(), self._originals))
        except (KeyError, AttributeError):  # a watched name was deleted
            return False


def _tuple_getter(make_getter: Callable[..., Any], names: list[str]) -> Callable[[Any], Any]:
    """A getter of ``names`` that returns a tuple, even of one (item/attrgetter return it bare)."""
    getter = make_getter(*names)
    return getter if len(names) > 1 else lambda owner: (getter(owner),)


def is_protected(module_name: str) -> bool:
    """Whether ``module_name`` is one of the modules the snapshot protects."""
    return any(
        module_name == prefix or module_name.startswith(prefix + ".")
        for prefix in PROTECTED_PREFIXES
    )


def _protected_modules() -> Iterator[tuple[str, ModuleType]]:
    for name, module in list(sys.modules.items()):
        if isinstance(module, ModuleType) and is_protected(name):
            yield name, module


def take(config: pytest.Config) -> Snapshot:
    """What every watched name refers to now."""
    snapshot = Snapshot()
    for name, module in _protected_modules():
        snapshot.entries.append((sys.modules, name, module, "sys.modules"))
        namespace = vars(module)
        for attribute, value in list(namespace.items()):
            if isinstance(value, _WATCHED_TYPES) and (name, attribute) not in _REBOUND_PER_TEST:
                snapshot.entries.append((namespace, attribute, value, name))
            if isinstance(value, type) and value.__module__ == name:
                members = vars(value)
                owner = f"{name}.{value.__qualname__}"
                snapshot.class_names.append((members, frozenset(members), owner))
                snapshot.entries += [
                    (members, member, inner, owner)
                    for member, inner in list(members.items())
                    if isinstance(inner, _WATCHED_TYPES)
                ]
    snapshot.hooks = _hook_functions(config)
    snapshot.group()
    return snapshot


def _hook_functions(config: pytest.Config) -> dict[str, tuple[Any, ...]]:
    hooks = {}
    for hook_name in dir(config.hook):
        hook = getattr(config.hook, hook_name)
        if hasattr(hook, "get_hookimpls"):
            hooks[hook_name] = tuple(impl.function for impl in hook.get_hookimpls())
    return hooks


def changes(before: Snapshot, config: pytest.Config) -> list[str]:
    """The watched names that no longer refer to what they did, as ``owner.name``."""
    touched = (
        []
        if before.unchanged()
        else [
            f"sys.modules[{name!r}]" if owner == "sys.modules" else f"{owner}.{name}"
            for namespace, name, value, owner in before.entries
            if namespace.get(name, _MISSING) is not value
        ]
    )
    # New names in a module are ordinary lazy imports, and Python itself caches a few
    # dunders on classes (copyreg's __slotnames__); a new method on a protected class is
    # interference.
    for members, known, owner in before.class_names:
        if len(members) != len(known):
            touched += [
                f"{owner}.{name}"
                for name, value in list(members.items())
                if name not in known
                and not name.startswith("__")
                and isinstance(value, _WATCHED_TYPES)
            ]
    now = _hook_functions(config)
    touched += [
        f"pytest's {name} hook"
        for name in now.keys() | before.hooks.keys()
        if not _same(now.get(name, ()), before.hooks.get(name, ()))
    ]
    return sorted(set(touched))


def _same(now: tuple[Any, ...], then: tuple[Any, ...]) -> bool:
    return len(now) == len(then) and all(a is b for a, b in zip(now, then, strict=True))


def shadowed_methods(instance: object) -> list[str]:
    """Methods of ``instance``'s class replaced on the instance itself (``loop.time = ...``)."""
    cls = type(instance)
    return [
        f"{cls.__name__}.{name} (on the running loop)"
        for name in list(vars(instance))
        if isinstance(getattr(cls, name, None), FunctionType)
    ]


class HotSet:
    """The few objects that make time pass or a check succeed, checked on every loop step.

    The full snapshot is compared after an attempt's tests; code that swaps ``asyncio.sleep``
    for a no-op and puts it back before they end would slip between two comparisons. The
    loop reads its clock on every iteration, and this check runs there (see
    ``VirtualClockLoop.time``), so a swap is seen while it is in place.
    """

    def __init__(self, loop_class: type) -> None:
        import asyncio
        import builtins
        import time

        names = {
            asyncio: ("sleep", "gather", "wait", "wait_for", "timeout", "create_task", "Task",
                      "Future", "get_running_loop", "shield", "TaskGroup", "Event", "Lock"),
            asyncio.tasks: ("sleep", "gather", "wait_for", "Task"),
            time: ("monotonic", "perf_counter", "time", "sleep"),
            builtins: ("isinstance", "AssertionError", "len", "sorted", "repr"),
            loop_class: ("time", "call_at", "call_later", "_run_once", "select"),
        }  # fmt: skip
        self._entries = [
            (owner, name, getattr(owner, name))
            for owner, members in names.items()
            for name in members
            if hasattr(owner, name)
        ]
        # The check runs on every clock reading: one attrgetter per owner, compared in C.
        self._fast = _FastCheck(
            [
                (owner, present)
                for owner, members in names.items()
                if (present := [name for name in members if hasattr(owner, name)])
            ],
            operator.attrgetter,
        )
        self.broken: list[str] = []

    def check(self) -> None:
        """Note every entry that no longer holds its original object."""
        if self._fast.unchanged():
            return
        for owner, name, original in self._entries:
            if getattr(owner, name, None) is not original:
                where = getattr(owner, "__name__", type(owner).__name__)
                entry = f"{where}.{name} (while the test ran)"
                if entry not in self.broken:
                    self.broken.append(entry)
