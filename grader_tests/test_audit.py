"""The audit hook's thread rule, decided on live stacks: whose thread is starting.

Python 3.11 raises no audit event when a thread starts (3.12 and 3.13 do), so the rule is
checked here by calling it from inside ``Thread.start`` itself, on every version.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from pathlib import Path
from types import FrameType

import pytest

from grader.inside import audit
from grader.inside.endless import EndlessWork, _Watchdog

# A learner's file: it starts a thread of its own, or runs a loop the kit watches.
_LEARNER_CODE = """
import threading


def start_my_thread():
    threading.Thread(target=print).start()


def run_a_watched_loop(work, watch):
    watch(work)


def call(function):
    return function()
"""


@pytest.fixture
def learner(tmp_path: Path) -> dict[str, object]:
    """The learner file's functions, compiled from a file outside the kit."""
    path = tmp_path / "attempt.py"
    path.write_text(_LEARNER_CODE, encoding="utf-8")
    namespace: dict[str, object] = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    return namespace


def _decisions_on_start(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str | None]:
    """Make Thread.start ask the audit rule instead of starting; returns what it decided."""
    policy = audit.AuditPolicy([tmp_path])
    decisions: list[str | None] = []

    def start(thread: threading.Thread) -> None:
        caller: FrameType = sys._getframe(1)
        decisions.append(audit._thread(policy, "_thread.start_new_thread", (), caller))

    monkeypatch.setattr(threading.Thread, "start", start)
    return decisions


def test_a_thread_the_learner_starts_is_refused_where_threads_are_not_allowed(
    monkeypatch, tmp_path, learner
):
    decisions = _decisions_on_start(monkeypatch, tmp_path)
    learner["start_my_thread"]()  # type: ignore[operator]
    assert decisions == ["started a thread (this exercise does not use threads)"]


def test_the_kit_s_watchdog_may_start_under_a_loop_that_learner_code_runs(
    monkeypatch, tmp_path, learner
):
    # asyncio.run() in learner code runs the kit's loop, which starts the busy-loop
    # watchdog on its first run: a correct answer must not be refused for it.
    monkeypatch.setattr(_Watchdog, "_thread", None)
    monkeypatch.setattr(_Watchdog, "_watched", set())
    decisions = _decisions_on_start(monkeypatch, tmp_path)
    loop = asyncio.new_event_loop()
    try:
        learner["run_a_watched_loop"](EndlessWork(loop, list), _Watchdog.watch)  # type: ignore[operator]
    finally:
        loop.close()
    assert decisions == [None]


@pytest.mark.parametrize(
    ("name", "refused"),
    [("<unknown>", False), ("<string>", False), ("/etc/hostname", True), ("<../x>", True)],
)
def test_a_made_up_file_name_may_be_opened_but_a_real_file_elsewhere_may_not(
    tmp_path, learner, name, refused
):
    """Python 3.13's traceback formatting opens ``<unknown>`` under the learner's call."""
    policy = audit.AuditPolicy([tmp_path])

    def open_from_learner_code() -> str | None:
        caller: FrameType = sys._getframe(1)
        return audit._open(policy, "open", (name, "rb", 0), caller)

    decision = learner["call"](open_from_learner_code)  # type: ignore[operator]
    assert (decision is not None) == refused, decision
