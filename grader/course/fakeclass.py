"""A generated class for the batch benchmark and the self-tests (maintainers: needs solutions/).

Each student hands in, per exercise, the reference solution, the untouched stub or one of
the kit's known wrong answers, drawn from a seeded random generator so that a class is the
same every time. A few students are hostile: their code ends the test process
(``os._exit``), loops forever at import, or does not parse. Every file a student worked on
carries their name, so no two students hand in identical work. Students come as folders,
zips and folders with a wrapper, as instructors receive them.
"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

from grader.inside.attempts import wrong_answers_dir
from grader.manifest import KIT_ROOT, Exercise

_HOSTILE = {
    "exits": "import os\n\nos._exit(3)\n",
    "hangs": "while True:\n    pass\n",
    "does_not_parse": "def broken(:\n",
}


def student_files(
    exercises: tuple[Exercise, ...], rng: random.Random, style: str
) -> dict[str, bytes]:
    """One student's exercise files: ``style`` is solved, stubs, mixed or a hostile kind."""
    files: dict[str, bytes] = {}
    for exercise in exercises:
        relative = exercise.relative_path.as_posix()
        solution = (KIT_ROOT / exercise.path_in("solutions")).read_bytes()
        stub = (KIT_ROOT / exercise.path_in("exercises")).read_bytes()
        if style == "solved":
            files[relative] = solution
        elif style == "stubs":
            files[relative] = stub
        else:
            wrong = sorted(wrong_answers_dir(exercise).glob("*.py"))
            choice = rng.choice(["solution", "solution", "stub", "wrong", "wrong"])
            if choice == "wrong" and wrong:
                files[relative] = rng.choice(wrong).read_bytes()
            else:
                files[relative] = solution if choice == "solution" else stub
    if style in _HOSTILE:
        files[exercises[rng.randrange(len(exercises))].relative_path.as_posix()] = _HOSTILE[
            style
        ].encode()
    return files


def signed(files: dict[str, bytes], name: str, exercises: tuple[Exercise, ...]) -> dict[str, bytes]:
    """``files`` with the student's name added to every file they worked on, as students do.

    Without it two students handing in the reference solution would be the same content,
    graded once; real classes rarely hand in identical work, so the benchmark should not
    count on it. Untouched stubs stay untouched: they are the same for everyone.
    """
    stubs = {e.relative_path.as_posix(): (KIT_ROOT / e.path_in("exercises")).read_bytes()
             for e in exercises}  # fmt: skip
    return {
        path: content if content == stubs.get(path) else content + f"# {name}\n".encode()
        for path, content in files.items()
    }


def generate(dest: Path, count: int, exercises: tuple[Exercise, ...], seed: int = 7) -> None:
    """Write ``count`` students' submissions into ``dest`` (one folder or zip each)."""
    rng = random.Random(seed)
    hostile = list(_HOSTILE)
    for number in range(count):
        if number < len(hostile) and count >= 20:
            style = hostile[number]
        else:
            style = rng.choice(["solved", "stubs", "mixed", "mixed", "mixed"])
        name = f"student{number:03d}_{style}"
        files = signed(student_files(exercises, rng, style), name, exercises)
        form = number % 3
        if form == 0:
            _write_folder(dest / name, files)
        elif form == 1:
            _write_folder(dest / name / "exercises", files)  # a wrapper folder
        else:
            (dest / f"{name}.zip").write_bytes(_zipped(files))


def _write_folder(folder: Path, files: dict[str, bytes]) -> None:
    for relative, content in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(content)


def _zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for relative, content in files.items():
            archive.writestr(relative, content)
    return buffer.getvalue()
