"""The kit check (``nox -s check``): proves the kit is sound before it is handed out.

- manifest and files agree: every exercise has its stub, solution, test file and topic
  README; ``exercises/`` and ``solutions/`` mirror each other; nothing is left unlisted;
- every stub has a ``# TODO:`` and no solution has one; the pristine snapshot is current;
- every exercise has at least 3 tests and 2 known wrong answers;
- one pytest run against solutions, stubs and wrong answers, judged by the same verdict as
  a learner's grade, shows every solution passing, every stub and every wrong answer
  rejected: failed by a test that ran, not merely broken (a wrong answer that does not
  import, or that trips the integrity checks, is a problem, not a rejection);
- the reference solutions use at least 90% of the asyncio API a course should touch
  (``grader/host/api_surface.txt``); the coverage and the names still missing are printed.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from grader.host.outcomes import ERROR, FAILED, NOT_STARTED, PASSED, ExerciseOutcome
from grader.host.pristine import stale_entries
from grader.host.runlog import RunLog
from grader.host.runner import run_pytest
from grader.host.verdict import judge
from grader.inside.attempts import wrong_answers_dir
from grader.manifest import KIT_ROOT, TREES, Exercise, Manifest, load_manifest

MIN_TESTS, MIN_WRONG_ANSWERS = 3, 2
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


def run_all_attempts(manifest: Manifest, extra_args: list[str]) -> dict[str, RunLog]:
    """Every test against solutions, stubs and wrong answers: one run, or one per exercise.

    If the single run is not clean (a wrong answer that blocks the loop for good ends the
    process), each exercise is run on its own. Returns each exercise's log.
    """
    args = ["--against=solutions,exercises,wrong-answers", *extra_args]
    log = run_pytest(["tests"], args)
    if log.clean:
        return {exercise.id: log for exercise in manifest.exercises}
    print("The combined run did not end cleanly; running each exercise on its own.")
    return {
        exercise.id: run_pytest([str(exercise.test_path)], args) for exercise in manifest.exercises
    }


def attempt_labels(exercise: Exercise, log: RunLog) -> list[str]:
    """The attempts the run collected for ``exercise``, in a stable order."""
    labels = {item["attempt"] for item in log.collected or [] if item["exercise"] == exercise.id}
    return sorted(labels)


def attempt_problems(manifest: Manifest, logs: dict[str, RunLog]) -> tuple[list[str], list[str]]:
    """(problems, report lines), every attempt judged by the same verdict as a learner's."""
    problems: list[str] = []
    lines: list[str] = []
    running = sys.version_info[:2]
    for exercise in manifest.exercises:
        if exercise.min_python > running:
            needed = ".".join(map(str, exercise.min_python))
            lines.append(f"{exercise.id}: not checked here, needs Python {needed}")
            continue
        log = logs[exercise.id]
        verdicts = {
            label: judge((exercise,), log, _tree_of(exercise, label), label)[0]
            for label in attempt_labels(exercise, log)
        }
        solution = verdicts.get("solutions")
        if solution is None or solution.status != PASSED:
            problems.append(f"{exercise.id}: the solution does not pass: {_why(solution)}")
        elif len(solution.tests) < MIN_TESTS:
            problems.append(f"{exercise.id}: {len(solution.tests)} tests, need {MIN_TESTS}")
        stub = verdicts.get("exercises")
        if stub is None or not _rejected(stub):
            problems.append(f"{exercise.id}: the stub is not rejected: {_why(stub)}")
        tests = len(solution.tests) if solution else 0
        lines.append(f"{exercise.id}: {tests} tests; stub fails {len(_failing(stub))}")
        for label, verdict in verdicts.items():
            if not label.startswith("wrong:"):
                continue
            if _rejected(verdict):
                lines.append(f"  {label:<40} rejected by {', '.join(_failing(verdict))}")
            else:
                problems.append(
                    f"{exercise.id}: wrong answer {label} is not rejected: {_why(verdict)}"
                )
    return problems, lines


def _tree_of(exercise: Exercise, label: str) -> Path:
    if label.startswith("wrong:"):
        return wrong_answers_dir(exercise)
    return KIT_ROOT / label


def _rejected(outcome: ExerciseOutcome | None) -> bool:
    """Failed by at least one test that ran: not an import error, not interference."""
    if outcome is None or outcome.interference or outcome.problem:
        return False
    if outcome.status in (FAILED, NOT_STARTED):
        return True
    # An error counts when some test got as far as its call and failed there.
    return outcome.status == ERROR and any(test.outcome == "failed" for test in outcome.tests)


def _failing(outcome: ExerciseOutcome | None) -> list[str]:
    """The names of the tests that did not pass, once each (parametrized tests repeat)."""
    tests = outcome.tests if outcome else []
    return list(dict.fromkeys(test.name for test in tests if test.outcome != "passed"))


def _why(outcome: ExerciseOutcome | None) -> str:
    if outcome is None:
        return "no test ran"
    if outcome.problem:
        return outcome.problem.splitlines()[0]
    failing = [t for t in outcome.tests if t.outcome != "passed"]
    if failing:
        first = failing[0]
        return f"{outcome.status}; {first.name}: {(first.message or '').splitlines()[:1]}"
    return f"{outcome.status}; every test passes"


API_SURFACE = Path(__file__).with_name("api_surface.txt")
API_TARGET = 0.9


def api_coverage(manifest: Manifest) -> tuple[list[str], list[str]]:
    """(used, missing): the names of the course's asyncio API the reference solutions use.

    A name counts when it appears as an identifier in a solution: a name, an attribute,
    a definition, an import, or a keyword argument.
    """
    names: set[str] = set()
    for exercise in manifest.exercises:
        tree = ast.parse((KIT_ROOT / exercise.path_in("solutions")).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.alias):
                names.add(node.name.rsplit(".", 1)[-1])
            elif isinstance(node, ast.keyword) and node.arg:
                names.add(node.arg)
    lines = API_SURFACE.read_text(encoding="utf-8").splitlines()
    surface = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return [n for n in surface if n in names], [n for n in surface if n not in names]


def main(argv: list[str] | None = None) -> int:
    """Run every check, print what each found, and exit 1 if anything is wrong."""
    manifest = load_manifest()
    problems = file_problems(manifest)
    logs = run_all_attempts(manifest, list(argv if argv is not None else sys.argv[1:]))
    run_problems, lines = attempt_problems(manifest, logs)
    problems += run_problems
    print("\n".join(lines))
    topics = {t.id: sum(e.topic == t for e in manifest.exercises) for t in manifest.topics}
    items = [item for log in {id(log): log for log in logs.values()}.values()
             for item in log.collected or []]  # fmt: skip
    solution_tests = sum(item["attempt"] == "solutions" for item in items)
    wrong_runs = sum(item["attempt"].startswith("wrong:") for item in items)
    print(
        f"\n{len(manifest.exercises)} exercises {topics}; {solution_tests} tests; "
        f"{wrong_runs} wrong-answer runs"
    )
    used, missing = api_coverage(manifest)
    share = len(used) / (len(used) + len(missing))
    print(f"API coverage: {len(used)}/{len(used) + len(missing)} names ({share:.0%}) in solutions/")
    if missing:
        print(f"  not used yet: {', '.join(missing)}")
    if share < API_TARGET:
        problems.append(f"the solutions use {share:.0%} of the API surface; need {API_TARGET:.0%}")
    if problems:
        print(f"\n{len(problems)} problem(s):")
        print("\n".join(f"- {problem}" for problem in problems))
        return 1
    print("Kit check passed: solutions pass, stubs fail, wrong answers are rejected.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
