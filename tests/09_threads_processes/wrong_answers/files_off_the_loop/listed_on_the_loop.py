"""Wrong: reads the files in threads, but lists the folder on the event loop's thread."""

import asyncio
from pathlib import Path


async def save_reports(folder: Path, reports: dict[str, str]) -> None:
    """Write every report to `folder`, all files at the same time, off the loop."""
    writes = (
        asyncio.to_thread((folder / f"{name}.txt").write_text, text, encoding="utf-8")
        for name, text in reports.items()
    )
    await asyncio.gather(*writes)


async def load_reports(folder: Path) -> dict[str, str]:
    """Read every `*.txt` report in `folder`, all files at the same time, off the loop."""
    paths = sorted(folder.glob("*.txt"))  # noqa: ASYNC240 (the mistake on show)
    texts = await asyncio.gather(*(asyncio.to_thread(path.read_text) for path in paths))
    return {path.stem: text for path, text in zip(paths, texts, strict=True)}
