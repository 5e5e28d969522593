"""Fixtures for the grader's own tests: submissions built from the reference solutions."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from grader.manifest import KIT_ROOT, Manifest, load_manifest

GOLDEN_DIR = Path(__file__).with_name("golden")


# What differs between two runs of the same attempt: addresses, temporary folders, timings.
_UNSTABLE = [
    (re.compile(r"0x[0-9a-f]+"), "0x..."),
    (re.compile(r"/[^\s'\"]*/submission/"), "<submission>/"),
    (re.compile(r'(time|timestamp|hostname)="[^"]*"'), r'\1="..."'),
    # Which isolation a machine can give (bubblewrap, or the fallback) is the machine's.
    (re.compile(r'"isolation": "[^"]*"'), '"isolation": "..."'),
]


def _stable(text: str) -> str:
    """``text`` with what varies between runs replaced by fixed placeholders."""
    for pattern, replacement in _UNSTABLE:
        text = pattern.sub(replacement, text)
    return text


@pytest.fixture(scope="session")
def manifest() -> Manifest:
    """The kit's real manifest."""
    return load_manifest()


@pytest.fixture
def make_submission(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """A submission folder: every reference solution, with some files replaced."""

    def build(replacements: dict[str, str]) -> Path:
        folder = tmp_path / "submission"
        shutil.copytree(KIT_ROOT / "solutions", folder)
        for relative, text in replacements.items():
            (folder / relative).write_text(text, encoding="utf-8")
        return folder

    return build


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """Compare text with a golden file; UPDATE_GOLDEN=1 rewrites the file instead."""

    def compare(name: str, actual: str) -> None:
        path = GOLDEN_DIR / name
        actual = _stable(actual)
        if os.environ.get("UPDATE_GOLDEN") == "1":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, (
            f"{name} differs from its golden file (UPDATE_GOLDEN=1 to accept)"
        )

    return compare
