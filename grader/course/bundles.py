"""Autograder bundles: the kit's grading files with the scripts Gradescope and PrairieLearn run.

Both carry the same files as the student edition (stubs, tests without the wrong answers,
the grader, the manifest; never ``solutions/``) and grade one submission per container with
``python -m grader autograde``. A class larger than one machine is graded on the platform's
own fleet: it starts one container per submission, so nothing here distributes work.
"""

from __future__ import annotations

import stat
import tomllib
import zipfile
from pathlib import Path

from grader.manifest import KIT_ROOT, load_manifest

# Maintainer tools that need solutions/ or the wrong answers, left out of anything handed out.
_MAINTAINER_ONLY = {
    "grader/host/check.py",
    "grader/host/freeze.py",
    "grader/host/benchmark.py",
    "grader/course/bench.py",
    "grader/course/fakeclass.py",
}
_SHIPPED = (
    "exercises",
    "tests",
    "grader",
    "conftest.py",
    "manifest.toml",
    "pyproject.toml",
    ".gitignore",
)
_SKIPPED_PARTS = {"wrong_answers", "__pycache__", ".kit"}

_GRADESCOPE_SETUP = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image: it makes a
# virtual environment with Python 3.11 or newer and installs the test dependencies (PyPI).
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
PYTHON=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null &&
     "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    PYTHON="$candidate"; break
  fi
done
if [ -z "$PYTHON" ]; then
  # Ubuntu 22.04 images ship Python 3.10; its archive has 3.11.
  apt-get update && apt-get install -y python3.11 python3.11-venv
  PYTHON=python3.11
fi
"$PYTHON" -m venv "$ROOT/venv"
"$ROOT/venv/bin/python" -m pip install --quiet --upgrade pip
"$ROOT/venv/bin/python" -m pip install --quiet -r "$ROOT/source/requirements.txt"
"""

_GRADESCOPE_RUN = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission: grade /autograder/submission into
# /autograder/results/results.json. AUTOGRADER_ROOT points elsewhere for a local test run,
# KIT_PYTHON at an interpreter that already has the test dependencies.
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
PYTHON="${{KIT_PYTHON:-$ROOT/venv/bin/python}}"
mkdir -p "$ROOT/results"
cd "$ROOT/source" || exit 1
"$PYTHON" -m grader autograde --platform gradescope --submission "$ROOT/submission" \\
  --results "$ROOT/results/results.json" --credit {credit} --visibility {visibility}
if [ ! -s "$ROOT/results/results.json" ]; then
  echo '{{"score": 0, "output": "The autograder failed before writing results."}}' \\
    > "$ROOT/results/results.json"
fi
"""

_PRAIRIELEARN_RUN = """\
#!/usr/bin/env bash
# PrairieLearn's entrypoint: grade /grade/student into /grade/results/results.json.
# PL_GRADE_ROOT points elsewhere for a local test run, KIT_PYTHON at another interpreter.
ROOT="${{PL_GRADE_ROOT:-/grade}}"
HERE="$(cd "$(dirname "$0")" && pwd)"
PYTHON="${{KIT_PYTHON:-python3}}"
mkdir -p "$ROOT/results"
cd "$HERE" || exit 1
if ! "$PYTHON" -c 'import pytest_asyncio, pytest_timeout, looptime' 2>/dev/null; then
  # Only works with "enableNetworking": true; the image built from Dockerfile has them.
  "$PYTHON" -m pip install --quiet --user -r requirements.txt
fi
"$PYTHON" -m grader autograde --platform prairielearn --submission "$ROOT/student" \\
  --results "$ROOT/results/results.json" --credit {credit}
if [ ! -s "$ROOT/results/results.json" ]; then
  echo '{{"gradable": false, "message": "The grader failed before writing results."}}' \\
    > "$ROOT/results/results.json"
fi
"""

_PRAIRIELEARN_DOCKERFILE = """\
# An external-grading image with the kit's test dependencies installed (PrairieLearn
# graders run without network access by default). Build it, push it to a registry
# PrairieLearn can pull from, and name it as "image" in the question's info.json.
# The Python every exercise can be graded on (some need a recent asyncio).
FROM python:{python}-slim
COPY requirements.txt /tmp/requirements.txt
RUN python -m pip install --no-cache-dir -r /tmp/requirements.txt
"""

_PRAIRIELEARN_README = """\
# asyncio kit: PrairieLearn external grader

Put this folder in the course repository as `serverFilesCourse/{name}/` and give each
externally graded question an `info.json` like:

```json
"externalGradingOptions": {{
  "enabled": true,
  "image": "<the image built from Dockerfile here>",
  "serverFilesCourse": ["{name}/"],
  "entrypoint": "/grade/serverFilesCourse/{name}/run.sh",
  "timeout": 120
}}
```

Students hand in their exercise files (`fetch_all.py`, ... or a zip laid out like
`exercises/`) with `pl-file-upload` or `pl-file-editor`; `run.sh` grades them and writes
`/grade/results/results.json`: score 0-1, one test per exercise (per kit test under
per-test credit), and `"gradable": false` when no exercise file was handed in.
"""


def kit_files() -> list[Path]:
    """The kit files that are handed out or shipped in a bundle, relative to the kit root."""
    chosen: list[Path] = []
    for name in _SHIPPED:
        path = KIT_ROOT / name
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            relative = file.relative_to(KIT_ROOT)
            if not file.is_file() or file.is_symlink() or _SKIPPED_PARTS & set(relative.parts):
                continue
            if relative.as_posix() not in _MAINTAINER_ONLY:
                chosen.append(relative)
    return chosen


def requirements() -> str:
    """The ``test`` dependency group of pyproject.toml as a pip requirements file."""
    with (KIT_ROOT / "pyproject.toml").open("rb") as file:
        group = tomllib.load(file)["dependency-groups"]["test"]
    return "".join(f"{item}\n" for item in group if isinstance(item, str))


def gradescope_bundle(target: Path, *, credit: str, visibility: str) -> None:
    """Write Gradescope's autograder zip: setup.sh and run_autograder at its root."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bundle:
        _add_script(bundle, "setup.sh", _GRADESCOPE_SETUP)
        _add_script(
            bundle, "run_autograder", _GRADESCOPE_RUN.format(credit=credit, visibility=visibility)
        )
        bundle.writestr("requirements.txt", requirements())
        for relative in kit_files():
            bundle.write(KIT_ROOT / relative, relative.as_posix())


def prairielearn_bundle(dest: Path, *, credit: str) -> None:
    """Write the folder to put under PrairieLearn's serverFilesCourse/, with run.sh in it."""
    for relative in kit_files():
        (dest / relative).parent.mkdir(parents=True, exist_ok=True)
        (dest / relative).write_bytes((KIT_ROOT / relative).read_bytes())
    (dest / "requirements.txt").write_text(requirements(), encoding="utf-8")
    dockerfile = _PRAIRIELEARN_DOCKERFILE.replace("{python}", load_manifest().newest_python)
    (dest / "Dockerfile").write_text(dockerfile, encoding="utf-8")
    readme = _PRAIRIELEARN_README.format(name=dest.name)
    (dest / "README.md").write_text(readme, encoding="utf-8")
    run = dest / "run.sh"
    run.write_text(_PRAIRIELEARN_RUN.format(credit=credit), encoding="utf-8")
    run.chmod(run.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def _add_script(bundle: zipfile.ZipFile, name: str, text: str) -> None:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFREG | 0o755) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    bundle.writestr(info, text)
