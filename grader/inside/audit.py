"""The audit hook that refuses, for learner code, what an exercise has no need to do.

``sys.addaudithook`` hooks cannot be removed from Python code, and the plugin installs
this one before any learner file is imported. When learner code (directly, or through the
standard library on its behalf) tries to write a file, read outside its own folder, load C
code through ctypes, start a process, open a network connection, walk stack frames or the
garbage collector's object lists, or rebind attributes of the modules that decide a
verdict, the operation raises ``PermissionError`` and the refusal is kept: the test then
fails as interference, even if the learner code caught the error. An exercise that
legitimately uses threads, subprocesses, loopback sockets or signals says so with
``permissions`` in the manifest.

Who is asking is read from the stack. For operations that only learner code has a reason
to perform (spawning, writing, ctypes, threads, connections, signals) any learner frame on
the stack makes the request the learner's. For reads and introspection, the nearest frame
outside the standard library decides, so the grader's own helpers can still read frames
when learner code calls them, and ``print(task)`` or ``traceback.print_exc()`` still work.
"""

from __future__ import annotations

import ipaddress
import os
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from grader.inside.detectors import is_learner_file
from grader.inside.endless import WATCHDOG_STARTER
from grader.inside.integrity import is_protected
from grader.manifest import KIT_ROOT

_IMPLIED = {"sockets": {"threads"}, "subprocess": {"threads"}, "processes": {"threads"}}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
# The standard library's own folder (a virtual environment's lib/ holds only site-packages).
_STDLIB = str(Path(os.__file__).resolve().parent) + os.sep
_FRAME_ATTRIBUTES = {"tb_frame", "gi_frame", "cr_frame", "ag_frame"}
_SPAWN_EVENTS = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
                 "os.fork", "os.forkpty", "pty.spawn", "os.startfile"}  # fmt: skip
_FILE_CHANGE_EVENTS = {"os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.chmod",
                       "os.chown", "os.link", "os.symlink", "os.truncate", "os.utime",
                       "shutil.rmtree", "os.chflags", "os.lchmod", "os.lchown", "os.setxattr",
                       "os.removexattr"}  # fmt: skip
_LISTING_EVENTS = {"os.listdir", "os.scandir", "glob.glob", "glob.glob/2"}
_INTROSPECTION_EVENTS = {"sys._getframe", "sys._current_frames", "sys._getframemodulename",
                         "sys.settrace", "sys.setprofile", "gc.get_objects", "gc.get_referrers",
                         "gc.get_referents", "sys.addaudithook", "sys.monitoring.register_callback",
                         "cpython._PySys_ClearAuditHooks"}  # fmt: skip
_FRAME_LOOKUPS = {"sys._getframe", "sys._getframemodulename"}
_STACK_WALKERS = (f"{os.sep}inspect.py", f"{os.sep}traceback.py")
_SOCKET_ADDRESS_EVENTS = {"socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"}
_SOCKET_NAME_EVENTS = {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
                       "socket.gethostbyaddr", "socket.getnameinfo"}  # fmt: skip
_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "ip6-localhost"}


class AuditPolicy:
    """What learner code may do in this test, and what it was refused."""

    def __init__(self, attempt_roots: list[Path]) -> None:
        # The code under test may read its own folder, the Python installation, and the
        # kit's grader and tests (the learner has them anyway: tracebacks and warnings read
        # them too), but never the reference solutions or the known wrong answers.
        attempts = [str(root.resolve()) for root in attempt_roots]
        self.readable_roots = [
            *attempts,
            str(KIT_ROOT / "grader"),
            str(KIT_ROOT / "tests"),
            *(str(Path(p).resolve()) for p in {sys.prefix, sys.base_prefix, sys.exec_prefix}),
        ]
        self.hidden = (
            [] if str(KIT_ROOT / "tests") in attempts else [f"{os.sep}wrong_answers{os.sep}"]
        )
        if str(KIT_ROOT / "solutions") not in attempts:
            self.hidden.append(str(KIT_ROOT / "solutions") + os.sep)
        self.temp_root = str(Path(tempfile.gettempdir()).resolve())
        self.permissions: frozenset[str] = frozenset()
        self.refused: list[str] = []
        self._busy = threading.local()

    def allow(self, permissions: frozenset[str]) -> None:
        """Grant the permissions of the exercise whose test runs next (and what they imply)."""
        granted = set(permissions)
        for permission in permissions:
            granted |= _IMPLIED.get(permission, set())
        self.permissions = frozenset(granted)

    def install(self) -> None:
        """Start auditing; there is no way back for this process."""
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple[Any, ...]) -> None:
        if event == "object.__getattr__" and args[1] not in _FRAME_ATTRIBUTES:
            # The commonest event by far (every read of frame.f_code or a function's
            # __code__ raises it) and harmless: out before any other work.
            return
        check = _CHECKS.get(event) or (_ctypes if event.startswith("ctypes.") else None)
        if check is None or getattr(self._busy, "active", False):
            return
        self._busy.active = True
        try:
            refusal = check(self, event, args, sys._getframe(1))
        finally:
            self._busy.active = False
        if refusal:
            self.refused.append(refusal)
            raise PermissionError(f"the grader refused this: {refusal}")

    # -- who is asking -----------------------------------------------------------------------

    @staticmethod
    def learner_on_stack(frame: FrameType | None) -> bool:
        """Whether any frame on the stack is learner code."""
        while frame is not None:
            if is_learner_file(frame.f_code.co_filename):
                return True
            frame = frame.f_back
        return False

    @staticmethod
    def learner_asks(frame: FrameType | None) -> bool:
        """Whether the nearest frame outside the standard library is learner code."""
        asking = _outside_the_standard_library(frame)
        return asking is not None and is_learner_file(asking.f_code.co_filename)

    def readable(self, path: str) -> bool:
        """Whether learner code may read ``path``."""
        if path in ("/dev/null", "/dev/urandom"):
            return True
        resolved = str(Path(path).resolve())
        if any(hidden in resolved + os.sep for hidden in self.hidden):
            return False
        roots = self.readable_roots + ([self.temp_root] if "files" in self.permissions else [])
        return any(resolved == root or resolved.startswith(root + os.sep) for root in roots)

    def writable(self, path: str) -> bool:
        """Whether learner code may create or change ``path``: only in temp, with "files"."""
        if path == "/dev/null":
            return True
        resolved = str(Path(path).resolve())
        return "files" in self.permissions and resolved.startswith(self.temp_root + os.sep)


Check = Callable[[AuditPolicy, str, tuple[Any, ...], FrameType], str | None]


def _open(policy: AuditPolicy, event: str, args: tuple[Any, ...], frame: FrameType) -> str | None:
    path, mode, flags = ([*list(args), None, None, None])[:3]
    writing = bool(mode and any(c in str(mode) for c in "wax+")) or bool(
        isinstance(flags, int) and flags & _WRITE_FLAGS
    )
    if isinstance(path, int):
        # A file object around a descriptor the process already has (subprocess and
        # sockets do this); os.write needs no such object, and records are signed.
        return None
    name = os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike)) else str(path)
    if writing:
        if policy.learner_on_stack(frame) and not policy.writable(name):
            return f"opened {name} for writing"
        return None
    if _pseudo_filename(name):
        return None
    if policy.learner_asks(frame) and not policy.readable(name):
        return f"opened {name} for reading (outside the exercise's folder)"
    return None


def _pseudo_filename(name: str) -> bool:
    """Whether ``name`` is a code object's made-up file name, such as ``<unknown>``.

    Python 3.13 opens one when a traceback is formatted (its caret anchors parse a line
    under the name ``<unknown>``): in the learner's call of the default exception handler,
    say. No such file is in the kit or the sandbox, so the open only fails.
    """
    return name.startswith("<") and name.endswith(">") and os.sep not in name


def _listing(
    policy: AuditPolicy, event: str, args: tuple[Any, ...], frame: FrameType
) -> str | None:
    target = args[0] if args else "."
    if isinstance(target, int):
        return None
    name = os.fsdecode(target) if target is not None else "."
    if policy.learner_asks(frame) and not policy.readable(name):
        return f"listed {name}"
    return None


def _file_change(
    policy: AuditPolicy, event: str, args: tuple[Any, ...], frame: FrameType
) -> str | None:
    target = args[0] if args else ""
    name = os.fsdecode(target) if isinstance(target, (str, bytes, os.PathLike)) else str(target)
    if policy.learner_on_stack(frame) and not policy.writable(name):
        return f"{event} on {name}"
    return None


def _spawn(policy: AuditPolicy, event: str, args: tuple[Any, ...], frame: FrameType) -> str | None:
    needed = "processes" if event in ("os.fork", "os.forkpty") else "subprocess"
    allowed = needed in policy.permissions or "processes" in policy.permissions
    if not allowed and policy.learner_on_stack(frame):
        shown = args[1] if event == "subprocess.Popen" and len(args) > 1 else event
        return f"started a process ({shown!r})"
    return None


def _outside_the_standard_library(frame: FrameType | None) -> FrameType | None:
    """The nearest frame, from ``frame`` outwards, that is not the standard library's."""
    while frame is not None:
        filename = frame.f_code.co_filename
        in_stdlib = filename.startswith(_STDLIB) and "site-packages" not in filename
        if not (filename.startswith("<") or in_stdlib):
            return frame
        frame = frame.f_back
    return None


def _thread(policy: AuditPolicy, event: str, args: tuple[Any, ...], frame: FrameType) -> str | None:
    if "threads" in policy.permissions or not policy.learner_on_stack(frame):
        return None
    # The kit's busy-loop watchdog starts with the first loop, which may be one that learner
    # code runs (asyncio.run): that thread is the kit's, whoever is on the stack.
    starter = _outside_the_standard_library(frame)
    if starter is not None and starter.f_code is WATCHDOG_STARTER:
        return None
    return "started a thread (this exercise does not use threads)"


def _ctypes(policy: AuditPolicy, event: str, args: tuple[Any, ...], frame: FrameType) -> str | None:
    return f"used ctypes ({event})" if policy.learner_on_stack(frame) else None


def _introspection(
    policy: AuditPolicy, event: str, args: tuple[Any, ...], frame: FrameType
) -> str | None:
    if event in _FRAME_LOOKUPS:
        # typing, enum, dataclasses and logging look one frame up for a module name; only
        # learner code asking directly, or through the stack-walking helpers, is refused.
        caller = frame.f_code.co_filename
        direct = is_learner_file(caller)
        walker = caller.endswith(_STACK_WALKERS) and policy.learner_asks(frame)
        return f"called {event} (walking stack frames)" if direct or walker else None
    return f"called {event}" if policy.learner_asks(frame) else None


def _attribute(
    policy: AuditPolicy, event: str, args: tuple[Any, ...], frame: FrameType
) -> str | None:
    target, name = args[0], args[1]
    if event == "object.__getattr__":
        # Only the code that touches the attribute itself decides: asyncio reading a
        # coroutine's frame to print a task is fine, learner code walking frames is not.
        if name in _FRAME_ATTRIBUTES and is_learner_file(frame.f_code.co_filename):
            return f"read {type(target).__name__}.{name} (walking stack frames)"
        return None
    module = getattr(target, "__module__", None) or getattr(target, "__name__", "")
    if isinstance(module, str) and is_protected(module) and policy.learner_asks(frame):
        owner = getattr(target, "__qualname__", type(target).__name__)
        return f"changed {module}.{owner}.{name}"
    return None


def _socket(policy: AuditPolicy, event: str, args: tuple[Any, ...], frame: FrameType) -> str | None:
    if not policy.learner_on_stack(frame):
        return None
    if event in _SOCKET_NAME_EVENTS:
        host = args[0] if args else None
        host = host.decode() if isinstance(host, bytes) else host
        if host is None or str(host) in _LOOPBACK_NAMES or _is_loopback(str(host)):
            return None if "sockets" in policy.permissions else f"looked up {host!r}"
        return f"looked up {host!r} (only the loopback address is reachable)"
    address = args[1] if len(args) > 1 else None
    if isinstance(address, tuple) and address:
        if not (_is_loopback(str(address[0])) or str(address[0]) in _LOOPBACK_NAMES):
            return f"{event} to {address[0]!r} (only the loopback address is reachable)"
        return None if "sockets" in policy.permissions else f"{event} to {address[0]!r}"
    if isinstance(address, (str, bytes)):
        return None if "sockets" in policy.permissions else f"{event} on a local socket"
    return None


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _kill(policy: AuditPolicy, event: str, args: tuple[Any, ...], frame: FrameType) -> str | None:
    pid = args[0] if args else None
    if not policy.learner_on_stack(frame):
        return None
    if pid == os.getpid() and "signals" in policy.permissions:
        return None
    child = isinstance(pid, int) and pid > 0 and pid not in (os.getpid(), os.getppid())
    if child and policy.permissions & {"subprocess", "processes"}:
        return None  # stopping a process the exercise started
    return f"sent a signal ({event} {pid})"


_CHECKS: dict[str, Check] = {
    "open": _open,
    "_thread.start_new_thread": _thread,
    "_thread.start_joinable_thread": _thread,  # Python 3.13+ (3.12 raises the one above)
    "object.__getattr__": _attribute,
    "object.__setattr__": _attribute,
    "object.__delattr__": _attribute,
    "os.kill": _kill,
    "os.killpg": _kill,
    "signal.pthread_kill": _kill,
    **dict.fromkeys(_SPAWN_EVENTS, _spawn),
    **dict.fromkeys(_FILE_CHANGE_EVENTS, _file_change),
    **dict.fromkeys(_LISTING_EVENTS, _listing),
    **dict.fromkeys(_INTROSPECTION_EVENTS, _introspection),
    **dict.fromkeys(_SOCKET_ADDRESS_EVENTS | _SOCKET_NAME_EVENTS, _socket),
}
