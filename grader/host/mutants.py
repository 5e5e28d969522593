"""Mutation testing of the reference solutions (``nox -s mutants``): which changes go unnoticed.

For each exercise, every mutant of ``solutions/<topic>/<id>.py`` is written over the file,
the exercise's tests run against it (``pytest --against=solutions``), and the file is put
back. A mutant the tests reject is killed; one they pass is a survivor: a missing test, or
an equivalent mutant (a change that cannot alter behaviour), listed with its reason in
``tests/<topic>/equivalent_mutants.toml`` so that it is not counted against the score.

The tool is cosmic-ray, not mutmut. The kit imports a solution from its file path (the
folders start with digits, so it is no importable package), and cosmic-ray mutates the file
on disk and runs an ordinary test command, so it works with that loading as it is. mutmut 3
runs a copy of the tree whose functions dispatch on the module name derived from the path,
which never matches the names the kit's loader gives (``asyncio_kit_solutions...``).
cosmic-ray's own operators (numbers, comparisons, booleans, exceptions, loops) find little
to change in asyncio code, so four kit operators are added to them: removing an
``await``, deleting a call made as a statement (``lock.release()``, ``await task``),
returning None instead of a value and dropping a keyword argument (``return_when=``).

Mutants that fall inside a type annotation (a parameter's, a return's, or the annotation part
of an annotated assignment) are neither run nor counted in the table; each exercise's line
says "not counted: N in annotations". Neither the solutions nor the tests read annotations
back (nothing calls typing.get_type_hints or looks at ``__annotations__``; dataclass looks at
a field's annotation only to spot ClassVar, InitVar and KW_ONLY, which no operator writes),
so such a mutant either behaves exactly as the solution does or breaks the import, and tells
nothing about the tests either way. Whether a mutant is inside an annotation is decided by
position: the stretch it changes against the annotations' stretches in the solution's own
syntax tree (``ast``).

Usage: ``python -m grader.host.mutants [exercise id or topic ...]`` (all when none).
"""

from __future__ import annotations

import argparse
import ast
import os
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import cosmic_ray.commands
import cosmic_ray.plugins
from cosmic_ray.mutating import mutate_and_test
from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import MutationSpec, TestOutcome, WorkerOutcome
from parso.python.tree import Keyword

from grader.manifest import KIT_ROOT, Exercise, Manifest, load_manifest

TARGET = 0.9
# Real seconds one test run of a mutant may take; the suite of one exercise takes about one,
# and a mutant that hangs is stopped by pytest-timeout well within this.
_RUN_LIMIT = 120.0
EQUIVALENTS_FILE = "equivalent_mutants.toml"


class RemoveAwait:
    """Drop one ``await``: the coroutine or future is then used unawaited."""

    @classmethod
    def arguments(cls) -> tuple[()]:
        """The operator takes no arguments."""
        return ()

    def mutation_positions(self, node: Any) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
        """Each ``await`` keyword."""
        if isinstance(node, Keyword) and node.value == "await":
            yield node.start_pos, node.end_pos

    def mutate(self, node: Any, index: int) -> Any:
        """Empty the keyword and the space after it, keeping the line's indentation."""
        node.value = ""
        node.get_next_leaf().prefix = ""
        return node

    @classmethod
    def examples(cls) -> tuple[()]:
        """No examples: the kit's own runs exercise it."""
        return ()


class DeleteCallStatement:
    """Replace a call made as a whole statement (``pool.release(c)``, ``await t``) by ``pass``."""

    @classmethod
    def arguments(cls) -> tuple[()]:
        """The operator takes no arguments."""
        return ()

    def mutation_positions(self, node: Any) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
        """Each expression statement that is a call, awaited or not."""
        if node.type == "atom_expr" and node.parent.type == "simple_stmt":
            last = node.children[-1]
            if last.type == "trailer" and last.children[0].value == "(":
                yield node.start_pos, node.end_pos

    def mutate(self, node: Any, index: int) -> Any:
        """A ``pass`` in the statement's place."""
        return Keyword("pass", node.start_pos, prefix=node.get_first_leaf().prefix)

    @classmethod
    def examples(cls) -> tuple[()]:
        """No examples: the kit's own runs exercise it."""
        return ()


class ReturnNone:
    """Make a ``return <value>`` return None instead."""

    @classmethod
    def arguments(cls) -> tuple[()]:
        """The operator takes no arguments."""
        return ()

    def mutation_positions(self, node: Any) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
        """Each ``return`` with a value other than None."""
        if node.type == "return_stmt" and node.children[1:] != [] and not _is_none(node):
            yield node.start_pos, node.end_pos

    def mutate(self, node: Any, index: int) -> Any:
        """Replace the returned value with None."""
        value = node.children[1]
        node.children[1] = Keyword("None", value.start_pos, prefix=value.get_first_leaf().prefix)
        return node

    @classmethod
    def examples(cls) -> tuple[()]:
        """No examples: the kit's own runs exercise it."""
        return ()


class RemoveKeywordArgument:
    """Drop one ``name=value`` argument from a call (``return_when=``, ``name=``, ...)."""

    @classmethod
    def arguments(cls) -> tuple[()]:
        """The operator takes no arguments."""
        return ()

    def mutation_positions(self, node: Any) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
        """Each keyword argument of a call."""
        if (
            node.type == "argument"
            and len(node.children) == 3
            and node.children[1].type == "operator"
            and node.children[1].value == "="
            and node.parent.type in ("arglist", "trailer")
        ):
            yield node.start_pos, node.end_pos

    def mutate(self, node: Any, index: int) -> Any:
        """Remove the argument and the comma that joined it to its neighbours."""
        siblings = node.parent.children
        at = siblings.index(node)
        commas = [
            siblings[i]
            for i in (at + 1, at - 1)
            if 0 <= i < len(siblings) and getattr(siblings[i], "value", None) == ","
        ]
        if commas:
            commas[0].value = ""
        return None  # the walk drops a node its visitor returns None for

    @classmethod
    def examples(cls) -> tuple[()]:
        """No examples: the kit's own runs exercise it."""
        return ()


def _is_none(return_stmt: Any) -> bool:
    value = return_stmt.children[1]
    return bool(value.type == "keyword" and value.value == "None")


class KitOperators:
    """cosmic-ray operator provider for the kit's asyncio operators."""

    _operators: ClassVar[dict[str, type]] = {
        "RemoveAwait": RemoveAwait,
        "DeleteCallStatement": DeleteCallStatement,
        "ReturnNone": ReturnNone,
        "RemoveKeywordArgument": RemoveKeywordArgument,
    }

    def __iter__(self) -> Iterator[str]:
        return iter(self._operators)

    def __getitem__(self, name: str) -> type:
        return self._operators[name]


@dataclass(frozen=True)
class Equivalent:
    """A survivor known to change nothing observable, and why."""

    before: str
    after: str
    reason: str


@dataclass
class Tally:
    """One exercise's mutants, by what became of them."""

    exercise: Exercise
    in_annotations: int = 0
    killed: int = 0
    equivalent: int = 0
    survivors: list[str] = field(default_factory=list)
    unused: list[Equivalent] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Every mutant made and counted (those in annotations are not)."""
        return self.killed + self.equivalent + len(self.survivors)

    @property
    def score(self) -> float:
        """The share killed of the mutants that could be killed (1.0 when there are none)."""
        counted = self.total - self.equivalent
        return self.killed / counted if counted else 1.0


def equivalents_of(exercise: Exercise) -> list[Equivalent]:
    """The equivalent mutants listed for ``exercise`` beside its topic's tests."""
    path = KIT_ROOT / "tests" / exercise.topic.folder / EQUIVALENTS_FILE
    if not path.is_file():
        return []
    listed = tomllib.loads(path.read_text(encoding="utf-8")).get(exercise.id, [])
    return [Equivalent(e["before"].strip(), e["after"].strip(), e["reason"]) for e in listed]


def changed_lines(diff: str) -> tuple[str, str]:
    """The removed and the added source lines of a unified diff, each stripped and joined."""
    lines = diff.splitlines()
    before = [line[1:].strip() for line in lines if line.startswith("-") and line[1:2] != "-"]
    after = [line[1:].strip() for line in lines if line.startswith("+") and line[1:2] != "+"]
    return " / ".join(before), " / ".join(after)


# A stretch of source as (line, column) at its start and at its end, lines counted from 1
# and columns from 0 in characters, as parso (and so cosmic-ray) reports positions.
Span = tuple[tuple[int, int], tuple[int, int]]


def annotation_spans(source: str) -> list[Span]:
    """Where the type annotations of ``source`` are: parameters', returns', annotated names'."""
    lines = source.splitlines()

    def column(line: int, byte_offset: int) -> int:
        # ast counts columns in UTF-8 bytes, parso in characters.
        return len(lines[line - 1].encode("utf-8")[:byte_offset].decode("utf-8"))

    def span(node: ast.expr) -> Span:
        # ast.parse always fills in where a node ends; the types allow None for hand-made nodes.
        assert node.end_lineno is not None
        assert node.end_col_offset is not None
        return (
            (node.lineno, column(node.lineno, node.col_offset)),
            (node.end_lineno, column(node.end_lineno, node.end_col_offset)),
        )

    spans = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.arg | ast.AnnAssign) and node.annotation is not None:
            spans.append(span(node.annotation))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns:
            spans.append(span(node.returns))
    return spans


def in_annotation(mutation: MutationSpec, spans: list[Span]) -> bool:
    """Whether the stretch ``mutation`` changes lies wholly inside one of ``spans``."""
    return any(start <= mutation.start_pos and mutation.end_pos <= end for start, end in spans)


def mutation_test(exercise: Exercise) -> Tally:
    """Make every mutant of ``exercise``'s solution and run its tests against each."""
    solution = KIT_ROOT / exercise.path_in("solutions")
    command = (
        f"{sys.executable} -m pytest --against=solutions -x -q -p no:warnings "
        f"{KIT_ROOT / exercise.test_path}"
    )
    tally = Tally(exercise)
    equivalents = {(e.before, e.after): e for e in equivalents_of(exercise)}
    matched: set[Equivalent] = set()
    annotations = annotation_spans(solution.read_text(encoding="utf-8"))
    baseline = subprocess.run(command.split(), capture_output=True, text=True, check=False)
    if baseline.returncode != 0:
        raise SystemExit(
            f"{exercise.id}: its tests do not pass against the unmutated solution, so no "
            f"mutant can be judged:\n{baseline.stdout[-2000:]}"
        )
    with (
        tempfile.TemporaryDirectory() as scratch,
        use_db(str(Path(scratch) / "session.sqlite"), WorkDB.Mode.create) as db,
    ):
        cosmic_ray.commands.init([solution], db, {})
        for item in db.pending_work_items:
            if all(in_annotation(mutation, annotations) for mutation in item.mutations):
                tally.in_annotations += 1
                continue
            result = mutate_and_test(item.mutations, command, _RUN_LIMIT)
            if result.worker_outcome == WorkerOutcome.NO_TEST:
                continue
            if result.test_outcome != TestOutcome.SURVIVED:
                tally.killed += 1
                continue
            before, after = changed_lines(result.diff or "")
            known = equivalents.get((before, after))
            if known is None:
                line = item.mutations[0].start_pos[0]
                tally.survivors.append(f"line {line}: {before}  ->  {after}")
            else:
                tally.equivalent += 1
                matched.add(known)
    tally.unused = [e for e in equivalents.values() if e not in matched]
    return tally


def table(tallies: list[Tally]) -> str:
    """The per-exercise table: mutants, killed, equivalent, survived and the share killed."""
    width = max((len(t.exercise.id) for t in tallies), default=8)
    header = f"{'exercise':<{width}}  mutants  killed  equivalent  survived  killed share"
    rows = [
        f"{t.exercise.id:<{width}}  {t.total:>7}  {t.killed:>6}  {t.equivalent:>10}  "
        f"{len(t.survivors):>8}  {t.score:>11.0%}"
        for t in tallies
    ]
    return "\n".join([header, *rows])


def selected(manifest: Manifest, names: list[str]) -> list[Exercise]:
    """The exercises named by id or topic, or all of them."""
    if not names:
        return list(manifest.exercises)
    chosen = [e for e in manifest.exercises if e.id in names or e.topic.id in names]
    unknown = set(names) - {e.id for e in chosen} - {e.topic.id for e in chosen}
    if unknown:
        raise SystemExit(f"unknown exercise or topic: {', '.join(sorted(unknown))}")
    return chosen


def main(argv: list[str] | None = None) -> int:
    """Mutation-test the chosen solutions; exit 1 when any kills less than the target."""
    parser = argparse.ArgumentParser(prog="python -m grader.host.mutants", description=__doc__)
    parser.add_argument("names", nargs="*", help="exercise ids or topics (default: all)")
    args = parser.parse_args(argv)
    running = sys.version_info[:2]
    exercises = []
    for exercise in selected(load_manifest(), args.names):
        if exercise.min_python > running:
            # Its tests are deselected here: every mutant would look killed.
            needed = ".".join(map(str, exercise.min_python))
            print(f"{exercise.id}: not measured, it needs Python {needed} (nox runs 3.13)")
        else:
            exercises.append(exercise)
    cosmic_ray.plugins.OPERATOR_PROVIDERS.setdefault("kit", KitOperators())
    os.chdir(KIT_ROOT)
    with tempfile.TemporaryDirectory() as pycache:
        # Mutants are written in the same second as each other: compiled files could be
        # reused for a mutant of the same size, so none are written or read from the tree.
        os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
        os.environ["PYTHONPYCACHEPREFIX"] = pycache
        tallies = []
        for exercise in exercises:
            tally = mutation_test(exercise)
            tallies.append(tally)
            print(
                f"{exercise.id}: {tally.killed}/{tally.total - tally.equivalent} killed, "
                f"not counted: {tally.in_annotations} in annotations"
            )
            for survivor in tally.survivors:
                print(f"  survived  {survivor}")
            for unused in tally.unused:
                print(
                    f"  listed as equivalent but not a survivor: {unused.before} -> {unused.after}"
                )
    print()
    print(table(tallies))
    return 0 if all(t.score >= TARGET for t in tallies) else 1


if __name__ == "__main__":
    sys.exit(main())
