"""Finding each student's work in what an instructor collected: folders, zips, LMS exports.

The class (SUBMISSIONS) is a folder, or a zip of one, holding one of these layouts:

- one folder or zip per student, named after the student;
- Canvas "Download Submissions": files named ``login_[LATE_]userid_submissionid_name``
  (several files of one student are put back together; an uploaded zip is opened);
- Moodle "Download all submissions": folders ``Full Name_participantid_assignsubmission_file_``
  (or files with that prefix when not downloaded in folders); online-text folders are skipped;
- Gradescope "Export Submissions": ``submission_metadata.yml`` beside one ``submission_<id>``
  folder per submission, with the students' names, ids and e-mails taken from the metadata.

One wrapper folder around the class is tolerated. Inside one student's work the exercise
files are found laid out like ``exercises/`` at the top, under one wrapper folder, or under
an ``exercises/`` folder (a whole clone of the kit); files handed in one by one
(``fetch_all.py``, or Canvas's ``fetch_all-1.py`` for a resubmission) are placed by name. An
exercise a student did not hand in is graded as its untouched stub, so it is ``not started``.

Zip entries that would land outside their folder (absolute paths, ``..``, links) are refused,
and so are archives or folders holding far more than an exercise kit ever could.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import stat
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from grader.host.pristine import original_stub
from grader.manifest import Exercise, Manifest

# Far above any honest hand-in (the whole kit is well under a megabyte), far below harm.
MAX_BYTES, MAX_FILES = 20_000_000, 5_000
_JUNK = {"__MACOSX", "__pycache__", ".git", ".nox", ".venv", ".kit", "node_modules", ".DS_Store"}
_CANVAS = re.compile(r"^(?P<login>[^_/]+?)(?:_LATE)?_(?P<uid>\d+)_(?P<sid>\d+)_(?P<file>.+)$")
_MOODLE_FOLDER = re.compile(r"^(?P<name>.+)_(?P<id>\d+)_assignsubmission_(?P<kind>[a-z]+)_?$")
_MOODLE_FILE = re.compile(r"^(?P<name>.+)_(?P<id>\d+)_assignsubmission_file_(?P<file>.+)$")
_RESUBMITTED = re.compile(r"^(?P<stem>\w+?)-(?P<number>\d+)\.py$")
_GRADESCOPE_METADATA = "submission_metadata.yml"


class Refused(Exception):
    """Collected work that is not read at all: its message says why."""


@dataclass
class Submission:
    """One student's work, ready to grade (``files``) or refused (``problem``)."""

    student: str
    key: str  # unique in the class and safe as a folder name
    origin: str  # folder, zip, canvas, moodle or gradescope
    lms_id: str = ""
    email: str = ""
    files: dict[str, bytes] = field(default_factory=dict)  # "02_tasks/fetch_all.py" -> text
    missing: tuple[str, ...] = ()  # exercise ids not handed in, graded as their stub
    problem: str = ""

    def content_hash(self) -> str:
        """A digest of exactly what is graded: the same work always has the same hash."""
        digest = hashlib.sha256()
        for path in sorted(self.files):
            digest.update(path.encode() + b"\0" + self.files[path] + b"\0")
        return digest.hexdigest()[:32]

    def write(self, folder: Path) -> None:
        """Lay the work out in ``folder`` like ``exercises/``."""
        for relative, content in self.files.items():
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)


@dataclass
class _Found:
    """Raw collected work of one student, before its exercise files are located."""

    student: str
    origin: str
    lms_id: str = ""
    email: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    problem: str = ""


def discover(source: Path, manifest: Manifest, scratch: Path) -> list[Submission]:
    """Every student's submission in ``source`` (a folder or a zip), in a stable order.

    A zip of the whole class is unpacked into ``scratch`` first. Raises Refused when the
    class archive itself is unsafe or ``source`` holds no submission at all.
    """
    if source.is_file():
        if not zipfile.is_zipfile(source):
            raise Refused(f"{source} is neither a folder nor a zip file")
        unpacked = scratch / "class"
        shutil.rmtree(unpacked, ignore_errors=True)
        for relative, content in read_zip(source.read_bytes(), source.name).items():
            target = unpacked / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        source = unpacked
    if not source.is_dir():
        raise Refused(f"{source} does not exist")
    root = _unwrap(source, manifest)
    found = _gradescope(root) if (root / _GRADESCOPE_METADATA).is_file() else _entries(root)
    if not found:
        raise Refused(f"{source} holds no submission (no folder, zip or LMS file in it)")
    return _finish(found, manifest)


def read_zip(data: bytes, name: str) -> dict[str, bytes]:
    """The files of a zip archive by relative path; raises Refused for an unsafe archive."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise Refused(f"{name} is not a readable zip file ({error})") from None
    files: dict[str, bytes] = {}
    total = 0
    with archive:
        for info in archive.infolist():
            entry = info.filename.replace("\\", "/")
            path = PurePosixPath(entry)
            if entry.startswith("/") or re.match(r"^[A-Za-z]:", entry) or ".." in path.parts:
                raise Refused(f"{name}: the entry {info.filename!r} points outside the archive")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise Refused(f"{name}: the entry {info.filename!r} is a symbolic link")
            if info.is_dir() or _is_junk(path.parts):
                continue
            total += info.file_size
            if total > MAX_BYTES or len(files) >= MAX_FILES:
                raise Refused(f"{name} holds far more than an exercise kit; it was not opened")
            files[path.as_posix()] = archive.read(info)
    return files


def _is_junk(parts: tuple[str, ...]) -> bool:
    return any(part in _JUNK or part.startswith("._") for part in parts)


def _looks_like_work(folder: Path, manifest: Manifest) -> bool:
    names = {entry.name for entry in folder.iterdir()}
    wanted = {topic.folder for topic in manifest.topics} | {"exercises"}
    return bool(names & wanted) or any(f"{e.id}.py" in names for e in manifest.exercises)


def _unwrap(root: Path, manifest: Manifest) -> Path:
    """``root``, or the one folder inside it when that is all it holds (a wrapper)."""
    entries = [entry for entry in root.iterdir() if not _is_junk((entry.name,))]
    only = entries[0] if len(entries) == 1 else None
    if only is None or not only.is_dir() or _MOODLE_FOLDER.match(only.name):
        return root
    return root if _looks_like_work(only, manifest) else only


def read_folder(folder: Path) -> tuple[dict[str, bytes], str]:
    """The files under ``folder``, or a problem when it holds links or far too much."""
    files: dict[str, bytes] = {}
    total = 0
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if _is_junk(relative.parts):
            continue
        if path.is_symlink():
            return {}, f"{relative} is a symbolic link; links are not graded"
        if not path.is_file():
            continue
        total += path.stat().st_size
        if total > MAX_BYTES or len(files) >= MAX_FILES:
            return {}, "the folder holds far more than an exercise kit; it was not read"
        files[relative.as_posix()] = path.read_bytes()
    return files, ""


def _entries(root: Path) -> list[_Found]:
    """Students of a folder of folders and zips, or of a Canvas or Moodle download."""
    found: dict[tuple[str, str], _Found] = {}
    for entry in sorted(root.iterdir()):
        if _is_junk((entry.name,)) or entry.name.startswith("."):
            continue
        moodle = _MOODLE_FOLDER.match(entry.name) if entry.is_dir() else None
        moodle_file = _MOODLE_FILE.match(entry.name) if entry.is_file() else None
        canvas = _CANVAS.match(entry.name) if entry.is_file() else None
        if moodle:
            if moodle["kind"] != "file":
                continue  # online text and comments hold no code
            student = _Found(moodle["name"], "moodle", moodle["id"])
            student.files, student.problem = read_folder(entry)
            found[("moodle", moodle["id"])] = student
        elif moodle_file or canvas:
            match = moodle_file or canvas
            assert match is not None
            origin, ident = ("moodle", match["id"]) if moodle_file else ("canvas", match["uid"])
            name = match["name"] if moodle_file else match["login"]
            student = found.setdefault((origin, ident), _Found(name, origin, ident))
            student.files[match["file"]] = entry.read_bytes()
        elif entry.is_dir():
            student = _Found(entry.name, "folder")
            student.files, student.problem = read_folder(entry)
            found[("folder", entry.name)] = student
        elif entry.suffix.lower() == ".zip":
            found[("zip", entry.name)] = _Found(
                entry.stem, "zip", files={entry.name: entry.read_bytes()}
            )
    return list(found.values())


def _gradescope(root: Path) -> list[_Found]:
    """Students of a Gradescope export, named from its submission_metadata.yml."""
    people = _gradescope_people((root / _GRADESCOPE_METADATA).read_text(encoding="utf-8"))
    found: list[_Found] = []
    for entry in sorted(root.iterdir()):
        if not (entry.is_dir() and entry.name.startswith("submission_")):
            continue
        submitters = people.get(entry.name, [])
        name = " & ".join(p.get("name", "") for p in submitters) or entry.name
        student = _Found(
            name,
            "gradescope",
            " ".join(p.get("sid", "") for p in submitters).strip()
            or entry.name.removeprefix("submission_"),
            " ".join(p.get("email", "") for p in submitters).strip(),
        )
        student.files, student.problem = read_folder(entry)
        found.append(student)
    return found


def _gradescope_people(text: str) -> dict[str, list[dict[str, str]]]:
    """Submitters per submission folder from Gradescope's metadata.

    Only the few keys needed are read (``:name:``, ``:sid:``, ``:email:`` of each
    ``:submitters:`` entry), so no YAML library is needed for a file Gradescope writes.
    """
    people: dict[str, list[dict[str, str]]] = defaultdict(list)
    current = ""
    for line in text.splitlines():
        if line and not line[0].isspace() and line.rstrip().endswith(":"):
            current = line.rstrip()[:-1].strip("'\"")
            continue
        match = re.match(r"^\s*(-\s+)?:(name|sid|email):\s*(.*)$", line)
        if not (current and match):
            continue
        if match[1] or not people[current]:
            people[current].append({})
        people[current][-1][match[2]] = match[3].strip().strip("'\"")
    return people


def _finish(found: list[_Found], manifest: Manifest) -> list[Submission]:
    submissions: list[Submission] = []
    keys: set[str] = set()
    for raw in found:
        key = _unique_key(raw, keys)
        submission = Submission(raw.student, key, raw.origin, raw.lms_id, raw.email)
        submission.problem = raw.problem
        if not submission.problem:
            try:
                submission.files, submission.missing = locate(raw.files, manifest)
            except Refused as error:
                submission.problem = str(error)
        submissions.append(submission)
    return submissions


def _unique_key(raw: _Found, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9]+", "_", raw.student).strip("_").lower() or "student"
    if raw.lms_id:
        base = f"{base}_{re.sub(r'[^A-Za-z0-9]+', '_', raw.lms_id)}"
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    taken.add(key)
    return key


def locate(raw: dict[str, bytes], manifest: Manifest) -> tuple[dict[str, bytes], tuple[str, ...]]:
    """The exercise files in one student's ``raw`` files, with missing ones as their stubs.

    Returns the files laid out like ``exercises/`` and the ids of the exercises not handed
    in; raises Refused when no exercise file is anywhere a learner would put it.
    """
    expanded: dict[str, bytes] = {}
    for path, content in raw.items():
        if path.lower().endswith(".zip"):
            # A zip stands for the folder it sits in: its name adds no level.
            folder = PurePosixPath(path).parent
            for inner, inner_content in read_zip(content, PurePosixPath(path).name).items():
                expanded[(folder / inner).as_posix()] = inner_content
        elif not _is_junk(PurePosixPath(path).parts):
            expanded[path] = content
    by_path = {exercise.relative_path.as_posix(): exercise for exercise in manifest.exercises}
    by_name = {f"{exercise.id}.py": exercise for exercise in manifest.exercises}
    # Each place the work could be rooted, with what it finds there (and a rank per file,
    # so that Canvas's fetch_all-2.py wins over fetch_all-1.py and fetch_all.py).
    candidates: dict[tuple[str, ...], dict[Exercise, tuple[int, str]]] = defaultdict(dict)
    for path in expanded:
        parts = tuple(path.split("/"))
        tail = "/".join(parts[-2:])
        if tail in by_path and _plausible_root(parts[:-2]):
            candidates[parts[:-2]][by_path[tail]] = (0, path)
            continue
        name, rank = parts[-1], 0
        if resubmitted := _RESUBMITTED.match(name):
            name, rank = f"{resubmitted['stem']}.py", int(resubmitted["number"])
        exercise = by_name.get(name)
        if exercise is not None and len(parts) <= 2:
            chosen = candidates[("<by name>", *parts[:-1])]
            if rank >= chosen.get(exercise, (-1, ""))[0]:
                chosen[exercise] = (rank, path)
    if not candidates:
        raise Refused(_no_work_message(sorted(expanded)))
    best = max(candidates.values(), key=len)
    files = {e.relative_path.as_posix(): expanded[path] for e, (_, path) in best.items()}
    missing = tuple(e.id for e in manifest.exercises if e not in best)
    for exercise in manifest.exercises:
        if exercise not in best:
            files[exercise.relative_path.as_posix()] = (original_stub(exercise) or "").encode()
    return files, missing


def _plausible_root(prefix: tuple[str, ...]) -> bool:
    """At the top, in one wrapper folder, or in exercises/ (of a clone, maybe wrapped)."""
    if len(prefix) <= 1:
        return True
    return len(prefix) == 2 and prefix[-1] == "exercises"


def _no_work_message(paths: list[str]) -> str:
    shown = ", ".join(paths[:5]) + (f" and {len(paths) - 5} more" if len(paths) > 5 else "")
    found = f"; it holds: {shown}" if paths else "; it is empty"
    return (
        "No exercise file was found. Hand in the files laid out like exercises/ (for "
        "example 02_tasks/fetch_all.py), as a folder or a zip, or the exercise files "
        f"themselves (fetch_all.py){found}."
    )
