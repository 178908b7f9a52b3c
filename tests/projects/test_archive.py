"""A zipped project folder: hostile archives refused with a located message before anything large is written; a
good one checked exactly as `imri-kg validate DIR` checks the folder."""

import stat
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from imri_kg.cli import cli
from imri_kg.errors import InputError
from imri_kg.kb.build import build_store
from imri_kg.projects.archive import MAX_MEMBERS, check_project_zip, write_project_folder
from tests.projects.test_example_piat2022 import TABLE5_WARNINGS

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _refused(archive: Path, into: Path) -> str:
    with pytest.raises(InputError) as caught:
        write_project_folder(archive, into)
    return str(caught.value)


def test_a_zip_bomb_is_refused_by_its_ratio(tmp_path):
    archive = _zip(tmp_path / "bomb.zip", {"project.yaml": b"title: x\n", "evidence/big.csv": b"0" * 5_000_000})
    into = tmp_path / "out"
    into.mkdir()
    message = _refused(archive, into)
    assert message.startswith(f'{archive}: member "evidence/big.csv" would unpack ')
    assert message.endswith("times its packed size (at most 100): refused as a zip bomb.")
    assert list(into.iterdir()) == []  # refused from the directory, before writing anything


@pytest.mark.parametrize("name", ["../evil.csv", "evidence/../../evil.csv", "/etc/evil.csv", "C:/evil.csv"])
def test_names_that_climb_out_are_refused(tmp_path, name):
    archive = _zip(tmp_path / "climb.zip", {"project.yaml": b"title: x\n", name: b"a,b\n"})
    (tmp_path / "out").mkdir()
    assert _refused(archive, tmp_path / "out") == (
        f"{archive}: member \"{name}\" has a name that points outside the archive's folder; refused.")
    assert not (tmp_path / "evil.csv").exists()


def test_too_many_files_are_refused(tmp_path):
    members = {f"evidence/{i}.csv": b"a\n" for i in range(MAX_MEMBERS)} | {"project.yaml": b"title: x\n"}
    archive = _zip(tmp_path / "many.zip", members)
    (tmp_path / "out").mkdir()
    assert _refused(archive, tmp_path / "out") == (
        f"{archive}: holds 501 files and folders; a project folder is taken with at most 500.")


def test_a_symbolic_link_is_refused(tmp_path):
    archive = tmp_path / "link.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("project.yaml", b"title: x\n")
        link = zipfile.ZipInfo("evidence.csv")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, b"/etc/passwd")
    (tmp_path / "out").mkdir()
    assert _refused(archive, tmp_path / "out") == (
        f'{archive}: member "evidence.csv" is a symbolic link; links are not taken.')


def test_an_archive_without_a_project_is_refused(tmp_path):
    archive = _zip(tmp_path / "none.zip", {"a/readme.txt": b"hello"})
    (tmp_path / "out").mkdir()
    assert "holds no project.yaml at its top or in one folder" in _refused(archive, tmp_path / "out")


def test_a_zipped_example_is_reported_as_validate_dir_reports_the_folder(tmp_path):
    folder = EXAMPLES / "piat2021"
    archive = tmp_path / "piat2021.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            zf.write(path, Path("piat2021") / path.relative_to(folder))  # inside one folder, as a zipped folder is
    found = check_project_zip(build_store(), archive)
    cli_run = CliRunner().invoke(cli, ["validate", str(folder)])
    assert (found.exit_code, found.conforms) == (0, True)
    assert sorted(str(p) for p in found.problems) == TABLE5_WARNINGS  # its views' triples are validated too
    assert found.text == cli_run.output
    assert found.text.splitlines()[-1].startswith("piat2021: conforms (")


@pytest.mark.parametrize("members", [("documents/x", "documents/x/y.md"), ("documents/x/y.md", "documents/x")])
def test_a_file_and_a_folder_of_one_name_are_a_located_error(tmp_path, members):
    archive = tmp_path / "clash.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("project.yaml", "slug: clash\ntitle: Clash (fictional)\n")
        for name in members:
            zf.writestr(name, "text")
    into = tmp_path / "into"
    into.mkdir()
    with pytest.raises(InputError) as raised:
        write_project_folder(archive, into)
    assert str(raised.value) == (f'{archive}: member "{members[1]}" clashes with another member of the same name (a '
                                 "file and a folder, or names that differ only in case); rename one.")
