"""hint, reset, watch and exercise selection, without running any exercise tests."""

from __future__ import annotations

import io

import pytest

from grader import cli
from grader.host.outcomes import FAILED, PASSED, ExerciseOutcome
from grader.host.pristine import original_stub
from grader.host.state import next_hint
from grader.manifest import KIT_ROOT, ManifestError


def test_hints_come_one_at_a_time_and_the_last_one_repeats(manifest, tmp_path):
    exercise = manifest.by_id("fetch_all")
    state = tmp_path / "state.json"
    shown = [next_hint(exercise, state) for _ in range(len(exercise.hints) + 1)]
    numbers = [number for number, _ in shown]
    assert numbers == [*range(1, len(exercise.hints) + 1), len(exercise.hints)]
    assert shown[0][1] == exercise.hints[0]


def test_deleting_or_damaging_the_state_file_starts_the_hints_over(manifest, tmp_path):
    exercise = manifest.by_id("fetch_all")
    state = tmp_path / "state.json"
    next_hint(exercise, state)
    state.write_text("{not json", encoding="utf-8")
    assert next_hint(exercise, state)[0] == 1


def test_selection_takes_ids_and_topics_in_teaching_order(manifest):
    chosen = manifest.select(["fetch_all", "coroutines"])
    assert chosen[-1].id == "fetch_all"
    assert {e.topic.id for e in chosen[:-1]} == {"coroutines"}


def test_an_unknown_name_suggests_close_matches(manifest):
    with pytest.raises(ManifestError, match="Did you mean: fetch_all"):
        manifest.select(["fetch_al"])


def test_the_command_line_exits_2_for_an_unknown_exercise(capsys):
    assert cli.main(["hint", "no_such_exercise"]) == cli.EXIT_USAGE
    assert "No exercise or topic is called 'no_such_exercise'" in capsys.readouterr().err


def test_reset_restores_the_stub_with_yes(manifest, tmp_path, monkeypatch, capsys):
    exercise = manifest.by_id("fetch_all")
    monkeypatch.setattr(cli, "KIT_ROOT", tmp_path)
    target = tmp_path / exercise.path_in("exercises")
    target.parent.mkdir(parents=True)
    target.write_text("my attempt\n", encoding="utf-8")
    assert cli.main(["reset", "fetch_all", "--yes"]) == cli.EXIT_OK
    assert target.read_text(encoding="utf-8") == original_stub(exercise)


def test_reset_without_a_terminal_does_not_overwrite_unless_told(manifest, tmp_path, monkeypatch):
    exercise = manifest.by_id("fetch_all")
    monkeypatch.setattr(cli, "KIT_ROOT", tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    target = tmp_path / exercise.path_in("exercises")
    target.parent.mkdir(parents=True)
    target.write_text("my attempt\n", encoding="utf-8")
    assert cli.main(["reset", "fetch_all"]) == cli.EXIT_OK  # nox must not say "failed"
    assert target.read_text(encoding="utf-8") == "my attempt\n"


def test_watch_regrades_on_save_and_moves_on_when_the_exercise_passes(manifest, capsys):
    first, second = manifest.exercises[0], manifest.exercises[1]
    solved: set[str] = set()
    graded: list[tuple[str, ...]] = []

    def fake_grade(exercises):
        graded.append(tuple(e.id for e in exercises))
        return [ExerciseOutcome(e, PASSED if e.id in solved else FAILED) for e in exercises]

    def saves():
        yield {KIT_ROOT / "README.md"}  # not an exercise: ignored
        yield {KIT_ROOT / first.path_in("exercises")}
        solved.add(first.id)
        yield {KIT_ROOT / first.path_in("exercises")}

    current = cli.watch_loop(manifest, None, saves(), grade=fake_grade)
    assert current == second
    assert graded[1:] == [(first.id,), (first.id,), tuple(e.id for e in manifest.exercises)]
    assert f"Moving on to {second.id}" in capsys.readouterr().out
