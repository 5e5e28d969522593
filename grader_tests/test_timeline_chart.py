"""Timeline.chart: the picture in a failure message stays short, whatever the number of spans."""

from __future__ import annotations

from grader.inside.testing import Span, Timeline


def timeline(*spans: tuple[str, float, float, str]) -> Timeline:
    """A timeline of finished spans: (label, start, end, outcome)."""
    made = Timeline()
    made.spans = [Span(label, start, end, outcome) for label, start, end, outcome in spans]
    return made


def rows(chart: str) -> list[str]:
    """The chart's rows of spans, without the axis line."""
    return [line.strip() for line in chart.splitlines()[1:]]


def test_spans_that_ran_over_the_same_time_share_a_row():
    chart = timeline(*[(f"download {n}", 0.0, 1.37, "done") for n in range(40)]).chart()
    assert rows(chart) == [f"download 0 and 39 more  {'#' * 40}"]


def test_spans_that_ended_differently_keep_their_own_rows():
    chart = timeline(
        ("download a", 0.0, 2.0, "done"),
        ("download b", 0.0, 2.0, "cancelled"),
        ("download c", 0.0, 2.0, "done"),
    ).chart()
    assert [row.split()[1] for row in rows(chart)] == ["a", "b", "c"]
    assert rows(chart)[1].endswith("(cancelled)")


def test_spans_one_after_another_are_not_folded_together_even_when_their_bars_look_alike():
    # 120 one-second spans on a 40-column chart: three to a column, never one row.
    chart = timeline(*[(f"download {n}", n, n + 1.0, "done") for n in range(120)]).chart()
    assert not any(" more " in row for row in rows(chart))


def test_a_long_chart_shows_its_first_and_last_rows_and_counts_the_rest():
    chart = timeline(*[(f"step {n}", n, n + 1.0, "done") for n in range(120)]).chart()
    shown = rows(chart)
    assert len(shown) == 24
    labels = [row.split("  ")[0] for row in shown]
    assert labels[:18] == [f"step {n}" for n in range(18)]
    assert labels[18] == "(97 rows more)"
    assert labels[19:] == [f"step {n}" for n in range(115, 120)]


def test_a_chart_of_twenty_four_rows_is_shown_whole():
    chart = timeline(*[(f"step {n}", n, n + 1.0, "done") for n in range(24)]).chart()
    assert [row.split("  ")[0] for row in rows(chart)] == [f"step {n}" for n in range(24)]
