"""The learner's small local state: which hints were shown, which exercises passed.

Kept in ``.kit/state.json`` at the kit root (git ignores it); deleting it starts over.
Every change is a read-modify-write under a lock file, written to a temporary file and
moved into place with ``os.replace``, so two commands run at once (``watch`` in one
terminal, ``hint`` in another) never lose or corrupt each other's changes.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.manifest import KIT_ROOT, Exercise

STATE_PATH = KIT_ROOT / ".kit" / "state.json"
# A lock older than this was left by a process that died; it is taken over.
_STALE_LOCK_SECONDS = 10.0
_LOCK_POLL = 0.01


@dataclass
class State:
    """What the kit remembers between commands."""

    hints_seen: dict[str, set[int]] = field(default_factory=dict)
    passed: set[str] = field(default_factory=set)

    def seen(self, exercise: Exercise) -> set[int]:
        """The hint numbers of ``exercise`` the learner has been shown."""
        return self.hints_seen.get(exercise.id, set())


def read_state(path: Path | None = None) -> State:
    """The saved state; a missing or damaged file is a fresh start."""
    path = path or STATE_PATH
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return State()
    if not isinstance(data, dict):
        return State()
    seen: dict[str, set[int]] = {}
    for key, value in _mapping(data.get("hints_seen")).items():
        if isinstance(value, list):
            seen[key] = {n for n in value if isinstance(n, int)}
    # The first version kept only a count of hints shown, always from hint 1.
    for key, count in _mapping(data.get("hints_shown")).items():
        if isinstance(count, int):
            seen.setdefault(key, set()).update(range(1, count + 1))
    passed = {i for i in data.get("passed", []) if isinstance(i, str)}
    return State(seen, passed)


def _mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def update_state(change: Callable[[State], None], path: Path | None = None) -> State:
    """Apply ``change`` to the saved state and save it, safely against concurrent runs."""
    path = path or STATE_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path.with_name(path.name + ".lock")):
        state = read_state(path)
        change(state)
        _write_atomically(path, _serialised(state))
    return state


def _serialised(state: State) -> str:
    data = {
        "hints_seen": {key: sorted(value) for key, value in sorted(state.hints_seen.items())},
        "passed": sorted(state.passed),
    }
    return json.dumps(data, indent=1) + "\n"


def _write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def _locked(lock: Path) -> Iterator[None]:
    """Hold ``lock`` (a file created exclusively) for the duration of the block."""
    while True:
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            with contextlib.suppress(OSError):
                if time.time() - lock.stat().st_mtime > _STALE_LOCK_SECONDS:
                    os.unlink(lock)
                    continue
            time.sleep(_LOCK_POLL)
    try:
        os.close(handle)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)


def choose_hint(exercise: Exercise, failing_tests: Iterable[str], seen: set[int]) -> int | None:
    """The hint to show next: unseen, and for the first failing test when one is mapped.

    None when every hint has been seen.
    """
    for test in failing_tests:
        for number in exercise.hints_for(test):
            if number not in seen:
                return number
    unseen = [n for n in range(1, len(exercise.hints) + 1) if n not in seen]
    return unseen[0] if unseen else None


def next_hint(
    exercise: Exercise, path: Path | None = None, failing_tests: Iterable[str] = ()
) -> tuple[int, str]:
    """The next hint not yet shown for ``exercise`` (1-based number, text), and remember it.

    After the last hint, the last one is shown again.
    """
    chosen: list[int] = []

    def show(state: State) -> None:
        seen = state.hints_seen.setdefault(exercise.id, set())
        number = choose_hint(exercise, failing_tests, seen) or len(exercise.hints)
        seen.add(number)
        chosen.append(number)

    update_state(show, path)
    return chosen[0], exercise.hints[chosen[0] - 1]


def remember_passes(
    passed: Iterable[str], failed: Iterable[str], path: Path | None = None
) -> set[str]:
    """Record which exercises pass now; return the ones that did not pass before."""
    newly: set[str] = set()

    def record(state: State) -> None:
        now = set(passed)
        newly.update(now - state.passed)
        state.passed = (state.passed | now) - set(failed)

    update_state(record, path)
    return newly
