"""The learner's small local state: how many hints of each exercise have been shown.

Kept in ``.kit/state.json`` at the kit root (git ignores it); deleting it starts over.
"""

from __future__ import annotations

import json
from pathlib import Path

from grader.manifest import KIT_ROOT, Exercise

STATE_PATH = KIT_ROOT / ".kit" / "state.json"


def _read(path: Path) -> dict[str, int]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # a missing or damaged file just means no hints were shown yet
    shown = data.get("hints_shown", {}) if isinstance(data, dict) else {}
    return {key: value for key, value in shown.items() if isinstance(value, int)}


def next_hint(exercise: Exercise, path: Path = STATE_PATH) -> tuple[int, str]:
    """The next hint not yet shown for ``exercise`` (1-based number, text), and remember it.

    After the last hint, the last one is shown again.
    """
    shown = _read(path)
    number = min(shown.get(exercise.id, 0) + 1, len(exercise.hints))
    shown[exercise.id] = number
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"hints_shown": shown}, indent=1) + "\n", encoding="utf-8")
    return number, exercise.hints[number - 1]
