"""The instructor commands of ``python -m grader``: grade-all, edition, the LMS bundles."""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from grader.course import autograde, bundles, edition
from grader.course.batch import BatchOptions, Graded, grade_class
from grader.course.gradebook import (
    CANVAS_IMPORT,
    DEFAULT_CANVAS_ASSIGNMENT,
    MOODLE_WORKSHEET,
    gradebook_csv,
    lms_imports,
    lms_students,
    write_feedback,
)
from grader.course.intake import Refused
from grader.course.store import write_atomically
from grader.course.summary import class_summary, summary_html
from grader.host.credit import CREDIT_MODES, load_credit
from grader.manifest import Manifest, ManifestError

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
EXIT_INTERRUPTED = 130  # what a shell reports for a command stopped by Ctrl-C


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the instructor commands on the command line's subcommands."""
    batch = commands.add_parser("grade-all", help="grade a whole class into a gradebook")
    batch.add_argument("submissions", type=Path, help="folder or zip of every submission")
    batch.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    batch.add_argument("--force", action="store_true", help="re-grade what is already graded")
    batch.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel runs")
    batch.add_argument("--exercises", nargs="+", default=[], metavar="ID", help="ids or topics")
    batch.add_argument(
        "--canvas-assignment",
        default="",
        metavar="TITLE",
        help='the Canvas assignment to fill, as its gradebook column reads: "Name (id)"',
    )
    add_credit_option(batch)
    batch.set_defaults(command=_grade_all)

    hand_out = commands.add_parser("edition", help="write the student edition (no solutions)")
    hand_out.add_argument("dest", type=Path, help="new folder for the edition")
    hand_out.add_argument(
        "--github-actions", action="store_true", help="add a workflow grading every push"
    )
    hand_out.set_defaults(command=_edition)

    gradescope = commands.add_parser("gradescope-bundle", help="build a Gradescope autograder")
    gradescope.add_argument("zip", type=Path, help="the autograder zip to write")
    add_credit_option(gradescope)
    gradescope.add_argument("--visibility", choices=VISIBILITIES, default="visible")
    gradescope.set_defaults(command=_gradescope_bundle)

    prairie = commands.add_parser("prairielearn-bundle", help="build a PrairieLearn grader")
    prairie.add_argument("dest", type=Path, help="folder to put under serverFilesCourse/")
    add_credit_option(prairie)
    prairie.set_defaults(command=_prairielearn_bundle)

    auto = commands.add_parser("autograde", help="grade one submission for an LMS autograder")
    auto.add_argument("--platform", choices=autograde.PLATFORMS, required=True)
    auto.add_argument("--submission", type=Path, required=True, metavar="DIR")
    auto.add_argument("--results", type=Path, required=True, metavar="PATH")
    add_credit_option(auto)
    auto.add_argument("--visibility", choices=VISIBILITIES, default="visible")
    auto.set_defaults(command=_autograde)


def add_credit_option(parser: argparse.ArgumentParser) -> None:
    """``--credit``: how points are earned, overriding the manifest's [grading] table."""
    parser.add_argument(
        "--credit", choices=CREDIT_MODES, help="all-or-nothing per exercise, or per-test"
    )


def _grade_all(args: argparse.Namespace, manifest: Manifest) -> int:
    exercises = manifest.select(args.exercises)
    credit = load_credit(manifest, args.credit)
    options = BatchOptions(args.out, exercises, credit, max(1, args.jobs), args.force)
    started = time.perf_counter()
    try:
        results = grade_class(args.submissions, manifest, options)
    except Refused as error:
        raise ManifestError(str(error)) from None
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    summary = write_outputs(results, options, args.canvas_assignment)
    elapsed = time.perf_counter() - started
    print(f"Graded {summary['graded']} of {summary['students']} submissions in {elapsed:.0f} s.")
    imports = list(lms_students(results))
    for name in ("gradebook.csv", *imports, "summary.html", "summary.json", "feedback/"):
        print(f"  {args.out / name}")
    if CANVAS_IMPORT in imports and not args.canvas_assignment:
        print(
            f"Canvas: importing {CANVAS_IMPORT} makes a new assignment"
            f' "{DEFAULT_CANVAS_ASSIGNMENT}" (or fills the one of that exact name); to fill yours,'
            ' rename the column to its "Name (id)" or pass --canvas-assignment "Name (id)".'
        )
    if MOODLE_WORKSHEET in imports:
        possible = sum(exercise.points_here() for exercise in exercises)
        print(
            f'Moodle: upload {MOODLE_WORKSHEET} with "Upload grading worksheet" (the assignment'
            f" needs the offline grading worksheet feedback type and a maximum grade of {possible}:"
            " Moodle skips grades above it)."
        )
    return 0


def write_outputs(
    results: list[Graded], options: BatchOptions, canvas_assignment: str = ""
) -> dict[str, Any]:
    """The gradebook, LMS import files, feedback folders and the class summary; the summary."""
    out = options.out
    write_atomically(out / "gradebook.csv", gradebook_csv(results, options.exercises))
    graded_at = datetime.now(UTC)
    imports = lms_imports(results, options.exercises, graded_at, canvas_assignment)
    for name, text in imports.items():
        write_atomically(out / name, text)
    for result in results:
        write_feedback(result, out / "feedback" / result.submission.key)
    summary = class_summary(results, options.exercises, options.credit.mode)
    write_atomically(out / "summary.json", json.dumps(summary, indent=1) + "\n")
    write_atomically(out / "summary.html", summary_html(summary))
    return summary


def _edition(args: argparse.Namespace, manifest: Manifest) -> int:
    edition.build(args.dest, manifest, github_actions=args.github_actions)
    print(f"Wrote the student edition to {args.dest}. In it, `nox -s grade` grades the work.")
    return 0


def _gradescope_bundle(args: argparse.Namespace, manifest: Manifest) -> int:
    mode = load_credit(manifest, args.credit).mode
    bundles.gradescope_bundle(args.zip, credit=mode, visibility=args.visibility)
    print(f"Wrote {args.zip}: upload it as the assignment's autograder (Ubuntu 22.04 or newer).")
    return 0


def _prairielearn_bundle(args: argparse.Namespace, manifest: Manifest) -> int:
    mode = load_credit(manifest, args.credit).mode
    bundles.prairielearn_bundle(args.dest, credit=mode)
    print(f"Wrote {args.dest}; see its README.md for the question's info.json.")
    return 0


def _autograde(args: argparse.Namespace, manifest: Manifest) -> int:
    credit = load_credit(manifest, args.credit)
    return autograde.grade_for(
        args.platform, args.submission, args.results, manifest, credit, args.visibility
    )
