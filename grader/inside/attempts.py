"""Which code a test runs against (an attempt), and loading it as a module.

An attempt is one implementation of an exercise: the learner's file under ``exercises/``,
the reference answer under ``solutions/``, or one of the known wrong answers kept beside
the exercise's tests. The tree is chosen once, by pytest's ``--against`` option.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from grader.manifest import KIT_ROOT, Exercise, shown_path

ATTEMPT_KINDS = ("exercises", "solutions", "wrong-answers")


class AttemptLoadError(Exception):
    """An attempt's file could not be imported; the message is written for the learner."""


@dataclass(frozen=True)
class Attempt:
    """One implementation of an exercise, identified by a short label."""

    exercise: Exercise
    kind: str
    path: Path

    @property
    def label(self) -> str:
        """``exercises``, ``solutions`` or ``wrong:<name>``; used as the pytest id."""
        return f"wrong:{self.path.stem}" if self.kind == "wrong-answers" else self.kind

    @property
    def shown_path(self) -> str:
        """The path relative to the kit root when inside it, as a learner would type it."""
        return shown_path(self.path)


def wrong_answers_dir(exercise: Exercise) -> Path:
    """Where an exercise's known wrong answers live, next to its test file."""
    return KIT_ROOT / "tests" / exercise.topic.folder / "wrong_answers" / exercise.id


def attempts_for(
    exercise: Exercise, kinds: list[str], exercises_root: Path = KIT_ROOT / "exercises"
) -> list[Attempt]:
    """The attempts of ``exercise`` for each kind requested, in order.

    ``exercises_root`` is where the learner's files are: the kit's ``exercises/`` or a
    submission folder laid out the same way.
    """
    found: list[Attempt] = []
    for kind in kinds:
        if kind == "wrong-answers":
            paths = sorted(wrong_answers_dir(exercise).glob("*.py"))
            found.extend(Attempt(exercise, kind, path) for path in paths)
        elif kind == "exercises":
            found.append(Attempt(exercise, kind, exercises_root / exercise.relative_path))
        else:
            found.append(Attempt(exercise, kind, KIT_ROOT / exercise.path_in(kind)))
    return found


class AttemptLoader:
    """Imports attempts once each, and remembers the ones that fail to import.

    A failure is cached so that every test of a broken exercise reports the same error at
    once instead of, say, re-running an import that loops forever.
    """

    def __init__(self) -> None:
        self._modules: dict[Path, ModuleType] = {}
        self._failures: dict[Path, AttemptLoadError] = {}

    def load(self, attempt: Attempt) -> ModuleType:
        """The attempt's module, importing it on first use."""
        path = attempt.path
        if path in self._modules:
            return self._modules[path]
        if path in self._failures:
            raise self._failures[path]
        try:
            module = _import_file(path, _module_name(attempt))
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # a learner file can raise anything, even SystemExit
            failure = AttemptLoadError(_describe_import_failure(attempt, error))
            self._failures[path] = failure
            raise failure from error
        self._modules[path] = module
        return module


def _module_name(attempt: Attempt) -> str:
    kind = attempt.kind.replace("-", "_")
    return f"asyncio_kit_{kind}.{attempt.exercise.topic.id}.{attempt.path.stem}"


def _import_file(path: Path, name: str) -> ModuleType:
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist")
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickling look modules up by name
    try:
        # Compiled from the source every time: a cached .pyc is matched by size and mtime
        # only, so an edit of the same size saved within the same second would go unseen.
        code = compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
        exec(code, module.__dict__)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def _describe_import_failure(attempt: Attempt, error: BaseException) -> str:
    where = attempt.shown_path
    if isinstance(error, SyntaxError):
        line = f", line {error.lineno}" if error.lineno else ""
        text = f"\n    {error.text.rstrip()}" if error.text else ""
        return f"{where} does not compile: {error.msg}{line}{text}\nFix the syntax, then run again."
    if isinstance(error, FileNotFoundError):
        return f"{where} is missing. Restore it (`nox -s reset -- {attempt.exercise.id}`)."
    if type(error).__name__ == "Failed" and "Timeout" in str(error):
        return (
            f"Importing {where} never finished: code at the top level of the file runs "
            "forever (an infinite loop outside any function?)."
        )
    return f"{where} fails when imported: {type(error).__name__}: {error}"
