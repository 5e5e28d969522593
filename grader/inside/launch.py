"""Start pytest inside a sandbox: give up root first, then run pytest with the given arguments.

bubblewrap has to start as root to bind the interpreter's folders when the grader runs as
root; the tests themselves then run as uid 65534, where the process limit applies.
"""

from __future__ import annotations

import os
import sys

import pytest

NOBODY = 65534
PROCESSES = 256


def main() -> int:
    """Drop root if we have it, then hand over to pytest (bubblewrap runs only)."""
    if os.geteuid() == 0:
        import resource  # only sandboxes (Linux) use the launcher

        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
        resource.setrlimit(resource.RLIMIT_NPROC, (PROCESSES, PROCESSES))
    return int(pytest.main(sys.argv[1:]))


if __name__ == "__main__":
    sys.exit(main())
