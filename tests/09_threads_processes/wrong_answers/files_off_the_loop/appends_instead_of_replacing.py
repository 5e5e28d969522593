"""Wrong: opens each report for appending, so saving again adds to the old text."""

import asyncio
from pathlib import Path


def _append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as file:
        file.write(text)


async def save_reports(folder: Path, reports: dict[str, str]) -> None:
    """Write every report to `folder`, all files at the same time, off the loop."""
    await asyncio.gather(
        *(
            asyncio.to_thread(_append, folder / f"{name}.txt", text)
            for name, text in reports.items()
        )
    )


async def load_reports(folder: Path) -> dict[str, str]:
    """Read every `*.txt` report in `folder`, all files at the same time, off the loop."""
    paths = await asyncio.to_thread(lambda: sorted(folder.glob("*.txt")))
    texts = await asyncio.gather(*(asyncio.to_thread(path.read_text) for path in paths))
    return {path.stem: text for path, text in zip(paths, texts, strict=True)}
