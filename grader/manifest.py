"""The ordered list of topics and exercises, read from ``manifest.toml``."""

from __future__ import annotations

import difflib
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

KIT_ROOT = Path(__file__).resolve().parent.parent
MANIFEST_PATH = KIT_ROOT / "manifest.toml"
TREES = ("exercises", "solutions")
# What an exercise's learner code may do beyond pure asyncio, granted per exercise in the
# manifest; the sandbox's audit hook refuses everything else.
PERMISSIONS = frozenset({"threads", "subprocess", "sockets", "signals", "processes", "files"})


def shown_path(path: Path) -> str:
    """``path`` as a learner would type it: relative to the kit root when inside it."""
    return str(path.relative_to(KIT_ROOT) if path.is_relative_to(KIT_ROOT) else path)


class ManifestError(Exception):
    """The manifest is malformed or names something that does not exist."""


@dataclass(frozen=True)
class Topic:
    """A folder of exercises about one part of asyncio."""

    id: str
    folder: str
    title: str


@dataclass(frozen=True)
class Exercise:
    """One exercise: a stub under exercises/, its solution and its test file."""

    id: str
    topic: Topic
    title: str
    points: int
    hints: tuple[str, ...]
    permissions: frozenset[str] = frozenset()
    # The oldest Python whose asyncio has what the exercise needs, e.g. (3, 13).
    min_python: tuple[int, int] = (3, 11)
    learned: str = ""  # what passing it taught, in a sentence or two
    # Test name -> the number (1-based) of the hint that helps most when that test fails.
    hint_for_test: tuple[tuple[str, int], ...] = ()

    def points_here(self) -> int:
        """What the exercise is worth on the running Python: nothing if it cannot run it."""
        return self.points if self.min_python <= sys.version_info[:2] else 0

    def hints_for(self, test_name: str) -> list[int]:
        """The hint numbers mapped to ``test_name``, best first."""
        return [number for name, number in self.hint_for_test if name == test_name]

    @property
    def relative_path(self) -> Path:
        """Where the exercise lives inside a tree, e.g. ``02_tasks/fetch_all.py``."""
        return Path(self.topic.folder) / f"{self.id}.py"

    @property
    def test_path(self) -> Path:
        """The test file, relative to the kit root."""
        return Path("tests") / self.topic.folder / f"test_{self.id}.py"

    def path_in(self, tree: str) -> Path:
        """The exercise file inside ``exercises/`` or ``solutions/``, relative to the kit root."""
        return Path(tree) / self.relative_path


@dataclass(frozen=True)
class Manifest:
    """Topics and exercises in teaching order."""

    topics: tuple[Topic, ...]
    exercises: tuple[Exercise, ...]

    @property
    def newest_python(self) -> str:
        """The Python every exercise can be graded on (the highest ``min_python``): "3.13"."""
        return ".".join(map(str, max(exercise.min_python for exercise in self.exercises)))

    def by_id(self, exercise_id: str) -> Exercise:
        """The exercise called ``exercise_id``."""
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise KeyError(exercise_id)

    # Test file (absolute, resolved) -> its exercise; asked for every test and collector.
    _by_test_file: dict[Path, Exercise] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_file = {(KIT_ROOT / e.test_path).resolve(): e for e in self.exercises}
        object.__setattr__(self, "_by_test_file", by_file)

    def for_test_file(self, test_path: Path) -> Exercise | None:
        """The exercise a test file belongs to, or None for files that are not exercise tests."""
        found = self._by_test_file.get(test_path)
        return found if found is not None else self._by_test_file.get(test_path.resolve())

    def select(self, words: list[str]) -> tuple[Exercise, ...]:
        """Exercises named by id or by topic (id or folder); all of them when ``words`` is empty.

        Raises ManifestError naming the close matches for a word that names nothing.
        """
        if not words:
            return self.exercises
        chosen: list[Exercise] = []
        for word in map(_as_name, words):
            matches = [
                exercise
                for exercise in self.exercises
                if word in (exercise.id, exercise.topic.id, exercise.topic.folder)
            ]
            if not matches:
                names = [e.id for e in self.exercises] + [t.id for t in self.topics]
                close = difflib.get_close_matches(word, names, n=3, cutoff=0.5)
                suggestion = f" Did you mean: {', '.join(close)}?" if close else ""
                raise ManifestError(
                    f"No exercise or topic is called {word!r}.{suggestion} "
                    "Run `nox -s list` to see them all."
                )
            chosen.extend(e for e in matches if e not in chosen)
        return tuple(e for e in self.exercises if e in chosen)


def _as_name(word: str) -> str:
    """An exercise or topic name from a path to it (``exercises/02_tasks/fetch_all.py``)."""
    if "/" not in word and "\\" not in word and not word.endswith(".py"):
        return word
    last = word.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    if last.endswith(".py"):
        last = last.removesuffix(".py").removeprefix("test_")
    return last


def _python_version(exercise_id: str, text: str) -> tuple[int, int]:
    """``"3.13"`` as ``(3, 13)``."""
    major, dot, minor = str(text).partition(".")
    if not (dot and major.isdigit() and minor.isdigit()):
        raise ManifestError(f"exercise {exercise_id!r}: min_python must look like '3.13'")
    return int(major), int(minor)


def load_manifest(path: Path = MANIFEST_PATH) -> Manifest:
    """Read and validate the manifest."""
    with path.open("rb") as file:
        data = tomllib.load(file)
    topics = tuple(
        Topic(id=t["id"], folder=t["folder"], title=t["title"]) for t in data.get("topic", [])
    )
    topics_by_id = {topic.id: topic for topic in topics}
    exercises: list[Exercise] = []
    for entry in data.get("exercise", []):
        if entry["topic"] not in topics_by_id:
            raise ManifestError(f"exercise {entry['id']!r} names unknown topic {entry['topic']!r}")
        hints = tuple(entry["hints"])
        if not 2 <= len(hints) <= 3:
            raise ManifestError(f"exercise {entry['id']!r} needs 2 or 3 hints, has {len(hints)}")
        permissions = frozenset(entry.get("permissions", ()))
        if unknown := sorted(permissions - PERMISSIONS):
            raise ManifestError(
                f"exercise {entry['id']!r} asks for unknown permissions {unknown}; "
                f"known: {sorted(PERMISSIONS)}"
            )
        mapping = tuple(entry.get("hint_for_test", {}).items())
        for test, number in mapping:
            if not (test.startswith("test_") and isinstance(number, int)):
                raise ManifestError(f"exercise {entry['id']!r}: hint_for_test maps test names "
                                    f"to hint numbers; got {test!r} = {number!r}")  # fmt: skip
            if not 1 <= number <= len(hints):
                raise ManifestError(
                    f"exercise {entry['id']!r}: hint_for_test sends {test} to hint {number}, "
                    f"but there are {len(hints)} hints"
                )
        exercises.append(
            Exercise(
                id=entry["id"],
                topic=topics_by_id[entry["topic"]],
                title=entry["title"],
                points=int(entry["points"]),
                hints=hints,
                permissions=permissions,
                min_python=_python_version(entry["id"], entry.get("min_python", "3.11")),
                learned=str(entry.get("learned", "")),
                hint_for_test=mapping,
            )
        )
    # Teaching order: topic by topic, and within a topic the order of the file.
    order = {topic.id: index for index, topic in enumerate(topics)}
    exercises.sort(key=lambda exercise: order[exercise.topic.id])
    ids = [exercise.id for exercise in exercises]
    duplicated = {i for i in ids if ids.count(i) > 1}
    if duplicated:
        raise ManifestError(f"exercise ids used twice: {sorted(duplicated)}")
    return Manifest(topics=topics, exercises=tuple(exercises))
