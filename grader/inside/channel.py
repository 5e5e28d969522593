"""The test process's side of the results channel: signed records on an inherited pipe.

The grader starts pytest with two pipes at agreed descriptors, never named on the command
line or in the environment: it writes a one-time key into one and reads records from the
other. Before any learner code is imported, the plugin reads the key, moves the results
pipe to an unpredictable descriptor that child processes do not inherit, and closes both
originals. Each record is one JSON line carrying a sequence number and an HMAC of its body,
so a record written by anything that does not hold the key, or replayed, or dropped from
the middle, is seen as tampering by the grader.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from typing import Any

from grader.records import KEY_BYTES, KEY_FD, RESULTS_FD, signature

Send = Callable[[str, dict[str, Any]], None]


def open_channel() -> tuple[Send, int]:
    """Take over the inherited pipes: the function that sends one record, and a descriptor.

    The key lives only in the returned function's closure: nothing module-level names it,
    so learner code has no attribute to read it from. The descriptor is a second handle on
    the results pipe for faulthandler's unsigned crash text (the grader shows it as the
    reason a run died, never as a result).
    """
    key = _read_key()
    os.close(KEY_FD)
    results = _hide(os.dup(RESULTS_FD))
    crash_text = _hide(os.dup(RESULTS_FD))
    os.close(RESULTS_FD)
    sequence = 0

    def send(kind: str, payload: dict[str, Any]) -> None:
        nonlocal sequence
        body = json.dumps({"kind": kind, **payload}, separators=(",", ":"))
        line = json.dumps({"seq": sequence, "body": body, "mac": signature(key, sequence, body)})
        sequence += 1
        data = (line + "\n").encode()
        while data:
            data = data[os.write(results, data) :]

    return send, crash_text


def _read_key() -> bytes:
    key = b""
    while len(key) < KEY_BYTES:
        chunk = os.read(KEY_FD, KEY_BYTES - len(key))
        if not chunk:
            raise RuntimeError("the grader's key pipe closed before the key arrived")
        key += chunk
    return key


def _hide(fd: int) -> int:
    """Move ``fd`` to a random free descriptor number (not inherited by child processes)."""
    for _ in range(64):
        target = 200 + secrets.randbelow(800)
        try:
            os.fstat(target)
        except OSError:
            os.dup2(fd, target, inheritable=False)
            os.close(fd)
            return target
    return fd
