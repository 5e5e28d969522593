"""Wrong: moves the whole batch into one worker thread, which handles the files in turn."""

import asyncio
from pathlib import Path


def _save(folder: Path, reports: dict[str, str]) -> None:
    for name, text in reports.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")


def _load(folder: Path) -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in folder.glob("*.txt")}


async def save_reports(folder: Path, reports: dict[str, str]) -> None:
    """Write every report to `folder`, all files at the same time, off the loop."""
    await asyncio.to_thread(_save, folder, reports)


async def load_reports(folder: Path) -> dict[str, str]:
    """Read every `*.txt` report in `folder`, all files at the same time, off the loop."""
    return await asyncio.to_thread(_load, folder)
