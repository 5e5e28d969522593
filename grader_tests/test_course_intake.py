"""Finding each student's work: plain folders and zips, LMS exports, wrong layouts, bad zips."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest

from grader.course.intake import Refused, discover, read_zip
from grader.manifest import KIT_ROOT

FETCH_ALL = "02_tasks/fetch_all.py"
SOLVED = (KIT_ROOT / "solutions" / FETCH_ALL).read_bytes()
STUB = (KIT_ROOT / "exercises" / FETCH_ALL).read_bytes()


def zipped(entries, links=()):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
        for name, target in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()


def put(root, files):
    for relative, content in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(content)
    return root


def by_student(submissions):
    return {s.student: s for s in submissions}


def test_folders_and_zips_with_or_without_a_wrapper_are_found(manifest, tmp_path):
    put(tmp_path / "class", {
        f"ada/{FETCH_ALL}": SOLVED,
        f"bob/bob-work/{FETCH_ALL}": SOLVED,  # one wrapper folder
        f"cy/asyncio-kit/exercises/{FETCH_ALL}": SOLVED,  # a whole clone of the kit
        "dee.zip": zipped({f"exercises/{FETCH_ALL}": SOLVED}),
        "notes.txt": b"not a submission",
    })  # fmt: skip
    found = by_student(discover(tmp_path / "class", manifest, tmp_path / "scratch"))
    assert sorted(found) == ["ada", "bob", "cy", "dee"]
    for submission in found.values():
        assert submission.problem == ""
        assert submission.files[FETCH_ALL] == SOLVED
        assert "fetch_all" not in submission.missing
        # What was not handed in is graded as the untouched stub.
        assert submission.files["01_coroutines/await_the_result.py"].startswith(b'"""')
        assert "await_the_result" in submission.missing
    assert len({s.content_hash() for s in found.values()}) == 1


def test_a_canvas_download_is_put_back_together_per_student(manifest, tmp_path):
    await_solved = (KIT_ROOT / "solutions/01_coroutines/await_the_result.py").read_bytes()
    put(tmp_path / "canvas", {
        "lovelaceada_1234_98765_fetch_all.py": STUB,
        "lovelaceada_1234_98799_fetch_all-1.py": SOLVED,  # resubmitted: Canvas adds -1
        "lovelaceada_LATE_1234_98800_await_the_result.py": await_solved,
        "babbagecharles_5678_98766_exercises.zip": zipped({f"exercises/{FETCH_ALL}": SOLVED}),
    })  # fmt: skip
    found = by_student(discover(tmp_path / "canvas", manifest, tmp_path / "scratch"))
    assert sorted(found) == ["babbagecharles", "lovelaceada"]
    ada = found["lovelaceada"]
    assert (ada.origin, ada.lms_id, ada.key) == ("canvas", "1234", "lovelaceada_1234")
    assert ada.files[FETCH_ALL] == SOLVED
    assert ada.files["01_coroutines/await_the_result.py"] == await_solved
    assert found["babbagecharles"].files[FETCH_ALL] == SOLVED


def test_a_moodle_download_skips_online_text(manifest, tmp_path):
    put(tmp_path / "moodle", {
        f"Ada Lovelace_301_assignsubmission_file_/{FETCH_ALL}": SOLVED,
        "Ada Lovelace_301_assignsubmission_onlinetext_/onlinetext.html": b"<p>hi</p>",
        "Charles Babbage_302_assignsubmission_file_/work.zip": zipped({FETCH_ALL: SOLVED}),
        "Grace Hopper_303_assignsubmission_file_fetch_all.py": SOLVED,  # not in folders
    })  # fmt: skip
    found = by_student(discover(tmp_path / "moodle", manifest, tmp_path / "scratch"))
    assert sorted(found) == ["Ada Lovelace", "Charles Babbage", "Grace Hopper"]
    assert {s.origin for s in found.values()} == {"moodle"}
    assert found["Charles Babbage"].lms_id == "302"
    assert all(s.files[FETCH_ALL] == SOLVED for s in found.values())


def test_a_gradescope_export_takes_names_from_its_metadata(manifest, tmp_path):
    metadata = """\
submission_111:
  :submitters:
  - :name: Ada Lovelace
    :sid: '42'
    :email: ada@example.edu
  :created_at: 2026-11-30 10:00:00 UTC
submission_222:
  :submitters:
  - :name: Alan Turing
    :sid: '43'
    :email: alan@example.edu
  - :name: Joan Clarke
    :sid: '44'
    :email: joan@example.edu
"""
    export = tmp_path / "export.zip"
    export.write_bytes(zipped({
        "assignment_9_export/submission_metadata.yml": metadata,
        f"assignment_9_export/submission_111/{FETCH_ALL}": SOLVED,
        "assignment_9_export/submission_222/fetch_all.py": SOLVED,
    }))  # fmt: skip
    found = by_student(discover(export, manifest, tmp_path / "scratch"))
    assert sorted(found) == ["Ada Lovelace", "Alan Turing & Joan Clarke"]
    ada = found["Ada Lovelace"]
    assert (ada.origin, ada.lms_id, ada.email) == ("gradescope", "42", "ada@example.edu")
    assert found["Alan Turing & Joan Clarke"].lms_id == "43 44"
    assert all(s.files[FETCH_ALL] == SOLVED for s in found.values())


def test_work_in_the_wrong_layout_is_an_error_for_that_student_only(manifest, tmp_path):
    put(tmp_path / "class", {
        f"ada/{FETCH_ALL}": SOLVED,
        "bob/my_answers.py": SOLVED,
        f"cy/a/b/c/{FETCH_ALL}": SOLVED,  # far too deep to be a wrapper
    })  # fmt: skip
    found = by_student(discover(tmp_path / "class", manifest, tmp_path / "scratch"))
    assert found["ada"].problem == ""
    for name in ("bob", "cy"):
        assert found[name].problem.startswith("No exercise file was found. Hand in the files")
        assert "02_tasks/fetch_all.py" in found[name].problem
    assert "my_answers.py" in found["bob"].problem


@pytest.mark.parametrize(
    ("entries", "links", "complaint"),
    [
        ({"/etc/evil.py": b"x"}, (), "points outside the archive"),
        ({"../../evil.py": b"x"}, (), "points outside the archive"),
        ({"exercises/../../evil.py": b"x"}, (), "points outside the archive"),
        ({"C:/evil.py": b"x"}, (), "points outside the archive"),
        ({}, [("01_coroutines/await_the_result.py", "/etc/passwd")], "is a symbolic link"),
    ],
)
def test_a_student_zip_that_escapes_is_refused(manifest, tmp_path, entries, links, complaint):
    put(tmp_path / "class", {
        "mallory.zip": zipped({FETCH_ALL: SOLVED, **entries}, links),
        f"ada/{FETCH_ALL}": SOLVED,
    })  # fmt: skip
    found = by_student(discover(tmp_path / "class", manifest, tmp_path / "scratch"))
    assert complaint in found["mallory"].problem
    assert found["mallory"].files == {}
    assert found["ada"].problem == ""
    assert not (tmp_path / "etc").exists()
    assert not (tmp_path / "evil.py").exists()


def test_a_class_archive_that_escapes_is_refused_whole(manifest, tmp_path):
    archive = tmp_path / "class.zip"
    archive.write_bytes(zipped({f"ada/{FETCH_ALL}": SOLVED, "../evil.py": b"x"}))
    with pytest.raises(Refused, match="points outside the archive"):
        discover(archive, manifest, tmp_path / "scratch")
    assert not (tmp_path / "evil.py").exists()


def test_a_zip_far_larger_than_a_kit_is_not_opened():
    bomb = zipped({f"file{n}.py": b"0" * 1_000_000 for n in range(25)})
    with pytest.raises(Refused, match="far more than an exercise kit"):
        read_zip(bomb, "bomb.zip")


def test_a_link_inside_a_student_folder_is_not_followed(manifest, tmp_path):
    folder = put(tmp_path / "class", {f"ada/{FETCH_ALL}": SOLVED})
    (folder / "ada" / "secret.py").symlink_to("/etc/passwd")
    found = by_student(discover(folder, manifest, tmp_path / "scratch"))
    assert "symbolic link" in found["ada"].problem


def test_students_with_the_same_name_get_distinct_keys(manifest, tmp_path):
    put(tmp_path / "class", {f"Ada L/{FETCH_ALL}": SOLVED, f"ada-l/{FETCH_ALL}": STUB})
    keys = [s.key for s in discover(tmp_path / "class", manifest, tmp_path / "scratch")]
    assert sorted(keys) == ["ada_l", "ada_l-2"]
