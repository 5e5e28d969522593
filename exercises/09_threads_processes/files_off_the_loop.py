"""Read and write files without blocking the event loop.

Opening, reading and writing a file, and listing a folder, all wait for the disk, and
Python's file functions wait by blocking the thread that calls them. On a slow disk (a
network share, say) a coroutine that touches files freezes every other task meanwhile.

- `save_reports(folder, reports)` writes each report `name -> text` to the file
  `folder / f"{name}.txt"`, replacing what was there.
- `load_reports(folder)` reads every `*.txt` file in `folder` (not in its subfolders)
  into a dict `name -> text`, keyed by the file name without `.txt`.

Both do their file work, the listing too, in worker threads (asyncio.to_thread), every
file at the same time. An error from the disk (saving into a missing folder, say) is
raised as it is.
"""

from pathlib import Path


async def save_reports(folder: Path, reports: dict[str, str]) -> None:
    """Write every report to `folder`, all files at the same time, off the loop."""
    # TODO: write each file in a worker thread, and start every write before you wait.
    for name, text in reports.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")


async def load_reports(folder: Path) -> dict[str, str]:
    """Read every `*.txt` report in `folder`, all files at the same time, off the loop."""
    # TODO: list the folder and read each file in worker threads; start every read before
    # you wait.
    return {path.stem: path.read_text(encoding="utf-8") for path in folder.glob("*.txt")}
