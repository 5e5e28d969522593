"""The student edition: what a learner is handed, with no answers and no maintainer tools.

It holds the stubs and topic READMEs, the tests without their wrong answers, the grader
(without the maintainer tools, which need the solutions), the manifest and pyproject.toml,
and two files written from the kit's own: a README without the instructor and maintainer
sections, and a noxfile with only the sessions a learner runs (those nox runs by default;
every maintainer session is ``default=False``). ``--github-actions`` adds a workflow that
grades every push and puts the score in the run's summary, writing Classroom 50's
``result.json`` as it goes.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from grader.course.bundles import kit_files
from grader.manifest import KIT_ROOT, Manifest

# README sections (## headings) a learner does not need, and headings that change with them.
_STAFF_SECTIONS = ("For instructors", "For maintainers")
_RENAMED = {"## The two commands": "## The command"}

_WORKFLOW = """\
# Grades the exercises on every push and puts the score in the run's summary.
name: Grade
on:
  push:
  workflow_dispatch:
permissions:
  contents: read
jobs:
  grade:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          # The Python that every exercise can be graded on (some need a recent asyncio).
          python-version: "{python}"
      - name: Install the test dependencies
        run: python -m pip install --upgrade pip && python -m pip install --group test
      - name: Grade
        # Writes result.json in Classroom 50's format and the score to the run summary.
        run: >-
          python -m grader autograde --platform github --submission exercises
          --results result.json
      - uses: actions/upload-artifact@v4
        with:
          name: grade
          path: result.json
"""

_CLASSROOM50_AUTOGRADER = '''\
"""Classroom 50 autograder for the asyncio kit.

Copy this file to CLASSROOM/autograders/ASSIGNMENT/autograder.py in your classroom50
repository. Classroom 50's runner starts it in the student's checkout; it grades the
exercises with the kit's own grader and writes ./result.json (classroom50/result/v1).
"""

import subprocess
import sys

subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--group", "test"], check=True)
subprocess.run(
    [sys.executable, "-m", "grader", "autograde", "--platform", "github",
     "--submission", "exercises", "--results", "result.json"],
    check=True,
)
'''


class EditionError(Exception):
    """The edition cannot be written where asked."""


def build(dest: Path, manifest: Manifest, *, github_actions: bool = False) -> None:
    """Write the student edition into ``dest`` (a new or empty folder)."""
    if dest.exists() and any(dest.iterdir()):
        raise EditionError(f"{dest} is not empty; give a new folder for the edition")
    if dest.resolve().is_relative_to(KIT_ROOT):
        raise EditionError(f"{dest} is inside the kit; give a folder outside it")
    for relative in kit_files():
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((KIT_ROOT / relative).read_bytes())
    readme = learner_readme((KIT_ROOT / "README.md").read_text(encoding="utf-8"))
    (dest / "README.md").write_text(readme, encoding="utf-8")
    noxfile = learner_noxfile((KIT_ROOT / "noxfile.py").read_text(encoding="utf-8"))
    (dest / "noxfile.py").write_text(noxfile, encoding="utf-8")
    if github_actions:
        workflow = dest / ".github" / "workflows" / "grade.yml"
        workflow.parent.mkdir(parents=True)
        workflow.write_text(_WORKFLOW.replace("{python}", manifest.newest_python), encoding="utf-8")
        autograder = dest / ".github" / "classroom50" / "autograder.py"
        autograder.parent.mkdir(parents=True)
        autograder.write_text(_CLASSROOM50_AUTOGRADER, encoding="utf-8")


def learner_readme(text: str) -> str:
    """The kit README without its instructor and maintainer sections or commands."""
    kept: list[str] = []
    skipping = False
    for line in text.splitlines():
        if line.startswith("## "):
            skipping = line[3:].strip().startswith(_STAFF_SECTIONS)
        if skipping or "nox -t kit" in line:
            continue
        kept.append(_RENAMED.get(line, line))
    readme = "\n".join(kept).rstrip() + "\n"
    return re.sub(r"\n{3,}", "\n\n", readme)


def learner_noxfile(source: str) -> str:
    """The kit noxfile with only its learner sessions (those not marked ``default=False``).

    Module-level names only the removed sessions used (such as the interpreter list of the
    solutions session) go with them.
    """
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    removed: list[tuple[int, int]] = []
    kept_nodes: list[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and _maintainer_only(node):
            start = min(d.lineno for d in node.decorator_list)
            removed.append((start, node.end_lineno or node.lineno))
        else:
            kept_nodes.append(node)
    for node in kept_nodes:
        targets = node.targets if isinstance(node, ast.Assign) else []
        names = {target.id for target in targets if isinstance(target, ast.Name)}
        if names and len(names) == len(targets) and not names & _names_read(kept_nodes, node):
            removed.append((node.lineno, node.end_lineno or node.lineno))
    gone = {n for start, end in removed for n in range(start, end + 1)}
    kept = [line for number, line in enumerate(lines, start=1) if number not in gone]
    return re.sub(r"\n{3,}", "\n\n\n", "".join(kept)).rstrip() + "\n"


def _maintainer_only(function: ast.FunctionDef) -> bool:
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Call):
            for keyword in decorator.keywords:
                if keyword.arg == "default" and isinstance(keyword.value, ast.Constant):
                    return keyword.value.value is False
    return False


def _names_read(nodes: list[ast.stmt], assignment: ast.stmt) -> set[str]:
    """Names read anywhere in ``nodes`` other than ``assignment``."""
    return {
        name.id
        for node in nodes
        if node is not assignment
        for name in ast.walk(node)
        if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Load)
    }
