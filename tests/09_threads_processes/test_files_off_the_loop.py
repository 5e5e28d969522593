"""Tests for exercises/09_threads_processes/files_off_the_loop.py.

The files are real (in pytest's tmp_path), on a slow disk: while a test's `slow_disk()`
block runs, opening a file blocks the calling thread for 0.25 s of the event loop's clock
(see conftest.py), and the kit's blocking-call detector refuses it on the loop's own
thread. `open()`, `io.open()` and everything built on them (Path.read_text,
Path.write_text, Path.open) go through it. The tests touch files themselves only outside
that block.
"""

import asyncio
import builtins
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

OPEN_SECONDS = 0.25
ADVICE = (
    "opening a file waits for the disk; do the file work in a worker thread, e.g. "
    "`await asyncio.to_thread(path.write_text, text)`"
)


@contextmanager
def slow_disk(library: Any) -> Iterator[None]:
    """Make every open() block its thread for OPEN_SECONDS of loop time, off the loop only."""
    real_open = io.open

    def work(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> tuple[str, float, Any]:
        label = f"open({os.path.basename(os.fspath(file))!r}, {mode!r})"
        return label, OPEN_SECONDS, lambda: real_open(file, mode, *args, **kwargs)

    guarded = library.blocking("open", ADVICE, work)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builtins, "open", guarded)
        patch.setattr(io, "open", guarded)
        yield


def nudge_for_overlap(what: str) -> str:
    return (
        f"Start every {what} in its own worker thread before you wait for any of them: "
        f"collect the asyncio.to_thread(...) coroutines and asyncio.gather them."
    )


REPORTS = {"january": "sales up\n", "february": "sales flat\n", "march": "sales down\n"}


async def test_saving_three_reports_writes_them_in_threads_at_the_same_time(
    exercise, library, tmp_path, clock
):
    with slow_disk(library):
        await exercise.save_reports(tmp_path, REPORTS)
    saved = {path.name: path.read_text(encoding="utf-8") for path in tmp_path.iterdir()}
    expected = {f"{name}.txt": text for name, text in REPORTS.items()}
    assert saved == expected, (
        f"After save_reports(folder, {REPORTS!r}) the folder holds {saved!r}; expected "
        f"{expected!r}."
    )
    assert clock.now == OPEN_SECONDS, library.timeline.explain(
        f"Saving three reports took {clock.now:g} s of event-loop time; each file takes "
        f"{OPEN_SECONDS:g} s on this disk, so together they should take {OPEN_SECONDS:g} s.",
        nudge_for_overlap("write"),
    )


async def test_loading_reads_every_txt_report_back_at_the_same_time(
    exercise, library, tmp_path, clock
):
    for name, text in REPORTS.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "notes.md").write_text("not a report", encoding="utf-8")
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "december.txt").write_text("last year\n", encoding="utf-8")
    with slow_disk(library):
        loaded = await exercise.load_reports(tmp_path)
    assert loaded == REPORTS, (
        f"load_reports(folder) returned {loaded!r}; expected {REPORTS!r}: every *.txt file "
        "in the folder itself, keyed by its name without '.txt' (notes.md is not a report, "
        "and archive/december.txt is in a subfolder: glob, not rglob)."
    )
    assert clock.now == OPEN_SECONDS, library.timeline.explain(
        f"Loading three reports took {clock.now:g} s of event-loop time; expected "
        f"{OPEN_SECONDS:g} s, the time of one file.",
        nudge_for_overlap("read"),
    )


async def test_saving_again_replaces_the_text_and_empty_text_survives(
    exercise, library, tmp_path, clock
):
    with slow_disk(library):
        await exercise.save_reports(tmp_path, {"april": "first draft\n", "may": "x"})
        await exercise.save_reports(tmp_path, {"april": "", "may": "x"})
        loaded = await exercise.load_reports(tmp_path)
    assert loaded == {"april": "", "may": "x"}, (
        "Saving {'april': 'first draft\\n', 'may': 'x'} and then {'april': '', 'may': 'x'} "
        f"and loading the folder gave {loaded!r}; expected {{'april': '', 'may': 'x'}}: a "
        "save replaces the old text, even with an empty one."
    )
    assert clock.now == 3 * OPEN_SECONDS


async def test_nothing_to_save_or_load_takes_no_time(exercise, library, tmp_path, clock):
    with slow_disk(library):
        await exercise.save_reports(tmp_path, {})
        loaded = await exercise.load_reports(tmp_path)
    assert (loaded, list(tmp_path.iterdir()), clock.now) == ({}, [], 0), (
        f"Saving no reports and loading an empty folder gave {loaded!r} and took "
        f"{clock.now:g} s; expected {{}}, no files, and no time."
    )


async def test_saving_into_a_missing_folder_raises_the_disk_s_error(exercise, library, tmp_path):
    missing = tmp_path / "no-such-folder"
    with slow_disk(library), pytest.raises(FileNotFoundError) as raised:
        await exercise.save_reports(missing, {"june": "hot\n"})
    assert raised.value.filename == str(missing / "june.txt"), (
        f"save_reports into a missing folder raised {raised.value!r}; expected the "
        f"FileNotFoundError from opening {missing / 'june.txt'}, as it is."
    )


@pytest.mark.parametrize("cancel_at", [0, OPEN_SECONDS / 2])
async def test_a_cancelled_save_ends_cancelled_at_once(
    exercise, library, tmp_path, clock, cancel_at
):
    with slow_disk(library):
        task = asyncio.create_task(exercise.save_reports(tmp_path, REPORTS))
        asyncio.get_running_loop().call_at(cancel_at, task.cancel)
        await asyncio.wait([task])
    assert (task.cancelled(), clock.now) == (True, cancel_at), (
        f"save_reports was cancelled at t={cancel_at:g} s and ended at t={clock.now:g} s, "
        f"{'cancelled' if task.cancelled() else 'not cancelled'}; expected it to end "
        "cancelled at once. The threads finish their files on their own; nobody has to "
        "wait for them."
    )
