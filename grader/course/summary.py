"""The class summary for the instructor: where the class stands and what it gets wrong.

Per exercise: how many students passed, failed, hit an error or never started it; the tests
that fail most often among students who tried (with the message they most often saw); and
the asyncio mistakes the detectors caught (coroutine never awaited, task left running, ...).
Written as JSON (``summary.json``) and as one self-contained HTML page (``summary.html``,
inline CSS and SVG charts, nothing fetched) that opens from a file in any browser.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from html import escape
from typing import Any

from grader.course.batch import Graded
from grader.course.gradebook import flags
from grader.host.credit import tidy
from grader.host.outcomes import (
    ERROR,
    FAILED,
    NOT_STARTED,
    PASSED,
    UNAVAILABLE,
    ExerciseOutcome,
)
from grader.manifest import Exercise

_TOP = 3
MISTAKE_LABELS = {
    "never-awaited": "coroutine never awaited",
    "pending-task": "task still running when the function returned",
    "unretrieved-exception": "task exception never retrieved",
    "blocking-call": "blocking call inside a coroutine (time.sleep, ...)",
    "ignores-cancellation": "cancellation swallowed",
    "loop-error": "error reported by the event loop",
}
_COLOURS = {PASSED: "#2e7d32", FAILED: "#e65100", ERROR: "#b71c1c", NOT_STARTED: "#bdbdbd"}


def class_summary(
    results: Sequence[Graded], exercises: tuple[Exercise, ...], credit: str
) -> dict[str, Any]:
    """The summary's data: class figures, then per exercise and per mistake kind."""
    graded = [result for result in results if not result.submission.problem]
    possible = sum(exercise.points_here() for exercise in exercises)
    totals = [result.total for result in graded]
    by_exercise: dict[str, list[ExerciseOutcome]] = defaultdict(list)
    for result in graded:
        for outcome in result.outcomes:
            by_exercise[outcome.exercise.id].append(outcome)
    mistake_students: dict[str, set[str]] = defaultdict(set)
    mistake_exercises: dict[str, Counter[str]] = defaultdict(Counter)
    for result in graded:
        for outcome in _worked_on(result.outcomes):
            for kind in {kind for test in outcome.tests for kind in test.mistakes}:
                mistake_students[kind].add(result.submission.key)
                mistake_exercises[kind][outcome.exercise.id] += 1
    return {
        "students": len(results),
        "graded": len(graded),
        "credit": credit,
        "max": possible,
        "mean": tidy(statistics.fmean(totals)) if totals else 0,
        "median": tidy(statistics.median(totals)) if totals else 0,
        "distribution": _distribution(totals, possible),
        "exercises": [_exercise_summary(e, by_exercise[e.id], len(graded)) for e in exercises],
        "mistakes": [
            {
                "kind": kind,
                "label": MISTAKE_LABELS.get(kind, kind),
                "students": len(students),
                "exercises": [name for name, _ in mistake_exercises[kind].most_common()],
            }
            for kind, students in sorted(mistake_students.items(), key=lambda kv: -len(kv[1]))
        ],
        "attention": [
            {
                "student": r.submission.student,
                "key": r.submission.key,
                "flags": flags(r),
                "problem": r.submission.problem,
            }
            for r in results
            if flags(r)
        ],
    }


def _distribution(totals: list[float], possible: int) -> list[dict[str, Any]]:
    """Students per tenth of the maximum score (the last bin includes full marks)."""
    bins = [0] * 10
    for total in totals:
        bins[min(9, int(10 * total / possible))] += 1 if possible else 0
    return [{"from": 10 * n, "to": 10 * (n + 1), "students": count} for n, count in enumerate(bins)]


def _exercise_summary(
    exercise: Exercise, outcomes: list[ExerciseOutcome], graded: int
) -> dict[str, Any]:
    counts = Counter(outcome.status for outcome in outcomes)
    tried = graded - counts[NOT_STARTED] - counts[UNAVAILABLE]
    failing: Counter[str] = Counter()
    messages: dict[str, Counter[str]] = defaultdict(Counter)
    sentences: dict[str, str] = {}
    for outcome in outcomes:
        if outcome.status != FAILED:
            continue
        for test in outcome.unfinished_tests:
            failing[test.name] += 1
            sentences[test.name] = test.sentence
            messages[test.name][(test.message.splitlines() or [""])[0]] += 1
    problems = Counter(
        (outcome.problem or _first_message(outcome)).splitlines()[0]
        for outcome in outcomes
        if outcome.status == ERROR
    )
    mistakes = Counter(
        kind
        for outcome in _worked_on(outcomes)
        for kind in {k for t in outcome.tests for k in t.mistakes}
    )
    return {
        "id": exercise.id,
        "title": exercise.title,
        "topic": exercise.topic.id,
        "points": exercise.points,
        "passed": counts[PASSED],
        "failed": counts[FAILED],
        "error": counts[ERROR],
        "not_started": counts[NOT_STARTED],
        "unavailable": counts[UNAVAILABLE],  # graded on a Python too old for the exercise
        "pass_rate": round(counts[PASSED] / graded, 3) if graded else 0.0,
        "pass_rate_of_tried": round(counts[PASSED] / tried, 3) if tried else None,
        "mean_points": tidy(statistics.fmean(o.points for o in outcomes)) if outcomes else 0,
        "failing_tests": [
            {
                "test": name,
                "sentence": sentences[name],
                "students": count,
                "example": messages[name].most_common(1)[0][0],
            }
            for name, count in failing.most_common(_TOP)
        ],
        "errors": [{"problem": text, "students": n} for text, n in problems.most_common(_TOP)],
        "mistakes": [
            {"kind": kind, "label": MISTAKE_LABELS.get(kind, kind), "students": count}
            for kind, count in mistakes.most_common()
        ],
    }


def _worked_on(outcomes: Sequence[ExerciseOutcome]) -> list[ExerciseOutcome]:
    """The outcomes of work the student did: an untouched stub's mistakes are the kit's."""
    return [outcome for outcome in outcomes if outcome.status != NOT_STARTED]


def _first_message(outcome: ExerciseOutcome) -> str:
    unfinished = outcome.unfinished_tests
    return unfinished[0].message if unfinished and unfinished[0].message else "error"


def summary_html(summary: dict[str, Any]) -> str:
    """The summary as one self-contained HTML page."""
    exercises = summary["exercises"]
    struggling = sorted(
        (e for e in exercises if e["pass_rate_of_tried"] is not None and e["failed"] + e["error"]),
        key=lambda e: (e["pass_rate_of_tried"], -(e["failed"] + e["error"])),
    )[:5]
    parts = [
        _HEAD,
        "<h1>Class summary</h1>",
        f"<p class=sub>{summary['graded']} of {summary['students']} submissions graded · "
        f"credit: {escape(summary['credit'])} · maximum {summary['max']} points</p>",
        '<div class="cards">',
        _card("median score", f"{summary['median']} / {summary['max']}"),
        _card("mean score", f"{summary['mean']} / {summary['max']}"),
        _card("could not be graded", str(summary["students"] - summary["graded"])),
        _card("flagged for a look", str(len(summary["attention"]))),
        "</div>",
        "<h2>Every exercise at a glance</h2>",
        _legend(),
        _status_chart(exercises, summary["graded"]),
        "<h2>Where students struggle</h2>",
        "<p class=sub>Exercises with the lowest pass rate among students who tried them, "
        "the tests they fail most, and the message they saw most often.</p>",
        *(_struggle(e) for e in struggling),
        "" if struggling else "<p>No exercise has failing attempts.</p>",
        "<h2>Asyncio mistakes caught</h2>",
        _mistakes_table(summary["mistakes"]),
        "<h2>Score distribution</h2>",
        _histogram(summary["distribution"]),
        "<h2>Needs your attention</h2>",
        _attention(summary["attention"]),
        "<h2>All exercises</h2>",
        _exercise_table(exercises),
        "</body></html>\n",
    ]
    return "\n".join(parts)


_HEAD = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Class summary — asyncio exercise kit</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1100px;
       color: #212121; padding: 0 1em; }
h1 { margin-bottom: 0; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
.sub { color: #616161; margin-top: .2em; }
.cards { display: flex; gap: 1em; margin: 1.2em 0; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: .6em 1em; min-width: 10em; }
.card b { display: block; font-size: 1.6em; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .25em .5em; border-bottom: 1px solid #eee; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.struggle { border-left: 4px solid #e65100; padding: .2em 1em; margin: 1em 0; }
.struggle h3 { margin: .3em 0; }
code, .msg { font-family: ui-monospace, monospace; font-size: 13px; }
.msg { color: #5d4037; display: block; white-space: pre-wrap; }
.legend span { display: inline-block; margin-right: 1.2em; }
.legend i { display: inline-block; width: .9em; height: .9em; margin-right: .3em;
            vertical-align: -1px; }
</style></head><body>"""


def _card(label: str, value: str) -> str:
    return f'<div class="card"><b>{escape(value)}</b>{escape(label)}</div>'


def _legend() -> str:
    items = "".join(
        f'<span><i style="background:{colour}"></i>{escape(status)}</span>'
        for status, colour in _COLOURS.items()
    )
    return f'<p class="legend">{items}</p>'


def _status_chart(exercises: list[dict[str, Any]], graded: int) -> str:
    """Stacked bars: per exercise, students passed / failed / error / not started."""
    row, label_width, bar_width = 22, 230, 700
    height = row * len(exercises) + 10
    lines = [
        f'<svg role="img" aria-label="students per status for each exercise" '
        f'width="{label_width + bar_width + 90}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="13">'
    ]
    keys = {PASSED: "passed", FAILED: "failed", ERROR: "error", NOT_STARTED: "not_started"}
    for index, exercise in enumerate(exercises):
        y = 5 + index * row
        lines.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">'
            f"{escape(exercise['id'])}</text>"
        )
        x = float(label_width)
        for status, key in keys.items():
            width = bar_width * exercise[key] / graded if graded else 0
            if width:
                lines.append(
                    f'<rect x="{x:.1f}" y="{y + 2}" width="{width:.1f}" height="{row - 5}" '
                    f'fill="{_COLOURS[status]}"><title>{escape(exercise["id"])}: '
                    f"{exercise[key]} {escape(status)}</title></rect>"
                )
            x += width
        shown = (
            "not counted"  # this Python is too old for it
            if graded and exercise["unavailable"] == graded
            else f"{exercise['pass_rate']:.0%} passed"
        )
        lines.append(f'<text x="{label_width + bar_width + 8}" y="{y + 15}">{shown}</text>')
    lines.append("</svg>")
    return "\n".join(lines)


def _histogram(distribution: list[dict[str, Any]]) -> str:
    """Students per tenth of the maximum score."""
    tallest = max((d["students"] for d in distribution), default=0) or 1
    width, height, gap = 60, 160, 8
    lines = [
        f'<svg role="img" aria-label="score distribution" width="{10 * (width + gap) + 20}" '
        f'height="{height + 45}" xmlns="http://www.w3.org/2000/svg" font-size="12">'
    ]
    for index, item in enumerate(distribution):
        bar = height * item["students"] / tallest
        x = 10 + index * (width + gap)
        lines.append(
            f'<rect x="{x}" y="{height - bar + 15:.1f}" width="{width}" height="{bar:.1f}" '
            f'fill="#1565c0"><title>{item["students"]} students</title></rect>'
        )
        lines.append(
            f'<text x="{x + width / 2}" y="{height - bar + 10:.1f}" text-anchor="middle">'
            f"{item['students']}</text>"
        )
        lines.append(
            f'<text x="{x + width / 2}" y="{height + 32}" text-anchor="middle">'
            f"{item['from']}–{item['to']}%</text>"
        )
    lines.append("</svg>")
    return "\n".join(lines)


def _struggle(exercise: dict[str, Any]) -> str:
    rate = exercise["pass_rate_of_tried"]
    tried = exercise["passed"] + exercise["failed"] + exercise["error"]
    lines = [
        '<div class="struggle">',
        f"<h3>{escape(exercise['id'])} — {escape(exercise['title'])}</h3>",
        f"<p>{rate:.0%} of the {tried} students who tried it pass; {exercise['failed']} "
        f"fail, {exercise['error']} hit an error.</p>",
    ]
    if exercise["failing_tests"]:
        lines.append("<table><tr><th>failing test</th><th>students</th></tr>")
        for test in exercise["failing_tests"]:
            lines.append(
                f"<tr><td>{escape(test['sentence'])}"
                f'<span class="msg">{escape(test["example"])}</span></td>'
                f'<td class="n">{test["students"]}</td></tr>'
            )
        lines.append("</table>")
    for error in exercise["errors"]:
        lines.append(
            f'<p>Error for {error["students"]}: <span class="msg">{escape(error["problem"])}'
            "</span></p>"
        )
    if exercise["mistakes"]:
        kinds = ", ".join(f"{escape(m['label'])} ({m['students']})" for m in exercise["mistakes"])
        lines.append(f"<p>Mistakes caught: {kinds}</p>")
    lines.append("</div>")
    return "\n".join(lines)


def _mistakes_table(mistakes: list[dict[str, Any]]) -> str:
    if not mistakes:
        return "<p>The detectors caught no asyncio mistake in this class.</p>"
    rows = "".join(
        f"<tr><td>{escape(m['label'])} <code>{escape(m['kind'])}</code></td>"
        f'<td class="n">{m["students"]}</td><td>{escape(", ".join(m["exercises"][:6]))}</td></tr>'
        for m in mistakes
    )
    return f"<table><tr><th>mistake</th><th>students</th><th>mostly in</th></tr>{rows}</table>"


def _attention(attention: list[dict[str, Any]]) -> str:
    if not attention:
        return "<p>Every submission was graded and none was caught interfering.</p>"
    rows = "".join(
        f"<tr><td>{escape(item['student'])}</td><td>{escape('; '.join(item['flags']))}"
        f'<span class="msg">{escape(item["problem"])}</span></td></tr>'
        for item in attention
    )
    return f"<table><tr><th>student</th><th>why</th></tr>{rows}</table>"


def _exercise_table(exercises: list[dict[str, Any]]) -> str:
    head = (
        "<tr><th>exercise</th><th>topic</th><th>points</th><th>passed</th><th>failed</th>"
        "<th>error</th><th>not started</th><th>pass rate</th><th>mean points</th></tr>"
    )
    rows = "".join(
        f"<tr><td>{escape(e['id'])}</td><td>{escape(e['topic'])}</td>"
        + "".join(
            f'<td class="n">{e[key]}</td>'
            for key in ("points", "passed", "failed", "error", "not_started")
        )
        + f'<td class="n">{e["pass_rate"]:.0%}</td><td class="n">{e["mean_points"]}</td></tr>'
        for e in exercises
    )
    return f"<table>{head}{rows}</table>"
