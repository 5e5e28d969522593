"""Graded work kept on disk, so a batch can always resume and grades each file only once.

``DIR/results/<content hash>.json`` holds the outcomes of one submission's content, graded by
one version of the kit (its fingerprint covers the manifest, the tests and the grader) on
one Python (exercises may need a newer asyncio).
``DIR/exercise-results/<exercise id>/<key>.json`` holds the outcome of one exercise file
(see :class:`ExerciseCache`), which every submission handing in the same bytes reuses. Each
file is written to a temporary name, flushed to disk and renamed into place, so a batch
killed at any moment (Ctrl-C, ``kill -9``, a power cut) leaves either the whole result or
none of it; a rerun grades only what has no result yet.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from dataclasses import asdict, fields
from functools import cache
from pathlib import Path
from typing import Any

from grader.host.outcomes import ExerciseOutcome, TestOutcome
from grader.manifest import KIT_ROOT, Exercise, Manifest

STORE_VERSION = 1
# What decides a grade: a change to any of these makes every stored result stale.
_KIT_PARTS = (
    "manifest.toml",
    "conftest.py",
    "pyproject.toml",
    "grader/inside",
    "grader/host",
    "grader/manifest.py",
    "tests",
)


@cache
def kit_fingerprint() -> str:
    """A digest of the kit files that decide a grade (tests, grader, manifest, stubs)."""
    digest = hashlib.sha256()
    for part in _KIT_PARTS:
        path = KIT_ROOT / part
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            relative = file.relative_to(KIT_ROOT).as_posix()
            if not file.is_file() or "wrong_answers" in relative or "__pycache__" in relative:
                continue
            digest.update(relative.encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _graded_by() -> dict[str, Any]:
    """What a stored outcome must have been graded by to be reused: this store, kit and Python."""
    return {
        "version": STORE_VERSION,
        "kit": kit_fingerprint(),
        "python": ".".join(map(str, sys.version_info[:2])),
    }


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that readers see the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class ResultStore:
    """The results folder of one batch output directory."""

    def __init__(self, out: Path) -> None:
        """Keep results under ``out/results``."""
        self.folder = out / "results"

    def path(self, content_hash: str) -> Path:
        """Where the result of one submission content lives."""
        return self.folder / f"{content_hash}.json"

    def load(
        self, content_hash: str, manifest: Manifest, exercises: tuple[Exercise, ...]
    ) -> list[ExerciseOutcome] | None:
        """The stored outcomes of ``exercises`` for this content, or None when not graded yet.

        A result from another version of the kit or another Python, or one lacking an
        exercise, counts as not graded; an unreadable file too (it can only come from
        tampering: writes are atomic).
        """
        try:
            data = json.loads(self.path(content_hash).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if any(data.get(key) != value for key, value in _graded_by().items()):
            return None
        stored = {entry["exercise"]: entry for entry in data.get("outcomes", [])}
        if any(exercise.id not in stored for exercise in exercises):
            return None
        return [_outcome_from(stored[exercise.id], manifest) for exercise in exercises]

    def save(self, content_hash: str, outcomes: list[ExerciseOutcome]) -> None:
        """Store the outcomes of one submission content."""
        document = {**_graded_by(), "outcomes": [_outcome_to(outcome) for outcome in outcomes]}
        write_atomically(self.path(content_hash), json.dumps(document, indent=1) + "\n")


def file_digest(content: bytes | None) -> str:
    """What identifies an exercise file in the cache: its bytes' sha256, or "absent"."""
    return "absent" if content is None else hashlib.sha256(content).hexdigest()


class ExerciseCache:
    """The outcome of each exercise file graded so far, keyed by what decides it.

    An exercise's outcome depends on the kit (its fingerprint), the Python that ran it
    (exercises may need a newer asyncio) and that exercise's own file: each learner file is
    loaded on its own, under its own module name, and imports only the standard library.
    So one entry per (kit, Python, exercise id, file digest) serves every submission that
    hands in the same bytes.
    """

    def __init__(self, out: Path) -> None:
        """Keep outcomes under ``out/exercise-results``."""
        self.folder = out / "exercise-results"
        self._key = _graded_by()

    def path(self, exercise: Exercise, digest: str) -> Path:
        """Where the outcome of ``exercise``'s file with this digest lives."""
        key = json.dumps({**self._key, "exercise": exercise.id, "file": digest}, sort_keys=True)
        name = hashlib.sha256(key.encode()).hexdigest()[:32]
        return self.folder / exercise.id / f"{name}.json"

    def has(self, exercise: Exercise, digest: str) -> bool:
        """Whether an entry for this file exists (:meth:`load` still checks it)."""
        return self.path(exercise, digest).is_file()

    def load(self, exercise: Exercise, digest: str, manifest: Manifest) -> ExerciseOutcome | None:
        """The stored outcome of ``exercise``'s file with this digest, or None."""
        try:
            data = json.loads(self.path(exercise, digest).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        expected = {**self._key, "exercise": exercise.id, "file": digest}
        if not isinstance(data, dict) or any(data.get(k) != v for k, v in expected.items()):
            return None
        try:
            return _outcome_from(data["outcome"], manifest)
        except (KeyError, TypeError, ValueError):  # not written by this kit: grade again
            return None

    def save(self, outcome: ExerciseOutcome, digest: str) -> None:
        """Store the outcome of one exercise file."""
        document = {
            **self._key,
            "exercise": outcome.exercise.id,
            "file": digest,
            "outcome": _outcome_to(outcome),
        }
        path = self.path(outcome.exercise, digest)
        write_atomically(path, json.dumps(document, indent=1) + "\n")


def _outcome_to(outcome: ExerciseOutcome) -> dict[str, Any]:
    entry: dict[str, Any] = {"exercise": outcome.exercise.id}
    for item in fields(outcome):
        value = getattr(outcome, item.name)
        if item.name == "tests":
            entry["tests"] = [asdict(test) for test in value]
        elif item.name == "file":
            entry["file"] = outcome.exercise.relative_path.as_posix()
        elif item.name not in ("exercise", "credit"):
            entry[item.name] = value
    return entry


def _outcome_from(entry: dict[str, Any], manifest: Manifest) -> ExerciseOutcome:
    exercise = manifest.by_id(entry["exercise"])
    known_test_fields = {item.name for item in fields(TestOutcome)}
    tests = []
    for test in entry["tests"]:
        values: dict[str, Any] = {k: v for k, v in test.items() if k in known_test_fields}
        values["mistakes"] = tuple(values.get("mistakes", ()))
        tests.append(TestOutcome(**values))
    scalars = {
        item.name: entry[item.name]
        for item in fields(ExerciseOutcome)
        if item.name in entry and item.name not in ("exercise", "tests", "file", "credit")
    }
    return ExerciseOutcome(exercise, tests=tests, file=Path(entry["file"]), **scalars)
