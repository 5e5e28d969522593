"""Command line of the kit (``python -m grader ...``); the nox sessions call these commands.

Exit codes: 0 when every selected exercise passes (or the command succeeded), 1 when any
exercise does not pass, 2 for a usage error such as an unknown exercise id. An exercise
this Python cannot grade (unavailable) is not counted.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from grader.course.commands import VISIBILITIES, add_commands, add_credit_option
from grader.host import formats
from grader.host.advice import advice_for
from grader.host.credit import apply, load_credit
from grader.host.outcomes import NOT_STARTED, PASSED, UNAVAILABLE, ExerciseOutcome
from grader.host.pristine import original_stub
from grader.host.report import (
    Context,
    next_steps,
    next_unfinished,
    print_report,
    render,
    wants_colour,
)
from grader.host.runner import RunOptions, run_exercises
from grader.host.state import next_hint, read_state, remember_passes
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


def _prog(command: str) -> str:
    """How the person typed the command: through nox (``nox -s grade --``) or directly."""
    if os.environ.get("NOX_CURRENT_SESSION"):
        return f"nox -s {command} --"
    return f"python -m grader {command}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    grade = commands.add_parser(
        "grade", prog=_prog("grade"), help="grade exercises and say what to do next"
    )
    grade.add_argument(
        "selection", nargs="*", help="exercise ids, topics or their paths (default: all)"
    )
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
        "--isolation",
        choices=("auto", "bubblewrap", "fallback", "none"),
        default="auto",
        help="how a --submission is isolated: auto (bubblewrap where it runs, else the "
        "fallback), bubblewrap, fallback, or none (unsandboxed, for debugging)",
    )
    grade.add_argument(
        "--against", choices=("exercises", "solutions"), default="exercises", help=argparse.SUPPRESS
    )
    add_credit_option(grade)
    grade.add_argument("--visibility", choices=VISIBILITIES, default="visible",
                       help="visibility of each Gradescope test")  # fmt: skip
    grade.set_defaults(command=_grade)

    listing = commands.add_parser(
        "list", prog=_prog("list"), help="every exercise with its status and file"
    )
    listing.set_defaults(command=_list)

    hint = commands.add_parser("hint", prog=_prog("hint"), help="the next hint for an exercise")
    hint.add_argument("exercise", nargs="?", help="exercise id (default: the next unfinished)")
    hint.set_defaults(command=_hint)

    reset = commands.add_parser(
        "reset", prog=_prog("reset"), help="restore an exercise to its original stub"
    )
    reset.add_argument("exercise", help="exercise id")
    reset.add_argument("--yes", action="store_true", help="do not ask before overwriting")
    reset.set_defaults(command=_reset)

    watch = commands.add_parser(
        "watch", prog=_prog("watch"), help="re-grade each time an exercise file is saved"
    )
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
    chosen = _select(manifest, [word])
    if len(chosen) != 1:
        raise UsageError(f"{word!r} is a topic; name one exercise (nox -s list)")
    return chosen[0]


def _exit_code(outcomes: Sequence[ExerciseOutcome]) -> int:
    """0 when every counted exercise passes (and one was); unavailable ones are not counted."""
    counted = [outcome for outcome in outcomes if outcome.status != UNAVAILABLE]
    passing = all(outcome.status == PASSED for outcome in counted)
    return EXIT_OK if counted and passing else EXIT_NOT_PASSING


def from_caller(path: Path) -> Path:
    """``path`` as the person typed it: relative paths start where they ran nox, not here.

    nox runs every session from the kit's folder; the noxfile passes the folder the command
    was typed in as KIT_INVOKED_FROM.
    """
    if path.is_absolute():
        return path
    return Path(os.environ.get("KIT_INVOKED_FROM") or Path.cwd()) / path


def _grade(args: argparse.Namespace, manifest: Manifest) -> int:
    exercises = _select(manifest, args.selection)
    started = time.perf_counter()
    submission = from_caller(args.submission) if args.submission else None
    if submission is not None and not submission.is_dir():
        raise UsageError(f"--submission {args.submission} is not a folder")
    isolation = args.isolation if submission is not None else "none"
    options = RunOptions(args.against, submission, isolation=isolation)
    try:
        outcomes = run_exercises(exercises, options)
    except RuntimeError as error:  # the requested isolation cannot run on this machine
        raise UsageError(str(error)) from error
    apply(outcomes, load_credit(manifest, args.credit))
    elapsed = time.perf_counter() - started
    learner = submission is None and args.against == "exercises"
    print_report(
        outcomes, verbose=args.verbose, context=report_context(manifest, outcomes, learner)
    )
    if submission is not None and outcomes:
        print(f"Isolation: {outcomes[0].isolation}")
        for outcome in outcomes:
            if outcome.review:
                print(f"Read the code of {outcome.exercise.id}: it {outcome.review}")
    if args.json:
        formats.write_json(formats.exercism_results(outcomes), from_caller(args.json))
    if args.gradescope:
        document = formats.gradescope_results(outcomes, elapsed, args.visibility)
        formats.write_json(document, from_caller(args.gradescope))
    if args.junit:
        formats.write_junit(outcomes, from_caller(args.junit))
    return _exit_code(outcomes)


def report_context(
    manifest: Manifest, outcomes: Sequence[ExerciseOutcome], learner: bool = True
) -> Context:
    """What the report needs beyond the outcomes: seen hints, new passes, linter advice.

    Only a learner's own run (not an instructor's submission) reads and updates the state.
    """
    advised = [o for o in outcomes if o.file is not None and o.status != NOT_STARTED]
    found = advice_for([o.file for o in advised if o.file is not None])
    advice = {o.exercise.id: found.get(o.file.resolve(), []) for o in advised if o.file}
    if not learner:
        return Context(manifest=manifest, advice=advice)
    passed = [o.exercise.id for o in outcomes if o.status == PASSED]
    failed = [o.exercise.id for o in outcomes if o.status != PASSED]
    newly = remember_passes(passed, failed)
    saved = read_state()
    return Context(
        manifest=manifest,
        hints_seen=saved.hints_seen,
        newly_passed=frozenset(newly),
        passed_before=frozenset(saved.passed),
        advice=advice,
    )


def _list(args: argparse.Namespace, manifest: Manifest) -> int:
    print_listing(run_exercises(manifest.exercises, RunOptions()))
    return EXIT_OK


def print_listing(outcomes: Sequence[ExerciseOutcome]) -> None:
    """Every exercise with its status and file, topic by topic."""
    topic = None
    for outcome in outcomes:
        exercise = outcome.exercise
        if exercise.topic != topic:
            topic = exercise.topic
            print(f"\n{topic.title}  (nox -s grade -- {topic.id})")
        print(f"  {outcome.status:<11}  {exercise.id:<28} {exercise.path_in('exercises')}")


def _hint(args: argparse.Namespace, manifest: Manifest) -> int:
    if args.exercise:
        exercise = _one(manifest, args.exercise)
        outcomes = run_exercises((exercise,), RunOptions())
        upcoming = outcomes[0] if outcomes[0].status != PASSED else None
    else:
        upcoming = next_unfinished(run_exercises(manifest.exercises, RunOptions()))
        if upcoming is None:
            print("Every exercise passes: no hints needed.")
            return EXIT_OK
        exercise = upcoming.exercise
    show_hint(exercise, upcoming)
    return EXIT_OK


def show_hint(exercise: Exercise, outcome: ExerciseOutcome | None) -> None:
    """Print the next hint not yet seen, preferring the one for the first failing test."""
    failing = [test.name for test in outcome.unfinished_tests] if outcome else []
    number, text = next_hint(exercise, failing_tests=failing)
    print(f"{exercise.id}, hint {number} of {len(exercise.hints)}:\n  {text}")
    seen = read_state().seen(exercise)
    if len(seen) < len(exercise.hints):
        print(f"(Run `nox -s hint -- {exercise.id}` again for the next one.)")


def _reset(args: argparse.Namespace, manifest: Manifest) -> int:
    exercise = _one(manifest, args.exercise)
    return reset_exercise(exercise, ask=None if args.yes else _confirm)


def reset_exercise(exercise: Exercise, ask: Callable[[str], bool] | None) -> int:
    """Put the stub back; ``ask`` confirms first when the learner's changes would be lost."""
    original = original_stub(exercise)
    if original is None:
        raise UsageError(f"the kit has no original copy of {exercise.id}; it cannot be reset")
    shown = exercise.path_in("exercises")
    path = KIT_ROOT / shown
    if path.is_file() and path.read_text(encoding="utf-8") == original:
        print(f"{shown} is already the original stub.")
        return EXIT_OK
    # A deleted file has no changes to lose: restore it without asking.
    if path.is_file() and ask is not None and not ask(f"Overwrite {shown}?"):
        print("Nothing changed.")
        return EXIT_OK
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(original, encoding="utf-8")
    print(f"Restored {shown} to the original stub.")
    return EXIT_OK


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        print(f"{question} Not asking without a terminal: pass --yes to overwrite.")
        return False
    return input(f"{question} Your changes will be lost. [y/N] ").strip().lower() in ("y", "yes")


def _watch(args: argparse.Namespace, manifest: Manifest) -> int:
    from grader.host.watching import terminal_events

    start = _one(manifest, args.exercise) if args.exercise else None
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)  # each line as it comes, even through a pipe
    with terminal_events(KIT_ROOT / "exercises") as events:
        watch_loop(manifest, start, events)
    print("\nStopped watching.")
    return EXIT_OK


def watch_loop(
    manifest: Manifest,
    start: Exercise | None,
    events: Iterable[set[Path] | str],
    grade: Callable[[tuple[Exercise, ...]], list[ExerciseOutcome]] | None = None,
) -> Exercise | None:
    """Grade at once, then after every save; move on when the exercise passes.

    ``events`` yields the paths of each save, or a key the learner pressed: h for a hint,
    l for the list, r to reset the exercise (y confirms), q to quit. Returns
    the exercise being worked on when the events run out (None when all pass).
    """
    grade = grade or (lambda exercises: run_exercises(exercises, RunOptions()))
    colour = wants_colour(sys.stdout)
    # Graded at once: the exercise asked for, or everything to find the next unfinished one.
    everything = grade((start,) if start else manifest.exercises)
    upcoming = next_unfinished(everything)
    current = start or (upcoming.exercise if upcoming else None)
    if current is None:
        print("Every exercise passes. Nothing to watch.")
        return None
    shown = next((o for o in everything if o.exercise == current), None)

    def draw(outcomes: Sequence[ExerciseOutcome]) -> None:
        if colour:
            print("\033[H\033[2J", end="")  # redraw the screen instead of appending
        print(
            render(
                outcomes, verbose=False, colour=colour, context=report_context(manifest, outcomes)
            )
        )
        print(f"Watching exercises/ — working on {current.id if current else '-'}. "
              "Save to re-grade. Keys: h hint, l list, r reset, q quit.")  # fmt: skip

    if shown is not None:
        draw([shown])
    by_path = {(KIT_ROOT / e.path_in("exercises")).resolve(): e for e in manifest.exercises}
    resetting = False
    for event in events:
        if isinstance(event, str):
            if resetting:
                resetting = False
                if event == "y":
                    reset_exercise(current, ask=None)
                else:
                    print("Nothing changed.")
            elif event == "q":
                return current
            elif event == "h":
                show_hint(current, shown)
            elif event == "l":
                everything = grade(manifest.exercises)
                print_listing(everything)
            elif event == "r":
                resetting = True
                print(
                    f"Reset {current.path_in('exercises')} to the original stub? Your changes "
                    "will be lost. Press y to confirm, any other key to keep them."
                )
            continue
        touched = [by_path[p.resolve()] for p in event if p.resolve() in by_path]
        if not touched:
            continue
        if current not in touched:
            current = touched[0]
        outcomes = grade((current,))
        shown = outcomes[0]
        draw(outcomes)
        if shown.status == PASSED:
            upcoming = next_unfinished(grade(manifest.exercises))
            if upcoming is None:
                print("That was the last one: every exercise passes!")
                return None
            current, shown = upcoming.exercise, upcoming
            print(f"Moving on to {current.id}.\n")
            print(next_steps(upcoming, colour=colour))
    return current
