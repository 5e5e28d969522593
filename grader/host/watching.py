"""What ``watch`` listens to: saves under exercises/ and single keys pressed in the terminal.

Two daemon threads feed one queue, so the watch loop handles both in the order they come.
Keys are read one at a time without Enter (cbreak mode on POSIX, msvcrt on Windows); the
terminal is put back as it was when watching stops. Without a terminal only saves count.
"""

from __future__ import annotations

import contextlib
import queue
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

_POLL_SECONDS = 0.2


@contextlib.contextmanager
def terminal_events(folder: Path) -> Iterator[Iterator[set[Path] | str]]:
    """Events for the watch loop: a set of saved paths, or a key such as ``"h"``."""
    import watchfiles  # installed with the grading environment (the watch group)

    events: queue.Queue[set[Path] | str] = queue.Queue()
    stop = threading.Event()

    def saves() -> None:
        for batch in watchfiles.watch(folder, stop_event=stop, raise_interrupt=False):
            events.put({Path(path) for _, path in batch})

    threading.Thread(target=saves, name="watch saves", daemon=True).start()
    with _keys_in_cbreak_mode() as read_key:
        if read_key is not None:
            threading.Thread(target=_keys, args=(read_key, events, stop), daemon=True).start()
        try:
            yield _drain(events, stop)
        finally:
            stop.set()


def _drain(
    events: queue.Queue[set[Path] | str], stop: threading.Event
) -> Iterator[set[Path] | str]:
    try:
        while not stop.is_set():
            try:
                yield events.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                continue
    except KeyboardInterrupt:
        return


def _keys(read_key: object, events: queue.Queue[set[Path] | str], stop: threading.Event) -> None:
    while not stop.is_set():
        key = read_key()  # type: ignore[operator]
        if key:
            events.put(key.lower())


@contextlib.contextmanager
def _keys_in_cbreak_mode() -> Iterator[object | None]:
    """A function returning the next key pressed ('' after a short wait), or None."""
    if not sys.stdin.isatty():
        yield None
        return
    if sys.platform == "win32":
        import msvcrt
        import time

        def read_windows_key() -> str:
            if msvcrt.kbhit():
                return msvcrt.getwch()
            time.sleep(_POLL_SECONDS)
            return ""

        yield read_windows_key
        return
    import select
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)

    def read_posix_key() -> str:
        ready, _, _ = select.select([fd], [], [], _POLL_SECONDS)
        return sys.stdin.read(1) if ready else ""

    tty.setcbreak(fd)
    try:
        yield read_posix_key
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
