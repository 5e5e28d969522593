"""A throwaway tree per submission, and the isolation its test process runs under.

The tree holds what grading needs — the tests (without the known wrong answers), the
grader, the manifest and the pytest configuration — plus the submission's exercise files,
copied in as regular files. It never holds ``solutions/``. A file that is a symbolic link,
or whose path leaves the submission, is refused for its exercise.

The test process then runs under the strongest isolation available:

- ``bubblewrap``: a new mount namespace where only the Python installation (read-only) and
  the tree (read-only) exist, a private ``/tmp``, no network but loopback, its own PID
  namespace (every child dies with it), no environment but a few fixed variables, and,
  when the grader runs as root, the unprivileged uid 65534;
- ``fallback`` where bubblewrap is missing or cannot run (some containers): the same tree
  and environment, its own session so the whole process group is killed, and uid 65534
  when started as root and the interpreter is readable by it.

Both also get resource limits (memory, CPU seconds, processes, file size) and write their
output to files, never to pipes a child could hold open.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from grader.host.runner import PLUGIN_ARGS, PLUGIN_ENVIRONMENT
from grader.inside.launch import NOBODY, PROCESSES
from grader.manifest import KIT_ROOT, Exercise

# Limits for one test process. Honest runs use a fraction of each.
MEMORY_BYTES = 4 * 1024**3
FILE_BYTES = 64 * 1024**2
TMP_BYTES = 256 * 1024**2
MAX_SUBMITTED_FILE = 1024**2
# Copied into every tree; tests/ is copied without its wrong_answers folders.
_KIT_FILES = ("conftest.py", "pyproject.toml", "manifest.toml")
_KIT_FOLDERS = ("grader", "tests")
_SANDBOX_ROOT = Path("/kit")
COMPILED_INSIDE = "/tmp/pycache"


@dataclass
class Tree:
    """A prepared grading tree and the exercises whose submitted files were refused."""

    root: Path
    refused: dict[str, str] = field(default_factory=dict)

    @property
    def exercises_dir(self) -> Path:
        """Where the submission's files are inside the tree."""
        return self.root / "exercises"


def build_tree(submission: Path, exercises: Iterable[Exercise], scratch: Path) -> Tree:
    """Lay out a grading tree for ``submission`` inside the folder ``scratch``."""
    tree = Tree(scratch / "kit")
    _copy_kit(tree.root)
    base = submission.resolve()
    for exercise in exercises:
        problem = _submitted_file_problem(submission, base, exercise)
        if problem:
            tree.refused[exercise.id] = problem
            continue
        source = submission / exercise.relative_path
        if source.is_file():
            target = tree.exercises_dir / exercise.relative_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())  # a regular file, whatever the source was
    _open_to_all(tree.root)
    return tree


def _copy_kit(root: Path) -> None:
    root.mkdir(parents=True)
    (root / "exercises").mkdir()
    for name in _KIT_FILES:
        shutil.copy2(KIT_ROOT / name, root / name)
    ignore = shutil.ignore_patterns("wrong_answers", "__pycache__", "*.pyc", "course")
    for name in _KIT_FOLDERS:
        shutil.copytree(KIT_ROOT / name, root / name, ignore=ignore)


def _submitted_file_problem(submission: Path, base: Path, exercise: Exercise) -> str:
    """Why the exercise's submitted file cannot be graded, or "" when it can."""
    path = submission
    for part in exercise.relative_path.parts:
        path = path / part
        if path.is_symlink():
            return (
                f"{exercise.relative_path} in the submission is a symbolic link "
                f"({path.relative_to(submission)} points elsewhere). Submit the file itself."
            )
    if not path.exists():
        return ""
    if not path.resolve().is_relative_to(base):
        return f"{exercise.relative_path} resolves to a place outside the submission."
    if not path.is_file():
        return f"{exercise.relative_path} in the submission is not a regular file."
    if path.stat().st_size > MAX_SUBMITTED_FILE:
        return f"{exercise.relative_path} is larger than {MAX_SUBMITTED_FILE // 1024} KiB."
    return ""


def _open_to_all(root: Path) -> None:
    """Let uid 65534 read the tree: folders 0755, files 0644; nothing writable but by us."""
    for folder, _, files in os.walk(root):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
    os.chmod(root.parent, 0o755)


@functools.cache
def bubblewrap_works() -> bool:
    """Whether bubblewrap is installed and can create its namespaces here."""
    binary = shutil.which("bwrap")
    if binary is None or not sys.platform.startswith("linux"):
        return False
    probe = [binary, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true"]
    try:
        return subprocess.run(probe, capture_output=True, timeout=10, check=False).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def choose_isolation(requested: str) -> str:
    """``bubblewrap`` or ``fallback`` for "auto", or the requested mode if it can run."""
    if requested == "auto":
        return "bubblewrap" if bubblewrap_works() else "fallback"
    if requested == "bubblewrap" and not bubblewrap_works():
        raise RuntimeError("bubblewrap (bwrap) is not installed or cannot run here")
    return requested


def describe(isolation: str) -> str:
    """The isolation as instructor outputs name it."""
    if isolation == "bubblewrap":
        user = " as uid 65534" if os.geteuid() == 0 else ""
        return f"bubblewrap (read-only kit, no network, own PID namespace, limits{user})"
    if isolation == "fallback":
        user = " as uid 65534" if _drop_privileges() else ""
        return (
            "fallback without bubblewrap (throwaway tree, scrubbed environment, limits, "
            f"process-group kill{user})"
        )
    return "none (the learner's own machine)"


def environment(home: str) -> dict[str, str]:
    """The whole environment of a sandboxed test process: nothing from the grader's."""
    return {
        **PLUGIN_ENVIRONMENT,
        "PATH": "/usr/bin:/bin",
        "HOME": home,
        "LANG": "C.UTF-8",
        "PYTHONNOUSERSITE": "1",
        "PYTHONPYCACHEPREFIX": COMPILED_INSIDE if home == "/tmp" else f"{home}/pycache",
        "NO_COLOR": "1",
    }


def command(
    isolation: str, tree: Tree, compiled: Path | None = None
) -> tuple[list[str], Path, str]:
    """The command line, working folder and tree path (as the process sees it) for a run.

    ``compiled`` is a cache of the kit's compiled modules, bound read-only (see
    :func:`compiled_cache`).
    """
    if isolation != "bubblewrap":
        return [sys.executable, "-m", "pytest"], tree.root, str(tree.root)
    launcher = [sys.executable, "-m", "grader.inside.launch"]
    binds: list[str] = []
    made: set[str] = set()
    for path in _python_paths():
        binds += [*_parents(path, made), "--ro-bind", path, path]
    # The installation is bound where it is, so sys.executable is the same path inside.
    bwrap = [
        "bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
        "--unshare-cgroup-try", "--die-with-parent", "--new-session",
        # The private /tmp comes first: the interpreter may live under /tmp (a CI clone's
        # virtual environment), and a later tmpfs would hide its bind.
        "--proc", "/proc", "--dev", "/dev",
        # Process pools need POSIX semaphores, which live in /dev/shm.
        "--perms", "1777", "--size", str(TMP_BYTES), "--tmpfs", "/dev/shm",
        "--perms", "1777", "--size", str(TMP_BYTES), "--tmpfs", "/tmp",
        "--ro-bind", "/usr", "/usr", "--ro-bind-try", "/lib", "/lib",
        "--ro-bind-try", "/lib64", "/lib64", "--ro-bind-try", "/bin", "/bin",
        *binds,
        "--ro-bind", str(tree.root), str(_SANDBOX_ROOT),
        *(["--ro-bind", str(compiled), COMPILED_INSIDE] if compiled else []),
        "--chdir", str(_SANDBOX_ROOT),
        "--",
    ]  # fmt: skip
    return bwrap + launcher, tree.root, str(_SANDBOX_ROOT)


def compiled_cache(tree: Tree) -> Path | None:
    """The kit's modules compiled once for sandboxed runs of this kit version, or None.

    Compiling and assertion-rewriting the tests, the grader and their imports is most of
    a sandboxed run's start-up. A trusted run of the whole suite against the shipped stubs
    (kit code, no learner code) fills the cache the first time; later runs get it
    read-only, so learner code cannot plant compiled files in it. It is keyed by the
    tree's files (the exercises aside) and the Python, and kept in the user's cache folder
    (``~/.cache/asyncio-kit``), so every copy of the same kit shares it.
    """
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(tree.root.rglob("*")):
        relative = path.relative_to(tree.root)
        if path.is_file() and relative.parts[0] != "exercises":
            digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes())
    cache = _cache_root() / digest.hexdigest()[:20]
    if not cache.is_dir():
        _fill(cache)
        _forget_old_caches(keep=cache)
    if not cache.is_dir():
        return None
    with contextlib.suppress(OSError):
        os.utime(cache)  # in use: the newest are kept
    return cache


# Compiled caches kept for other kit versions (a maintainer editing the kit makes a new one
# at each change; each holds some megabytes).
_CACHES_KEPT = 4


def _forget_old_caches(keep: Path) -> None:
    """Remove all but the most recently used compiled caches (``keep`` always stays)."""
    others = [
        path
        for path in keep.parent.iterdir()
        # a "filling-" folder is a cache another run is filling now
        if path.is_dir() and path != keep and not path.name.startswith("filling-")
    ]
    others.sort(key=lambda path: path.stat().st_mtime, reverse=True)
    for old in others[_CACHES_KEPT - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


def _cache_root() -> Path:
    """The user's cache folder: shared by every copy of the kit, keyed by content."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "asyncio-kit" / "sandbox-pycache"


def _fill(cache: Path) -> None:
    """Compile into ``cache`` by running the suite against the stubs in a sandbox."""
    from grader.host.pristine import original_stub  # the host's snapshot of the stubs
    from grader.manifest import load_manifest

    exercises = load_manifest().exercises
    with scratch_folder() as scratch:
        stubs = Path(scratch) / "stubs"
        for exercise in exercises:
            text = original_stub(exercise)
            if text is not None:
                (stubs / exercise.relative_path).parent.mkdir(parents=True, exist_ok=True)
                (stubs / exercise.relative_path).write_text(text, encoding="utf-8")
        tree = build_tree(stubs, exercises, Path(scratch) / "tree")
        filling = Path(tempfile.mkdtemp(prefix="filling-", dir=_made(cache.parent)))
        os.chmod(filling, 0o777)  # written by uid 65534 inside the sandbox
        bwrap, cwd, _ = command("bubblewrap", tree)
        at = bwrap.index("--chdir")
        bwrap[at:at] = ["--bind", str(filling), COMPILED_INSIDE]
        run = [*bwrap, *PLUGIN_ARGS, "-q", "-p", "no:cacheprovider", "--timeout=5", "tests"]
        env = environment("/tmp")
        # umask 0: the launcher starts as root where the grader runs as root, so the first
        # folders Python makes here are root's; uid 65534 must still add to them.
        done = subprocess.run(
            run, cwd=cwd, env=env, capture_output=True, timeout=600, check=False, umask=0
        )
    if done.returncode not in (0, 1):
        shutil.rmtree(filling, ignore_errors=True)
        return
    for folder, _, files in os.walk(filling):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
    try:
        filling.rename(cache)
    except OSError:  # another run filled it first
        shutil.rmtree(filling, ignore_errors=True)


def _made(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _python_paths() -> list[str]:
    """The folders the interpreter and its packages live in, outermost first, deduplicated."""
    paths = {str(Path(p).resolve()) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    paths.add(str(Path(sys.executable).resolve().parent.parent))
    ordered = sorted(paths, key=len)
    return [p for i, p in enumerate(ordered) if not any(p.startswith(q + "/") for q in ordered[:i])]


def _parents(path: str, made: set[str]) -> list[str]:
    """``--dir`` arguments creating ``path``'s ancestors, traversable by uid 65534."""
    arguments: list[str] = []
    parts = Path(path).parts[1:-1]
    current = ""
    for part in parts:
        current += "/" + part
        if current in ("/usr", "/lib", "/lib64", "/bin", "/tmp") or current in made:
            continue
        made.add(current)
        arguments += ["--perms", "0755", "--dir", current]
    return arguments


def _drop_privileges() -> bool:
    """Whether a fallback run started as root can run as uid 65534 (interpreter readable)."""
    if os.geteuid() != 0:
        return False
    for path in _python_paths():
        for parent in [Path(path), *Path(path).parents]:
            if not parent.stat().st_mode & stat.S_IXOTH:
                return False
    return True


def limit_resources(isolation: str, cpu_seconds: int) -> None:
    """Set the test process's limits (called in the child just before it starts)."""
    import resource  # POSIX only, like the sandbox

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_BYTES, FILE_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if isolation == "fallback" and _drop_privileges():
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
    if os.geteuid() != 0:
        limit_processes()


def limit_processes() -> None:
    """Cap the processes (and threads) of this uid; root is exempt, so call it after dropping."""
    import resource

    resource.setrlimit(resource.RLIMIT_NPROC, (PROCESSES, PROCESSES))


def scratch_folder() -> tempfile.TemporaryDirectory[str]:
    """A private folder for one run's tree and output files."""
    return tempfile.TemporaryDirectory(prefix="asyncio-kit-sandbox-")
