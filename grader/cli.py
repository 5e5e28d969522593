"""Command line of the kit (``python -m grader ...``); the nox sessions call these commands.

Exit codes: 0 when every selected exercise passes (or the command succeeded), 1 when any
exercise does not pass, 2 for a usage error such as an unknown exercise id.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from grader.course.commands import VISIBILITIES, add_commands, add_credit_option
from grader.host import formats
from grader.host.credit import apply, load_credit
from grader.host.outcomes import PASSED, ExerciseOutcome
from grader.host.pristine import original_stub
from grader.host.report import next_steps, next_unfinished, print_report, render, wants_colour
from grader.host.runner import RunOptions, run_exercises
from grader.host.state import next_hint
from grader.manifest import KIT_ROOT, Exercise, Manifest, ManifestError, load_manifest

EXIT_OK, EXIT_NOT_PASSING, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input from the person at the keyboard; the message says what to type instead."""


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run one command."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        manifest = load_manifest()
        code: int = args.command(args, manifest)
    except (UsageError, ManifestError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    grade = commands.add_parser("grade", help="grade exercises and say what to do next")
    grade.add_argument("selection", nargs="*", help="exercise ids or topics (default: all)")
    grade.add_argument("-v", "--verbose", action="store_true", help="show every failure")
    grade.add_argument("--json", type=Path, metavar="PATH", help="Exercism v3 results file")
    grade.add_argument("--gradescope", type=Path, metavar="PATH", help="Gradescope results.json")
    grade.add_argument("--junit", type=Path, metavar="PATH", help="JUnit XML file")
    grade.add_argument(
        "--submission",
        type=Path,
        metavar="DIR",
        help="grade a learner's folder laid out like exercises/ (instructors)",
    )
    grade.add_argument(
        "--against", choices=("exercises", "solutions"), default="exercises", help=argparse.SUPPRESS
    )
    add_credit_option(grade)
    grade.add_argument("--visibility", choices=VISIBILITIES, default="visible",
                       help="visibility of each Gradescope test")  # fmt: skip
    grade.set_defaults(command=_grade)

    listing = commands.add_parser("list", help="every exercise with its status and file")
    listing.set_defaults(command=_list)

    hint = commands.add_parser("hint", help="the next hint for an exercise")
    hint.add_argument("exercise", nargs="?", help="exercise id (default: the next unfinished)")
    hint.set_defaults(command=_hint)

    reset = commands.add_parser("reset", help="restore an exercise to its original stub")
    reset.add_argument("exercise", help="exercise id")
    reset.add_argument("--yes", action="store_true", help="do not ask before overwriting")
    reset.set_defaults(command=_reset)

    watch = commands.add_parser("watch", help="re-grade each time an exercise file is saved")
    watch.add_argument("exercise", nargs="?", help="exercise to start with (default: next)")
    watch.set_defaults(command=_watch)
    add_commands(commands)
    return parser


def _select(manifest: Manifest, words: list[str]) -> tuple[Exercise, ...]:
    try:
        return manifest.select(words)
    except ManifestError as error:
        raise UsageError(str(error)) from error


def _one(manifest: Manifest, word: str) -> Exercise:
    try:
        return manifest.by_id(word)
    except KeyError:
        manifest.select([word])  # raises with close matches when nothing is called that
        raise UsageError(f"{word!r} is a topic; name one exercise (nox -s list)") from None


def _exit_code(outcomes: Sequence[ExerciseOutcome]) -> int:
    passing = all(outcome.status == PASSED for outcome in outcomes)
    return EXIT_OK if outcomes and passing else EXIT_NOT_PASSING


def _grade(args: argparse.Namespace, manifest: Manifest) -> int:
    exercises = _select(manifest, args.selection)
    started = time.perf_counter()
    if args.submission is not None and not args.submission.is_dir():
        raise UsageError(f"--submission {args.submission} is not a folder")
    options = RunOptions(args.against, args.junit, args.submission)
    outcomes = run_exercises(exercises, options)
    apply(outcomes, load_credit(manifest, args.credit))
    elapsed = time.perf_counter() - started
    print_report(outcomes, verbose=args.verbose)
    if args.json:
        formats.write_json(formats.exercism_results(outcomes), args.json)
    if args.gradescope:
        document = formats.gradescope_results(outcomes, elapsed, args.visibility)
        formats.write_json(document, args.gradescope)
    if args.junit and args.junit.is_file():
        formats.rewrite_junit(args.junit, outcomes)
    return _exit_code(outcomes)


def _list(args: argparse.Namespace, manifest: Manifest) -> int:
    outcomes = run_exercises(manifest.exercises, RunOptions())
    topic = None
    for outcome in outcomes:
        exercise = outcome.exercise
        if exercise.topic != topic:
            topic = exercise.topic
            print(f"\n{topic.title}  (nox -s grade -- {topic.id})")
        print(f"  {outcome.status:<11}  {exercise.id:<28} {exercise.path_in('exercises')}")
    return EXIT_OK


def _hint(args: argparse.Namespace, manifest: Manifest) -> int:
    if args.exercise:
        exercise = _one(manifest, args.exercise)
    else:
        upcoming = next_unfinished(run_exercises(manifest.exercises, RunOptions()))
        if upcoming is None:
            print("Every exercise passes: no hints needed.")
            return EXIT_OK
        exercise = upcoming.exercise
    number, text = next_hint(exercise)
    print(f"{exercise.id}, hint {number} of {len(exercise.hints)}:\n  {text}")
    if number < len(exercise.hints):
        print(f"(Run `nox -s hint -- {exercise.id}` again for the next one.)")
    return EXIT_OK


def _reset(args: argparse.Namespace, manifest: Manifest) -> int:
    exercise = _one(manifest, args.exercise)
    original = original_stub(exercise)
    if original is None:
        raise UsageError(f"the kit has no original copy of {exercise.id}; it cannot be reset")
    path = KIT_ROOT / exercise.path_in("exercises")
    if path.is_file() and path.read_text(encoding="utf-8") == original:
        print(f"{exercise.path_in('exercises')} is already the original stub.")
        return EXIT_OK
    if not args.yes and not _confirm(f"Overwrite {exercise.path_in('exercises')}?"):
        print("Nothing changed.")
        return EXIT_NOT_PASSING
    path.write_text(original, encoding="utf-8")
    print(f"Restored {exercise.path_in('exercises')} to the original stub.")
    return EXIT_OK


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        print(f"{question} Not asking without a terminal: pass --yes to overwrite.")
        return False
    return input(f"{question} Your changes will be lost. [y/N] ").strip().lower() in ("y", "yes")


def _watch(args: argparse.Namespace, manifest: Manifest) -> int:
    import watchfiles  # only this command needs it; nox's watch session installs it

    start = _one(manifest, args.exercise) if args.exercise else None
    changes = watchfiles.watch(KIT_ROOT / "exercises", raise_interrupt=False)
    watch_loop(manifest, start, (_paths(batch) for batch in changes))
    print("\nStopped watching.")
    return EXIT_OK


def _paths(batch: Iterable[tuple[object, str]]) -> set[Path]:
    return {Path(path) for _, path in batch}


def watch_loop(
    manifest: Manifest,
    start: Exercise | None,
    saves: Iterable[set[Path]],
    grade: Callable[[tuple[Exercise, ...]], list[ExerciseOutcome]] | None = None,
) -> Exercise | None:
    """Grade the current exercise after every save; move on when it passes.

    Returns the exercise being worked on when the saves run out (None when all pass).
    """
    grade = grade or (lambda exercises: run_exercises(exercises, RunOptions()))
    colour = wants_colour(sys.stdout)
    upcoming = None if start else next_unfinished(grade(manifest.exercises))
    current = start or (upcoming.exercise if upcoming else None)
    if current is None:
        print("Every exercise passes. Nothing to watch.")
        return None
    print(f"Watching exercises/ — working on {current.id}.")
    print("Save the file to re-grade; Ctrl-C stops.")
    for saved in saves:
        by_path = {(KIT_ROOT / e.path_in("exercises")).resolve(): e for e in manifest.exercises}
        touched = [by_path[p.resolve()] for p in saved if p.resolve() in by_path]
        if not touched:
            continue
        if current not in touched:
            current = touched[0]
        outcomes = grade((current,))
        print(render(outcomes, verbose=False, colour=colour))
        if outcomes[0].status == PASSED:
            upcoming = next_unfinished(grade(manifest.exercises))
            if upcoming is None:
                print("That was the last one: every exercise passes!")
                return None
            current = upcoming.exercise
            print(f"Moving on to {current.id}.\n")
            print(next_steps(upcoming, colour=colour))
    return current
