"""The exercises as shipped: for ``reset`` and for telling "not started" from "failed".

``grader/pristine_stubs.json`` holds the text of every stub as the kit ships it. A
maintainer refreshes it with ``nox -s freeze`` after editing a stub; the kit check fails
while it is out of date.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from grader.manifest import KIT_ROOT, Exercise, Manifest

SNAPSHOT_PATH = Path(__file__).with_name("pristine_stubs.json")


@cache
def _snapshot() -> dict[str, str]:
    if not SNAPSHOT_PATH.is_file():
        return {}
    data: dict[str, str] = json.loads(SNAPSHOT_PATH.read_text(encoding="utf-8"))
    return data


def original_stub(exercise: Exercise) -> str | None:
    """The stub's text as shipped, or None when the snapshot does not have it."""
    return _snapshot().get(exercise.relative_path.as_posix())


def is_untouched(exercise: Exercise, tree: Path) -> bool:
    """Whether the exercise's file in ``tree`` is still exactly the shipped stub."""
    original = original_stub(exercise)
    path = tree / exercise.relative_path
    if original is None or not path.is_file():
        return False
    return path.read_text(encoding="utf-8") == original


def freeze(manifest: Manifest) -> Path:
    """Write the snapshot from the stubs now under ``exercises/``."""
    snapshot = {
        exercise.relative_path.as_posix(): (KIT_ROOT / exercise.path_in("exercises")).read_text(
            encoding="utf-8"
        )
        for exercise in manifest.exercises
    }
    SNAPSHOT_PATH.write_text(json.dumps(snapshot, indent=1, sort_keys=True) + "\n", "utf-8")
    _snapshot.cache_clear()
    return SNAPSHOT_PATH


def stale_entries(manifest: Manifest) -> list[str]:
    """Stubs whose shipped text differs from the snapshot (or is missing from it)."""
    return [
        exercise.id
        for exercise in manifest.exercises
        if not is_untouched(exercise, KIT_ROOT / "exercises")
    ]
