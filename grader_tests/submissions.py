"""Grading submissions the way an instructor does, through the command line, on a throwaway kit.

Every grade here runs ``python -m grader grade`` in a separate process group, in a copy of
the kit made for the test, so a hostile submission that escapes the grader's defences
damages only that copy. The helpers record everything an instructor would see (exit code,
report, Exercism JSON, Gradescope JSON, JUnit XML) and what the grade left behind: files of
the kit it changed and processes still running.

Hostile cases live in ``grader_tests/hostile/<case>/``: a ``case.toml`` and the exercise
files the case overrides, laid out like ``exercises/``. Inside those files the words
``@@SECRET_FILE@@``, ``@@MARKER@@`` and ``@@KIT@@`` are replaced when the submission is
built: the path of a secret the grading machine holds outside the submission, a word
unique to the run that a hostile process puts on its command line (so the test can find
and end it), and the kit's folder. A file stored as ``name.hostile`` is installed as
``name``: a ``conftest.py`` stored under its own name would be loaded by this very suite.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.manifest import KIT_ROOT

HOSTILE_DIR = Path(__file__).with_name("hostile")
HONEST = "await_the_result"
PASSED = "passed"
# Real seconds one grade may take before the test gives up on it and ends its processes.
# A generous ceiling for honest runs; hostile hangs are the cases expected to meet it.
GRADE_LIMIT = 100
_INSTALLED_AS = ".hostile"
_CACHES = (".kit/",)


@dataclass(frozen=True)
class Case:
    """One hostile submission: what it attacks and what the grade must make of it."""

    name: str
    attacks: str
    attacked: str
    expect: str  # "error" (caught interfering) or "not passed" (anything but a pass)
    selection: tuple[str, ...]
    touched: tuple[str, ...] = ()  # words of which the error message must name one
    symlinks: Mapping[str, str] = field(default_factory=dict)
    hangs: bool = False
    floods: bool = False  # prints far more than any output may hold

    @property
    def folder(self) -> Path:
        """The case's folder of overriding files."""
        return HOSTILE_DIR / self.name


def hostile_cases() -> list[Case]:
    """Every case under ``grader_tests/hostile``, by name."""
    cases = []
    for toml_path in sorted(HOSTILE_DIR.glob("*/case.toml")):
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        attacked = data["attacked"]
        cases.append(
            Case(
                name=toml_path.parent.name,
                attacks=data["attacks"],
                attacked=attacked,
                expect=data["expect"],
                selection=tuple(data.get("grade", [attacked, HONEST])),
                touched=tuple(data.get("touched", ())),
                symlinks=data.get("symlinks", {}),
                hangs=data.get("hangs", False),
                floods=data.get("floods", False),
            )
        )
    return cases


@dataclass
class Grade:
    """Everything one run of the grade command showed and wrote."""

    returncode: int | None  # None when the run outlived GRADE_LIMIT and was ended
    stdout: str
    stderr: str
    exercism: dict[str, Any]
    gradescope: dict[str, Any]
    junit: str

    @property
    def finished(self) -> bool:
        """Whether the grade ended by itself within GRADE_LIMIT."""
        return self.returncode is not None

    def exercise(self, exercise_id: str) -> dict[str, Any]:
        """The Exercism ``exercises`` entry of ``exercise_id``."""
        for entry in self.exercism.get("exercises", []):
            if entry.get("id") == exercise_id:
                return dict(entry)
        raise AssertionError(f"{exercise_id} is missing from the Exercism file: {self.exercism}")

    def scores(self) -> dict[str, tuple[str, int]]:
        """Each exercise's (status, points)."""
        return {e["id"]: (e["status"], e["points"]) for e in self.exercism.get("exercises", [])}

    def everything_shown(self) -> str:
        """Every byte an instructor or student gets to see, as one text."""
        return "\n".join(
            [
                self.stdout,
                self.stderr,
                json.dumps(self.exercism),
                json.dumps(self.gradescope),
                self.junit,
            ]
        )

    def student_visible(self) -> str:
        """What a student may get back: the Exercism, Gradescope and JUnit files."""
        return "\n".join([json.dumps(self.exercism), json.dumps(self.gradescope), self.junit])

    def sizes(self) -> dict[str, int]:
        """How many bytes each output took."""
        texts = {
            "report": self.stdout,
            "stderr": self.stderr,
            "exercism": json.dumps(self.exercism),
            "gradescope": json.dumps(self.gradescope),
            "junit": self.junit,
        }
        return {name: len(text.encode()) for name, text in texts.items()}

    def describe(self, exercise_id: str) -> str:
        """A short account of the run for assertion messages."""
        try:
            entry: object = self.exercise(exercise_id)
        except AssertionError:
            entry = "no entry"
        return (
            f"exit code {self.returncode}; {exercise_id}: {entry}\n"
            f"report:\n{self.stdout[-2000:]}\nstderr:\n{self.stderr[-2000:]}"
        )


class Kit:
    """A throwaway copy of the kit, graded from its own folder like an instructor would."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def copy_of(cls, source: Path, destination: Path) -> Kit:
        """Copy the kit's files (what git tracks, plus new files not yet committed)."""
        for relative in _kit_files(source):
            target = destination / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / relative, target)
        return cls(destination)

    def grade(
        self,
        selection: tuple[str, ...] = (),
        submission: Path | None = None,
        outputs: Path | None = None,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        extra: tuple[str, ...] = (),
    ) -> Grade:
        """Run the grade command and read every file it wrote into ``outputs``."""
        command = [sys.executable, "-m", "grader", "grade", *selection, *extra]
        if submission is not None:
            command += ["--submission", str(submission)]
        if outputs is not None:
            outputs.mkdir(parents=True, exist_ok=True)
            command += [
                "--json",
                str(outputs / "results.json"),
                "--gradescope",
                str(outputs / "gradescope.json"),
                "--junit",
                str(outputs / "junit.xml"),
            ]
        environment = {**os.environ, **(env or {})}
        if cwd is not None:
            # Outside the kit's folder `python -m grader` finds the package on the path.
            environment["PYTHONPATH"] = str(self.root)
        returncode, stdout, stderr = run_in_own_group(command, cwd or self.root, environment)
        return Grade(
            returncode,
            stdout,
            stderr,
            _read_json(outputs / "results.json") if outputs else {},
            _read_json(outputs / "gradescope.json") if outputs else {},
            _read_text(outputs / "junit.xml") if outputs else "",
        )

    def fingerprint(self) -> dict[str, str]:
        """A hash of every file in the kit's folder, by path."""
        hashes = {}
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                hashes[path.relative_to(self.root).as_posix()] = digest
        return hashes

    def changes_since(self, before: Mapping[str, str]) -> list[str]:
        """Files changed, removed or planted since ``before``.

        A cache under ``.kit/`` may gain compiled files for code outside the kit (the
        submission's own modules); anything else new is a planted file.
        """
        after = self.fingerprint()
        inside = self.root.as_posix().lstrip("/")
        changes = [f"changed {p}" for p in before if p in after and after[p] != before[p]]
        changes += [f"removed {p}" for p in before if p not in after]
        for path in after.keys() - before.keys():
            cached = path.startswith(_CACHES)
            if not cached or inside in path:
                changes.append(f"planted {path}")
        return sorted(changes)


def run_in_own_group(
    command: list[str], cwd: Path, env: Mapping[str, str]
) -> tuple[int | None, str, str]:
    """Run ``command`` in a new process group; end the whole group if it outlives the limit."""
    with subprocess.Popen(
        command,
        cwd=cwd,
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        start_new_session=True,
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=GRADE_LIMIT)
            return process.returncode, stdout, stderr
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            stdout, stderr = _drain(process)
            return None, stdout, stderr
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)


def _drain(process: subprocess.Popen[str]) -> tuple[str, str]:
    """What a killed run printed; a child that escaped the group may hold the pipes open."""
    try:
        return process.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()
        process.wait()
        return "", ""


def build_submission(case: Case, folder: Path, words: Mapping[str, str]) -> Path:
    """The reference solutions with the case's files laid over them."""
    shutil.copytree(KIT_ROOT / "solutions", folder)
    for source in sorted(case.folder.rglob("*")):
        if not source.is_file() or source.name == "case.toml" or "__pycache__" in source.parts:
            continue
        relative = source.relative_to(case.folder).as_posix().removesuffix(_INSTALLED_AS)
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(fill(source.read_text(encoding="utf-8"), words), encoding="utf-8")
    for link, pointing_at in case.symlinks.items():
        path = folder / link
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
        path.symlink_to(fill(pointing_at, words))
    return folder


def fill(text: str, words: Mapping[str, str]) -> str:
    """``text`` with each ``@@WORD@@`` replaced."""
    for word, value in words.items():
        text = text.replace(f"@@{word}@@", value)
    return text


def still_running(marker: str, pids: Path, grace: float = 2.0) -> list[int]:
    """Processes a hostile submission started that are alive after the grade.

    A sandbox's processes die with it, but the kernel may take a moment to finish them
    off: allow them ``grace`` seconds before calling them survivors.
    """
    deadline = time.monotonic() + grace
    while True:
        alive = sorted(set(processes_with(marker) + pids_in(pids)))
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def processes_with(marker: str) -> list[int]:
    """Ids of running processes whose command line holds ``marker`` (zombies excluded)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            continue  # it ended while we looked
        if marker.encode() in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def end_processes(pids: list[int]) -> None:
    """End the processes a hostile submission left behind (found by our own marker)."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def pids_in(folder: Path) -> list[int]:
    """Process ids hostile code wrote into ``folder`` (one file per process), still alive."""
    alive = []
    for path in folder.glob("*.pid") if folder.is_dir() else ():
        pid = int(path.read_text() or 0)
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.append(pid)
    return alive


def _kit_files(source: Path) -> list[str]:
    """The kit's own files: tracked or new, never ignored ones (caches, virtualenvs)."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=source,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        skipped = {".git", ".nox", ".kit", "__pycache__", ".venv"}
        return [
            p.relative_to(source).as_posix()
            for p in source.rglob("*")
            if p.is_file() and not skipped & set(p.relative_to(source).parts)
        ]
    return [name for name in listed.decode().split("\0") if name and (source / name).is_file()]


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
