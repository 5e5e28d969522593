"""Advice from a linter on the learner's file: ruff's asyncio rules, never part of the score.

ruff comes with the kit's environment (the ``test`` dependency group), so this works
offline. Its ``ASYNC`` rules catch blocking calls and other traps inside ``async def``, and
``RUF006`` a task created without keeping a reference. Without ruff there is no advice.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

RULES = "ASYNC,RUF006"
_LIMIT_SECONDS = 20
# ruff's wording for a linter user, said again for a learner where it helps.
_IN_OUR_WORDS = {
    "ASYNC110": "a `while` loop around `asyncio.sleep` polls; await an Event (or the thing "
    "itself) instead",
    "ASYNC210": "a blocking HTTP call in an async function stops the loop; run it with "
    "asyncio.to_thread()",
    "ASYNC230": "open() in an async function blocks the loop while the file is read; keep file "
    "work short or run it with asyncio.to_thread()",
    "ASYNC251": "`time.sleep` in an async function blocks the loop; use `await asyncio.sleep()`",
    "RUF006": "the task from `asyncio.create_task` is not kept anywhere: the loop holds tasks "
    "only weakly, so keep a reference (or use a TaskGroup)",
}


def advice_for(files: list[Path]) -> dict[Path, list[str]]:
    """``line 12: <what ruff says>`` for each finding, per file (files without any left out)."""
    existing = [str(path) for path in files if path.is_file()]
    if not existing:
        return {}
    command = [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache",
               "--select", RULES, "--output-format", "json", "--exit-zero", *existing]  # fmt: skip
    try:
        completed = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=_LIMIT_SECONDS
        )
        findings = json.loads(completed.stdout or "[]")
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return {}  # no ruff here, or it failed: advice is a bonus, never a reason to stop
    found: dict[Path, list[str]] = {}
    for finding in findings if isinstance(findings, list) else []:
        try:
            path = Path(finding["filename"]).resolve()
            line = int(finding["location"]["row"])
            code = str(finding["code"])
            text = f"line {line}: {_IN_OUR_WORDS.get(code, finding['message'])} ({code})"
        except (KeyError, TypeError, ValueError):
            continue
        found.setdefault(path, []).append(text)
    return found
