"""Wrong: loads the *.txt files of the subfolders too (rglob instead of glob)."""

import asyncio
from pathlib import Path


async def save_reports(folder: Path, reports: dict[str, str]) -> None:
    """Write every report to `folder`, all files at the same time, off the loop."""
    await asyncio.gather(
        *(
            asyncio.to_thread((folder / f"{name}.txt").write_text, text, encoding="utf-8")
            for name, text in reports.items()
        )
    )


async def load_reports(folder: Path) -> dict[str, str]:
    """Read every `*.txt` report in `folder`, all files at the same time, off the loop."""
    paths = await asyncio.to_thread(lambda: sorted(folder.rglob("*.txt")))
    texts = await asyncio.gather(
        *(asyncio.to_thread(path.read_text, encoding="utf-8") for path in paths)
    )
    return {path.stem: text for path, text in zip(paths, texts, strict=True)}
