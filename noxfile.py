"""Sessions of the asyncio exercise kit. `nox -l` lists them; `nox` alone grades your work."""

from __future__ import annotations

import sys

import nox

nox.options.default_venv_backend = "uv|virtualenv"
# Reusing environments keeps grading fast and lets every session run offline once its
# environment exists.
nox.options.reuse_venv = "yes"
nox.options.sessions = ["grade"]

PYPROJECT = nox.project.load_toml("pyproject.toml")
SUPPORTED_PYTHONS = ["3.11", "3.12", "3.13"]


def install(session: nox.Session, *groups: str) -> None:
    """Install the dependency groups declared in pyproject.toml."""
    session.install(*nox.project.dependency_groups(PYPROJECT, *groups))


def learner_command(session: nox.Session, command: str) -> None:
    """Run a learner command in the environment `nox -s grade` made, so it works offline."""
    envdir = session.cache_dir.parent / "grade"
    python = envdir / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    if not python.exists():
        session.error(
            "Run `nox -s grade` once first: it sets up the environment that every learner "
            "command shares (and needs the network only that first time)."
        )
    session.run(str(python), "-m", "grader", command, *session.posargs, external=True)


@nox.session
def grade(session: nox.Session) -> None:
    """Grade your exercises (all, or the ids/topics given after --) and show what to do next."""
    install(session, "test", "watch")
    # Relative output paths (--json out.json) start where the command was typed.
    where = {"KIT_INVOKED_FROM": session.invoked_from}
    session.run("python", "-m", "grader", "grade", *session.posargs, env=where)


@nox.session(name="list", venv_backend="none")
def list_exercises(session: nox.Session) -> None:
    """List every exercise with its status and file."""
    learner_command(session, "list")


@nox.session(venv_backend="none")
def hint(session: nox.Session) -> None:
    """Show the next hint for an exercise: nox -s hint -- <exercise id>."""
    learner_command(session, "hint")


@nox.session(venv_backend="none")
def watch(session: nox.Session) -> None:
    """Re-grade the exercise you are working on every time you save it (keys: h l r q)."""
    learner_command(session, "watch")


@nox.session(venv_backend="none")
def reset(session: nox.Session) -> None:
    """Restore an exercise to its original stub: nox -s reset -- <exercise id> [--yes]."""
    learner_command(session, "reset")


@nox.session(python=SUPPORTED_PYTHONS, default=False, tags=["kit"])
def solutions(session: nox.Session) -> None:
    """Run the test suite against the reference solutions on every supported Python."""
    install(session, "test")
    session.run("python", "-m", "pytest", "--against=solutions", *session.posargs)


@nox.session(default=False, tags=["kit"])
def check(session: nox.Session) -> None:
    """Prove the kit sound: solutions pass, stubs fail, wrong answers are rejected."""
    install(session, "test")
    session.run("python", "-m", "grader.host.check", *session.posargs)


@nox.session(default=False, tags=["kit"])
def lint(session: nox.Session) -> None:
    """Run ruff and mypy on the grader, the solutions and the tests."""
    install(session, "lint")
    session.run("ruff", "check", *session.posargs)
    session.run("ruff", "format", "--check", "grader", "solutions", "tests", "grader_tests")
    session.run("mypy")


@nox.session(default=False, tags=["kit"])
def selftest(session: nox.Session) -> None:
    """Run the grader's own tests (plugin, reports, formats, error isolation)."""
    install(session, "selftest")
    session.run("python", "-m", "pytest", "grader_tests", *session.posargs)


@nox.session(default=False)
def freeze(session: nox.Session) -> None:
    """Record the current stubs as the originals that reset restores (maintainers)."""
    install(session, "test")
    session.run("python", "-m", "grader.host.freeze", *session.posargs)


@nox.session(default=False, python="3.13")
def mutants(session: nox.Session) -> None:
    """Mutation-test the solutions: per exercise, the share of mutants the tests kill (slow)."""
    install(session, "mutants")
    session.run("python", "-m", "grader.host.mutants", *session.posargs)


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Print how long the suite takes against solutions/ versus trivial async tests."""
    install(session, "test")
    session.run("python", "-m", "grader.host.benchmark", *session.posargs)


@nox.session(default=False)
def edition(session: nox.Session) -> None:
    """Write the student edition, without solutions: nox -s edition -- DEST [--github-actions]."""
    install(session, "test")
    session.run("python", "-m", "grader", "edition", *session.posargs)


@nox.session(name="grade-all", default=False)
def grade_all(session: nox.Session) -> None:
    """Grade a whole class: nox -s grade-all -- SUBMISSIONS --out DIR [--force] [--jobs N]."""
    install(session, "course")
    session.run("python", "-m", "grader", "grade-all", *session.posargs)


@nox.session(default=False)
def gradescope(session: nox.Session) -> None:
    """Build a Gradescope autograder bundle: nox -s gradescope -- autograder.zip."""
    install(session, "test")
    session.run("python", "-m", "grader", "gradescope-bundle", *session.posargs)


@nox.session(default=False)
def prairielearn(session: nox.Session) -> None:
    """Build a PrairieLearn external grader folder: nox -s prairielearn -- DEST."""
    install(session, "test")
    session.run("python", "-m", "grader", "prairielearn-bundle", *session.posargs)


@nox.session(name="bench-batch", default=False)
def bench_batch(session: nox.Session) -> None:
    """Grade 200 generated submissions and print submissions per minute (maintainers)."""
    install(session, "course")
    session.run("python", "-m", "grader.course.bench", *session.posargs)
