"""Wrong: keys each report by its file name up to the first dot, not without its last '.txt'."""

import asyncio
from pathlib import Path


async def save_reports(folder: Path, reports: dict[str, str]) -> None:
    """Write every report to `folder`, all files at the same time, off the loop."""
    # One thread per file: the writes wait for the disk side by side, not in turn.
    writes = (
        asyncio.to_thread((folder / f"{name}.txt").write_text, text, encoding="utf-8")
        for name, text in reports.items()
    )
    await asyncio.gather(*writes)


async def load_reports(folder: Path) -> dict[str, str]:
    """Read every `*.txt` report in `folder`, all files at the same time, off the loop."""
    # Listing the folder waits for the disk too: the listing is one job, the reads one each.
    paths = await asyncio.to_thread(lambda: sorted(folder.glob("*.txt")))
    texts = await asyncio.gather(
        *(asyncio.to_thread(path.read_text, encoding="utf-8") for path in paths)
    )
    return {path.name.split(".")[0]: text for path, text in zip(paths, texts, strict=True)}
