"""Tests for exercises/09_threads_processes/files_off_the_loop.py.

The files are real (in pytest's tmp_path), on a slow disk: while a test's `slow_disk()`
block runs, opening a file blocks the calling thread for OPEN_SECONDS of the event loop's
clock and listing a folder for LIST_SECONDS (see conftest.py), and the kit's blocking-call
detector refuses either on the loop's own thread. Opening is `open()`, `io.open()` and
`os.open()`, so everything built on them (Path.read_text, Path.write_text, Path.open,
os.fdopen) goes through it; listing is `os.scandir()` and `os.listdir()`, which
Path.glob, Path.iterdir, glob.glob and os.walk use. The tests touch files themselves only
outside that block.
"""

import asyncio
import builtins
import glob
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

# Odd, unequal costs, so that every step's share of the total shows in the clock.
OPEN_SECONDS = 0.25
LIST_SECONDS = 0.13
OPEN_ADVICE = (
    "opening a file waits for the disk; do the file work in a worker thread, e.g. "
    "`await asyncio.to_thread(path.write_text, text)`"
)
LIST_ADVICE = (
    "listing a folder waits for the disk too (Path.glob, Path.iterdir, glob.glob and "
    "os.listdir all read it); list it in a worker thread as well, e.g. "
    "`paths = await asyncio.to_thread(lambda: list(folder.glob('*.txt')))`"
)


def _name(target: Any) -> str:
    """How the timeline shows a file or folder: its last part, or the descriptor."""
    if isinstance(target, int):
        return f"fd {target}"
    return repr(os.path.basename(os.fspath(target)))


@contextmanager
def slow_disk(library: Any, folder: Path) -> Iterator[None]:
    """Make opening and listing block their thread for a while of loop time, off the loop only.

    The timeline calls the test's `folder` just that: its tmp_path name would fill the chart.
    """
    real_open, real_os_open = io.open, os.open
    real_scandir, real_listdir = os.scandir, os.listdir

    def opening(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> tuple[str, float, Any]:
        # A descriptor (os.fdopen) was opened already, by os.open, which paid for it.
        seconds = 0 if isinstance(file, int) else OPEN_SECONDS
        return (
            f"open({_name(file)}, {mode!r})",
            seconds,
            lambda: real_open(file, mode, *args, **kwargs),
        )

    def os_opening(path: Any, *args: Any, **kwargs: Any) -> tuple[str, float, Any]:
        return f"os.open({_name(path)})", OPEN_SECONDS, lambda: real_os_open(path, *args, **kwargs)

    def listing(real: Any) -> Any:
        def work(path: Any = ".") -> tuple[str, float, Any]:
            shown = "folder" if Path(os.fsdecode(path)) == folder else _name(path)
            return f"os.{real.__name__}({shown})", LIST_SECONDS, lambda: real(path)

        return work

    guarded_open = library.blocking("open", OPEN_ADVICE, opening)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builtins, "open", guarded_open)
        patch.setattr(io, "open", guarded_open)
        patch.setattr(os, "open", library.blocking("os.open", OPEN_ADVICE, os_opening))
        guarded_scandir = library.blocking("os.scandir", LIST_ADVICE, listing(real_scandir))
        patch.setattr(os, "scandir", guarded_scandir)
        patch.setattr(
            os, "listdir", library.blocking("os.listdir", LIST_ADVICE, listing(real_listdir))
        )
        # Python 3.13's Path.glob keeps its own reference to os.scandir.
        globber = getattr(glob, "_StringGlobber", None)
        if globber is not None:
            patch.setattr(globber, "scandir", staticmethod(guarded_scandir))
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
    with slow_disk(library, tmp_path):
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
    with slow_disk(library, tmp_path):
        loaded = await exercise.load_reports(tmp_path)
    assert loaded == REPORTS, (
        f"load_reports(folder) returned {loaded!r}; expected {REPORTS!r}: every *.txt file "
        "in the folder itself, keyed by its name without '.txt' (notes.md is not a report, "
        "and archive/december.txt is in a subfolder: glob, not rglob)."
    )
    assert clock.now == LIST_SECONDS + OPEN_SECONDS, library.timeline.explain(
        f"Loading three reports took {clock.now:g} s of event-loop time; expected "
        f"{LIST_SECONDS + OPEN_SECONDS:g} s: {LIST_SECONDS:g} s to list the folder once, "
        f"then {OPEN_SECONDS:g} s, the time of one file, for the three reads together.",
        nudge_for_overlap("read"),
    )


async def test_saving_again_replaces_the_text_and_empty_text_survives(
    exercise, library, tmp_path, clock
):
    with slow_disk(library, tmp_path):
        await exercise.save_reports(tmp_path, {"april": "first draft\n", "may": "x"})
        await exercise.save_reports(tmp_path, {"april": "", "may": "x"})
        loaded = await exercise.load_reports(tmp_path)
    assert loaded == {"april": "", "may": "x"}, (
        "Saving {'april': 'first draft\\n', 'may': 'x'} and then {'april': '', 'may': 'x'} "
        f"and loading the folder gave {loaded!r}; expected {{'april': '', 'may': 'x'}}: a "
        "save replaces the old text, even with an empty one."
    )
    expected = 2 * OPEN_SECONDS + LIST_SECONDS + OPEN_SECONDS
    assert clock.now == expected, library.timeline.explain(
        f"Two saves of two reports and one load took {clock.now:g} s of event-loop time; "
        f"expected {expected:g} s: {OPEN_SECONDS:g} s for each save, then "
        f"{LIST_SECONDS:g} s to list the folder and {OPEN_SECONDS:g} s for the reads.",
        nudge_for_overlap("file"),
    )


# Report names with dots of their own, one even ending in ".txt": only the last ".txt",
# the one save_reports added, comes off.
@pytest.mark.parametrize("name", ["2024.q1.sales", "v1.2", "notes.txt"])
async def test_a_name_with_dots_comes_back_whole(exercise, library, tmp_path, name):
    with slow_disk(library, tmp_path):
        await exercise.save_reports(tmp_path, {name: "text\n"})
        loaded = await exercise.load_reports(tmp_path)
    assert loaded == {name: "text\n"}, (
        f"Saving {{{name!r}: 'text\\n'}} wrote {sorted(p.name for p in tmp_path.iterdir())}, "
        f"and loading the folder gave {loaded!r}; expected {{{name!r}: 'text\\n'}}: the "
        "file name without its last '.txt', dots inside the name and all (Path.stem)."
    )


async def test_saving_nothing_takes_no_time_and_an_empty_folder_only_its_listing(
    exercise, library, tmp_path, clock
):
    with slow_disk(library, tmp_path):
        await exercise.save_reports(tmp_path, {})
        saved_at = clock.now
        loaded = await exercise.load_reports(tmp_path)
    assert (loaded, list(tmp_path.iterdir()), saved_at, clock.now) == ({}, [], 0, LIST_SECONDS), (
        f"Saving no reports took {saved_at:g} s and loading the empty folder then gave "
        f"{loaded!r} at t={clock.now:g} s; expected no files, no time for the save, and "
        f"{{}} after the {LIST_SECONDS:g} s it takes to list the folder."
    )


async def test_saving_into_a_missing_folder_raises_the_disk_s_error(exercise, library, tmp_path):
    missing = tmp_path / "no-such-folder"
    with slow_disk(library, tmp_path), pytest.raises(FileNotFoundError) as raised:
        await exercise.save_reports(missing, {"june": "hot\n"})
    # os.fspath: open() reports the name as a str, os.open() as the path it was given.
    assert os.fspath(raised.value.filename) == str(missing / "june.txt"), (
        f"save_reports into a missing folder raised {raised.value!r}; expected the "
        f"FileNotFoundError from opening {missing / 'june.txt'}, as it is."
    )


@pytest.mark.parametrize("cancel_at", [0, OPEN_SECONDS / 2])
async def test_a_cancelled_save_ends_cancelled_at_once(
    exercise, library, tmp_path, clock, cancel_at
):
    with slow_disk(library, tmp_path):
        task = asyncio.create_task(exercise.save_reports(tmp_path, REPORTS))
        asyncio.get_running_loop().call_at(cancel_at, task.cancel)
        await asyncio.wait([task])
    assert (task.cancelled(), clock.now) == (True, cancel_at), (
        f"save_reports was cancelled at t={cancel_at:g} s and ended at t={clock.now:g} s, "
        f"{'cancelled' if task.cancelled() else 'not cancelled'}; expected it to end "
        "cancelled at once. The threads finish their files on their own; nobody has to "
        "wait for them."
    )
