"""The kit check (``nox -s check``): proves the kit is sound before it is handed out.

- manifest and files agree: every exercise has its stub, solution, test file and topic
  README; ``exercises/`` and ``solutions/`` mirror each other; nothing is left unlisted;
- every stub has a ``# TODO:`` and no solution has one; the pristine snapshot is current;
- every exercise has at least 3 tests and 2 known wrong answers;
- one pytest run against solutions, stubs and wrong answers shows every solution passing,
  every stub failing at least one test, and every wrong answer failing at least one test.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from typing import Any

from grader.host.pristine import stale_entries
from grader.host.runner import run_pytest
from grader.inside.attempts import wrong_answers_dir
from grader.manifest import KIT_ROOT, TREES, Manifest, load_manifest

MIN_TESTS, MIN_WRONG_ANSWERS = 3, 2
# Real seconds one pytest run of the check may take before it is stopped.
_CHECK_LIMIT = 900
TODO_MARKER = "# TODO:"


def file_problems(manifest: Manifest) -> list[str]:
    """Disagreements between the manifest and the files on disk."""
    problems: list[str] = []
    for exercise in manifest.exercises:
        for tree in TREES:
            if not (KIT_ROOT / exercise.path_in(tree)).is_file():
                problems.append(f"{exercise.id}: {exercise.path_in(tree)} is missing")
        if not (KIT_ROOT / exercise.test_path).is_file():
            problems.append(f"{exercise.id}: {exercise.test_path} is missing")
        stub = KIT_ROOT / exercise.path_in("exercises")
        if stub.is_file() and TODO_MARKER not in stub.read_text(encoding="utf-8"):
            problems.append(f"{exercise.id}: the stub has no `{TODO_MARKER}` marker")
        solution = KIT_ROOT / exercise.path_in("solutions")
        if solution.is_file() and TODO_MARKER in solution.read_text(encoding="utf-8"):
            problems.append(f"{exercise.id}: the solution still has a `{TODO_MARKER}` marker")
        wrong = list(wrong_answers_dir(exercise).glob("*.py"))
        if len(wrong) < MIN_WRONG_ANSWERS:
            problems.append(f"{exercise.id}: {len(wrong)} wrong answers, need {MIN_WRONG_ANSWERS}")
    for topic in manifest.topics:
        if not (KIT_ROOT / "exercises" / topic.folder / "README.md").is_file():
            problems.append(f"topic {topic.id}: exercises/{topic.folder}/README.md is missing")
    listed = {exercise.relative_path.as_posix() for exercise in manifest.exercises}
    for tree in TREES:
        root = KIT_ROOT / tree
        on_disk = {path.relative_to(root).as_posix() for path in root.rglob("*.py")}
        problems += [f"{tree}/{path} is not in the manifest" for path in sorted(on_disk - listed)]
    tests_listed = {exercise.test_path.as_posix() for exercise in manifest.exercises}
    for test_file in sorted((KIT_ROOT / "tests").rglob("test_*.py")):
        relative = test_file.relative_to(KIT_ROOT).as_posix()
        if relative not in tests_listed and "wrong_answers" not in relative:
            problems.append(f"{relative} belongs to no exercise in the manifest")
    stale = stale_entries(manifest)
    if stale:
        problems.append(f"the pristine snapshot is out of date for {stale}: run `nox -s freeze`")
    return problems


def run_all_attempts(manifest: Manifest, extra_args: list[str]) -> dict[str, Any]:
    """Every test against solutions, stubs and wrong answers: one run, or one per exercise.

    If the single run dies (a wrong answer that blocks the loop for good ends the process),
    each exercise is run on its own, and an exercise whose run dies becomes a problem.
    """
    args = ["--against=solutions,exercises,wrong-answers", *extra_args]
    data, why = run_pytest(["tests"], args, _CHECK_LIMIT)
    if data is not None:
        return data
    print(f"The combined run died; running each exercise on its own.\n{why}")
    merged: dict[str, Any] = {"tests": [], "collection_errors": [], "died": {}}
    for exercise in manifest.exercises:
        part, why = run_pytest([str(exercise.test_path)], args, _CHECK_LIMIT)
        if part is None:
            merged["died"][exercise.id] = why
            continue
        merged["tests"] += part["tests"]
        merged["collection_errors"] += part["collection_errors"]
    return merged


def attempt_problems(manifest: Manifest, data: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(problems, report lines) from the all-attempts run."""
    by_attempt: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for record in data["tests"]:
        by_attempt[(record["exercise"], record["attempt"])].append(record)
    problems = [
        f"collection error: {error['nodeid']}: {error['message']}"
        for error in data["collection_errors"]
    ]
    lines: list[str] = []
    died: dict[str, str] = data.get("died", {})
    for exercise in manifest.exercises:
        if exercise.min_python > sys.version_info[:2]:
            # Its tests skip themselves here; nox -s solutions checks it on a newer Python.
            needed = ".".join(map(str, exercise.min_python))
            lines.append(f"{exercise.id}: needs Python {needed}; not checked on this one")
            continue
        if exercise.id in died:
            problems.append(
                f"{exercise.id}: its test run died (does an attempt block the loop's thread "
                f"for good?):\n{died[exercise.id]}"
            )
            continue
        solution = by_attempt[(exercise.id, "solutions")]
        if len(solution) < MIN_TESTS:
            problems.append(f"{exercise.id}: {len(solution)} tests, need at least {MIN_TESTS}")
        for record in solution:
            if record["outcome"] != "passed":
                problems.append(
                    f"{exercise.id}: the solution fails {record['test']}: {record['message']}"
                )
        stub_failures = _failed(by_attempt[(exercise.id, "exercises")])
        if not stub_failures:
            problems.append(f"{exercise.id}: the stub passes every test (is it already solved?)")
        lines.append(f"{exercise.id}: {len(solution)} tests; stub fails {len(stub_failures)}")
        wrong_labels = sorted(
            label
            for (exercise_id, label) in by_attempt
            if exercise_id == exercise.id and label.startswith("wrong:")
        )
        for label in wrong_labels:
            rejected_by = _failed(by_attempt[(exercise.id, label)])
            if rejected_by:
                lines.append(f"  {label:<40} rejected by {', '.join(rejected_by)}")
            else:
                problems.append(f"{exercise.id}: wrong answer {label} passes every test")
    return problems, lines


def _failed(records: list[dict[str, Any]]) -> list[str]:
    """Names of the tests that did not pass, once each (parametrized tests repeat)."""
    return list(dict.fromkeys(r["test"] for r in records if r["outcome"] in ("failed", "error")))


def main(argv: list[str] | None = None) -> int:
    """Run every check, print what each found, and exit 1 if anything is wrong."""
    manifest = load_manifest()
    problems = file_problems(manifest)
    data = run_all_attempts(manifest, list(argv if argv is not None else sys.argv[1:]))
    run_problems, lines = attempt_problems(manifest, data)
    problems += run_problems
    print("\n".join(lines))
    topics = {t.id: sum(e.topic == t for e in manifest.exercises) for t in manifest.topics}
    solution_tests = sum(1 for r in data["tests"] if r["attempt"] == "solutions")
    print(
        f"\n{len(manifest.exercises)} exercises {topics}; {solution_tests} tests; "
        f"{sum(1 for r in data['tests'] if r['attempt'].startswith('wrong:'))} wrong-answer runs"
    )
    if problems:
        print(f"\n{len(problems)} problem(s):")
        print("\n".join(f"- {problem}" for problem in problems))
        return 1
    print("Kit check passed: solutions pass, stubs fail, wrong answers are rejected.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
